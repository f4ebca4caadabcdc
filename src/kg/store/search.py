"""Search by name over the store: a SQLite FTS5 index beside it, kept in step with its writes.

What is indexed is what ``queries/search/entries.rq`` returns: people, organs,
places, documents, congresses, meetings and articles (an article with the
sentences its facts come from), each with how many articles mention it. Names
are indexed in their :func:`~kg.text.search_form`, so "dong da", "Đống Đa" and
"ĐỐNG ĐA" find the same; every word of a query matches as a word or a word's
start. Hits are ranked: the exact name first, then by how many articles mention
the entity, then the shortest name.

The index is a file beside the store (``<store>.search.sqlite``) in WAL mode, so
that the server's workers read it while a writer updates it. ``kg ingest``
rebuilds it; the server's writes refresh the entities of the graphs they touch
(a SPARQL Update, which may touch anything, rebuilds it).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.queries import load_query
from kg.store.bindings import bind_values
from kg.text import search_form

__all__ = [
    "KINDS",
    "RunQuery",
    "SearchHit",
    "SearchIndex",
    "SearchResult",
    "entries",
    "follow_write",
    "graph_iris",
    "index_path",
    "union_query",
]

KINDS = ("person", "organ", "place", "document", "congress", "meeting", "article")
# What each entry is lives in a plain table; FTS5 holds only the words to match, under the
# same rowid: ranking and counting by kind then read a B-tree, not FTS5's rows (3x faster
# on broad queries, measured by benchmarks/bench_search.py).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, label TEXT NOT NULL,
    mentions INTEGER NOT NULL, name TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
    name, text, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3'
);
"""
# Runs a SELECT over the union of the store's graphs: OxigraphStore.query, or a raw store's.
RunQuery = Callable[[str], object]
_REFRESH_BATCH = 500  # IRIs bound into one query when refreshing part of the index


def index_path(store: Path) -> Path:
    """Where the index of the store at ``store`` lives."""
    return store.with_name(store.name + ".search.sqlite")


@dataclass(frozen=True)
class SearchHit:
    iri: str
    kind: str
    label: str
    mentions: int


@dataclass(frozen=True)
class SearchResult:
    total: int
    facets: dict[str, int]  # hits per kind, before the kind filter
    hits: list[SearchHit] = field(default_factory=list)


def _match_expression(query: str) -> str | None:
    """Every word of ``query``, as a word or a word's start (an FTS5 query of quoted prefixes)."""
    words = [w for w in search_form(query).replace('"', " ").split() if w]
    return " ".join(f'"{w}"*' for w in words) or None


