"""Content negotiation: the media types a client accepts, best first."""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox
from fastapi import HTTPException
from fastapi.responses import Response

from kg.api.results import DATASET_FORMATS, GRAPH_FORMATS, RDF_FORMATS, ResultFormat, choose_format

__all__ = ["FORMAT_ALIASES", "accepted_types", "graph_format", "graph_response"]

# ?format= values browsers, notebooks and SPARQL clients use, as media types. A word that
# names a family ("xml", "json") stands for its member of each kind of result: SPARQLWrapper
# sends format=xml with every CONSTRUCT, Virtuoso's clients format=json with every query.
FORMAT_ALIASES: dict[str, tuple[str, ...]] = {
    "json": ("application/sparql-results+json", "application/ld+json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle",),
    "ttl": ("text/turtle",),
    "n3": ("text/turtle",),
    "ntriples": ("application/n-triples",),
    "nt": ("application/n-triples",),
    "nquads": ("application/n-quads",),
    "jsonld": ("application/ld+json",),
    "json-ld": ("application/ld+json",),
    "rdf": ("application/rdf+xml",),
    "rdfxml": ("application/rdf+xml",),
    "rdf+xml": ("application/rdf+xml",),
    "trig": ("application/trig",),
    "html": ("text/html",),
}


def accepted_types(accept: str | None, formats: str | Sequence[str] | None = None) -> list[str]:
    """Media types a client accepts, best first: its ``format`` parameters, then its Accept header.

    A ``format`` value names what the client wants when it fits the result; the Accept
    header still decides when none does, so that clients that send both (SPARQLWrapper
    repeats ``format``, and sends one that only fits SELECT) get an answer.

    >>> accepted_types("text/csv;q=0.5, application/sparql-results+json")
    ['application/sparql-results+json', 'text/csv']
    >>> accepted_types(None)
    ['*/*']
    >>> accepted_types("text/html", "csv")
    ['text/csv', 'text/html']
    >>> accepted_types("application/rdf+xml", ["xml", "application/rdf+xml"])[:2]
    ['application/sparql-results+xml', 'application/rdf+xml']
    """
    values = [formats] if isinstance(formats, str) else list(formats or [])
    hinted = [media for value in values for media in FORMAT_ALIASES.get(value.lower(), (value.lower(),))]
    return list(dict.fromkeys([*hinted, *_from_header(accept)]))


def _from_header(accept: str | None) -> list[str]:
    """The media types of an Accept header, by q-value, in order; ``*/*`` without one."""
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
