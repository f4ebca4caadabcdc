"""Serializing query results, with a cap on rows.

pyoxigraph serializes a result iterator in one go, with no way to stop after
N rows; the server must refuse oversized results. Small SELECT results are
written by pyoxigraph into a buffer that stops at the size below which they
cannot exceed the cap (:func:`min_solution_bytes`); larger ones, and ASK
results, are written here from collected rows (SPARQL 1.1 Query Results JSON,
XML, CSV and TSV); graphs go through ``pyoxigraph.serialize`` from collected
triples.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

__all__ = [
    "DATASET_FORMATS",
    "GRAPH_FORMATS",
    "NATIVE_SOLUTION_FORMATS",
    "RDF_FORMATS",
    "SOLUTION_FORMATS",
    "ResultFormat",
    "TooManyResults",
    "choose_format",
    "collect",
    "min_solution_bytes",
    "write_boolean",
    "write_solutions",
]


@dataclass(frozen=True)
class ResultFormat:
    name: str
    media_type: str


SOLUTION_FORMATS = {
    f.name: f
    for f in (
        ResultFormat("json", "application/sparql-results+json"),
        ResultFormat("xml", "application/sparql-results+xml"),
        ResultFormat("csv", "text/csv"),
        ResultFormat("tsv", "text/tab-separated-values"),
    )
}
# pyoxigraph's own writers, much faster than write_solutions, but with no row cap.
NATIVE_SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


_FIXED_SOLUTION_BYTES = {"json": 2, "xml": 9}


def min_solution_bytes(fmt: str, variables: int) -> int:
    """The fewest bytes one more solution adds to a result in ``fmt``: a result no longer
    than cap x this has at most cap solutions.

    JSON and XML write nothing for an unbound variable ("{}," and "<result/>"); a CSV or
    TSV row always has a separator between its values and a line end ("\\r\\n" in CSV).

    >>> min_solution_bytes("csv", 6), min_solution_bytes("json", 6)
    (7, 2)
    """
    if fmt in _FIXED_SOLUTION_BYTES:
        return _FIXED_SOLUTION_BYTES[fmt]
    return max(variables, 1) + (1 if fmt == "csv" else 0)


RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
}
GRAPH_FORMATS = {name: ResultFormat(name, fmt.media_type) for name, fmt in RDF_FORMATS.items()}
DATASET_FORMATS = frozenset({"nquads", "trig"})


def choose_format(
    accepted: Sequence[str],
    formats: dict[str, ResultFormat],
    default: str,
    exclude: frozenset[str] = frozenset(),
) -> ResultFormat | None:
    """The first of ``formats`` the client accepts, in its order of preference; ``default`` for
    "*/*" or a wildcard that covers it; None when nothing fits.

    >>> choose_format(["image/png", "text/*"], GRAPH_FORMATS, "turtle").name
    'turtle'
    """
    for media in accepted:
        if media in ("*/*", "") or (
            media.endswith("/*") and formats[default].media_type.startswith(media[:-1])
        ):
            return formats[default]
        for fmt in formats.values():
            if (fmt.media_type == media or fmt.name == media) and fmt.name not in exclude:
                return fmt
    return None


T = TypeVar("T")


class TooManyResults(Exception):
    """More rows than the server's cap."""


def collect(items: Iterable[T], cap: int) -> list[T]:
    """Up to ``cap`` items; :class:`TooManyResults` if there are more."""
    collected: list[T] = []
    for item in items:
        if len(collected) == cap:
            raise TooManyResults(f"the result has more than {cap} rows; add a LIMIT or narrow the query")
        collected.append(item)
    return collected


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<triple>{escape(str(term))}</triple>"


def _tsv_term(term: object) -> str:
    return "" if term is None else str(term).replace("\t", "\\t").replace("\n", "\\n")


def write_solutions(variables: Sequence[str], rows: Sequence[ox.QuerySolution], fmt: str) -> bytes:
    """SELECT results in ``fmt`` (json, xml, csv, tsv)."""
    if fmt == "json":
        bindings = [{v: _json_term(row[v]) for v in variables if row[v] is not None} for row in rows]
        return json.dumps(
            {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}, ensure_ascii=False
        ).encode()
    if fmt == "xml":
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join(
            "<result>"
            + "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>"
                for v in variables
                if row[v] is not None
            )
            + "</result>"
            for row in rows
        )
        return (
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{body}</results></sparql>"
        ).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(
                ["" if row[v] is None else getattr(row[v], "value", str(row[v])) for v in variables]
            )
        return buffer.getvalue().encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_term(row[v]) for v in variables) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def write_boolean(value: bool, fmt: str) -> bytes:
    """ASK results in ``fmt``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return (
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{'true' if value else 'false'}</boolean></sparql>"
        ).encode()
    sep = "," if fmt == "csv" else "\t"
    return f"_askResult{sep}\r\n{'true' if value else 'false'}\r\n".replace(sep + "\r\n", "\r\n").encode()
