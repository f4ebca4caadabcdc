"""The store on a SPARQL server that someone else runs, reached over HTTP.

An archive that outgrows one machine lives on a server its users already run
(an Oxigraph server, Virtuoso, GraphDB, ...). :class:`RemoteDataset` speaks the
standard protocols to it (SPARQL 1.1 Query, Update and Graph Store) and offers
the part of pyoxigraph's ``Store`` interface that kg uses, so that
:class:`RemoteStore` keeps every rule of the embedded store (an article's graph
replaced whole in one update request, orphaned entities removed level by level)
and the server's request handlers (:mod:`kg.serve.operations`) answer from it
unchanged.

Servers differ in three ways, each handled by its :class:`Dialect`:

- the default graph: kg reads the union of all graphs. Oxigraph's server gives
  it when asked (``union-default-graph``), Virtuoso (and most others) always.
- Virtuoso's own graphs (its mapping schema, its service description) sit
  beside the data: kg leaves them out of what it lists, counts and exports
  (a query over the union still sees them). Virtuoso also writes booleans
  as ``1`` and ``0``, which kg reads back as ``true`` and ``false``.
- where updates and the Graph Store are: Oxigraph's ``/query``, ``/update``
  and ``/store``; Virtuoso's ``/sparql``, and ``/sparql-auth`` and
  ``/sparql-graph-crud-auth`` with digest authentication when credentials are
  set; elsewhere the URL given, or the ones set in the settings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.rdf.mapping import ArticleGraph
from kg.store.bindings import bind_values
from kg.store.oxigraph import OxigraphStore, data_block
from kg.vocabulary import PREFIXES

__all__ = ["Dialect", "Endpoint", "RemoteDataset", "RemoteStore", "endpoint_for", "is_remote"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph

_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # older servers' name for N-Triples
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# Every form of query answered in a format pyoxigraph reads.
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
# Graphs a Virtuoso server keeps for itself; its service description graph is found at open.
_VIRTUOSO_GRAPHS = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#")
_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_MESSAGE_CHARS = 500
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"  # of a server's error message passed on


class Dialect(StrEnum):
    """The kind of SPARQL server, for where its endpoints are and how it reads the union."""

    oxigraph = "oxigraph"
    virtuoso = "virtuoso"
    generic = "generic"


@dataclass(frozen=True)
class Endpoint:
    """Where a server answers queries, updates and Graph Store requests, and as whom kg asks."""

    query_url: str
    update_url: str
    graph_store_url: str | None
    dialect: Dialect
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0  # seconds a query may take before kg stops waiting
    write_timeout: float = 120.0  # and an update


def is_remote(location: str) -> bool:
    """Whether a ``--store`` value names a SPARQL server rather than a folder.

    >>> is_remote("http://127.0.0.1:7878"), is_remote("data/store")
    (True, False)
    """
    return location.startswith(("http://", "https://"))


def _detect(url: str, timeout: float) -> Dialect:
    """The dialect a server's ``Server`` header names."""
    try:
        response = httpx.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        raise StoreError(f"cannot reach the SPARQL server at {url}: {exc}") from exc
    server = response.headers.get("server", "").lower()
    if server.startswith("oxigraph"):
        return Dialect.oxigraph
    if server.startswith("virtuoso"):
        return Dialect.virtuoso
    return Dialect.generic


def endpoint_for(
    url: str,
    *,
    dialect: Dialect | None = None,
    user: str | None = None,
    password: str | None = None,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    timeout: float = 30.0,
    write_timeout: float = 120.0,
) -> Endpoint:
    """The endpoints of the server at ``url``, its dialect found from its answer when not given.

    >>> e = endpoint_for("http://127.0.0.1:7878/query", dialect=Dialect.oxigraph)
    >>> e.update_url, e.graph_store_url
    ('http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
    >>> endpoint_for("http://127.0.0.1:8890/sparql", dialect=Dialect.virtuoso, user="dba").update_url
    'http://127.0.0.1:8890/sparql-auth'
    """
    dialect = dialect or _detect(url, timeout)
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    if dialect is Dialect.oxigraph:
        base = re.sub(r"/(query|update|store)$", "", url.rstrip("/"))
        query, update, store = f"{base}/query", f"{base}/update", f"{base}/store"
    elif dialect is Dialect.virtuoso:
        secured = "-auth" if user else ""
        query = f"{root}/sparql"
        update, store = f"{root}/sparql{secured}", f"{root}/sparql-graph-crud{secured}"
    else:
        query, update, store = url, url, None
    return Endpoint(
        query_url=query,
        update_url=update_url or update,
        graph_store_url=graph_store_url or store,
        dialect=dialect,
        user=user,
        password=password,
        timeout=timeout,
        write_timeout=write_timeout,
    )


