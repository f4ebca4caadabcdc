"""Repeated quick queries answered inside uvicorn's HTTP protocol.

Oxigraph answers a point lookup in about 50 us; uvicorn's ASGI cycle around it
(a task, the scope, two ``send`` calls, header checks) costs about as much
again. So for ``GET /sparql`` requests that this worker's engine has already
answered in under its inline budget, the protocol asks
:meth:`SparqlFront.answer_known_quick` as soon as the headers are parsed and
writes the whole response in one write, without an ASGI cycle. Every other
request (other paths and methods, a query's first time, slow queries, a
request pipelined behind one still running, a client that has stopped
reading) takes uvicorn's usual path to the same front and app.

The protocol also changes how a stopping server (a worker retiring after a
runaway query, or :program:`kg serve` stopping) treats idle connections:
uvicorn closes them at once, which resets a request already on its way; here
they stay open for :data:`SHUTDOWN_GRACE` and a request that arrives is
answered with ``Connection: close``.

This subclasses uvicorn's httptools protocol and relies on its per-request
state (``cycle``, ``pipeline``, ``flow``, ``server_state.default_headers``,
``on_response_complete``); ``tests/api/test_protocol.py`` runs it in a real
uvicorn server, so a change there fails the tests.
"""

from __future__ import annotations

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from kg.api.front import Reply, SparqlFront

__all__ = ["SHUTDOWN_GRACE", "quick_query_protocol"]

_PATH = b"/sparql"


# When the server stops, how long an idle connection stays open for a request already on its
# way (a client that has just connected, or reuses a keep-alive connection): closing it at once
# would answer that request with a reset.
SHUTDOWN_GRACE = 1.0  # seconds


class _QuickQueryProtocol(HttpToolsProtocol):
    front: SparqlFront
    _answered = False  # whether the request being parsed has been answered here
    _receiving = False  # between the first byte of a request and its last
    _last_call = False  # the server is stopping: a request that still comes is answered, then closed

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._answered = False
        self._receiving = True

    def shutdown(self) -> None:
        """The server stops: busy connections close after their response, idle ones after a grace."""
        if self.cycle is not None and not self.cycle.response_complete:
            super().shutdown()
            return
        self._last_call = True
        self.loop.call_later(SHUTDOWN_GRACE, self._close_if_idle)

    def _close_if_idle(self) -> None:
        if (self.cycle is None or self.cycle.response_complete) and not self._receiving:
            self.transport.close()

    def on_headers_complete(self) -> None:
        reply = self._known_quick_reply()
        if reply is None:
            super().on_headers_complete()
            if self._last_call and self.cycle is not None:
                self.cycle.keep_alive = False
            return
        self._answered = True
        self._receiving = False
        self._write(reply)

    def on_body(self, body: bytes) -> None:
        if not self._answered:
            super().on_body(body)

    def on_message_complete(self) -> None:
        self._receiving = False
        if not self._answered:
            super().on_message_complete()

    def _known_quick_reply(self) -> Reply | None:
        if self.cycle is not None and not self.cycle.response_complete:
            return None  # responses go out in request order: this one waits its turn
        if self.pipeline or self.flow.write_paused or self.transport.is_closing():
            return None
        if self.parser.get_method() != b"GET" or self.parser.should_upgrade() or self.expect_100_continue:
            return None
        if self.root_path or self.limit_concurrency is not None:
            return None  # uvicorn's own handling of these stays in charge
        url = httptools.parse_url(self.url)
        if url.path != _PATH:
            return None
        return self.front.answer_known_quick(
            url.query or b"", self.headers, self.scheme or "http", self.server
        )

    def _write(self, reply: Reply) -> None:
        keep_alive = (
            not self._last_call
            and self.parser.get_http_version() != "1.0"
            and self.parser.should_keep_alive()
        )
        content = [STATUS_LINE[reply.status]]
        for name, value in self.server_state.default_headers + reply.headers:
            content += [name, b": ", value, b"\r\n"]
        if not keep_alive:
            content.append(b"connection: close\r\n")
        content += [b"\r\n", reply.body]
        self.transport.write(b"".join(content))
        if not keep_alive:
            self.transport.close()
        self.on_response_complete()  # counts the request, arms the keep-alive timeout


def quick_query_protocol(front: SparqlFront) -> type[HttpToolsProtocol]:
    """uvicorn's HTTP protocol (its ``http`` setting), answering known-quick queries from ``front``."""
    return type("QuickQueryProtocol", (_QuickQueryProtocol,), {"front": front})
