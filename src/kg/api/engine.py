"""What the routes ask of the store, and what comes back: the engine behind the application.

The routes send requests (a kind, such as ``query`` or ``graph_write``, and plain arguments)
to an :class:`Engine`; how it answers them (worker processes reading snapshots, a writer
process, a SPARQL server) is :mod:`kg.serve`'s business. An answer crosses process boundaries
as an :data:`Answer` (a status, a body, a media type); :func:`outcome` turns it back into an
:class:`EngineResult` or the :class:`~kg.errors.KGError` it stands for, which
:mod:`kg.api.errors` maps to an HTTP status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from kg.errors import KGError, NotAcceptable, NotFound, QueryError, QueryTimeout, ResultTooLarge, StoreError

__all__ = ["Answer", "Args", "AsyncEngine", "Engine", "EngineResult", "outcome", "request_key"]

Args = dict[str, Any]
Answer = tuple[str, object, str]  # status, body (bytes, or the message of a refusal), media type


@dataclass(frozen=True)
class EngineResult:
    body: bytes
    media_type: str


class Engine(Protocol):
    """Where the routes send store requests (see :mod:`kg.serve.operations` for the kinds).

    The engine holds the time limits (:class:`~kg.config.Limits`): a route never passes one.
    """

    def request(self, kind: str, args: Args) -> EngineResult:
        """Run one request, blocking; raises the matching KGError on refusal."""
        ...

    async def request_async(self, kind: str, args: Args, *, key: str | None = None) -> EngineResult:
        """Run one read from the event loop, without holding it; refusals as for :meth:`request`."""
        ...


class AsyncEngine(Protocol):
    """What the SPARQL fast path (:mod:`kg.api.front`) needs of an engine."""

    async def request_async(self, kind: str, args: Args, *, key: str | None = None) -> EngineResult: ...

    def answer_now(self, kind: str, args: Args, key: str) -> Answer | None:
        """The answer, if the engine can give it at once on the calling thread; else None."""
        ...


_ERRORS: dict[str, type[KGError]] = {
    "syntax": QueryError,
    "store": StoreError,
    "acceptable": NotAcceptable,
    "large": ResultTooLarge,
    "timeout": QueryTimeout,
    "failed": QueryError,
    "missing": NotFound,
}


def outcome(status: str, body: object, media: str) -> EngineResult:
    """The result of an answer, or the :class:`KGError` it stands for.

    >>> outcome("ok", b"{}", "application/json").media_type
    'application/json'
    >>> outcome("syntax", "error at 1:1", "")
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: error at 1:1
    """
    if status == "ok":
        assert isinstance(body, bytes)
        return EngineResult(body, media)
    raise _ERRORS.get(status, StoreError)(str(body))


def request_key(kind: str, args: Args) -> str:
    """What identifies a request: its kind and every argument."""
    return repr((kind, sorted(args.items())))