_EMPTY = ox.Store()
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def _check_syntax(query: str, prefixes: Mapping[str, str] | None, base_iri: str | None) -> None:
    """Raise pyoxigraph's ``SyntaxError`` for a malformed query, before it travels.

    Run on an empty store, which parses the query and answers at once: the client gets the same
    message, with its own line numbers, as from the embedded store, whatever the server says.
    Not for a query that calls another endpoint: an ASK is evaluated at once, SERVICE included,
    and that call is the server's to make.
    """
    if _SERVICE.search(query) is None:
        _EMPTY.query(query, prefixes=dict(prefixes or {}), base_iri=base_iri)


def _from_virtuoso(content: bytes) -> bytes:
    """Virtuoso's SPARQL JSON results as the standard has them: an ASK answer is a boolean, not a
    row of ``__ASK_RETVAL``, and booleans are ``true`` and ``false``, not ``1`` and ``0``.

    >>> _from_virtuoso(b'{"head":{"vars":["__ASK_RETVAL"]},"results":{"bindings":[]}}')
    b'{"head": {}, "boolean": false}'
    """
    results = json.loads(content)
    if results.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
        rows = results.get("results", {}).get("bindings", [])
        answer = any(row.get("__ASK_RETVAL", {}).get("value") not in (None, "0") for row in rows)
        return json.dumps({"head": {}, "boolean": answer}).encode()
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == _BOOLEAN and term.get("value") in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(results, ensure_ascii=False).encode()


def _message(response: httpx.Response) -> str:
    text = " ".join(response.text.split())
    return text[:_MESSAGE_CHARS] + ("…" if len(text) > _MESSAGE_CHARS else "")


