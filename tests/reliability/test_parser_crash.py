"""Texts that would overflow pyoxigraph's parser are answered 400 and kill no worker,
in the SPARQL endpoint, the REST facade and `kg query`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..api.conftest import TOKEN, start_server, stop_server
from .conftest import HealthPoller, corpus_store, workers

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
DEEP = {
    "2,500 nested groups": "SELECT * WHERE " + "{" * 2500 + "?s ?p ?o" + "}" * 2500,
    "10,000 nested brackets": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "10,000 negations": "SELECT * WHERE { FILTER(" + "!" * 10_000 + "true) }",
    "10,001 OPTIONALs": "SELECT * WHERE { ?s ?p ?o "
    + " ".join(f"OPTIONAL {{ ?s ?p ?o{i} }}" for i in range(10_001))
    + " }",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = corpus_store(tmp_path_factory.mktemp("parser") / "store")
    process, url = start_server(store, update_token=TOKEN, workers="2", query_timeout="10")
    yield url
    stop_server(process)


def _count(url: str) -> str:
    rows = httpx.post(
        url + "/sparql", data={"query": COUNT}, headers={"Accept": "application/sparql-results+json"}
    )
    return str(rows.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_a_query_that_would_overflow_the_parser_is_a_400_and_kills_no_worker(served: str, text: str) -> None:
    before = workers(served)
    with HealthPoller(served) as health:
        for answer in (
            httpx.post(served + "/sparql", data={"query": text}, timeout=30),
            httpx.post(
                served + "/sparql",
                content=text,
                headers={"Content-Type": "application/sparql-query"},
                timeout=30,
            ),
        ):
            assert answer.status_code == 400
            assert "refuses it before parsing" in answer.text
    assert set(health.statuses) == {200}
    assert workers(served) == before  # the same processes still serve


def test_twenty_crashing_queries_in_a_row_leave_health_answering(served: str) -> None:
    with HealthPoller(served) as health:
        answers = [
            httpx.post(served + "/sparql", data={"query": DEEP["2,500 nested groups"]}) for _ in range(20)
        ]
    assert {a.status_code for a in answers} == {400}
    assert set(health.statuses) == {200}


def test_a_deep_update_is_a_400_and_changes_nothing(served: str) -> None:
    before = _count(served)
    update = "INSERT { <http://e/s> <http://e/p> " + "(" * 5000 + "1" + ")" * 5000 + " } WHERE {}"
    answer = httpx.post(
        served + "/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )
    assert answer.status_code == 400
    assert "refuses it before parsing" in answer.text
    assert _count(served) == before


def test_the_rest_facade_takes_bracket_soup_as_a_plain_value(served: str) -> None:
    answer = httpx.get(served + "/api/v1/people", params={"q": "({[" * 66}, timeout=30)
    assert answer.status_code == 200


def test_the_cli_refuses_a_deep_query_with_a_message(empty_store: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "--store", str(empty_store), DEEP["2,500 nested groups"]],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "refuses it before parsing" in result.stderr
