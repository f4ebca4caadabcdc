"""What the server asks of the store, as plain requests: a kind and its arguments.

Both the read replicas in the server's workers and the writer process answer
requests through :func:`answer`, so a request means the same wherever it runs.
Arguments are plain values (strings, lists, tuples) so that they cross a
process boundary; answers are a status, a body and a media type, turned back
into a result or a :class:`KGError` by :func:`kg.api.engine.outcome`.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable

import pyoxigraph as ox
from typing_extensions import Buffer

from kg.api.engine import Answer, Args
from kg.api.results import (
    DATASET_FORMATS,
    GRAPH_FORMATS,
    NATIVE_SOLUTION_FORMATS,
    RDF_FORMATS,
    SOLUTION_FORMATS,
    TooManyResults,
    choose_format,
    collect,
    min_solution_bytes,
    write_boolean,
    write_solutions,
)
from kg.errors import QueryError
from kg.store.base import Dataset, QueryResult
from kg.store.bindings import bind_values
from kg.store.guard import DEFAULT_POLICY, QueryPolicy, SparqlShape, check_sparql, update_separator
from kg.store.oxigraph import data_block, drop_graph
from kg.vocabulary import PREFIXES, PROV, STORE_GRAPH

__all__ = ["READ_KINDS", "WRITE_KINDS", "answer", "sparql_text", "write_applied", "written_graph"]


class _Refusal(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _default_graphs(names: list[str] | None) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None:
    return [ox.NamedNode(n) for n in names] if names else None


def _named_graphs(names: list[str] | None) -> list[ox.NamedNode | ox.BlankNode] | None:
    return [ox.NamedNode(n) for n in names] if names else None


def _term(spec: tuple[str, str, str | None]) -> ox.NamedNode | ox.Literal:
    """A bound value as plain data: ("iri", value, None) or ("literal", value, datatype IRI)."""
    kind, value, datatype = spec
    if kind == "iri":
        return ox.NamedNode(value)
    return ox.Literal(value, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(value)


class _Overflow(Exception):
    pass


class _BoundedBuffer(io.BytesIO):
    """A buffer for pyoxigraph's writers that gives up past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, data: Buffer, /) -> int:
        if self.tell() + memoryview(data).nbytes > self.limit:
            raise _Overflow
        return super().write(data)


def _prefixes_in(query: str) -> dict[str, str]:
    """The predeclared prefixes the query may use: a prefixed name always spells its prefix.

    Handing Oxigraph only these spares it checking all the namespace IRIs for each query.
    """
    return {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix + ":" in query}


def _evaluate(store: Dataset, args: Args) -> QueryResult:
    default_graphs = _default_graphs(args.get("default_graphs"))
    bindings = {
        name: [_term(item) for item in spec] if isinstance(spec, list) else _term(spec)
        for name, spec in (args.get("bindings") or {}).items()
    }
    query = bind_values(args["query"], bindings)
    return store.query(
        query,
        use_default_graph_as_union=default_graphs is None,
        default_graph=default_graphs,
        named_graphs=_named_graphs(args.get("named_graphs")),
        prefixes=_prefixes_in(query),
        base_iri=args.get("base_iri"),
    )


def _solutions(store: Dataset, args: Args, result: ox.QuerySolutions, fmt: str, small: bool) -> bytes:
    """SELECT results, by pyoxigraph's writer when they are small enough to be under the cap."""
    limit = args["max_rows"] * min_solution_bytes(fmt, len(result.variables))
    if small:
        # Answered quickly before, so it cannot be large: written whole and measured after,
        # which spares the bounded buffer's calls back into Python.
        body = result.serialize(format=NATIVE_SOLUTION_FORMATS[fmt])
        if body is not None and len(body) <= limit:
            return body
    else:
        buffer = _BoundedBuffer(limit)
        try:
            result.serialize(buffer, format=NATIVE_SOLUTION_FORMATS[fmt])
            return buffer.getvalue()
        except _Overflow:
            pass
    # Too large to tell without counting: evaluate again and collect rows up to the cap.
    again = _evaluate(store, args)
    assert isinstance(again, ox.QuerySolutions)
    rows = collect(again, args["max_rows"])
    return write_solutions([v.value for v in again.variables], rows, fmt)