class RemoteDataset:
    """pyoxigraph's ``Store`` interface, the part kg uses, over the SPARQL protocols.

    Queries and updates name the predeclared prefixes they use (``kg.vocabulary.PREFIXES``),
    since the server does not know them; blank nodes do not survive the trip, and kg
    writes none.
    """

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        auth: httpx.Auth | None = None
        if endpoint.user is not None:
            password = endpoint.password or ""
            auth = (
                httpx.DigestAuth(endpoint.user, password)
                if endpoint.dialect is Dialect.virtuoso
                else httpx.BasicAuth(endpoint.user, password)
            )
        self._client = httpx.Client(auth=auth, timeout=endpoint.timeout)
        # Graphs the server keeps for itself, left out of what kg lists, counts and exports.
        # (Virtuoso's input:*-graph-exclude pragmas would hide them from queries too, but they
        # change what GRAPH <iri> patterns match.)
        self.system_graphs: frozenset[str] = frozenset()
        if endpoint.dialect is Dialect.virtuoso:
            self.system_graphs = self._virtuoso_graphs()

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------ the protocols

    def _send(
        self,
        url: str,
        action: str,
        data: dict[str, str],
        *,
        params: list[tuple[str, str | int | float | bool | None]] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float,
    ) -> httpx.Response:
        try:
            response = self._client.post(url, data=data, params=params, headers=headers, timeout=timeout)
        except httpx.TimeoutException as exc:
            raise QueryTimeout(f"{action}: the SPARQL server did not answer within {timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"{action}: cannot reach the SPARQL server at {url}: {exc}") from exc
        return self._checked(response, action)

    def _checked(self, response: httpx.Response, action: str) -> httpx.Response:
        if response.status_code in (401, 403):
            raise StoreError(
                f"{action}: the SPARQL server refused kg ({response.status_code}); "
                f"set KG_STORE_USER and KG_STORE_PASSWORD"
            )
        if 400 <= response.status_code < 500:
            raise QueryError(f"{action}: the SPARQL server said: {_message(response)}")
        if response.status_code >= 500:
            # Virtuoso answers a query it cannot compile, or a write it does not allow, with 500.
            hint = ""
            if action == "update" and self.endpoint.user is None:
                hint = " (writing may need an account: set KG_STORE_USER and KG_STORE_PASSWORD)"
            raise QueryError(f"{action}: the SPARQL server failed: {_message(response)}{hint}")
        return response

    def _prologue(self, text: str, prefixes: Mapping[str, str] | None) -> str:
        declared = {name or "" for name in _DECLARED.findall(text)}
        lines = [
            f"PREFIX {name}: <{namespace}>"
            for name, namespace in (prefixes or {}).items()
            if name not in declared and f"{name}:" in text
        ]
        return "".join(line + "\n" for line in lines) + text

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: Mapping[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: Mapping[ox.Variable, Term | ox.Triple] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | list[ox.Triple]:
        """Run a query; a graph comes back as a list of triples. Values are bound by the caller
        (:func:`~kg.store.bindings.bind_values`): a server takes no separate substitutions."""
        if substitutions:
            raise QueryError("query: a SPARQL server binds values only through the query's VALUES block")
        params: list[tuple[str, str | int | float | bool | None]] = []
        defaults = (
            default_graph if isinstance(default_graph, list) else [default_graph] if default_graph else []
        )
        params += [("default-graph-uri", g.value) for g in defaults if isinstance(g, ox.NamedNode)]
        params += [("named-graph-uri", g.value) for g in named_graphs or [] if isinstance(g, ox.NamedNode)]
        if use_default_graph_as_union and not defaults and self.endpoint.dialect is Dialect.oxigraph:
            params.append(("union-default-graph", ""))
        _check_syntax(query, prefixes, base_iri)
        text = self._prologue(query, prefixes)
        if base_iri:
            text = f"BASE <{ox.NamedNode(base_iri).value}>\n{text}"
        response = self._send(
            self.endpoint.query_url,
            "query",
            {"query": text},
            params=params,
            headers={"Accept": _ACCEPT},
            timeout=self.endpoint.timeout,
        )
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in _RESULT_FORMATS:
            content = response.content
            if self.endpoint.dialect is Dialect.virtuoso and media == "application/sparql-results+json":
                content = _from_virtuoso(content)
            return ox.parse_query_results(content, format=_RESULT_FORMATS[media])
        if media in _GRAPH_FORMATS:
            return [q.triple for q in ox.parse(response.content, format=_GRAPH_FORMATS[media])]
        raise StoreError(
            f"query: the SPARQL server answered in {media or 'no media type'}, which kg cannot read"
        )

    def update(self, update: str, *, base_iri: str | None = None) -> None:
        """Run an update; the server applies one request as a whole."""
        text = self._prologue(update, PREFIXES)
        if base_iri:
            text = f"BASE <{ox.NamedNode(base_iri).value}>\n{text}"
        self._send(self.endpoint.update_url, "update", {"update": text}, timeout=self.endpoint.write_timeout)

    # ------------------------------------------------------------ what pyoxigraph's Store offers

    def _select(
        self, query: str, bindings: dict[str, ox.NamedNode | ox.Literal | list[ox.NamedNode | ox.Literal]]
    ) -> ox.QuerySolutions:
        rows = self.query(bind_values(query, bindings) if bindings else query)
        assert isinstance(rows, ox.QuerySolutions)
        return rows

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> list[ox.Quad]:
        """The quads of named graphs matching the pattern (``None`` matches anything)."""
        bound = {
            name: term
            for name, term in (("s", subject), ("p", predicate), ("o", object), ("g", graph_name))
            if isinstance(term, ox.NamedNode | ox.Literal)
        }
        return self._quads(dict(bound))

    def quads_of_graphs(self, graphs: Sequence[ox.NamedNode]) -> dict[ox.NamedNode, set[ox.Quad]]:
        """The quads of each of ``graphs``, in one request."""
        found: dict[ox.NamedNode, set[ox.Quad]] = {g: set() for g in graphs}
        if graphs:
            for quad in self._quads({"g": list(graphs)}):
                if isinstance(quad.graph_name, ox.NamedNode):  # always: the graphs are bound
                    found[quad.graph_name].add(quad)
        return found

    def _quads(
        self, bindings: dict[str, ox.NamedNode | ox.Literal | list[ox.NamedNode | ox.Literal]]
    ) -> list[ox.Quad]:
        """The quads of named graphs (the server's own left out) matching ``bindings`` of ?s ?p ?o ?g."""
        return [
            ox.Quad(row["s"], row["p"], row["o"], row["g"])
            for row in self._select(_QUADS, bindings)
            if row["g"].value not in self.system_graphs
        ]

    def named_graphs(self) -> list[ox.NamedNode]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {})
        return [row["g"] for row in rows if row["g"].value not in self.system_graphs]

    def contains_named_graph(self, graph_name: ox.NamedNode | ox.BlankNode) -> bool:
        if not isinstance(graph_name, ox.NamedNode):
            return False  # a server's blank nodes are not the client's
        return bool(self.query(bind_values("ASK WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": graph_name})))

    def __len__(self) -> int:
        rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", {})
        return sum(int(row["n"].value) for row in rows if row["g"].value not in self.system_graphs)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add ``quads`` in one update request."""
        written = list(quads)
        if written:
            self.update(f"INSERT DATA {{ {data_block(written)} }}")

    bulk_extend = extend  # a server has its own bulk loader, which kg cannot reach

    def flush(self) -> None:
        """Nothing to do: the server has written each request when it answered."""

    def dump(
        self,
        output: BinaryIO | str | None = None,
        format: ox.RdfFormat | None = None,
        *,
        from_graph: GraphName | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> bytes | None:
        """One graph (by the Graph Store Protocol where the server has it) or every named graph."""
        fmt = format or ox.RdfFormat.N_QUADS
        quads: Iterable[ox.Quad | ox.Triple]
        if isinstance(from_graph, ox.NamedNode):
            quads = self._graph(from_graph)
        else:
            quads = self.quads_for_pattern(None, None, None, None)
        body = ox.serialize(quads, format=fmt, prefixes=prefixes) or b""
        if output is None:
            return body
        if isinstance(output, str):
            with open(output, "wb") as handle:
                handle.write(body)
        else:
            output.write(body)
        return None

    def _graph(self, graph: ox.NamedNode) -> list[ox.Triple]:
        if self.endpoint.graph_store_url is None:
            triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
            assert isinstance(triples, list)
            return triples
        try:
            response = self._client.get(
                self.endpoint.graph_store_url,
                params={"graph": graph.value},
                headers={"Accept": "application/n-triples"},
            )
        except httpx.HTTPError as exc:
            raise StoreError(f"reading {graph.value}: cannot reach the Graph Store: {exc}") from exc
        if response.status_code == 404:
            return []
        self._checked(response, f"reading {graph.value}")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return [
            q.triple
            for q in ox.parse(response.content, format=_GRAPH_FORMATS.get(media, ox.RdfFormat.N_TRIPLES))
        ]

    # ------------------------------------------------------------ Virtuoso

    def _virtuoso_graphs(self) -> frozenset[str]:
        """The graphs Virtuoso keeps for itself: its mapping schema, and its service description."""
        described = self.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a <http://www.w3.org/ns/sparql-service-description#Service> } }"
        )
        assert isinstance(described, ox.QuerySolutions)
        return frozenset([*_VIRTUOSO_GRAPHS, *(row["g"].value for row in described)])


class RemoteStore(OxigraphStore):
    """The store on a SPARQL server: the embedded store's rules over :class:`RemoteDataset`.

    Writes stay atomic as far as the server makes one update request atomic (Oxigraph's
    server and Virtuoso do): a batch of articles is one request. The bulk loader is the
    server's own business, so :meth:`load_articles` replaces articles as usual.
    """

    def __init__(self, endpoint: Endpoint) -> None:
        self.dataset = RemoteDataset(endpoint)
        super().__init__(self.dataset)
        self.system_graphs = self.dataset.system_graphs

    def _graph_quads(self, graphs: Sequence[ox.NamedNode]) -> dict[ox.NamedNode, set[ox.Quad]]:
        return self.dataset.quads_of_graphs(graphs)

    def _absent(self, quads: Iterable[ox.Quad]) -> list[ox.Quad]:
        # INSERT DATA of a quad the server holds changes nothing: not worth a request to check.
        return list(quads)

    def load_articles(self, graphs: Sequence[ArticleGraph]) -> set[str]:
        return self.replace_articles(graphs)

    def union_triples(self) -> Iterable[ox.Triple]:
        # From the graphs kg lists, so that a server's own graphs stay out.
        return dict.fromkeys(q.triple for q in self.dataset.quads_for_pattern(None, None, None, None))

    def close(self) -> None:
        self.dataset.close()
        super().close()
