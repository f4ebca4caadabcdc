"""Dereferenceable data IRIs and the ontology.

Every IRI under the configured base (``$KG_BASE_IRI``, served at ``/id/...``)
answers with what the graph says about it: HTML for a browser, Turtle,
JSON-LD or N-Triples by ``Accept``. We negotiate directly on the IRI (no 303
redirect): the response carries ``Vary: Accept`` and ``Content-Location``,
and the IRI names the thing, the response only describes it.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kg.api import ontology_page, resource_page
from kg.api.deps import Engine, EngineDep, SettingsDep
from kg.api.detail import read_detail
from kg.api.labels import labels_for
from kg.api.named import iri_binding, select
from kg.api.negotiation import accepted_types, graph_response
from kg.api.openapi import GRAPH_MEDIA, answers, errors
from kg.config import Settings
from kg.errors import NotFound
from kg.vocabulary import MODEL_FILES, PREFIXES, read_turtle

__all__ = ["DESCRIBE_PAGE", "router"]

DESCRIBE_PAGE = 2000  # triples pointing at a resource in one RDF answer about it

router = APIRouter(tags=["Linked data"])


def _wants_html(accept: list[str]) -> bool:
    return bool(accept) and accept[0] in ("text/html", "application/xhtml+xml")


def _resource_page(iri: str, engine: Engine, settings: Settings, offset: int) -> str:
    """Gather what the page shows (facts with provenance, a page of its timeline, incoming links,
    labels) and render it."""
    detail = read_detail(engine, settings, iri, offset)
    facts = detail.rows
    incoming = select(engine, settings, "api/incoming", {"iri": iri_binding(iri)})
    cited_by = select(engine, settings, "api/cited_by", {"iri": iri_binding(iri)})
    direct = [r for r in facts if not r["via"]]
    events = resource_page.events_of(facts)
    linked = {
        iri,
        *(str(r["value"]) for r in direct),
        *(str(r["graph"]) for r in facts if r["graph"]),
        *(str(r["subject"]) for r in incoming),
        *(str(r[key]) for r in cited_by for key in ("subject", "graph")),
        *(i for e in events for i in e.related),
        *(str(e.article) for e in events if e.article),
    }
    labels = labels_for(engine, settings, linked)
    page = resource_page.Page(
        iri=iri,
        title=labels.get(iri, iri),
        direct=direct,
        events=events,
        incoming=incoming,
        cited_by=cited_by,
        labels=labels,
        base=settings.base_iri,
        events_total=detail.events_total,
        events_offset=detail.offset,
        events_limit=detail.limit,
    )
    return resource_page.render(page)


@router.get(
    "/id/{path:path}",
    summary="Dereference a data IRI",
    responses={**answers("The resource", "text/html", *GRAPH_MEDIA), **errors(400, 404, 406, 503)},
)
async def resource(path: str, request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    iri = settings.base_iri + path
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise HTTPException(400, f"not an IRI: {iri!r}") from exc
    accept = accepted_types(request.headers.get("accept"), request.query_params.getlist("format"))
    html = _wants_html(accept)
    offset = _offset(request, "events" if html else "incoming")
    # The page reads what it shows by its own queries: here it only learns whether the IRI is known.
    limit = 1 if html else DESCRIBE_PAGE + 1
    describe = {"iri": iri, "max_rows": settings.limits.rows, "incoming_offset": 0 if html else offset}
    try:
        result = await run_in_threadpool(engine.request, "describe", {**describe, "incoming_limit": limit})
    except NotFound:
        if html:  # a person followed a link: a page, not the plain message
            return HTMLResponse(resource_page.not_found(iri), status_code=404, headers={"Vary": "Accept"})
        raise
    headers = {"Vary": "Accept", "Content-Location": str(request.url)}
    if html:
        page = await run_in_threadpool(_resource_page, iri, engine, settings, offset)
        return HTMLResponse(page, headers=headers)
    # What it says, and what points at it (its holdings, meetings, mentions), so that a
    # linked-data client can walk from a person to their roles; past DESCRIBE_PAGE triples
    # pointing at it, the rest is on the next page, which a Link header names.
    node = ox.NamedNode(iri)
    quads = list(ox.parse(result.body, format=ox.RdfFormat.N_QUADS))
    outgoing = [q.triple for q in quads if q.subject == node]
    incoming = [q.triple for q in quads if q.object == node and q.subject != node]
    if len(incoming) > DESCRIBE_PAGE:
        following = request.url.include_query_params(incoming=offset + DESCRIBE_PAGE)
        headers["Link"] = f'<{following}>; rel="next"'
    triples = list(dict.fromkeys([*outgoing, *incoming[:DESCRIBE_PAGE]]))
    response = graph_response(triples, accept, PREFIXES, f"<{iri}>")
    response.headers.update(headers)
    return response


def _offset(request: Request, name: str) -> int:
    value = request.query_params.get(name, "0")
    if not value.isdigit():
        raise HTTPException(400, f"{name} is where the page starts: a whole number")
    return int(value)


@router.get(
    "/ontology",
    summary="The ontology and code lists",
    responses={**answers("The ontology", "text/html", *GRAPH_MEDIA), **errors(406)},
)
async def ontology(request: Request) -> Response:
    accept = accepted_types(request.headers.get("accept"), request.query_params.getlist("format"))
    if _wants_html(accept):
        return HTMLResponse(ontology_page.render())
    triples = [t for name in MODEL_FILES for t in read_turtle(name)]
    return graph_response(triples, accept, PREFIXES, "the ontology")
