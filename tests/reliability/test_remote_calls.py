"""No anonymous query makes the server call another host: SERVICE and LOAD reach only the
endpoints an administrator allowed, and what an upstream answers in error stays on the server."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..api.conftest import TOKEN, start_server, stop_server
from .conftest import SECRET, Upstream, corpus_store


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, upstream: str) -> Iterator[str]:
    """SERVICE and LOAD may call only <upstream/sparql>."""
    store = corpus_store(tmp_path_factory.mktemp("remote") / "store")
    process, url = start_server(store, update_token=TOKEN, workers="2", service_allow=f"{upstream}/sparql")
    yield url
    stop_server(process)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE {{ SERVICE <{upstream}/other> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{upstream}/other> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{upstream}/other> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ BIND(<{upstream}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ],
    ids=["plain", "silent", "escaped", "variable"],
)
def test_service_to_an_endpoint_not_allowed_is_refused_and_never_called(
    served: str, upstream: str, text: str
) -> None:
    Upstream.calls.clear()
    answer = httpx.post(served + "/sparql", data={"query": text.format(upstream=upstream)})
    assert answer.status_code == 400
    assert "SERVICE" in answer.text
    assert Upstream.calls == []


def test_load_from_a_host_not_allowed_is_refused_and_never_called(served: str, upstream: str) -> None:
    Upstream.calls.clear()
    answer = httpx.post(
        served + "/sparql",
        data={"update": f"LOAD <{upstream}/data.ttl> INTO GRAPH <http://e/g>"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 400
    assert "LOAD" in answer.text
    assert Upstream.calls == []


def test_a_query_calling_the_server_itself_is_refused(served: str) -> None:
    answer = httpx.post(
        served + "/sparql", data={"query": f"SELECT * WHERE {{ SERVICE <{served}/sparql> {{ ?s ?p ?o }} }}"}
    )
    assert answer.status_code == 400
    assert httpx.get(served + "/health").status_code == 200


def test_an_allowed_endpoint_answers_through_service(served: str, upstream: str) -> None:
    text = f"SELECT ?x WHERE {{ SERVICE <{upstream}/sparql> {{ ?s ?p ?x }} }}"
    answer = httpx.post(
        served + "/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200
    assert answer.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "remote"}}]


def test_an_upstream_error_body_never_reaches_the_client(empty_store: Path, upstream: str) -> None:
    # An administrator allowed an endpoint that fails: its answer stays on the server.
    process, url = start_server(empty_store, workers="1", service_allow=f"{upstream}/broken")
    try:
        text = f"SELECT * WHERE {{ SERVICE <{upstream}/broken> {{ ?s ?p ?o }} }}"
        answer = httpx.post(url + "/sparql", data={"query": text})
        assert answer.status_code == 400
        assert SECRET not in answer.text
        assert f"a remote call to <{upstream}/broken> failed" in answer.text
    finally:
        stop_server(process)


def test_service_is_off_without_an_allow_list_in_the_cli_too(empty_store: Path, upstream: str) -> None:
    Upstream.calls.clear()
    text = f"SELECT * WHERE {{ SERVICE <{upstream}/sparql> {{ ?s ?p ?o }} }}"
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "--store", str(empty_store), text],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "KG_SERVICE_ALLOW" in result.stderr
    assert Upstream.calls == []
