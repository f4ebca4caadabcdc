"""A real `kg serve` under hostile queries: texts that would overflow pyoxigraph's parser are
answered 400 and kill no worker, and no anonymous query makes the server call another host."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
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
from .conftest import TOKEN, start_server, stop_server

SECRET = "upstream-secret-7d1e"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

DEEP = {
    "2,500 nested groups": "SELECT * WHERE " + "{" * 2500 + "?s ?p ?o" + "}" * 2500,
    "10,000 nested brackets": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "10,000 negations": "SELECT * WHERE { FILTER(" + "!" * 10_000 + "true) }",
    "10,001 OPTIONALs": "SELECT * WHERE { ?s ?p ?o "
    + " ".join(f"OPTIONAL {{ ?s ?p ?o{i} }}" for i in range(10_001))
    + " }",
}


class _Endpoint(BaseHTTPRequestHandler):
    """Another host's SPARQL endpoint: /sparql answers one row, anything else fails with a secret."""

    calls: ClassVar[list[str]] = []

    def _reply(self) -> None:
        type(self).calls.append(self.path)
        if self.path.startswith("/sparql"):
            body = json.dumps(
                {
                    "head": {"vars": ["x"]},
                    "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]},
                }
            ).encode()
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
def endpoint() -> Iterator[str]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{http.server_address[1]}"
    http.shutdown()
    http.server_close()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hardening") / "store"
    store = open_store(path)
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    return path


@pytest.fixture(scope="module")
def served(store_path: Path, endpoint: str) -> Iterator[str]:
    """Two workers; SERVICE and LOAD may call only <endpoint/sparql>."""
    process, url = start_server(
        store_path, update_token=TOKEN, workers="2", query_timeout="10", service_allow=f"{endpoint}/sparql"
    )
    yield url
    stop_server(process)


@pytest.fixture
def other_store(tmp_path: Path) -> Path:
    """An empty store of its own: the module's store is held by its server."""
    open_store(tmp_path / "store").close()
    return tmp_path / "store"


def _workers(url: str) -> set[int]:
    return {httpx.get(url + "/health").json()["worker"] for _ in range(30)}


