"""Content negotiation: the media types a client accepts, best first."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from fastapi import HTTPException
from fastapi.responses import Response

from kg.store.results import DATASET_FORMATS, GRAPH_FORMATS, RDF_FORMATS, ResultFormat, choose_format

__all__ = ["FORMAT_ALIASES", "accepted_types", "graph_format", "graph_response"]

# ?format= values browsers and notebooks use, as media types.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "nquads": "application/n-quads",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "trig": "application/trig",
    "html": "text/html",
}


def accepted_types(accept: str | None, format_param: str | None = None) -> list[str]:
    """Media types from an Accept header (by q-value, in order) or a ``format`` parameter.

    >>> accepted_types("text/csv;q=0.5, application/sparql-results+json")
    ['application/sparql-results+json', 'text/csv']
    >>> accepted_types(None)
    ['*/*']
    >>> accepted_types("text/html", "csv")
    ['text/csv']
    """
    if format_param:
        return [FORMAT_ALIASES.get(format_param.lower(), format_param)]
    if not accept:
        return ["*/*"]
    weighted = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        quality = 1.0
        for parameter in parts[1:]:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, parts[0].lower()))
    return [media for _, _, media in sorted(weighted)] or ["*/*"]


def graph_format(accept: Sequence[str], *, triples_only: bool = True) -> ResultFormat | None:
    """The first acceptable RDF serialization (Turtle for "*/*")."""
    return choose_format(accept, GRAPH_FORMATS, "turtle", DATASET_FORMATS if triples_only else frozenset())


def graph_response(
    triples: Sequence[ox.Triple], accept: Sequence[str], prefixes: dict[str, str], what: str
) -> Response:
    """Triples in the negotiated serialization, or 406 naming what is on offer."""
    fmt = graph_format(accept)
    if fmt is None:
        raise HTTPException(406, f"{what} comes as Turtle, N-Triples, JSON-LD or RDF/XML")
    body = ox.serialize(triples, format=RDF_FORMATS[fmt.name], prefixes=prefixes) or b""
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})
