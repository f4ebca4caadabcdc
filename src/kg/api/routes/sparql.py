"""The SPARQL 1.1 Protocol at ``/sparql``: queries by GET and POST, updates by POST.

Queries run with the union of all graphs as default graph unless the request
names ``default-graph-uri``. Results are negotiated from ``Accept`` (or a
``format`` parameter). GET without a query returns the Service Description.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kg.api.body import read_body
from kg.api.deps import Engine, EngineDep, SettingsDep, require_writer
from kg.api.named import select
from kg.api.negotiation import accepted_types, graph_response
from kg.api.openapi import GRAPH_MEDIA, SOLUTION_MEDIA, SPARQL_REQUEST, answers, errors
from kg.config import Settings
from kg.store.update_dataset import with_dataset
from kg.vocabulary import RDF, XSD, Namespace

__all__ = ["SparqlRequest", "parse_request", "router", "run_query"]

router = APIRouter(tags=["SPARQL"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")  # the W3C's names of media formats
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "N-Quads",
    "JSON-LD",
    "RDF_XML",
)
_QUERY_TYPES = ("application/sparql-query",)
_UPDATE_TYPES = ("application/sparql-update",)
_FORM_TYPES = ("application/x-www-form-urlencoded",)


@dataclass(frozen=True)
class SparqlRequest:
    """What a request to ``/sparql`` asks for, whichever way it was sent."""

    values: dict[str, list[str]]  # query-string and form parameters
    query: str | None
    update: str | None
    accept: list[str]
    base: str  # the endpoint's URL: relative IRIs in the query or update resolve against it

    def query_args(self, max_rows: int) -> dict[str, Any]:
        """The engine's arguments for running :attr:`query`."""
        return {
            "query": self.query,
            "accept": self.accept,
            "default_graphs": self.values.get("default-graph-uri") or None,
            "named_graphs": self.values.get("named-graph-uri") or None,
            "max_rows": max_rows,
            "base_iri": self.base,
        }

    def update_args(self) -> dict[str, Any]:
        """The engine's arguments for :attr:`update`, with the protocol's dataset written in."""
        assert self.update is not None
        update = with_dataset(
            self.update, self.values.get("using-graph-uri", []), self.values.get("using-named-graph-uri", [])
        )
        return {"update": update, "base_iri": self.base}


def _one(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name) or []
    if len(found) > 1:
        raise HTTPException(400, f"more than one '{name}' parameter")
    return found[0] if found else None


def parse_request(
    method: str, query_string: str, content_type: str, body: bytes, accept: str | None, base: str
) -> SparqlRequest:
    """Read the protocol's parameters from a GET or POST; HTTPException when they make no sense.

    Framework-free so that the server's fast path (:mod:`kg.api.front`) and the route share it.
    """
    try:
        values = parse_qs(query_string, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "a query-string parameter is not UTF-8") from exc
    direct: str | None = None
    media = content_type.split(";")[0].strip().lower()
    if method == "POST":
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise HTTPException(400, f"the request body is not UTF-8 (byte {exc.start})") from exc
        if media in _FORM_TYPES:
            try:
                decoded = parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
            except UnicodeDecodeError as exc:
                raise HTTPException(400, "a form parameter is not UTF-8") from exc
            for name, items in decoded.items():
                values.setdefault(name, []).extend(items)
        elif media in _QUERY_TYPES or media in _UPDATE_TYPES:
            direct = text
        else:
            raise HTTPException(
                415,
                f"POST /sparql takes {', '.join(_FORM_TYPES + _QUERY_TYPES + _UPDATE_TYPES)}, "
                f"not {media or 'a body without Content-Type'}",
            )
    query, update = _one(values, "query"), _one(values, "update")
    if direct is not None:
        query, update = (direct, update) if media in _QUERY_TYPES else (query, direct)
    if query is not None and update is not None:
        raise HTTPException(400, "a request carries a query or an update, not both")
    if update is not None and method != "POST":
        raise HTTPException(405, "updates need POST")
    return SparqlRequest(values, query, update, accepted_types(accept, values.get("format")), base)


def run_query(engine: Engine, settings: Settings, request: SparqlRequest) -> Response:
    """Run the request's query in the engine and wrap its serialized result (blocking)."""
    result = engine.request("query", request.query_args(settings.limits.rows))
    return Response(result.body, media_type=result.media_type, headers={"Vary": "Accept"})


