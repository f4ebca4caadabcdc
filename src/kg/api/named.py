"""Running the named queries of ``queries/`` in the engine, with bound values, for the routes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass

from kg.api.deps import Engine
from kg.config import Settings
from kg.queries import load_query

__all__ = ["Binding", "Row", "Table", "iri_binding", "select", "select_table"]

Row = dict[str, str | None]
# A value as it crosses to the engine: ("iri", value, None) or ("literal", value, datatype IRI or None).
Binding = tuple[str, str, str | None]


def iri_binding(iri: str) -> Binding:
    return ("iri", iri, None)


@dataclass(frozen=True)
class Table:
    """A named query's rows as read: raw values, "" where unbound (SPARQL CSV cannot tell
    an empty literal from an unbound variable, so both count as unbound)."""

    columns: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> int:
        return self.columns.index(name)

    def row(self, values: list[str]) -> Row:
        """One row by column name, None where unbound."""
        return {name: value or None for name, value in zip(self.columns, values, strict=True)}


Bindings = Mapping[str, Binding | list[Binding]]


def _results(engine: Engine, settings: Settings, name: str, bindings: Bindings, media_type: str) -> bytes:
    """The results of a named query with ``bindings`` bound by a VALUES block (blocking)."""
    result = engine.request(
        "query",
        {
            "query": load_query(name),
            "accept": [media_type],
            "bindings": bindings,
            "max_rows": settings.max_rows,
        },
        timeout=settings.query_timeout,
    )
    return bytes(result.body)


def select_table(engine: Engine, settings: Settings, name: str, bindings: Bindings) -> Table:
    """The rows of a named query, as SPARQL CSV: the cheapest results to write and to read
    back. A list page reads thousands of rows and turns only its own into :data:`Row` dicts.
    """
    body = _results(engine, settings, name, bindings, "text/csv")
    reader = csv.reader(io.StringIO(body.decode("utf-8"), newline=""))
    return Table(next(reader, []), list(reader))


def select(engine: Engine, settings: Settings, name: str, bindings: Bindings) -> list[Row]:
    """Rows of a named query, each by column name, None where unbound (blocking).

    Read as SPARQL JSON, which keeps an empty literal apart from an unbound
    variable; lists of thousands of rows use :func:`select_table` instead.
    """
    data = json.loads(_results(engine, settings, name, bindings, "application/sparql-results+json"))
    names = data["head"]["vars"]
    return [{n: row[n]["value"] if n in row else None for n in names} for row in data["results"]["bindings"]]
