"""``HEAD`` on every page: answered as ``GET`` would be, without the body.

FastAPI routes a ``HEAD`` only to routes that name it, so a client checking a
link (a crawler, a linked-data validator, ``curl -I``) would get 405 on pages
that answer ``GET``. This layer runs the ``GET`` and keeps its status and
headers (``Content-Length`` included), dropping the body.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["HeadAsGet"]


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
