"""Named SPARQL queries from ``queries/``, loaded by name; values are bound, never pasted."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kg.errors import QueryError

__all__ = ["load_query", "queries_dir"]


def queries_dir() -> Path:
    """The folder of named queries, in a wheel or in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "queries", here.parents[1] / "queries"):
        if candidate.is_dir():
            return candidate
    raise QueryError(f"the queries folder is not next to {here}")


@cache
def load_query(name: str) -> str:
    """The text of ``queries/NAME.rq`` (``name`` may contain a subfolder: ``api/organs``).

    >>> "SELECT" in load_query("api/organs")
    True
    """
    path = queries_dir() / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no named query {name!r} in {queries_dir()}")
    return path.read_text(encoding="utf-8")