def _count(url: str) -> str:
    rows = httpx.post(
        url + "/sparql", data={"query": COUNT}, headers={"Accept": "application/sparql-results+json"}
    )
    return str(rows.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_a_query_that_would_overflow_the_parser_is_a_400_and_kills_no_worker(served: str, text: str) -> None:
    before = _workers(served)
    for request in (
        lambda: httpx.post(served + "/sparql", data={"query": text}, timeout=30),
        lambda: httpx.post(
            served + "/sparql", content=text, headers={"Content-Type": "application/sparql-query"}, timeout=30
        ),
    ):
        answer = request()
        assert answer.status_code == 400
        assert "refuses it before parsing" in answer.text
    assert _workers(served) == before  # the same processes still serve


def test_a_deep_update_is_a_400_and_changes_nothing(served: str) -> None:
    before = _count(served)
    update = "INSERT { <http://e/s> <http://e/p> " + "(" * 5000 + "1" + ")" * 5000 + " } WHERE {}"
    answer = httpx.post(
        served + "/sparql",
        data={"update": update},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=30,
    )
    assert answer.status_code == 400
    assert _count(served) == before


def test_the_rest_facade_takes_bracket_soup_as_a_plain_value(served: str) -> None:
    answer = httpx.get(served + "/api/v1/people", params={"q": "({[" * 66}, timeout=30)
    assert answer.status_code == 200


def test_service_to_a_host_not_allowed_is_refused_and_never_called(served: str, endpoint: str) -> None:
    _Endpoint.calls.clear()
    text = f"SELECT * WHERE {{ SERVICE <{endpoint}/other> {{ ?s ?p ?o }} }}"
    answer = httpx.post(served + "/sparql", data={"query": text})
    assert answer.status_code == 400
    assert "not an allowed endpoint" in answer.text
    assert _Endpoint.calls == []


def test_load_from_a_host_not_allowed_is_refused_and_never_called(served: str, endpoint: str) -> None:
    _Endpoint.calls.clear()
    answer = httpx.post(
        served + "/sparql",
        data={"update": f"LOAD <{endpoint}/data.ttl> INTO GRAPH <http://e/g>"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 400
    assert _Endpoint.calls == []


def test_an_allowed_endpoint_answers_through_service(served: str, endpoint: str) -> None:
    text = f"SELECT ?x WHERE {{ SERVICE <{endpoint}/sparql> {{ ?s ?p ?x }} }}"
    answer = httpx.post(
        served + "/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "remote"}}]


def test_an_upstream_error_body_never_reaches_the_client(other_store: Path, endpoint: str) -> None:
    # An administrator allowed an endpoint that fails: its answer stays on the server.
    process, url = start_server(other_store, workers="1", service_allow=f"{endpoint}/broken")
    try:
        text = f"SELECT * WHERE {{ SERVICE <{endpoint}/broken> {{ ?s ?p ?o }} }}"
        answer = httpx.post(url + "/sparql", data={"query": text})
        assert answer.status_code == 400
        assert SECRET not in answer.text
        assert "remote call" in answer.text
    finally:
        stop_server(process)


def test_service_is_off_without_an_allow_list(other_store: Path, endpoint: str) -> None:
    _Endpoint.calls.clear()
    text = f"SELECT * WHERE {{ SERVICE <{endpoint}/sparql> {{ ?s ?p ?o }} }}"
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "--store", str(other_store), text],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "KG_SERVICE_ALLOW" in result.stderr
    assert _Endpoint.calls == []


def test_the_cli_refuses_a_deep_query_with_a_message(other_store: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "--store", str(other_store), DEEP["2,500 nested groups"]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "refuses it before parsing" in result.stderr


def _triples(count: int) -> bytes:
    return "".join(
        f'<http://example.org/s{n}> <http://example.org/p> "value {n}" .\n' for n in range(count)
    ).encode()


def _graph_size(url: str, graph: str) -> int:
    answer = httpx.get(url + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    return 0 if answer.status_code == 404 else answer.text.count("\n")


def test_a_write_answer_says_whether_it_was_applied(other_store: Path) -> None:
    process, url = start_server(other_store, update_token=TOKEN, workers="1", write_timeout="1")
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
    try:
        graph = "http://example.org/large"
        # About 8 MB: several seconds of parsing and writing, far past the 1 s write limit.
        large = httpx.put(
            url + "/store", params={"graph": graph}, content=_triples(120_000), headers=auth, timeout=60
        )
        assert large.status_code == 503
        assert "nothing of it was applied" in large.text
        assert _graph_size(url, graph) == 0
        small = httpx.put(url + "/store", params={"graph": graph}, content=_triples(10), headers=auth)
        assert small.status_code == 201
        assert _graph_size(url, graph) == 10
        deleted = httpx.delete(url + "/store", params={"graph": graph}, headers=auth)
        assert deleted.status_code == 204
        assert _graph_size(url, graph) == 0
    finally:
        stop_server(process)


RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"  # grows by hundreds of MB a second


def test_a_query_past_the_memory_budget_is_a_503_and_the_other_worker_serves(other_store: Path) -> None:
    store = open_store(other_store)
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    process, url = start_server(
        other_store, workers="2", query_timeout="60", max_worker_memory=str(600 << 20)
    )
    try:
        before = _workers(url)
        health: list[int] = []
        done = threading.Event()

        def poll() -> None:
            while not done.is_set():
                try:
                    health.append(httpx.get(url + "/health", timeout=5).status_code)
                except httpx.HTTPError:
                    health.append(0)  # refused, reset or unanswered
                done.wait(0.05)

        poller = threading.Thread(target=poll)
        poller.start()
        answers: list[httpx.Response] = []
        runaways = [
            threading.Thread(
                target=lambda: answers.append(
                    httpx.post(url + "/sparql", data={"query": RUNAWAY}, timeout=60)
                )
            )
            for _ in range(3)
        ]
        started = time.monotonic()
        for runaway in runaways:
            runaway.start()
        for runaway in runaways:
            runaway.join()
        elapsed = time.monotonic() - started
        done.set()
        poller.join()
        assert [a.status_code for a in answers] == [503, 503, 503]
        assert all("memory budget" in a.text for a in answers)
        assert elapsed < 30  # stopped by the budget, long before the 60 s time limit
        assert set(health) == {200}  # something always answered
        assert len(_workers(url)) == 2 and _workers(url) != before  # replaced, and serving
    finally:
        stop_server(process)
