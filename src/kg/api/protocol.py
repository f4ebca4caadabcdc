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

This subclasses uvicorn's httptools protocol and relies on its per-request
state (``cycle``, ``pipeline``, ``flow``, ``server_state.default_headers``,
``on_response_complete``); ``tests/api/test_protocol.py`` runs it in a real
uvicorn server, so a change there fails the tests.
"""

from __future__ import annotations

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from kg.api.front import Reply, SparqlFront

__all__ = ["quick_query_protocol"]

_PATH = b"/sparql"


class _QuickQueryProtocol(HttpToolsProtocol):
    front: SparqlFront
    _answered = False  # whether the request being parsed has been answered here

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._answered = False

    def on_headers_complete(self) -> None:
        reply = self._known_quick_reply()
        if reply is None:
            super().on_headers_complete()
            return
        self._answered = True
        self._write(reply)

    def on_body(self, body: bytes) -> None:
        if not self._answered:
            super().on_body(body)

    def on_message_complete(self) -> None:
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
        keep_alive = self.parser.get_http_version() != "1.0" and self.parser.should_keep_alive()
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
