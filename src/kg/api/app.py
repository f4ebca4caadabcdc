"""Assembling the FastAPI app: routers, CORS and error translation."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from kg.api.deps import Engine
from kg.api.head import HeadAsGet
from kg.api.routes import docs, graph_store, health, linked_data, pages, rest, search, sparql
from kg.config import Settings, get_settings
from kg.errors import (
    KGError,
    NotAcceptable,
    NotFound,
    OverBudget,
    QueryError,
    QueryTimeout,
    ResultTooLarge,
    StoreError,
)

__all__ = ["create_app", "error_status"]

# kg's errors at the HTTP edge: status and whether the message is the client's to read.
_STATUS: list[tuple[type[KGError], int]] = [
    (QueryError, 400),
    (ResultTooLarge, 400),
    (NotFound, 404),
    (NotAcceptable, 406),
    (QueryTimeout, 503),
    (OverBudget, 503),
    (StoreError, 500),
]


def error_status(exc: Exception) -> int:
    """The HTTP status of one of kg's errors."""
    return next((code for kind, code in _STATUS if isinstance(exc, kind)), 500)


def _error_response(request: Request, exc: Exception) -> Response:
    """The message as plain text, or as FastAPI words its own errors to a client that asks for JSON."""
    accept = request.headers.get("accept", "")
    if "application/json" in accept or "application/ld+json" in accept:
        return JSONResponse({"detail": str(exc)}, status_code=error_status(exc))
    return PlainTextResponse(str(exc), status_code=error_status(exc))


async def _method_not_allowed(request: Request, exc: Exception) -> Response:
    """405 with every method of the path in ``Allow``: Starlette names only the first route's."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code != 405:
        return await http_exception_handler(request, exc)
    allowed = sorted(
        {
            method
            for route in request.app.routes
            if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path)
            for method in route.methods
        }
    )
    if "GET" in allowed and "HEAD" not in allowed:
        allowed.append("HEAD")  # answered for every GET route (kg.api.head)
    return PlainTextResponse("method not allowed", status_code=405, headers={"Allow": ", ".join(allowed)})


def create_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    """The application answering from ``engine``, for ``settings`` (default: the environment)."""
    settings = settings or get_settings()
    app = FastAPI(
        title="kg",
        summary="Knowledge graph of Vietnamese Party-affairs news",
        version="0.1.0",
        docs_url=None,  # served by routes.docs, from the package: the defaults load from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.add_middleware(HeadAsGet)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["*"],
    )
    for kind, _ in _STATUS:
        app.add_exception_handler(kind, _error_response)
    app.add_exception_handler(StarletteHTTPException, _method_not_allowed)
    for module in (health, sparql, graph_store, linked_data, rest, search, pages, docs):
        app.include_router(module.router)
    app.mount(docs.ASSETS, StaticFiles(directory=docs.ASSETS_DIR), name="docs-assets")
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app
