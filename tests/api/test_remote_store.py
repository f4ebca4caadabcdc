"""`kg ingest`, `kg query` and `kg serve` on a SPARQL server: an Oxigraph server and Virtuoso.

The corpus is ingested into each server by the command line, and a `kg serve` in front of it
must answer as the one on the embedded store (the session's ``server``) does.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from kg.config import DEFAULT_BASE_IRI
from kg.ingest import ingest_paths
from kg.store import ExportFormat, OxigraphStore
from kg.store.remote import Endpoint
from tests.servers import empty

from ..conftest import CORPUS, ROOT
from .conftest import TOKEN, Server, start_server, stop_server

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Remote:
    url: str  # kg serve's
    endpoint: Endpoint
    environment: dict[str, str]
    store: str  # what --store names


def kg(remote: Remote, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args, "--store", remote.store],
        env=remote.environment,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=remote.environment["KG_WORK"],
    )


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remote]:
    endpoint: Endpoint = request.getfixturevalue(f"{request.param}_endpoint")
    empty(endpoint)
    work = tmp_path_factory.mktemp(f"remote-{request.param}")
    credentials = {"KG_STORE_USER": endpoint.user, "KG_STORE_PASSWORD": endpoint.password or ""}
    environment = {
        **os.environ,
        **({k: v for k, v in credentials.items() if v} if endpoint.user else {}),
        "KG_WORK": str(work),  # where the search index goes (data/search under the working folder)
    }
    store = endpoint.query_url
    ingested = kg(Remote("", endpoint, environment, store), "ingest", str(CORPUS))
    assert ingested.returncode == 0, ingested.stderr
    os.chdir(work)
    try:
        process, url = start_server(
            store, log=work / "serve.log", update_token=TOKEN, max_rows="400", **_credentials(endpoint)
        )
    finally:
        os.chdir(ROOT)
    yield Remote(url, endpoint, environment, store)
    stop_server(process)


def _credentials(endpoint: Endpoint) -> dict[str, str]:
    if endpoint.user is None:
        return {}
    return {"store_user": endpoint.user, "store_password": endpoint.password or ""}


def _select(url: str, query: str) -> list[dict[str, str]]:
    response = httpx.post(
        url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    return sorted(({k: v["value"] for k, v in row.items()} for row in rows), key=repr)


def test_kg_query_runs_a_named_query_with_a_parameter(remote: Remote) -> None:
    done = kg(
        remote,
        "query",
        "-f",
        str(ROOT / "queries" / "holders_of_role.rq"),
        "-p",
        "role=secretary",
        "--format",
        "csv",
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) > 1


def test_kg_stats_and_export_see_only_kg_graphs(remote: Remote) -> None:
    stats = kg(remote, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert '"https://w3id.org/cpv-kg/ontology#Article": 5' in stats.stdout
    exported = kg(remote, "export")
    assert exported.returncode == 0, exported.stderr
    embedded = OxigraphStore()
    ingest_paths([CORPUS], embedded, base_iri=DEFAULT_BASE_IRI)
    local = io.BytesIO()
    embedded.export(local, ExportFormat.nquads)
    assert sorted(exported.stdout.splitlines()) == sorted(local.getvalue().decode().splitlines())


def test_queries_answer_as_on_the_embedded_store(remote: Remote, server: Server) -> None:
    query = "SELECT ?person ?name WHERE { ?person a cpv:Person ; foaf:name ?name }"
    assert _select(remote.url, query) == _select(server.url, query)
    meetings = httpx.get(remote.url + "/api/v1/meetings", params={"limit": 50}).json()
    assert meetings == httpx.get(server.url + "/api/v1/meetings", params={"limit": 50}).json()


def test_a_malformed_query_is_a_400_with_the_parser_message(remote: Remote) -> None:
    response = httpx.get(remote.url + "/sparql", params={"query": "SELECT ?x WHERE { ?x }"})
    assert response.status_code == 400
    assert "error at 1:" in response.text


def test_the_row_cap_holds(remote: Remote) -> None:
    response = httpx.get(remote.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "400" in response.text


def test_linked_data_and_search(remote: Remote) -> None:
    found = httpx.get(remote.url + "/api/v1/search", params={"q": "cuong", "kind": "person"}).json()
    assert found["items"], found
    page = found["items"][0]["page"]
    turtle = httpx.get(remote.url + page, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    assert "foaf:name" in turtle.text or "xmlns.com/foaf/0.1/name" in turtle.text
    html = httpx.get(remote.url + page, headers={"Accept": "text/html"})
    assert html.status_code == 200 and found["items"][0]["label"] in html.text


def test_writes_reach_the_server(remote: Remote) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    graph = "https://example.org/graph/remote-test"
    inserted = httpx.post(
        remote.url + "/sparql",
        data={
            "update": f'INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/a> rdfs:label "Xã Mới"@vi }} }}'
        },
        headers=auth,
    )
    assert inserted.status_code in (200, 204), inserted.text
    read = httpx.get(
        remote.url + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    assert read.status_code == 200 and "Xã Mới" in read.text
    assert httpx.delete(remote.url + "/store", params={"graph": graph}, headers=auth).status_code in (
        200,
        204,
    )
    assert httpx.get(remote.url + "/store", params={"graph": graph}).status_code == 404


def test_search_follows_the_writes_made_through_kg_serve(remote: Remote) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    article = "https://w3id.org/cpv-kg/id/article/remote-search-test"
    body = (
        f"<{article}> a <https://w3id.org/cpv-kg/ontology#Article> ; "
        f'<http://purl.org/dc/terms/title> "Hội nghị tổng kết ở xã Vĩnh Thịnh Đông"@vi .'
    )

    def found() -> list[str]:
        params = {"q": "vinh thinh dong", "kind": "article"}
        return [
            item["iri"] for item in httpx.get(remote.url + "/api/v1/search", params=params).json()["items"]
        ]

    assert article not in found()
    written = httpx.put(remote.url + "/store", params={"graph": article}, content=body.encode(), headers=auth)
    assert written.status_code in (200, 201, 204), written.text
    assert article in found()
    assert httpx.delete(remote.url + "/store", params={"graph": article}, headers=auth).status_code in (
        200,
        204,
    )
    assert article not in found()


def test_kg_validate_and_evaluate_read_the_server(remote: Remote) -> None:
    validated = kg(remote, "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    scored = kg(remote, "evaluate", "--gold", str(ROOT / "tests" / "gold"))
    assert scored.returncode == 0, scored.stderr
    embedded = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "evaluate",
            "--gold",
            str(ROOT / "tests" / "gold"),
            "--corpus",
            str(CORPUS),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert scored.stdout.splitlines()[-1] == embedded.stdout.splitlines()[-1]  # the overall F1