class SearchIndex:
    """The FTS5 index at ``path`` (a new, empty one if there is none)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        if path is None:
            self._db = sqlite3.connect(":memory:", check_same_thread=False)
        elif read_only:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
        if not read_only:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    # ------------------------------------------------------------------ writing

    def rebuild(self, run: RunQuery) -> int:
        """Index everything the store holds, in one transaction; the number of entries."""
        rows = list(entries(run))
        with self._db:
            self._db.execute("DELETE FROM items")
            self._db.execute("DELETE FROM words")
            self._insert(rows)
        return len(rows)

    def refresh(self, run: RunQuery, iris: Iterable[str]) -> None:
        """Re-index the entities ``iris`` as the store has them now (gone ones leave the index)."""
        wanted = sorted(set(iris))
        for start in range(0, len(wanted), _REFRESH_BATCH):
            batch = wanted[start : start + _REFRESH_BATCH]
            rows = list(entries(run, batch))
            with self._db:
                gone = [(iri,) for iri in batch]
                self._db.executemany(
                    "DELETE FROM words WHERE rowid = (SELECT id FROM items WHERE iri = ?)", gone
                )
                self._db.executemany("DELETE FROM items WHERE iri = ?", gone)
                self._insert(rows)

    def _insert(self, rows: Sequence[tuple[str, str, str, int, str, str]]) -> None:
        for iri, kind, label, mentions, name, text in rows:
            cursor = self._db.execute(
                "INSERT INTO items (iri, kind, label, mentions, name) VALUES (?, ?, ?, ?, ?)",
                (iri, kind, label, mentions, name),
            )
            self._db.execute(
                "INSERT INTO words (rowid, name, text) VALUES (?, ?, ?)", (cursor.lastrowid, name, text)
            )

    # ------------------------------------------------------------------ reading

    def search(self, query: str, kinds: Sequence[str] = (), limit: int = 20, offset: int = 0) -> SearchResult:
        """The entries whose name (or an article's text) has every word of ``query``, best first."""
        expression = _match_expression(query)
        if expression is None:
            return SearchResult(0, {})
        matching = "SELECT rowid FROM words WHERE words MATCH :expression"
        facets = dict(
            self._db.execute(
                f"SELECT kind, COUNT(*) FROM items WHERE id IN ({matching}) GROUP BY kind",
                {"expression": expression},
            ).fetchall()
        )
        wanted = [k for k in kinds if k in KINDS] or list(KINDS)
        parameters: dict[str, object] = {"expression": expression, "query": search_form(query)}
        parameters |= {f"kind{i}": kind for i, kind in enumerate(wanted)}
        parameters |= {"limit": limit, "offset": offset}
        kind_list = ", ".join(f":kind{i}" for i in range(len(wanted)))
        rows = self._db.execute(
            f"SELECT iri, kind, label, mentions FROM items WHERE id IN ({matching}) AND kind IN ({kind_list}) "
            # The exact name, then names starting with the query, then names holding it as
            # written, then the most mentioned, then the shortest name.
            "ORDER BY name = :query DESC, instr(name, :query) = 1 DESC, instr(name, :query) > 0 DESC, "
            "mentions DESC, length(name), name LIMIT :limit OFFSET :offset",
            parameters,
        ).fetchall()
        total = sum(n for kind, n in facets.items() if kind in wanted)
        return SearchResult(total, facets, [SearchHit(r[0], r[1], r[2], int(r[3])) for r in rows])


def entries(
    run: RunQuery, iris: Sequence[str] | None = None
) -> Iterable[tuple[str, str, str, int, str, str]]:
    """What the index holds of the store (or of ``iris``): IRI, kind, label, mentions, and the
    search forms of the name and of the text."""
    text = load_query("search/entries")
    if iris is not None:
        text = bind_values(text, {"iri": [ox.NamedNode(iri) for iri in iris]})
    solutions = run(text)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        label = row["label"].value if row["label"] is not None else ""
        body = row["text"].value if row["text"] is not None else ""
        yield (
            row["iri"].value,
            row["kind"].value,
            label,
            int(row["mentions"].value),
            search_form(label),
            search_form(body),
        )


def union_query(store: ox.Store) -> RunQuery:
    """A raw pyoxigraph store's queries over the union of its graphs (the server's writer has one)."""
    return lambda text: store.query(text, use_default_graph_as_union=True)


def graph_iris(run: RunQuery, graph: str | None) -> set[str]:
    """The IRIs a graph's triples name (what the search index may hold about it)."""
    if not graph:
        return set()
    rows = run(bind_values(load_query("store/graph_iris"), {"graph": ox.NamedNode(graph)}))
    assert isinstance(rows, ox.QuerySolutions)
    return {row["iri"].value for row in rows}


def follow_write(path: Path, run: RunQuery, graph: str | None, before: set[str]) -> None:
    """Bring the index at ``path`` in step with a write: the names in the written graph, before
    (``before``, :func:`graph_iris` then) and after it, or everything after a SPARQL Update,
    which may change anything."""
    index = SearchIndex(path)
    try:
        if graph:
            index.refresh(run, before | graph_iris(run, graph) | {graph})
        else:
            index.rebuild(run)
    finally:
        index.close()
