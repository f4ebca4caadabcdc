"""What the OpenAPI description promises each operation answers: statuses and media types.

FastAPI documents a route's success as JSON and its validation error as 422;
kg's routes also answer RDF, SPARQL results and HTML, and refuse with the
statuses of :mod:`kg.api.app`. These declarations make the description true,
so that generated clients and schemathesis (``tests/reliability``) can hold the
server to it.
"""

from __future__ import annotations

from typing import Any

from kg.api.results import GRAPH_FORMATS, SOLUTION_FORMATS

__all__ = ["GRAPH_MEDIA", "SOLUTION_MEDIA", "SPARQL_REQUEST", "answers", "errors"]

Responses = dict[int | str, dict[str, Any]]

GRAPH_MEDIA = tuple(dict.fromkeys(f.media_type for f in GRAPH_FORMATS.values()))
SOLUTION_MEDIA = tuple(dict.fromkeys(f.media_type for f in SOLUTION_FORMATS.values()))

_TEXT = {"schema": {"type": "string"}}
_ERRORS = {
    400: "The request, its query or its body is malformed or refused (the message says why)",
    401: "Writing needs `Authorization: Bearer <token>`",
    403: "Writing is off, or the token is wrong",
    404: "Nothing is known about the resource or graph",
    405: "The method is not one of this path's",
    406: "No representation the client accepts",
    413: "The request body is larger than the server takes",
    415: "The body's media type is not one this operation reads",
    422: "A parameter does not validate",
    503: "The request ran past its time or memory limit and was stopped, or the write was not applied",
}


def errors(*codes: int) -> Responses:
    """The refusals ``codes`` an operation may answer: a message as plain text or JSON ``detail``."""
    return {
        code: {"description": _ERRORS[code], "content": {"text/plain": _TEXT, "application/json": {}}}
        for code in codes
    }


def answers(description: str, *media: str, status: int = 200) -> Responses:
    """A success answered in any of ``media``."""
    return {status: {"description": description, "content": dict.fromkeys(media, _TEXT)}}


# The three ways of sending a SPARQL request by POST (SPARQL 1.1 Protocol).
SPARQL_REQUEST: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "update": {"type": "string"},
                        "default-graph-uri": {"type": "string"},
                        "named-graph-uri": {"type": "string"},
                        "using-graph-uri": {"type": "string"},
                        "using-named-graph-uri": {"type": "string"},
                    },
                }
            },
            "application/sparql-query": _TEXT,
            "application/sparql-update": _TEXT,
        },
    }
}