_GRAPH_STAND_INS = {
    "application/sparql-results+json": "application/ld+json",
    "application/sparql-results+xml": "application/rdf+xml",
}


def _query(store: Dataset, args: Args, small: bool = False) -> tuple[bytes, str]:
    result = _evaluate(store, args)
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
        return _solutions(store, args, result, fmt.name, small), fmt.media_type
    # A client set up for one family of results (rdflib's SPARQLStore(returnFormat="json")
    # sends only its SELECT type for every form) gets that family's graph, not a 406.
    fmt = choose_format([_GRAPH_STAND_INS.get(m, m) for m in accepted], GRAPH_FORMATS, "turtle")
    if fmt is None:
        raise _Refusal("acceptable", "graphs come as Turtle, N-Triples, N-Quads, JSON-LD, RDF/XML or TriG")
    triples = collect(result, args["max_rows"])
    body = ox.serialize(triples, format=RDF_FORMATS[fmt.name], prefixes=PREFIXES)
    return body or b"", fmt.media_type


def _mark_operations(mark: str) -> list[str]:
    """The operations that record ``mark`` as the store's last write (see :func:`write_applied`)."""
    store, generated = STORE_GRAPH, PROV.wasGeneratedBy
    return [
        f"DELETE WHERE {{ GRAPH {store} {{ {store} {generated} ?write }} }}",
        f"INSERT DATA {{ GRAPH {store} {{ {store} {generated} {ox.NamedNode(mark)} }} }}",
    ]


def _commit(store: Dataset, operations: list[str], args: Args, *, text: str = "") -> None:
    """Apply ``text`` (a client's update) and ``operations`` as one update, so one transaction,
    with the write's mark when it carries one."""
    operations = [*operations, *(_mark_operations(args["mark"]) if args.get("mark") else [])]
    joined = " ;\n".join(operations)
    if text and joined:
        joined = text + update_separator(text) + joined
    elif text:
        joined = text
    if joined:
        store.update(joined, base_iri=args.get("base_iri"))


def write_applied(store: Dataset, mark: str) -> bool:
    """Whether the write that carried ``mark`` was committed, for a writer that died or was killed."""
    found = store.quads_for_pattern(STORE_GRAPH, PROV.wasGeneratedBy, ox.NamedNode(mark), STORE_GRAPH)
    return next(iter(found), None) is not None


def _update(store: Dataset, args: Args) -> tuple[bytes, str]:
    _commit(store, [], args, text=args["update"])
    return b"", "text/plain"


def _graph_get(store: Dataset, args: Args) -> tuple[bytes, str]:
    fmt = GRAPH_FORMATS[args["format"]]
    graph = args.get("graph")
    if graph is None and fmt.name in DATASET_FORMATS:
        return store.dump(format=RDF_FORMATS[fmt.name], prefixes=PREFIXES) or b"", fmt.media_type
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    if isinstance(target, ox.NamedNode) and not store.contains_named_graph(target):
        raise _Refusal("missing", f"no graph {graph}")
    body = store.dump(format=RDF_FORMATS[fmt.name], from_graph=target, prefixes=PREFIXES)
    return body or b"", fmt.media_type


def _graph_write(store: Dataset, args: Args) -> tuple[bytes, str]:
    graph = args.get("graph")
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, target)
        for data, fmt in args["documents"]
        for q in ox.parse(data, format=RDF_FORMATS[fmt], base_iri=graph or None)
    ]
    existed = not isinstance(target, ox.NamedNode) or store.contains_named_graph(target)
    # One update, so one transaction: a PUT that fails leaves the old graph, not an empty one.
    dropped = drop_graph(target) if isinstance(target, ox.NamedNode) else "DROP SILENT DEFAULT"
    operations = [dropped] if args["replace"] else []
    if quads:
        operations.append(f"INSERT DATA {{ {data_block(quads)} }}")
    if graph:
        operations.append(f"CREATE SILENT GRAPH {target}")  # kept even when empty
    _commit(store, operations, args)
    return (b"created" if not existed else b"updated"), "text/plain"