def _service_description(request: Request, accept: list[str]) -> Response:
    endpoint = ox.NamedNode(str(request.url.replace(query="")))
    node = ox.BlankNode("service")
    t = [
        ox.Triple(node, RDF.type, SD.Service),
        ox.Triple(node, SD.endpoint, endpoint),
        ox.Triple(node, SD.supportedLanguage, SD.SPARQL11Query),
        ox.Triple(node, SD.supportedLanguage, SD.SPARQL11Update),
        ox.Triple(node, SD.feature, SD.UnionDefaultGraph),
        ox.Triple(node, SD.feature, SD.BasicFederatedQuery),
    ]
    t += [ox.Triple(node, SD.resultFormat, FORMATS[name]) for name in _RESULT_FORMATS]
    return graph_response(t, accept, {"sd": str(SD)}, "the service description")


_SPARQL_ANSWERS = {
    **answers("Query results, or the Service Description", *SOLUTION_MEDIA, *GRAPH_MEDIA, "text/html"),
    **answers("The update was applied", status=204),
    **errors(400, 401, 403, 406, 413, 415, 503),
}
_QUERY_PARAMETERS = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in ("query", "default-graph-uri", "named-graph-uri", "format")
    ]
}


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (without one: the Service Description)",
    operation_id="sparql_get",
    responses=_SPARQL_ANSWERS,
    openapi_extra=_QUERY_PARAMETERS,
)
@router.post(
    "/sparql",
    summary="SPARQL 1.1 query or update",
    operation_id="sparql_post",
    responses=_SPARQL_ANSWERS,
    openapi_extra={**SPARQL_REQUEST, **_QUERY_PARAMETERS},
)
async def sparql(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    body = await read_body(request, settings.limits.body) if request.method == "POST" else b""
    parsed = parse_request(
        request.method,
        request.url.query,
        request.headers.get("content-type", ""),
        body,
        request.headers.get("accept"),
        str(request.url.replace(query="")),
    )
    if parsed.update is not None:
        require_writer(request, settings)
        await run_in_threadpool(engine.request, "update", parsed.update_args())
        return Response(status_code=204)
    if parsed.query is None:
        return _service_description(request, parsed.accept)
    return await run_in_threadpool(run_query, engine, settings, parsed)


VOID = Namespace("http://rdfs.org/ns/void#")


def _void(request: Request, engine: Engine, settings: Settings, accept: list[str]) -> Response:
    rows = select(engine, settings, "api/void_statistics", {})
    try:
        base = str(request.base_url).rstrip("/")
        dataset = ox.NamedNode(f"{base}/.well-known/void#dataset")
        endpoint = ox.NamedNode(f"{base}/sparql")
    except ValueError as exc:
        raise HTTPException(400, f"cannot name the dataset from this request's host: {exc}") from exc
    triples = [
        ox.Triple(dataset, RDF.type, VOID.Dataset),
        ox.Triple(dataset, VOID.sparqlEndpoint, endpoint),
        ox.Triple(dataset, VOID.uriSpace, ox.Literal(settings.base_iri)),
    ]
    if rows:
        triples.append(
            ox.Triple(dataset, VOID.triples, ox.Literal(str(rows[0]["triples"]), datatype=XSD.integer))
        )
    for number, row in enumerate(rows):
        partition = ox.BlankNode(f"class{number}")
        triples += [
            ox.Triple(dataset, VOID.classPartition, partition),
            ox.Triple(partition, VOID["class"], ox.NamedNode(str(row["class"]))),
            ox.Triple(partition, VOID.entities, ox.Literal(str(row["instances"]), datatype=XSD.integer)),
        ]
    return graph_response(triples, accept, {"void": str(VOID)}, "the VoID description")


@router.get(
    "/.well-known/void",
    summary="VoID description of the dataset, with its statistics",
    responses={**answers("The VoID description", *GRAPH_MEDIA), **errors(400, 406, 503)},
)
async def void(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    accept = accepted_types(request.headers.get("accept"), request.query_params.getlist("format"))
    return await run_in_threadpool(_void, request, engine, settings, accept)
