"""Running the named queries of ``queries/`` in the engine, with bound values, for the routes."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.api.deps import Engine
from kg.config import Settings
from kg.queries import load_query

__all__ = ["Binding", "Row", "Table", "iri_binding", "read_table", "select", "select_table", "term_value"]

Row = dict[str, str | None]
# A value as it crosses to the engine: ("iri", value, None) or ("literal", value, datatype IRI or None).
Binding = tuple[str, str, str | None]

# Reading a table costs about 5 ms a megabyte; larger ones are read on a thread, so that
# the event loop is not held from other requests meanwhile.
_READ_INLINE_BYTES = 1 << 20

# The escapes of N-Triples strings, which SPARQL TSV uses for literals.
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def iri_binding(iri: str) -> Binding:
    return ("iri", iri, None)


def _unescape(match: re.Match[str]) -> str:
    short, long, char = match.groups()
    return chr(int(short or long, 16)) if short or long else _ECHAR.get(char, char)


def term_value(term: str) -> str | None:
    """The value of a SPARQL TSV term: an IRI without its brackets, a literal's lexical form
    without quotes, language or datatype, a bare number or boolean as it is; None if unbound.

    >>> term_value('"Quận ủy \\\\"Ba Đình\\\\""@vi'), term_value("<http://e/x>"), term_value("12"), term_value("")
    ('Quận ủy "Ba Đình"', 'http://e/x', '12', None)
    """
    if not term:
        return None
    if term[0] == "<":
        return term[1:-1]
    if term[0] == '"':
        text = term[1 : term.rindex('"')]
        return _ESCAPE.sub(_unescape, text) if "\\" in text else text
    return term


@dataclass(frozen=True)
class Table:
    """A named query's rows as read: SPARQL TSV terms, "" where unbound.

    Terms are decoded only when asked for (:func:`term_value`, :meth:`row`): a list page
    reads thousands of rows and needs the values of one column and of its own rows.
    """

    columns: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> int:
        return self.columns.index(name)

    def row(self, terms: list[str]) -> Row:
        """One row's values by column name, None where unbound."""
        return {name: term_value(term) for name, term in zip(self.columns, terms, strict=True)}


def read_table(body: bytes) -> Table:
    """SPARQL TSV results as a :class:`Table`: a tab or a line end inside a literal is escaped,
    so splitting is exact."""
    header, *lines = body.decode("utf-8").split("\n")
    return Table(
        [name.lstrip("?") for name in header.split("\t")], [line.split("\t") for line in lines if line]
    )


Bindings = Mapping[str, Binding | list[Binding]]


def _request(settings: Settings, name: str, bindings: Bindings, media_type: str) -> dict[str, Any]:
    """The engine request for a named query with ``bindings`` bound by a VALUES block."""
    return {
        "query": load_query(name),
        "accept": [media_type],
        "bindings": bindings,
        "max_rows": settings.limits.rows,
    }


async def select_table(engine: Engine, settings: Settings, name: str, bindings: Bindings) -> Table:
    """The rows of a named query, for list pages: SPARQL TSV, the cheapest results to write
    and to read back, which keeps an empty literal (``""``) apart from an unbound value.
    """
    request = _request(settings, name, bindings, "text/tab-separated-values")
    result = await engine.request_async("query", request)
    if len(result.body) > _READ_INLINE_BYTES:
        return await asyncio.to_thread(read_table, result.body)
    return read_table(result.body)


def select(engine: Engine, settings: Settings, name: str, bindings: Bindings) -> list[Row]:
    """Rows of a named query, each by column name, None where unbound (blocking)."""
    request = _request(settings, name, bindings, "application/sparql-results+json")
    data = json.loads(engine.request("query", request).body)
    names = data["head"]["vars"]
    return [{n: row[n]["value"] if n in row else None for n in names} for row in data["results"]["bindings"]]
