"""Dereferenceable data IRIs and the ontology.

Every IRI under the configured base (``$KG_BASE_IRI``, served at ``/id/...``)
answers with what the graph says about it: HTML for a browser, Turtle,
JSON-LD or N-Triples by ``Accept``. We negotiate directly on the IRI (no 303
redirect): the response carries ``Vary: Accept`` and ``Content-Location``,
and the IRI names the thing, the response only describes it.
"""

from __future__ import annotations

from html import escape

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kg.api.deps import EngineDep, SettingsDep
from kg.api.negotiation import accepted_types, graph_response
from kg.ontology import MODEL_FILES, ontology_dir
from kg.rdf.namespaces import PREFIXES

__all__ = ["router"]

router = APIRouter(tags=["Linked data"])


def _wants_html(accept: list[str]) -> bool:
    return bool(accept) and accept[0] in ("text/html", "application/xhtml+xml")


def _short(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> str:
    value = getattr(term, "value", str(term))
    for prefix, namespace in PREFIXES.items():
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return value


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, base: str) -> str:
    if isinstance(term, ox.NamedNode):
        href = "/id/" + term.value[len(base) :] if term.value.startswith(base) else term.value
        return f'<a href="{escape(href)}">{escape(_short(term))}</a>'
    return escape(getattr(term, "value", str(term)))


def _html(iri: str, quads: list[ox.Quad], base: str) -> str:
    node = ox.NamedNode(iri)
    outgoing = [q for q in quads if q.subject == node]
    incoming = [q for q in quads if q.subject != node]
    labels = [
        str(getattr(q.object, "value", ""))
        for q in outgoing
        if q.predicate.value.endswith(("#label", "/name", "#placeName"))
    ]
    title = escape(labels[0] if labels else iri)

    def rows(items: list[ox.Quad], subject_column: bool) -> str:
        return "".join(
            "<tr>"
            + (f"<td>{_cell(q.subject, base)}</td>" if subject_column else "")
            + f"<td>{escape(_short(q.predicate))}</td>"
            + ("" if subject_column else f"<td>{_cell(q.object, base)}</td>")
            + f"<td class=g>{_cell(q.graph_name, base) if isinstance(q.graph_name, ox.NamedNode) else ''}</td></tr>"
            for q in items
        )

    return (
        f"<!doctype html><html lang=vi><meta charset=utf-8><title>{title}</title>"
        "<style>body{font:15px system-ui;margin:2em}td{padding:2px 8px;vertical-align:top}.g{color:#777}</style>"
        f"<h1>{title}</h1><p><code>{escape(iri)}</code></p>"
        f"<h2>Facts</h2><table>{rows(outgoing, False)}</table>"
        f"<h2>Referred to by</h2><table>{rows(incoming, True)}</table>"
        "<p>Also as <a href='?format=turtle'>Turtle</a>, <a href='?format=jsonld'>JSON-LD</a>, "
        "<a href='?format=nt'>N-Triples</a>.</p></html>"
    )


@router.get("/id/{path:path}", summary="Dereference a data IRI")
async def resource(path: str, request: Request, engine: EngineDep, settings: SettingsDep) -> Response:
    iri = settings.base_iri + path
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise HTTPException(400, f"not an IRI: {iri!r}") from exc
    try:
        result = await run_in_threadpool(
            engine.request, "describe", {"iri": iri, "max_rows": settings.max_rows}, settings.query_timeout
        )
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from exc
    quads = list(ox.parse(result.body, format=ox.RdfFormat.N_QUADS))
    accept = accepted_types(request.headers.get("accept"), request.query_params.get("format"))
    headers = {"Vary": "Accept", "Content-Location": str(request.url)}
    if _wants_html(accept):
        return HTMLResponse(_html(iri, quads, settings.base_iri), headers=headers)
    triples = list(dict.fromkeys(q.triple for q in quads if q.subject == ox.NamedNode(iri)))
    response = graph_response(triples, accept, PREFIXES, f"<{iri}>")
    response.headers.update(headers)
    return response


@router.get("/ontology", summary="The ontology and code lists")
async def ontology(request: Request) -> Response:
    accept = accepted_types(request.headers.get("accept"), request.query_params.get("format"))
    triples = [q.triple for name in MODEL_FILES for q in ox.parse(path=str(ontology_dir() / name))]
    if _wants_html(accept):
        classes = sorted(
            {
                t.subject.value
                for t in triples
                if t.object.value.endswith("owl#Class") and isinstance(t.subject, ox.NamedNode)
            }
        )
        comments = {
            t.subject.value: t.object.value
            for t in triples
            if t.predicate.value.endswith("core#definition") and getattr(t.object, "language", "") == "en"
        }
        items = "".join(
            f"<li><b>{escape(_short(ox.NamedNode(c)))}</b>: {escape(comments.get(c, ''))}</li>"
            for c in classes
        )
        return HTMLResponse(
            "<!doctype html><html><meta charset=utf-8><title>cpv ontology</title>"
            f"<h1>cpv: Vietnamese Party-affairs ontology</h1><h2>Classes</h2><ul>{items}</ul>"
            "<p>As <a href='?format=turtle'>Turtle</a>.</p></html>"
        )
    return graph_response(triples, accept, PREFIXES, "the ontology")
