"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store``.

``?graph=IRI`` names a graph, ``?default`` the default graph; with neither, GET
returns the whole dataset (N-Quads or TriG) and POST creates a graph with a new
IRI (201 with ``Location``). POST also takes ``multipart/form-data``, one RDF
document per part. Reading is open; PUT, POST and DELETE need the update token.
"""

from __future__ import annotations

import uuid
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kg.api.body import read_body
from kg.api.deps import EngineDep, SettingsDep, WriterDep
from kg.api.negotiation import accepted_types, graph_format
from kg.api.openapi import GRAPH_MEDIA, answers, errors
from kg.api.results import DATASET_FORMATS, GRAPH_FORMATS
from kg.errors import QueryError
from kg.vocabulary import GRAPH_BASE

__all__ = ["router"]

router = APIRouter(tags=["Graph Store"])
_BY_MEDIA = {f.media_type: f.name for f in GRAPH_FORMATS.values()}


def _target(request: Request) -> str | None:
    """The graph IRI, None for the default graph; 400 for both or a malformed IRI."""
    graph = request.query_params.get("graph")
    default = "default" in request.query_params
    if graph is not None and default:
        raise HTTPException(400, "give ?graph=IRI or ?default, not both")
    if graph is None and not default:
        return ""  # the whole dataset
    if graph is not None and ("<" in graph or ">" in graph or " " in graph or ":" not in graph):
        raise HTTPException(400, f"not an absolute IRI: {graph!r}")
    return graph


_TARGET = {
    "parameters": [
        {"name": "graph", "in": "query", "required": False, "schema": {"type": "string", "format": "uri"}},
        {
            "name": "default",
            "in": "query",
            "required": False,
            "allowEmptyValue": True,
            "schema": {"type": "string"},
        },
    ]
}
_RDF_BODY = {
    "requestBody": {
        "required": True,
        # Any body: whether it parses as the format it claims is the server's to say (400).
        "content": {**{m: {"schema": {}} for m in GRAPH_MEDIA}, "multipart/form-data": {}},
    }
}
_WRITE_ANSWERS = {
    **answers("The graph was created", status=201),
    **answers("The graph was changed", status=204),
    **errors(400, 401, 403, 404, 413, 415, 503),
}


@router.get(
    "/store",
    summary="Read a graph or the whole dataset",
    operation_id="store_get",
    responses={**answers("The graph or dataset", *GRAPH_MEDIA), **errors(400, 404, 406, 503)},
    openapi_extra=_TARGET,
)
@router.head(
    "/store",
    summary="The headers of a graph or the whole dataset",
    operation_id="store_head",
    responses={**answers("The graph or dataset's headers", *GRAPH_MEDIA), **errors(400, 404, 406, 503)},
    openapi_extra=_TARGET,
)
async def read_graph(request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    graph = _target(request)
    accept = accepted_types(request.headers.get("accept"), request.query_params.getlist("format"))
    whole = graph == ""
    fmt = graph_format(
        ["application/n-quads" if m in ("*/*", "text/*") else m for m in accept] if whole else accept,
        triples_only=not whole,
    )
    if fmt is None or (whole and fmt.name not in DATASET_FORMATS):
        offered = "N-Quads or TriG" if whole else "Turtle, N-Triples, JSON-LD or RDF/XML"
        raise HTTPException(406, f"this resource comes as {offered}")
    result = await run_in_threadpool(
        engine.request, "graph_get", {"graph": graph or None, "format": fmt.name}
    )
    return Response(
        result.body,
        media_type=result.media_type,
        headers={"Vary": "Accept", "Content-Length": str(len(result.body))},
    )


def _rdf_format(content_type: str) -> str:
    media = content_type.split(";")[0].strip().lower()
    fmt = _BY_MEDIA.get(media)
    if fmt is None:
        raise HTTPException(
            415, f"send RDF as one of {', '.join(_BY_MEDIA)}, not {media or 'no Content-Type'}"
        )
    return fmt


def _documents(content_type: str, body: bytes) -> list[tuple[bytes, str]]:
    """The RDF documents of a request body, each with its format: one, or one per multipart part."""
    if content_type.split(";")[0].strip().lower() != "multipart/form-data":
        return [(body, _rdf_format(content_type))]
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    parts = [part for part in message.iter_parts() if isinstance(part, Message)]
    if not message.is_multipart() or not parts:
        raise HTTPException(400, "the multipart/form-data body has no parts")
    documents = []
    for part in parts:
        payload = part.get_payload(decode=True)
        documents.append(
            (payload if isinstance(payload, bytes) else b"", _rdf_format(part.get_content_type()))
        )
    return documents


async def _write(request: Request, engine: EngineDep, settings: SettingsDep, *, replace: bool) -> Response:
    graph = _target(request)
    created_here = graph == "" and not replace
    if created_here:
        graph = f"{GRAPH_BASE}{uuid.uuid4()}"  # POST to the store itself: a new graph
    elif graph == "":
        raise HTTPException(400, "PUT needs ?graph=IRI or ?default")
    documents = _documents(
        request.headers.get("content-type", ""), await read_body(request, settings.limits.body)
    )
    try:
        result = await run_in_threadpool(
            engine.request,
            "graph_write",
            {"graph": graph, "documents": documents, "replace": replace},
        )
    except QueryError as exc:  # a document does not parse as the format it claims
        raise HTTPException(400, f"cannot read the RDF body: {exc}") from exc
    if created_here:
        return Response(status_code=201, headers={"Location": str(graph)})
    return Response(status_code=201 if result.body == b"created" else 204)


@router.put(
    "/store",
    summary="Replace a graph",
    operation_id="store_put",
    responses=_WRITE_ANSWERS,
    openapi_extra={**_TARGET, **_RDF_BODY},
)
async def put_graph(request: Request, engine: EngineDep, settings: SettingsDep, _: WriterDep) -> Response:
    return await _write(request, engine, settings, replace=True)


@router.post(
    "/store",
    summary="Add to a graph (without a target: create one)",
    operation_id="store_post",
    responses=_WRITE_ANSWERS,
    openapi_extra={**_TARGET, **_RDF_BODY},
)
async def post_graph(request: Request, engine: EngineDep, settings: SettingsDep, _: WriterDep) -> Response:
    return await _write(request, engine, settings, replace=False)


@router.delete(
    "/store",
    summary="Delete a graph",
    operation_id="store_delete",
    responses=_WRITE_ANSWERS,
    openapi_extra=_TARGET,
)
async def delete_graph(request: Request, engine: EngineDep, settings: SettingsDep, _: WriterDep) -> Response:
    graph = _target(request)
    if graph == "":
        raise HTTPException(400, "deleting needs ?graph=IRI or ?default")
    await run_in_threadpool(engine.request, "graph_delete", {"graph": graph})
    return Response(status_code=204)
