"""Writes through `kg serve`: the answer says what happened to the store, at every distance from
the write limit, and reads go on answering from the last committed state while a write runs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from ..api.conftest import TOKEN, start_server, stop_server
from .conftest import HealthPoller

AUTH = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}


def _triples(count: int) -> bytes:
    return "".join(
        f'<http://example.org/s{n}> <http://example.org/p> "value {n}" .\n' for n in range(count)
    ).encode()


def _graph_size(url: str, graph: str) -> int:
    answer = httpx.get(url + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    return 0 if answer.status_code == 404 else answer.text.count("\n")


def test_every_write_answer_matches_the_store_before_at_and_after_the_limit(empty_store: Path) -> None:
    process, url = start_server(empty_store, update_token=TOKEN, workers="1", write_timeout="1")
    try:
        statuses = []
        # From a small part of the one-second limit to several times it (about 15,000 triples a second).
        for size in (1_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000):
            graph = f"http://example.org/g{size}"
            put = httpx.put(
                url + "/store", params={"graph": graph}, content=_triples(size), headers=AUTH, timeout=60
            )
            statuses.append(put.status_code)
            if put.status_code in (201, 204):  # 204 when it committed just past the limit
                assert _graph_size(url, graph) == size
            else:
                assert put.status_code == 503
                assert "nothing of it was applied" in put.text
                assert _graph_size(url, graph) == 0
            deleted = httpx.delete(url + "/store", params={"graph": graph}, headers=AUTH, timeout=60)
            assert (deleted.status_code, _graph_size(url, graph)) in ((204, 0), (404, 0))
        assert statuses[0] == 201
        assert statuses[-1] == 503
    finally:
        stop_server(process)


def test_reads_answer_from_the_last_committed_state_during_a_large_write(empty_store: Path) -> None:
    process, url = start_server(empty_store, update_token=TOKEN, workers="2", write_timeout="120")
    graph = "http://example.org/large"
    ask = f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    json = {"Accept": "application/sparql-results+json"}
    try:
        written: list[int] = []
        writer = threading.Thread(
            target=lambda: written.append(
                httpx.put(
                    url + "/store",
                    params={"graph": graph},
                    content=_triples(150_000),
                    headers=AUTH,
                    timeout=120,
                ).status_code
            )
        )
        during: list[bool] = []
        with HealthPoller(url) as health:
            writer.start()
            time.sleep(0.2)  # the write is under way
            while writer.is_alive():
                answer = httpx.post(url + "/sparql", data={"query": ask}, headers=json, timeout=10)
                assert answer.status_code == 200
                if writer.is_alive():  # answered while the write was under way
                    during.append(answer.json()["boolean"])
                time.sleep(0.05)
        assert written == [201]
        # Old state while the write runs (reads do not wait for it), the new one from its
        # commit on (which may come a moment before its answer), never back.
        assert during.count(False) >= 5
        assert during == sorted(during)
        assert set(health.statuses) == {200}
        # Answered once every worker reads the new state: the writer reads its write at once.
        assert httpx.post(url + "/sparql", data={"query": ask}, headers=json).json()["boolean"] is True
    finally:
        stop_server(process)
