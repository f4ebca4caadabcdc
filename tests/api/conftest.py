"""A real `kg serve` on 127.0.0.1 over an on-disk store with the corpus, for the API tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI

from kg.api.app import create_app
from kg.config import DEFAULT_BASE_IRI, Settings
from kg.ingest import ingest_paths
from kg.serve.direct import DirectEngine
from kg.store import OxigraphStore, open_store
from kg.store.search import SearchIndex

from ..conftest import CORPUS
from ..servers import free_port, stop_server

TOKEN = "test-token-5f2c"


@dataclass(frozen=True)
class Server:
    url: str
    store: Path


def start_server(
    store: Path | str, log: Path | None = None, **env: str
) -> tuple[subprocess.Popen[bytes], str]:
    """``kg serve`` of ``store`` (a folder, or a SPARQL server's URL) on a free port."""
    port = free_port()
    environment = {**os.environ, **{f"KG_{k.upper()}": v for k, v in env.items()}}
    log = log or Path(store).with_suffix(".log")
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the server did not start: {log.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store_path = tmp_path_factory.mktemp("api") / "store"
    store = open_store(store_path)
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    process, url = start_server(
        store_path, update_token=TOKEN, query_timeout="3", max_rows="400", max_body="200000"
    )
    yield Server(url, store_path)
    stop_server(process)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def in_process_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The application over an in-memory store with the corpus, answering in this process (no
    server, no worker): for the API tests that test the routes, not the processes."""
    folder = tmp_path_factory.mktemp("in-process")
    dataset = ox.Store()
    ingest_paths([CORPUS], OxigraphStore(dataset), base_iri=DEFAULT_BASE_IRI)
    settings = Settings(store=folder / "store", update_token=TOKEN, max_rows=400)
    with contextlib.closing(SearchIndex(settings.search_index())) as index:
        index.rebuild(lambda text: dataset.query(text, use_default_graph_as_union=True))
    return create_app(DirectEngine(dataset, settings.query_policy()), settings)


@contextlib.contextmanager
def served_in_process(app: FastAPI) -> Iterator[str]:
    """``app`` behind uvicorn on a thread of this process, on 127.0.0.1; its URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="in-process-app", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="session")
def in_process_url(in_process_app: FastAPI) -> Iterator[str]:
    with served_in_process(in_process_app) as url:
        yield url


@pytest.fixture
def app_client(in_process_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=in_process_url, timeout=30) as http:
        yield http


@pytest.fixture(scope="session")
def blank_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on an empty store, for the W3C manifests (their updates DROP ALL)."""
    store_path = tmp_path_factory.mktemp("w3c") / "store"
    open_store(store_path).close()
    process, url = start_server(store_path, update_token=TOKEN)
    yield url
    stop_server(process)
