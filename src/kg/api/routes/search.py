"""Search by name: ``/api/v1/search`` (JSON) and ``/search`` (a page), over the store's search
index (:mod:`kg.store.search`): accent- and case-insensitive, words and word starts, ranked."""

from __future__ import annotations

import contextlib
from html import escape
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from kg.api.deps import SettingsDep
from kg.api.openapi import errors
from kg.api.resource_page import local_page, search_box
from kg.api.schemas import SearchItem, SearchPage
from kg.config import Settings
from kg.store.search import KINDS, SearchIndex, SearchResult

__all__ = ["router"]

router = APIRouter(tags=["Search"])

Text = Annotated[
    str, Query(min_length=1, max_length=200, description="Words of a name or title, any accents")
]
Kinds = Annotated[list[str] | None, Query(description=f"Only these kinds: {', '.join(KINDS)}")]


def _search(settings: Settings, q: str, kinds: list[str], limit: int, offset: int) -> SearchResult:
    path = settings.search_index()
    if not path.exists():
        raise HTTPException(503, "the search index is being built: try again in a moment")
    with contextlib.closing(SearchIndex(path, read_only=True)) as index:
        return index.search(q, kinds, limit, offset)


@router.get(
    "/api/v1/search",
    response_model=SearchPage,
    summary="People, organs, places, documents, congresses, meetings and articles by name",
    responses=errors(422, 503),
)
async def search(
    settings: SettingsDep,
    q: Text,
    kind: Kinds = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> SearchPage:
    result = await run_in_threadpool(_search, settings, q, kind or [], limit, offset)
    items = [
        SearchItem(
            iri=h.iri,
            page=local_page(h.iri, settings.base_iri),
            kind=h.kind,
            label=h.label,
            mentions=h.mentions,
        )
        for h in result.hits
    ]
    return SearchPage(
        query=q, total=result.total, limit=limit, offset=offset, facets=result.facets, items=items
    )


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
async def search_page(settings: SettingsDep, q: str = "", kind: str = "") -> HTMLResponse:
    hits = "" if not q.strip() else await run_in_threadpool(_results_html, settings, q[:200], kind)
    return HTMLResponse(
        "<!doctype html><html lang=vi><meta charset=utf-8><title>kg: search</title><link rel=icon href='data:,'>"
        "<style>body{font:15px system-ui;margin:1.5em 2em;max-width:1100px}.kind{color:#777;font-size:.9em}"
        "li{margin:.3em 0}</style>"
        f"<p><a href='/'>kg</a></p><h1>Search</h1>{search_box(q)}{hits}</html>"
    )


def _results_html(settings: Settings, q: str, kind: str) -> str:
    result = _search(settings, q, [kind] if kind else [], 50, 0)
    facets = " · ".join(
        f"<a href='/search?{escape(urlencode({'q': q, 'kind': name}))}'>{escape(name)} ({count})</a>"
        for name, count in sorted(result.facets.items())
    )
    items = "".join(
        f"<li><a href='{escape(local_page(h.iri, settings.base_iri), quote=True)}'>{escape(h.label)}</a> "
        f"<span class=kind>{escape(h.kind)}, {h.mentions} article(s)</span></li>"
        for h in result.hits
    )
    return f"<p>{result.total} found: {facets}</p><ol class=results>{items}</ol>"
