"""The store on pyoxigraph: RocksDB on disk, or in memory for tests.

Writes that must not be seen half done (replacing an article, reloading the
ontology) go through one SPARQL Update, which Oxigraph applies in a single
transaction: a crash leaves the old state or the new one. The update text is
built only from pyoxigraph terms, whose serialization escapes them.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

import pyoxigraph as ox

from kg.errors import KGError, QueryError, StoreError
from kg.queries import load_query
from kg.rdf.mapping import ArticleGraph
from kg.store.base import Dataset, ExportFormat, QueryResult, StoreStatistics
from kg.store.bindings import bind_values
from kg.store.guard import DEFAULT_POLICY, QueryPolicy, check_sparql, explain_syntax_error
from kg.vocabulary import ENTITY_GRAPH, ONTOLOGY_GRAPH, PREFIXES, STORE_GRAPH

__all__ = ["OxigraphStore", "data_block", "drop_graph", "open_store"]

# The longest chain of defining relations (design/MODEL.md): a resolution adopted at a congress of
# an organ whose unit lies in a district, a city, the country. Orphans are removed level by level.
_DEFINING_DEPTH = 8


class _Closed:
    """Stands in for a released pyoxigraph store: any use is a clear error."""

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("__"):
            raise AttributeError(name)  # introspection (doctest, copy) is not a use
        raise StoreError("the store is closed")


_CLOSED: Any = _Closed()


@contextlib.contextmanager
def _translated(action: str, runtime: type[KGError] = StoreError) -> Iterator[None]:
    """Turn pyoxigraph's exceptions into kg's, keeping the cause.

    pyoxigraph raises ``SyntaxError`` for bad SPARQL, ``OSError`` for I/O and
    ``RuntimeError`` for the rest (an unbound substitution, a write to a
    read-only store, a corrupt file): ``runtime`` says which kg error that is.
    """
    try:
        yield
    except SyntaxError as exc:
        raise QueryError(f"{action}: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"{action}: {exc}") from exc
    except RuntimeError as exc:
        raise runtime(f"{action}: {exc}") from exc


def drop_graph(graph: ox.NamedNode) -> str:
    """The update operations that remove ``graph`` and its triples, on any server: Virtuoso's
    DROP leaves a graph it was never told to CREATE as it is, so CLEAR empties it first.

    >>> drop_graph(ox.NamedNode("http://e/g"))
    'CLEAR SILENT GRAPH <http://e/g> ; DROP SILENT GRAPH <http://e/g>'
    """
    return f"CLEAR SILENT GRAPH {graph} ; DROP SILENT GRAPH {graph}"


def data_block(quads: Sequence[ox.Quad]) -> str:
    """The body of an ``INSERT DATA`` for ``quads``, written from pyoxigraph's escaped terms.

    >>> data_block([ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal("o"))])
    '<http://e/s> <http://e/p> "o" .'
    """
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(
        " ".join(ts) if not g else f"GRAPH {g} {{ {' '.join(ts)} }}" for g, ts in by_graph.items()
    )


class OxigraphStore:
    """A :class:`~kg.store.base.TripleStore` on pyoxigraph.

    >>> store = OxigraphStore()
    >>> store.statistics().articles
    0
    """

    def __init__(
        self, inner: Dataset | None = None, path: Path | None = None, policy: QueryPolicy = DEFAULT_POLICY
    ) -> None:
        self._store: Dataset = inner if inner is not None else ox.Store()
        self.path = path  # the folder on disk, where the search index lives beside it
        self.system_graphs: frozenset[str] = frozenset()  # a server's own graphs, not kg's
        self.policy = policy  # what every query text must pass (kg.store.guard)

    # ------------------------------------------------------------ writing

    def load_ontology(self, quads: Sequence[ox.Quad]) -> None:
        """Replace the ontology graph with ``quads`` in one transaction."""
        update = f"{drop_graph(ONTOLOGY_GRAPH)} ; INSERT DATA {{ {data_block(quads)} }}"
        with _translated("loading the ontology"):
            self._store.update(update)

    def _closure(self, roots: set[ox.NamedNode]) -> list[ox.NamedNode]:
        """The entities among ``roots``, with the entities their descriptions lead to."""
        bound = bind_values(load_query("store/entity_closure"), {"root": sorted(roots, key=str)})
        rows = self.query(bound)
        assert isinstance(rows, ox.QuerySolutions)
        return sorted({row["entity"] for row in rows if isinstance(row["entity"], ox.NamedNode)}, key=str)

    def replace_articles(
        self, graphs: Sequence[ArticleGraph], removed: Sequence[ox.NamedNode] = ()
    ) -> set[str]:
        """Swap each article's graph for its new one, drop the ``removed`` articles, merge the
        entities, and remove those nothing uses any more, all in one transaction: after a crash
        every article is old or new, never half.

        The cost follows what changes, not the store's size: only the quads an article gains
        or loses are written, and only the entities an old version referred to and the new one
        does not can have become unused, so only they (and what they lead to) are looked at
        (``queries/store/orphans.rq``). An article ingested again unchanged writes nothing.

        Returns the IRIs whose description may have changed (for the search index to refresh).
        """
        articles = [g.iri for g in graphs] + list(removed)
        if not articles:
            return set()
        old = self._graph_quads(articles)
        new = {g.iri: set(g.quads) for g in graphs}
        deleted = [q for a in articles for q in old[a] - new.get(a, set())]
        inserted = [q for g in graphs for q in new[g.iri] - old[g.iri]]
        inserted += self._absent(dict.fromkeys(q for g in graphs for q in g.entity_quads))
        before = {
            t for a in articles for q in old[a] for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)
        }
        now = {
            t for g in graphs for q in g.quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)
        }
        now |= {q.subject for g in graphs for q in g.entity_quads if isinstance(q.subject, ox.NamedNode)}
        candidates = self._closure(before - now) if before - now else []
        action = f"writing {articles[0].value}" + (
            f" and {len(articles) - 1} more" if len(articles) > 1 else ""
        )
        touched = {
            t.value
            for q in (*deleted, *inserted)
            for t in (q.subject, q.object)
            if isinstance(t, ox.NamedNode)
        }
        touched |= {c.value for c in candidates}
        if not deleted and not candidates:
            if inserted:  # pyoxigraph adds them in one transaction, with no SPARQL text to parse
                with _translated(action):
                    self._store.extend(inserted)
            return touched
        parts = []
        if deleted:
            parts.append(f"DELETE DATA {{ {data_block(deleted)} }}")
        if inserted:
            parts.append(f"INSERT DATA {{ {data_block(inserted)} }}")
        if candidates:
            parts += [bind_values(load_query("store/orphans"), {"s": list(candidates)})] * _DEFINING_DEPTH
        with _translated(action):
            self._store.update(" ;\n".join(parts))
        return touched

    def _graph_quads(self, graphs: Sequence[ox.NamedNode]) -> dict[ox.NamedNode, set[ox.Quad]]:
        """The quads each of ``graphs`` holds now."""
        return {g: set(self._store.quads_for_pattern(None, None, None, g)) for g in graphs}

    def _absent(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        """Those of ``quads`` the store does not hold (a lookup each, cheaper than writing them)."""
        store = self._store
        assert isinstance(store, ox.Store)
        return [q for q in quads if q not in store]

    def held_articles(self, iris: Iterable[ox.NamedNode]) -> set[ox.NamedNode]:
        """Those of the articles ``iris`` the store holds (in one query, however many)."""
        wanted: list[ox.NamedNode | ox.Literal] = sorted(set(iris), key=str)
        if not wanted:
            return set()
        rows = self.query(bind_values(load_query("store/held_graphs"), {"graph": wanted}))
        assert isinstance(rows, ox.QuerySolutions)
        return {row["graph"] for row in rows if isinstance(row["graph"], ox.NamedNode)}

    def load_articles(self, graphs: Sequence[ArticleGraph]) -> set[str]:
        """Add articles with pyoxigraph's bulk loader, without a transaction (four times faster
        than :meth:`replace_articles` on disk): after a crash some articles may be partly
        written, and loading the same files again completes them. Articles already in the store
        are replaced as usual, so loading again is idempotent. Returns the IRIs written."""
        held = self.held_articles(g.iri for g in graphs)
        stored = [g for g in graphs if g.iri in held]
        touched = self.replace_articles(stored) if stored else set()
        replaced = {g.iri for g in stored}
        new = [q for g in graphs if g.iri not in replaced for q in (*g.quads, *g.entity_quads)]
        with _translated("bulk loading articles"):
            self._store.bulk_extend(new)
        return touched | {t.value for q in new for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}

    def replace_article(self, graph: ArticleGraph) -> set[str]:
        """Swap an article's graph for ``graph`` and merge its entities, in one transaction."""
        return self.replace_articles([graph])

    def remove_article(self, iri: ox.NamedNode) -> set[str]:
        """Drop an article's graph and the entities no other article uses, in one transaction."""
        return self.replace_articles([], [iri])

    def close(self) -> None:
        """Release the store (and its lock on the folder); the object is unusable afterwards."""
        self._store = _CLOSED

    def flush(self) -> None:
        """Write buffered data to disk."""
        with _translated("flushing the store"):
            self._store.flush()

    # ------------------------------------------------------------ reading

    def query(
        self, sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None
    ) -> QueryResult:
        """Run a SPARQL query with the union of all graphs as default graph.

        Values are bound with ``substitutions`` (variable name → term), never
        pasted into the text: by a VALUES block at the start of the WHERE clause
        (:func:`~kg.store.bindings.bind_values`), as pyoxigraph's own substitutions
        are joined only after the whole pattern is evaluated, which reads the whole
        store for a query meant for one name. The text must first pass :attr:`policy`;
        a caller on a thread with a small stack runs this in
        :func:`~kg.store.guard.on_deep_stack`.

        >>> store = OxigraphStore()
        >>> bool(store.query("ASK { ?s ?p ?o }"))
        False
        >>> store.query("SELECT ?x WHERE { ?x }")
        Traceback (most recent call last):
        ...
        kg.errors.QueryError: query: error at 1:...
        """
        bound: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {}
        if substitutions:
            try:
                sparql = bind_values(sparql, dict(substitutions))
            except SyntaxError:  # no WHERE clause to put a VALUES block in
                bound = {ox.Variable(k): v for k, v in substitutions.items()}
        check_sparql(sparql, self.policy)
        try:
            with _translated("query", runtime=QueryError):
                return self._store.query(
                    sparql, use_default_graph_as_union=True, substitutions=bound, prefixes=PREFIXES
                )
        except QueryError as exc:
            if not isinstance(exc.__cause__, SyntaxError):
                raise
            raise QueryError(
                "query: " + explain_syntax_error(sparql, str(exc.__cause__), PREFIXES)
            ) from exc.__cause__

    def run_named(self, sparql: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> QueryResult:
        """Run a named query with parameter values bound by a VALUES block (see ``kg.store.bindings``)."""
        with _translated("query", runtime=QueryError):
            text = bind_values(sparql, dict(bindings))
        return self.query(text)

    def article_graphs(self) -> list[ox.NamedNode]:
        """The IRIs of the article graphs."""
        return [
            g
            for g in self._store.named_graphs()
            if isinstance(g, ox.NamedNode) and g not in (ENTITY_GRAPH, ONTOLOGY_GRAPH, STORE_GRAPH)
        ]

    def __len__(self) -> int:
        return len(self._store)

    def export(self, output: BinaryIO | Path, fmt: ExportFormat) -> None:
        """Write the dataset as N-Quads or TriG, or its union of graphs as Turtle."""
        target: BinaryIO | str = str(output) if isinstance(output, Path) else output
        with _translated("export"):
            if fmt is ExportFormat.turtle:
                ox.serialize(self.union_triples(), target, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            else:
                self._store.dump(target, fmt.rdf_format, prefixes=PREFIXES)

    def union_triples(self) -> Iterable[ox.Triple]:
        """Every triple of every graph, each once."""
        triples = self.query(load_query("store/union_triples"))
        assert isinstance(triples, ox.QueryTriples | list)
        return triples

    def statistics(self) -> StoreStatistics:
        """Instances per class and triples per graph."""
        classes = {row["class"].value: int(row["instances"].value) for row in self._select("class_counts")}
        graphs = {
            row["graph"].value: int(row["triples"].value)
            for row in self._select("graph_counts")
            if row["graph"].value not in self.system_graphs
        }
        return StoreStatistics(classes=classes, graphs=graphs)

    def _select(self, name: str) -> ox.QuerySolutions:
        rows = self.query(load_query(f"store/{name}"))
        assert isinstance(rows, ox.QuerySolutions)
        return rows


SERVING_LOCK = "kg-serving.lock"  # held by `kg serve`, whose workers read the store read-only


@contextlib.contextmanager
def serving_lock(path: Path) -> Iterator[None]:
    """Mark the store at ``path`` as served, for as long as the block runs.

    The server's workers hold read-only handles, which RocksDB does not lock and
    which another writer would corrupt under them; this advisory lock is how
    :func:`open_store` in another process learns to refuse.
    """
    with (path / SERVING_LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"the store at {path} is already served by another `kg serve`") from None
        yield


def _refuse_if_served(path: Path) -> None:
    lock = path / SERVING_LOCK
    if not lock.exists():
        return
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"the store at {path} is in use by a running `kg serve`; "
                f"stop it, write through its Graph Store or SPARQL Update, or use another --store"
            ) from None


def open_store(path: Path | None, *, create: bool = True) -> OxigraphStore:
    """Open the store at ``path`` (in memory when ``None``).

    Raises :class:`~kg.errors.StoreError` with what to do when the folder is
    missing (and ``create`` is false), is a file, is locked by another process,
    or holds something that is not a readable store.

    >>> open_store(Path("/nonexistent/store"), create=False)
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: no store at /nonexistent/store: run `kg ingest PATH --store /nonexistent/store` first
    """
    if path is None:
        return OxigraphStore()
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path} is a file, not a store folder")
    if not create and not (path / "CURRENT").exists():
        raise StoreError(f"no store at {path}: run `kg ingest PATH --store {path}` first")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store folder {path}: {exc.strerror}") from exc
    _refuse_if_served(path)
    try:
        inner = ox.Store(str(path))
    except (OSError, RuntimeError) as exc:
        message = str(exc)
        if "lock" in message.lower():
            raise StoreError(
                f"the store at {path} is in use by another process (a running `kg serve`?); "
                f"stop it or use another --store"
            ) from exc
        raise StoreError(
            f"cannot open the store at {path}; it may be corrupt or from an incompatible version: {message}"
        ) from exc
    return OxigraphStore(inner, path)
