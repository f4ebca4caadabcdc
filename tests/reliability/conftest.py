"""Shared parts of the reliability suite: stores, a fake upstream host, and a /health poller.

Every test here runs against a real `kg serve` on 127.0.0.1 and is marked `reliability`
(`make test` runs them; `pytest -m reliability` runs only them).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from kg.config import DEFAULT_BASE_IRI
from kg.ingest import ingest_paths
from kg.store import open_store

from ..conftest import CORPUS

SECRET = "upstream-secret-7d1e"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.reliability)


def corpus_store(path: Path) -> Path:
    """The corpus ingested into a new store at ``path``."""
    store = open_store(path)
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    return path


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    open_store(tmp_path / "store").close()
    return tmp_path / "store"


class Upstream(BaseHTTPRequestHandler):
    """Another host's SPARQL endpoint: /sparql answers one row, anything else fails with a secret."""

    calls: ClassVar[list[str]] = []

    def _reply(self) -> None:
        type(self).calls.append(self.path)
        if self.path.startswith("/sparql"):
            row = {"x": {"type": "literal", "value": "remote"}}
            body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [row]}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
        else:
            body = f"internal detail: {SECRET}".encode()
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = _reply
    do_POST = _reply

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    """The base URL of a fake upstream host on 127.0.0.1; ``Upstream.calls`` lists what reached it."""
    http = ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_address[1]}"
    http.shutdown()
    http.server_close()


def workers(url: str, tries: int = 30) -> set[int]:
    """The worker pids answering fresh connections."""
    return {httpx.get(url + "/health").json()["worker"] for _ in range(tries)}


class HealthPoller:
    """Polls /health every ``interval`` seconds in a thread; 0 stands for no answer."""

    def __init__(self, url: str, interval: float = 0.05) -> None:
        self.url = url
        self.interval = interval
        self.statuses: list[int] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll)

    def _poll(self) -> None:
        while not self._done.is_set():
            try:
                self.statuses.append(httpx.get(self.url + "/health", timeout=5).status_code)
            except httpx.HTTPError:
                self.statuses.append(0)  # refused, reset or unanswered
            self._done.wait(self.interval)

    def __enter__(self) -> HealthPoller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
