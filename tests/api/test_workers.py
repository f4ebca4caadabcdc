"""The server's processes: workers with read-only replicas, writes through the supervisor,
a runaway read retiring its worker, and the store refused to other writers while served."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.config import DEFAULT_BASE_IRI
from kg.errors import StoreError
from kg.ingest import ingest_paths
from kg.store import open_store

from ..conftest import CORPUS
from .conftest import TOKEN, start_server, stop_server

ASK_NEW = "ASK { GRAPH <http://example.org/g> { <http://example.org/s> ?p ?o } }"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    store_path = tmp_path_factory.mktemp("workers") / "store"
    store = open_store(store_path)
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    process, url = start_server(store_path, update_token=TOKEN, query_timeout="2", workers="2")
    yield url, store_path
    stop_server(process)
    assert process.returncode == 0


def _workers_seen(url: str, tries: int = 40) -> set[int]:
    """Worker pids answering fresh connections (the kernel spreads them over the workers)."""
    return {httpx.get(url + "/health").json()["worker"] for _ in range(tries)}


def test_two_workers_share_the_port(served):
    url, _ = served
    assert len(_workers_seen(url)) == 2


def test_a_write_is_seen_by_every_worker(served):
    url, _ = served
    update = (
        "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 1 } }"
    )
    response = httpx.post(
        url + "/sparql",
        content=update,
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 204
    answers = set()
    for _ in range(30):  # fresh connections, so both workers answer
        reply = httpx.get(
            url + "/sparql", params={"query": ASK_NEW}, headers={"Accept": "application/sparql-results+json"}
        )
        answers.add(reply.json()["boolean"])
    assert answers == {True}


def test_the_store_is_refused_to_other_processes_while_served(served):
    _, store_path = served
    with pytest.raises(StoreError, match="running `kg serve`"):
        open_store(store_path)


@pytest.mark.slow
def test_a_runaway_retires_its_worker_and_a_replacement_serves(served):
    url, _ = served
    before = _workers_seen(url)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    response = httpx.get(url + "/sparql", params={"query": runaway}, timeout=30)
    assert response.status_code == 503
    assert "stopped" in response.text
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        after = _workers_seen(url, tries=10)
        if len(after) == 2 and after != before:
            break
        time.sleep(0.2)
    assert len(after) == 2
    assert after != before  # one worker was replaced
    assert httpx.get(url + "/sparql", params={"query": "ASK {}"}).status_code == 200
