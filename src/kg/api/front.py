"""The fast path for SPARQL queries, in front of the FastAPI app.

A point lookup costs Oxigraph about 0.1 ms; FastAPI's middleware, routing and
request objects cost several times that. This ASGI wrapper answers query
requests to ``/sparql`` itself, with the same parser and the same engine as the
route in :mod:`kg.api.routes.sparql`, and hands every other request (updates,
the Service Description, refusals, all other paths) to the app unchanged.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

from fastapi import HTTPException

from kg.api.app import error_status
from kg.api.routes.sparql import parse_request
from kg.config import Settings
from kg.errors import KGError
from kg.store.operations import EngineResult
from kg.store.replica import request_key

__all__ = ["SparqlFront"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class AsyncEngine(Protocol):
    async def request_async(
        self, kind: str, args: dict[str, Any], timeout: float, *, key: str | None = None
    ) -> EngineResult: ...


class _TooLarge(Exception):
    pass


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b""
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _endpoint_url(scope: Scope, headers: dict[str, str]) -> str:
    """The request's URL without its query string, as Starlette would build it."""
    host = headers.get("host")
    if host is None:
        server_host, port = scope["server"]
        host = f"{server_host}:{port}"
    return f"{scope['scheme']}://{host}{scope.get('root_path', '')}{scope['path']}"


def _replay(body: bytes) -> Receive:
    """A ``receive`` that hands the already-read body to the app."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _parse(
    method: str,
    query_string: str,
    content_type: str,
    body: bytes,
    accept: str | None,
    base: str,
    max_rows: int,
) -> tuple[dict[str, Any], str] | None:
    """The engine's arguments and the replica's key for a query request; None for anything else."""
    try:
        request = parse_request(method, query_string, content_type, body, accept, base)
    except HTTPException:
        return None
    if request.query is None or request.update is not None:
        return None
    args = request.query_args(max_rows)
    return args, request_key("query", args)


# Dashboards and notebooks repeat their requests: parsing one costs about as much as a
# point lookup, so the parsed form of the latest small ones is kept (the arguments are
# never mutated downstream).
_parse_cached = functools.lru_cache(maxsize=1024)(_parse)
_CACHED_BODY = 4096  # bytes: larger POST bodies are parsed each time


class SparqlFront:
    """Answers SPARQL queries at ``/sparql``; passes everything else to ``app``."""

    def __init__(self, app: ASGIApp, engine: AsyncEngine, settings: Settings) -> None:
        self.app = app
        self.engine = engine
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}
        body = b""
        if scope["method"] == "POST":
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.settings.max_body:
                await self.app(scope, receive, send)  # the route refuses it with 413
                return
            try:
                body = await _read_body(receive, self.settings.max_body)
            except _TooLarge:
                detail = {"detail": f"request body over {self.settings.max_body} bytes"}
                await self._send(send, 413, json.dumps(detail), "application/json")  # as FastAPI words it
                return
        parse = _parse_cached if len(body) <= _CACHED_BODY else _parse
        prepared = parse(
            scope["method"],
            scope["query_string"].decode("latin-1"),
            headers.get("content-type", ""),
            body,
            headers.get("accept"),
            _endpoint_url(scope, headers),
            self.settings.max_rows,
        )
        if prepared is None:
            await self.app(scope, _replay(body), send)  # the route answers, or refuses with its message
            return
        args, key = prepared
        try:
            result = await self.engine.request_async("query", args, self.settings.query_timeout, key=key)
        except KGError as exc:
            await self._send(send, error_status(exc), str(exc), "text/plain; charset=utf-8", headers)
            return
        await self._send(send, 200, result.body, result.media_type, headers, vary=True)

    async def _send(
        self,
        send: Send,
        status: int,
        body: bytes | str,
        media_type: str,
        request_headers: dict[str, str] | None = None,
        *,
        vary: bool = False,
    ) -> None:
        content = body.encode() if isinstance(body, str) else body
        headers = [(b"content-type", media_type.encode()), (b"content-length", str(len(content)).encode())]
        if vary:
            headers.append((b"vary", b"Accept"))
        if request_headers and "origin" in request_headers:
            headers.append((b"access-control-allow-origin", b"*"))  # as the app's CORS middleware does
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})
