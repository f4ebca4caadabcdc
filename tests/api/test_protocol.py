"""Known-quick queries answered inside uvicorn's HTTP protocol, in a real uvicorn server.

The server here runs in a thread of the test process, so the test can count
the requests that reach the ASGI application: a query answered by the
protocol never does. Each answer must be the one the ASGI path gives.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
import uvicorn

from kg.api.app import create_app
from kg.api.front import SparqlFront
from kg.config import Settings
from kg.serve.protocol import quick_query_protocol
from kg.serve.replica import ReadReplica

EX = "http://example.org/"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{EX}s1> ?p ?o }}"
JSON = "application/sparql-results+json"


@dataclass
class QuickServer:
    url: str
    port: int
    replica: ReadReplica
    asgi_paths: list[str] = field(default_factory=list)  # requests that reached the ASGI app
    front: SparqlFront | None = None

    def query_path(self, query: str = LOOKUP) -> str:
        return "/sparql?" + urllib.parse.urlencode({"query": query})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QuickServer]:
    path = tmp_path_factory.mktemp("protocol") / "store"
    store = ox.Store(str(path))
    store.extend(
        ox.Quad(
            ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"o{i}"), ox.NamedNode(f"{EX}g")
        )
        for i in range(20)
    )
    store.flush()
    del store
    settings = Settings(store=path, max_rows=5)
    # Every answer counts as quick here, however slow the machine running the tests.
    replica = ReadReplica(path, threads=2, on_overrun=lambda: None, inline_budget=60)
    replica.open()
    front = SparqlFront(create_app(replica, settings), replica, settings)
    port = _free_port()
    served = QuickServer(f"http://127.0.0.1:{port}", port, replica)

    async def counted(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            served.asgi_paths.append(scope["path"])
        await front(scope, receive, send)

    served.front = front
    server, thread = _serve(counted, front, port)
    yield served
    server.should_exit = True
    thread.join(10)
    replica.shutdown()


def _serve(app: Any, front: SparqlFront, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    """A uvicorn server with the quick-query protocol, running in a thread of this process."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, http=quick_query_protocol(front), log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    return server, thread


