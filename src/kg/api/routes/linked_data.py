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
from kg.api.labels import labels_for
from kg.api.named import iri_binding, select
from kg.api.negotiation import accepted_types, graph_response
from kg.api.openapi import GRAPH_MEDIA, answers, errors
from kg.config import Settings
from kg.vocabulary import MODEL_FILES, PREFIXES, read_turtle

__all__ = ["router"]

router = APIRouter(tags=["Linked data"])


def _wants_html(accept: list[str]) -> bool:
    return bool(accept) and accept[0] in ("text/html", "application/xhtml+xml")


def _resource_page(iri: str, engine: Engine, settings: Settings) -> str:
    """Gather what the page shows (facts with provenance, incoming links, labels) and render it."""
    facts = select(engine, settings, "api/facts", {"iri": iri_binding(iri)})
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
    try:
        result = await run_in_threadpool(
            engine.request, "describe", {"iri": iri, "max_rows": settings.max_rows}, settings.query_timeout
        )
    except LookupError as exc:
        if _wants_html(accept):  # a person followed a link: a page, not a JSON error
            return HTMLResponse(resource_page.not_found(iri), status_code=404, headers={"Vary": "Accept"})
        raise HTTPException(404, str(exc)) from exc
    quads = list(ox.parse(result.body, format=ox.RdfFormat.N_QUADS))
    headers = {"Vary": "Accept", "Content-Location": str(request.url)}
    if _wants_html(accept):
        html = await run_in_threadpool(_resource_page, iri, engine, settings)
        return HTMLResponse(html, headers=headers)
    # What it says, and what points at it (its holdings, meetings, mentions), so that a
    # linked-data client can walk from a person to their roles.
    node = ox.NamedNode(iri)
    triples = list(dict.fromkeys(q.triple for q in quads if node in (q.subject, q.object)))
    response = graph_response(triples, accept, PREFIXES, f"<{iri}>")
    response.headers.update(headers)
    return response


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
