"""Validators on every read, and ``304 Not Modified`` to a client that has the answer already.

Dashboards and notebooks ask the same things again and again. Each read response carries an
``ETag`` and a ``Last-Modified`` naming the version of the store it was answered from (a new
one after every write, see :class:`~kg.serve.replica.ReadReplica`) and the request (target and
``Accept``), with ``Cache-Control: no-cache`` so that clients revalidate; a ``GET`` or
``HEAD`` whose ``If-None-Match`` (or, without one, ``If-Modified-Since``) still holds gets
``304`` without the request being run at all.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["ConditionalGet", "Version", "not_modified", "validators"]

Headers = list[tuple[bytes, bytes]]
# The store's version (a name that changes with every write) and when it was written.
Version = Callable[[], tuple[str, float]]

# Answers that are not reads of the store: liveness must never be taken from a cache, and the
# static files carry their own validators.
_SKIPPED = ("/health", "/static/", "/docs", "/redoc")


@functools.lru_cache(maxsize=4096)  # the fast path answers a quick query in 0.1 ms: so this too
def _tag(version: str, target: bytes, accept: bytes) -> bytes:
    digest = hashlib.blake2b(target + b"\n" + accept, digest_size=8).hexdigest()
    return f'W/"{version}-{digest}"'.encode()


def validators(version: Version, target: bytes, accept: bytes) -> Headers:
    """The ``ETag``, ``Last-Modified`` and ``Cache-Control`` of a read of ``target``."""
    name, written = version()
    return [
        (b"etag", _tag(name, target, accept)),
        (b"last-modified", _http_date(written)),
        (b"cache-control", b"no-cache"),
    ]


@functools.lru_cache(maxsize=16)
def _http_date(moment: float) -> bytes:
    return formatdate(moment, usegmt=True).encode()


def not_modified(version: Version, target: bytes, headers: dict[bytes, bytes]) -> bool:
    """Whether the client's copy of ``target`` is still what the store would answer."""
    name, written = version()
    tags = headers.get(b"if-none-match")
    if tags is not None:
        ours = _tag(name, target, headers.get(b"accept", b""))
        offered = [tag.strip() for tag in tags.split(b",")]
        return b"*" in offered or ours in offered or ours.removeprefix(b"W/") in offered
    since = headers.get(b"if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(since.decode("latin-1")).timestamp() >= int(written)
    except (TypeError, ValueError):
        return False  # a date a client garbled is no condition


def _target(scope: Scope) -> bytes:
    query: bytes = scope.get("query_string", b"")
    path: bytes = scope.get("raw_path") or scope["path"].encode()
    return path + (b"?" + query if query else b"")


class ConditionalGet:
    """Adds validators to successful reads and answers still-valid conditional reads with 304."""

    def __init__(self, app: ASGIApp, version: Version) -> None:
        self.app = app
        self.version = version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"].startswith(_SKIPPED)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])  # ASGI gives header names in lower case
        target = _target(scope)
        fresh = validators(self.version, target, headers.get(b"accept", b""))
        if not_modified(self.version, target, headers):
            vary = [(b"vary", b"Accept")]
            await send({"type": "http.response.start", "status": 304, "headers": fresh + vary})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_validators(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in fresh if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_validators)
