"""The query engine: the on-disk store in a child process the server can kill.

pyoxigraph cannot cancel a running query, and a thread cannot be stopped
either. The engine therefore owns the store in its own process and runs
requests there on a thread pool (pyoxigraph releases the GIL, so queries run
in parallel). When a request exceeds its time limit the server kills the
engine, answers 503, and starts a fresh one; RocksDB recovers in well under a
second and the server process itself, with ``/health``, keeps answering.

Requests and answers are plain tuples over a ``multiprocessing`` pipe.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError, NotAcceptable, QueryError, QueryTimeout, ResultTooLarge, StoreError
from kg.rdf.namespaces import PREFIXES
from kg.store.bindings import bind_values
from kg.store.oxigraph import data_block
from kg.store.results import (
    DATASET_FORMATS,
    GRAPH_FORMATS,
    RDF_FORMATS,
    SOLUTION_FORMATS,
    TooManyResults,
    choose_format,
    collect,
    write_boolean,
    write_solutions,
)

__all__ = ["EngineResult", "QueryEngine"]


@dataclass(frozen=True)
class EngineResult:
    body: bytes
    media_type: str


_ERRORS: dict[str, type[KGError]] = {
    "syntax": QueryError,
    "store": StoreError,
    "acceptable": NotAcceptable,
    "large": ResultTooLarge,
}


# --------------------------------------------------------------- child side


def _default_graphs(names: list[str] | None) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None:
    return [ox.NamedNode(n) for n in names] if names else None


def _named_graphs(names: list[str] | None) -> list[ox.NamedNode | ox.BlankNode] | None:
    return [ox.NamedNode(n) for n in names] if names else None


def _term(spec: tuple[str, str, str | None]) -> ox.NamedNode | ox.Literal:
    """A bound value sent over the pipe: ("iri", value, None) or ("literal", value, datatype IRI)."""
    kind, value, datatype = spec
    if kind == "iri":
        return ox.NamedNode(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


def _run_query(store: ox.Store, args: dict[str, Any]) -> tuple[bytes, str]:
    default_graphs = _default_graphs(args.get("default_graphs"))
    bindings = {
        name: [_term(item) for item in spec] if isinstance(spec, list) else _term(spec)
        for name, spec in (args.get("bindings") or {}).items()
    }
    result = store.query(
        bind_values(args["query"], bindings),
        use_default_graph_as_union=default_graphs is None,
        default_graph=default_graphs,
        named_graphs=_named_graphs(args.get("named_graphs")),
        prefixes=PREFIXES,
        base_iri=args.get("base_iri"),
    )
    accepted = args["accept"]
    if isinstance(result, ox.QueryBoolean):
        fmt = choose_format(accepted, SOLUTION_FORMATS, "json")
        if fmt is None:
            raise _Refusal("acceptable", "ASK results come as SPARQL JSON, XML, CSV or TSV")
        return write_boolean(bool(result), fmt.name), fmt.media_type
    if isinstance(result, ox.QuerySolutions):
        fmt = choose_format(accepted, SOLUTION_FORMATS, "json")
        if fmt is None:
            raise _Refusal("acceptable", "SELECT results come as SPARQL JSON, XML, CSV or TSV")
        variables = [v.value for v in result.variables]
        rows = collect(result, args["max_rows"])
        return write_solutions(variables, rows, fmt.name), fmt.media_type
    fmt = choose_format(accepted, GRAPH_FORMATS, "turtle")
    if fmt is None:
        raise _Refusal("acceptable", "graphs come as Turtle, N-Triples, N-Quads, JSON-LD, RDF/XML or TriG")
    triples = collect(result, args["max_rows"])
    body = ox.serialize(triples, format=RDF_FORMATS[fmt.name], prefixes=PREFIXES)
    return body or b"", fmt.media_type


def _run_graph_get(store: ox.Store, args: dict[str, Any]) -> tuple[bytes, str]:
    fmt = GRAPH_FORMATS[args["format"]]
    graph = args.get("graph")
    if graph is None and fmt.name in DATASET_FORMATS:
        return store.dump(format=RDF_FORMATS[fmt.name], prefixes=PREFIXES) or b"", fmt.media_type
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    if graph and not store.contains_named_graph(target):
        raise _Refusal("missing", f"no graph {graph}")
    body = store.dump(format=RDF_FORMATS[fmt.name], from_graph=target, prefixes=PREFIXES)
    return body or b"", fmt.media_type


def _run_graph_write(store: ox.Store, args: dict[str, Any]) -> tuple[bytes, str]:
    graph = args.get("graph")
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, target)
        for q in ox.parse(args["data"], format=RDF_FORMATS[args["format"]], base_iri=graph or None)
    ]
    existed = graph is None or store.contains_named_graph(target)
    # One update, so one transaction: a PUT that fails leaves the old graph, not an empty one.
    operations = [f"DROP SILENT {'GRAPH ' + str(target) if graph else 'DEFAULT'}"] if args["replace"] else []
    if quads:
        operations.append(f"INSERT DATA {{ {data_block(quads)} }}")
    if operations:
        store.update(" ;\n".join(operations))
    if graph:
        store.add_graph(target)
    return (b"created" if not existed else b"updated"), "text/plain"


def _run_graph_delete(store: ox.Store, args: dict[str, Any]) -> tuple[bytes, str]:
    graph = args.get("graph")
    if graph is None:
        store.clear_graph(ox.DefaultGraph())
        return b"deleted", "text/plain"
    target = ox.NamedNode(graph)
    if not store.contains_named_graph(target):
        raise _Refusal("missing", f"no graph {graph}")
    store.remove_graph(target)
    return b"deleted", "text/plain"


def _run_describe(store: ox.Store, args: dict[str, Any]) -> tuple[bytes, str]:
    """Every quad about a resource: where it is the subject, and where it is the object."""
    node = ox.NamedNode(args["iri"])
    quads = [
        *store.quads_for_pattern(node, None, None, None),
        *collect(store.quads_for_pattern(None, None, node, None), args["max_rows"]),
    ]
    if not quads:
        raise _Refusal("missing", f"nothing is known about {args['iri']}")
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", "application/n-quads"


class _Refusal(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


_HANDLERS = {
    "query": _run_query,
    "update": lambda store, args: (
        store.update(args["update"], base_iri=args.get("base_iri")) or b"",
        "text/plain",
    ),
    "graph_get": _run_graph_get,
    "graph_write": _run_graph_write,
    "graph_delete": _run_graph_delete,
    "describe": _run_describe,
}


def _answer(store: ox.Store, kind: str, args: dict[str, Any]) -> tuple[str, object, str]:
    try:
        body, media = _HANDLERS[kind](store, args)
        return "ok", body, media
    except SyntaxError as exc:
        return "syntax", str(exc), ""
    except _Refusal as exc:
        return exc.kind, str(exc), ""
    except TooManyResults as exc:
        return "large", str(exc), ""
    except ValueError as exc:  # a value that is no IRI or literal of its type
        return "syntax", str(exc), ""
    except (OSError, RuntimeError) as exc:
        return "store", str(exc), ""


def _serve(path: str, connection: Connection, threads: int) -> None:
    """The engine process: open the store, answer requests until the pipe closes."""
    store = ox.Store(path)
    lock = threading.Lock()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        while True:
            try:
                request_id, kind, args = connection.recv()
            except (EOFError, OSError):
                break
            if kind == "shutdown":
                break

            def work(request_id: int = request_id, kind: str = kind, args: dict[str, Any] = args) -> None:
                answer = _answer(store, kind, args)
                with lock:
                    connection.send((request_id, *answer))

            pool.submit(work)
    store.flush()


# -------------------------------------------------------------- parent side


class QueryEngine:
    """The server's handle on the engine process: send a request, wait with a time limit."""

    def __init__(self, path: Path, *, threads: int = 8) -> None:
        self.path = path
        self.threads = threads
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._pending: dict[int, Future[tuple[str, object, str]]] = {}
        self._process: multiprocessing.process.BaseProcess | None = None
        self._connection: Connection | None = None
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(str(self.path), child, self.threads), daemon=True)
        process.start()
        child.close()
        self._process, self._connection = process, parent
        threading.Thread(target=self._receive, args=(parent,), daemon=True).start()

    def _receive(self, connection: Connection) -> None:
        while True:
            try:
                request_id, status, body, media = connection.recv()
            except (EOFError, OSError):
                break
            future = self._pending.pop(request_id, None)
            if future is not None and not future.done():
                future.set_result((status, body, media))

    def restart(self) -> None:
        """Kill the engine (and whatever it runs) and start a fresh one."""
        with self._lock:
            if self._process is not None:
                self._process.kill()
                self._process.join(5)
            if self._connection is not None:
                self._connection.close()
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(
                        QueryTimeout("the query engine was restarted while this request ran")
                    )
            self._pending.clear()
            self.restarts += 1
            self._start()

    def close(self) -> None:
        """Ask the engine to finish its requests, flush and exit."""
        with self._lock:
            if self._connection is not None:
                # Closing our end is not enough: the receiving thread keeps it open in recv().
                with contextlib.suppress(OSError):
                    self._connection.send((-1, "shutdown", {}))
            if self._process is not None:
                self._process.join(10)
                if self._process.is_alive():
                    self._process.kill()

    def request(self, kind: str, args: dict[str, Any], timeout: float) -> EngineResult:
        """Run one request in the engine; raises the matching :class:`KGError` on refusal."""
        future: Future[tuple[str, object, str]] = Future()
        with self._lock:
            request_id = next(self._ids)
            self._pending[request_id] = future
            assert self._connection is not None
            self._connection.send((request_id, kind, args))
        try:
            status, body, media = future.result(timeout=timeout)
        except FutureTimeout:
            self.restart()
            raise QueryTimeout(f"the request ran longer than {timeout:g} s and was stopped") from None
        if status == "ok":
            assert isinstance(body, bytes)
            return EngineResult(body, media)
        if status == "missing":
            raise LookupError(str(body))
        raise _ERRORS.get(status, StoreError)(str(body))
