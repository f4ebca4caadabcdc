"""Every SPARQL query kg runs, from ``queries/``, loaded by name; values are bound, never pasted.

At the top, the named queries for analysts; ``api/`` holds the REST facade's, ``linking/``
person resolution's, ``search/`` the search index's, ``store/`` the store's own (entity
clean-up, statistics, export) and ``evaluation/`` the fact queries the scorer asks.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from kg.errors import QueryError

__all__ = ["load_query", "queries_dir", "query_parameters"]

# A named query declares what may be bound in a header comment: "# Parameters: ?person (IRI; …)."
_HEADER = re.compile(r"^#\s*Parameters:(?P<rest>.*)$", re.MULTILINE)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")
# Comments and IRIs hold no variables (an IRI may hold a "#").
_NOT_CODE = re.compile(r"<[^<>\s]*>|#[^\n]*")


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


def query_parameters(text: str) -> list[str]:
    """The names a query's values may be bound to: those its ``# Parameters:`` header lists, or,
    without one, every variable it uses.

    >>> query_parameters("# Parameters: ?person (IRI), ?year.\\nSELECT * WHERE { ?person ?p ?o }")
    ['person', 'year']
    >>> query_parameters("# Parameters: none.\\nSELECT * WHERE { ?s ?p ?o }")
    []
    >>> query_parameters("SELECT * WHERE { ?s <http://e/#p> $o } # ?not")
    ['o', 's']
    """
    header = _HEADER.search(text)
    if header is not None:
        # Only the declared names, not variables of the examples in parentheses.
        declared = re.sub(r"\([^)]*\)", "", header["rest"])
        return list(dict.fromkeys(_VARIABLE.findall(declared)))
    return sorted(set(_VARIABLE.findall(_NOT_CODE.sub(" ", text))))
