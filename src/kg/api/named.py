"""Running the named queries of ``queries/`` in the engine, with bound values, for the routes."""

from __future__ import annotations

import csv
import io
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
    """Rows of a named query with ``bindings`` bound by a VALUES block (blocking).

    Rows hold each term's bare value, None where unbound. They come as SPARQL CSV,
    the cheapest results to write and to read back (a list page reads thousands of
    rows): it cannot tell an empty literal from an unbound variable, so both are None.
    """
    result = engine.request(
        "query",
        {
            "query": load_query(name),
            "accept": ["text/csv"],
            "bindings": bindings,
            "max_rows": settings.max_rows,
        },
        timeout=settings.query_timeout,
    )
    reader = csv.reader(io.StringIO(bytes(result.body).decode("utf-8"), newline=""))
    names = next(reader, [])
    return [{n: value or None for n, value in zip(names, values, strict=True)} for values in reader]
