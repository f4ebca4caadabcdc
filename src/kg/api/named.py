"""Running the named queries of ``queries/`` in the engine, with bound values, for the routes."""

from __future__ import annotations

import json
from collections.abc import Mapping

from kg.api.deps import Engine
from kg.config import Settings
from kg.queries import load_query

__all__ = ["Binding", "Row", "iri_binding", "select"]

Row = dict[str, str | None]
# A value as it crosses to the engine: ("iri", value, None) or ("literal", value, datatype IRI or None).
Binding = tuple[str, str, str | None]


def iri_binding(iri: str) -> Binding:
    return ("iri", iri, None)


def select(
    engine: Engine, settings: Settings, name: str, bindings: Mapping[str, Binding | list[Binding]]
) -> list[Row]:
    """Rows of a named query with ``bindings`` bound by a VALUES block (blocking)."""
    result = engine.request(
        "query",
        {
            "query": load_query(name),
            "accept": ["application/sparql-results+json"],
            "bindings": bindings,
            "max_rows": settings.max_rows,
        },
        timeout=settings.query_timeout,
    )
    data = json.loads(bytes(result.body))
    names = data["head"]["vars"]
    return [{n: row[n]["value"] if n in row else None for n in names} for row in data["results"]["bindings"]]