def _get(target: str, version: str = "1.1", **headers: str) -> bytes:
    """A GET request as it goes on the wire; the Host that httpx sends, so the same base IRI."""
    lines = [
        f"GET {target} HTTP/{version}",
        *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _raw_exchange(port: int, request: bytes) -> bytes:
    """Send bytes as they are and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_repeated_query_is_answered_without_the_asgi_app_and_the_same(quick: QuickServer) -> None:
    with httpx.Client(base_url=quick.url) as client:
        before = len(quick.asgi_paths)
        answers = [client.get(quick.query_path(), headers={"Accept": JSON}) for _ in range(5)]
    assert len(quick.asgi_paths) == before + 1  # only the first: then it is known to be quick
    first = answers[0]
    assert first.status_code == 200
    assert first.json()["results"]["bindings"] == [
        {"p": {"type": "uri", "value": f"{EX}p"}, "o": {"type": "literal", "value": "o1"}}
    ]
    for later in answers[1:]:
        assert (later.status_code, later.content) == (first.status_code, first.content)
        for name in ("content-type", "content-length", "vary", "server"):
            assert later.headers[name] == first.headers[name]
        assert "date" in later.headers


@pytest.mark.parametrize(
    ("headers", "query", "status"),
    [
        ({"Accept": "text/csv", "Origin": "https://notebook.example"}, LOOKUP, 200),
        ({"Accept": "image/png"}, LOOKUP, 406),
        ({"Accept": JSON}, "SELECT ?s WHERE { ?s ?p", 400),  # the parser's message
        ({"Accept": JSON}, "SELECT ?s WHERE { ?s ?p ?o }", 400),  # 20 rows over a cap of 5
    ],
)
def test_negotiation_cors_and_refusals_match_the_asgi_path(
    quick: QuickServer, headers: dict[str, str], query: str, status: int
) -> None:
    with httpx.Client(base_url=quick.url) as client:
        before = len(quick.asgi_paths)
        first, second = (client.get(quick.query_path(query), headers=headers) for _ in range(2))
    # Only answers are remembered as quick: refusals take the ASGI path every time.
    assert len(quick.asgi_paths) == before + (1 if status == 200 else 2)
    assert first.status_code == status and first.content
    assert (second.status_code, second.content) == (first.status_code, first.content)
    for name in ("content-type", "content-length", "access-control-allow-origin"):
        assert second.headers.get(name) == first.headers.get(name)
    assert ("access-control-allow-origin" in second.headers) == ("Origin" in headers)


def test_posts_and_other_paths_always_take_the_asgi_path(quick: QuickServer) -> None:
    with httpx.Client(base_url=quick.url) as client:
        before = len(quick.asgi_paths)
        for _ in range(3):
            assert client.post("/sparql", data={"query": LOOKUP}, headers={"Accept": JSON}).status_code == 200
            assert client.get("/health").status_code == 200
    assert quick.asgi_paths[before:] == ["/sparql", "/health"] * 3


def test_connection_close_and_http_1_0_are_honoured(quick: QuickServer) -> None:
    httpx.get(quick.url + quick.query_path(), headers={"Accept": JSON})  # now known quick
    before = len(quick.asgi_paths)
    host = f"127.0.0.1:{quick.port}"
    for request in (
        _get(quick.query_path(), Host=host, Accept=JSON, Connection="close"),
        _get(quick.query_path(), "1.0", Host=host, Accept=JSON),
    ):
        response = _raw_exchange(quick.port, request)  # returns only because the server closed
        head, _, body = response.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert b"connection: close" in head.lower()
        assert b'"o1"' in body
    assert len(quick.asgi_paths) == before


def test_pipelined_requests_are_answered_in_order(quick: QuickServer) -> None:
    httpx.get(quick.url + quick.query_path(), headers={"Accept": JSON})  # now known quick
    host = f"127.0.0.1:{quick.port}"
    lookup = _get(quick.query_path(), Host=host, Accept=JSON)
    health = _get("/health", Host=host)
    last = _get("/health", Host=host, Connection="close")
    before = len(quick.asgi_paths)
    response = _raw_exchange(quick.port, lookup + health + lookup + lookup + last)
    answers = response.split(b"HTTP/1.1 200 OK")[1:]
    assert [b"health" if b'"status"' in answer else b"sparql" for answer in answers] == [
        b"sparql",
        b"health",
        b"sparql",
        b"sparql",
        b"health",
    ]
    # The first lookup is answered by the protocol; those behind /health wait their turn.
    assert quick.asgi_paths[before] == "/health"


def test_a_write_makes_every_query_prove_itself_quick_again(quick: QuickServer) -> None:
    with httpx.Client(base_url=quick.url) as client:
        client.get(quick.query_path(), headers={"Accept": JSON})
        before = len(quick.asgi_paths)
        client.get(quick.query_path(), headers={"Accept": JSON})
        assert len(quick.asgi_paths) == before
        quick.replica.close()  # what the supervisor has every replica do around a write
        quick.replica.open()
        client.get(quick.query_path(), headers={"Accept": JSON})
        assert len(quick.asgi_paths) == before + 1


def test_other_paths_and_methods_go_to_the_app(quick: QuickServer) -> None:
    with httpx.Client(base_url=quick.url) as client:
        before = len(quick.asgi_paths)
        for _ in range(2):
            assert (
                client.get("/sparql", headers={"Accept": "text/turtle"}).status_code == 200
            )  # Service Description
            assert client.head(quick.query_path()).status_code in (200, 405)
            assert client.get("/sparql/x", params={"query": LOOKUP}).status_code == 404
    assert len(quick.asgi_paths) == before + 6


def test_an_upgrade_request_is_left_to_uvicorn(quick: QuickServer) -> None:
    httpx.get(quick.url + quick.query_path(), headers={"Accept": JSON})  # now known quick
    upgrade = _get(
        quick.query_path(),
        Host=f"127.0.0.1:{quick.port}",
        Accept=JSON,
        Connection="Upgrade",
        Upgrade="websocket",
        Sec_WebSocket_Key="dGhlIHNhbXBsZSBub25jZQ==",
        Sec_WebSocket_Version="13",
    )
    response = _raw_exchange(quick.port, upgrade)
    assert response.startswith(b"HTTP/1.1 ") and b'"o1"' not in response  # no websocket route: refused


@pytest.mark.parametrize("known_quick", [True, False], ids=["quick path", "asgi path"])
def test_a_stopping_server_answers_a_request_already_on_its_way(
    quick: QuickServer, known_quick: bool
) -> None:
    assert quick.front is not None
    port = _free_port()
    server, thread = _serve(quick.front, quick.front, port)
    host = f"127.0.0.1:{port}"
    query = quick.query_path() if known_quick else quick.query_path(LOOKUP + " # first time here")
    if known_quick:
        httpx.get(f"http://{host}{query}", headers={"Accept": JSON})
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        time.sleep(0.2)  # accepted, no request yet: idle, as a worker retiring finds it
        server.should_exit = True
        time.sleep(0.3)  # the server has begun to stop
        sock.sendall(_get(query, Host=host, Accept=JSON))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    assert response.startswith(b"HTTP/1.1 200 OK")
    assert b"connection: close" in response.lower() and b'"o1"' in response
    thread.join(10)
    assert not thread.is_alive()
