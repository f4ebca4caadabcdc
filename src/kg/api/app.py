"""Assembling the FastAPI app: routers, CORS, error translation and the engine's lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from kg.api.routes import graph_store, health, linked_data, pages, rest, sparql
from kg.config import Settings, get_settings
from kg.errors import KGError, NotAcceptable, QueryError, QueryTimeout, ResultTooLarge, StoreError
from kg.store.engine import QueryEngine
from kg.store.oxigraph import open_store

__all__ = ["create_app"]

# kg's errors at the HTTP edge: status and whether the message is the client's to read.
_STATUS: list[tuple[type[KGError], int]] = [
    (QueryError, 400),
    (ResultTooLarge, 400),
    (NotAcceptable, 406),
    (QueryTimeout, 503),
    (StoreError, 500),
]


def _error_response(request: Request, exc: Exception) -> PlainTextResponse:
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)
    return PlainTextResponse(str(exc), status_code=status)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application for ``settings`` (default: the environment); the store opens in the lifespan."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        open_store(settings.store).close()  # create it if needed, and fail early with a clear error
        app.state.engine = QueryEngine(settings.store, threads=settings.engine_threads)
        try:
            yield
        finally:
            app.state.engine.close()

    app = FastAPI(
        title="kg",
        summary="Knowledge graph of Vietnamese Party-affairs news",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["*"],
    )
    for kind, _ in _STATUS:
        app.add_exception_handler(kind, _error_response)
    for module in (health, sparql, graph_store, linked_data, rest, pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app
