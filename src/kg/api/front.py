"""The fast path for SPARQL queries, in front of the FastAPI app.

A point lookup costs Oxigraph about 0.1 ms; FastAPI's middleware, routing and
request objects cost several times that. This ASGI wrapper answers query
requests to ``/sparql`` itself, with the same parser and the same engine as the
route in :mod:`kg.api.routes.sparql`, and hands every other request (updates,
the Service Description, refusals, all other paths) to the app unchanged.

:meth:`SparqlFront.answer_known_quick` is the same path without ASGI, for
:mod:`kg.serve.protocol`, which answers repeated quick queries before uvicorn
builds an ASGI request at all.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

from kg.api.app import error_status
from kg.api.conditional import Version, validators
from kg.api.engine import AsyncEngine, EngineResult, outcome, request_key
from kg.api.routes.sparql import parse_request
from kg.config import Settings
from kg.errors import KGError

__all__ = ["Reply", "SparqlFront"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True, slots=True)
class Reply:
    """A complete response: status, headers (without the server's own) and body."""

    status: int
    headers: Headers
    body: bytes


def _reply(status: int, body: bytes | str, media_type: str, *, cors: bool, vary: bool = False) -> Reply:
    content = body.encode() if isinstance(body, str) else body
    headers = [(b"content-type", media_type.encode()), (b"content-length", str(len(content)).encode())]
    if vary:
        headers.append((b"vary", b"Accept"))
    if cors:
        headers.append((b"access-control-allow-origin", b"*"))  # as the app's CORS middleware does
    return Reply(status, headers, content)


def _result_reply(result: EngineResult, *, cors: bool) -> Reply:
    return _reply(200, result.body, result.media_type, cors=cors, vary=True)


def _error_reply(exc: KGError, *, cors: bool) -> Reply:
    return _reply(error_status(exc), str(exc), "text/plain; charset=utf-8", cors=cors)


def _decode_headers(headers: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in headers}


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


def _endpoint_url(
    scheme: str, headers: dict[str, str], server: tuple[str, int | None] | None, path: str
) -> str:
    """The request's URL without its query string, as Starlette would build it."""
    host = headers.get("host")
    if host is None and server is not None:
        host = f"{server[0]}:{server[1]}"
    return f"{scheme}://{host}{path}"


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

    def __init__(
        self, app: ASGIApp, engine: AsyncEngine, settings: Settings, version: Version | None = None
    ) -> None:
        self.app = app
        self.engine = engine
        self.settings = settings
        self.version = version  # the store's version, for validators (kg.api.conditional)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/sparql" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        headers = _decode_headers(scope["headers"])
        cors = "origin" in headers
        body = b""
        if scope["method"] == "POST":
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.settings.limits.body:
                await self.app(scope, receive, send)  # the route refuses it with 413
                return
            try:
                body = await _read_body(receive, self.settings.limits.body)
            except _TooLarge:
                detail = json.dumps({"detail": f"request body over {self.settings.limits.body} bytes"})
                await _send(send, _reply(413, detail, "application/json", cors=cors))  # as FastAPI words it
                return
        parse = _parse_cached if len(body) <= _CACHED_BODY else _parse
        prepared = parse(
            scope["method"],
            scope["query_string"].decode("latin-1"),
            headers.get("content-type", ""),
            body,
            headers.get("accept"),
            _endpoint_url(
                scope["scheme"], headers, scope.get("server"), scope.get("root_path", "") + scope["path"]
            ),
            self.settings.limits.rows,
        )
        if prepared is None:
            await self.app(scope, _replay(body), send)  # the route answers, or refuses with its message
            return
        args, key = prepared
        try:
            result = await self.engine.request_async("query", args, key=key)
        except KGError as exc:
            await _send(send, _error_reply(exc, cors=cors))
            return
        await _send(send, _result_reply(result, cors=cors))

    def answer_known_quick(
        self,
        query_string: bytes,
        raw_headers: Sequence[tuple[bytes, bytes]],
        scheme: str,
        server: tuple[str, int | None] | None,
    ) -> Reply | None:
        """The reply to ``GET /sparql?<query_string>`` if the engine knows it to be quick; else None.

        Runs on the calling thread, and only what has run in under the engine's
        inline budget before: anything else is left to :meth:`__call__`.
        """
        headers = _decode_headers(raw_headers)
        if "x-forwarded-proto" in headers:
            return None  # uvicorn's proxy-headers middleware may change the scheme, so the base IRI
        if "if-none-match" in headers or "if-modified-since" in headers:
            return None  # a conditional read is kg.api.conditional's to answer
        prepared = _parse_cached(
            "GET",
            query_string.decode("latin-1"),
            "",
            b"",
            headers.get("accept"),
            _endpoint_url(scheme, headers, server, "/sparql"),
            self.settings.limits.rows,
        )
        if prepared is None:
            return None
        args, key = prepared
        answer = self.engine.answer_now("query", args, key)
        if answer is None:
            return None
        cors = "origin" in headers
        try:
            reply = _result_reply(outcome(*answer), cors=cors)
        except KGError as exc:
            return _error_reply(exc, cors=cors)
        if self.version is None or reply.status != 200:
            return reply
        target = b"/sparql?" + query_string
        accept = headers.get("accept", "").encode("latin-1")
        return Reply(reply.status, [*reply.headers, *validators(self.version, target, accept)], reply.body)


async def _send(send: Send, reply: Reply) -> None:
    await send({"type": "http.response.start", "status": reply.status, "headers": reply.headers})
    await send({"type": "http.response.body", "body": reply.body})