def _graph_delete(store: Dataset, args: Args) -> tuple[bytes, str]:
    graph = args.get("graph")
    if graph is None:
        _commit(store, ["CLEAR SILENT DEFAULT"], args)
        return b"deleted", "text/plain"
    target = ox.NamedNode(graph)
    if not store.contains_named_graph(target):
        raise _Refusal("missing", f"no graph {graph}")
    _commit(store, [drop_graph(target)], args)
    return b"deleted", "text/plain"


def _describe(store: Dataset, args: Args) -> tuple[bytes, str]:
    """Every quad about a resource where it is the subject, and where it is the object those from
    ``incoming_offset`` on, ``incoming_limit`` of them (all by default, up to the row cap): a
    popular organ is the object of thousands."""
    node = ox.NamedNode(args["iri"])
    offset = args.get("incoming_offset", 0)
    limit = args.get("incoming_limit", args["max_rows"])
    incoming = itertools.islice(store.quads_for_pattern(None, None, node, None), offset, offset + limit)
    quads = [*store.quads_for_pattern(node, None, None, None), *collect(incoming, args["max_rows"])]
    if not quads:
        raise _Refusal("missing", f"nothing is known about {args['iri']}")
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", "application/n-quads"


_READS: dict[str, Callable[[Dataset, Args], tuple[bytes, str]]] = {
    "query": _query,
    "graph_get": _graph_get,
    "describe": _describe,
}
_WRITES: dict[str, Callable[[Dataset, Args], tuple[bytes, str]]] = {
    "update": _update,
    "graph_write": _graph_write,
    "graph_delete": _graph_delete,
}
_HANDLERS = {**_READS, **_WRITES}
READ_KINDS = frozenset(_READS)
WRITE_KINDS = frozenset(_WRITES)


def written_graph(kind: str, args: Args) -> str | None:
    """The graph a Graph Store write replaces or drops (None for the default graph, and for a
    SPARQL Update, which may change any graph)."""
    graph = args.get("graph") if kind in ("graph_write", "graph_delete") else None
    return graph if isinstance(graph, str) else None


def sparql_text(kind: str, args: Args) -> str | None:
    """The SPARQL text a request carries (a query or an update), if any."""
    text = args.get("query") if kind == "query" else args.get("update") if kind == "update" else None
    return text if isinstance(text, str) else None


def answer(
    store: Dataset, kind: str, args: Args, *, small: bool = False, policy: QueryPolicy = DEFAULT_POLICY
) -> Answer:
    """Run one request; refusals come back as a status, never as an exception.

    ``small`` tells that the same request was answered quickly on the same data,
    so its result is small: it is then written whole and measured after,
    instead of through a buffer that stops at the row cap. A SPARQL text must
    first pass ``policy`` (:mod:`kg.store.guard`).
    """
    shape = SparqlShape(())
    try:
        if (text := sparql_text(kind, args)) is not None:
            shape = check_sparql(text, policy)
        body, media = _query(store, args, small) if kind == "query" else _HANDLERS[kind](store, args)
        return "ok", body, media
    except QueryError as exc:  # refused by the guard
        return "syntax", str(exc), ""
    except SyntaxError as exc:
        return "syntax", str(exc), ""
    except _Refusal as exc:
        return exc.kind, str(exc), ""
    except TooManyResults as exc:
        return "large", str(exc), ""
    except ValueError as exc:  # a value that is no IRI or literal of its type
        return "syntax", str(exc), ""
    except (RuntimeError, OSError) as exc:
        if shape.remote_calls:
            # A remote endpoint's answer may hold anything of its own: it is never passed on.
            calls = ", ".join(f"<{iri}>" for iri in shape.remote_calls)
            return "failed", f"a remote call to {calls} failed ({type(exc).__name__})", ""
        if isinstance(exc, RuntimeError):  # pyoxigraph's evaluation errors: a missing graph
            return "failed", str(exc), ""
        return "store", str(exc), ""
