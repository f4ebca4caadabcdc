"""A query past its worker's memory budget is answered 503 long before its time limit, its worker
retires, and the rest of the server answers meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import psutil

from ..api.conftest import start_server, stop_server
from .conftest import HealthPoller, corpus_store, workers

RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"  # grows by hundreds of MB a second
CHEAP = "ASK { ?s ?p ?o }"


def test_runaways_past_the_memory_budget_are_503_while_cheap_queries_and_health_answer(
    tmp_path: Path,
) -> None:
    store = corpus_store(tmp_path / "store")
    process, url = start_server(store, workers="2", query_timeout="60", max_worker_memory=str(600 << 20))
    try:
        before = workers(url)
        answers: list[httpx.Response] = []
        cheap: list[int] = []
        runaways = [
            threading.Thread(
                target=lambda: answers.append(
                    httpx.post(url + "/sparql", data={"query": RUNAWAY}, timeout=60)
                )
            )
            for _ in range(3)
        ]
        with HealthPoller(url) as health:
            started = time.monotonic()
            for runaway in runaways:
                runaway.start()
            while any(r.is_alive() for r in runaways):
                cheap.append(httpx.post(url + "/sparql", data={"query": CHEAP}, timeout=30).status_code)
                time.sleep(0.05)
            elapsed = time.monotonic() - started
        assert [a.status_code for a in answers] == [503, 503, 503]
        assert all("past its memory budget" in a.text for a in answers)
        assert elapsed < 30  # stopped by the budget, long before the 60 s time limit
        assert set(health.statuses) == {200}  # something always answered
        assert cheap and set(cheap) <= {200, 503}  # a cheap query in an over-budget worker may share its fate
        assert cheap.count(200) >= len(cheap) // 2
        deadline = time.monotonic() + 15
        while len(after := workers(url)) != 2 and time.monotonic() < deadline:
            time.sleep(0.2)  # the retired workers' last moments
        assert len(after) == 2 and after != before  # replaced, and serving
    finally:
        stop_server(process)


LARGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 150000"  # about 50 MB of SPARQL JSON


def test_a_worker_gives_back_the_memory_a_large_answer_took(tmp_path: Path) -> None:
    store = corpus_store(tmp_path / "store")
    process, url = start_server(store, workers="1", max_rows="200000", query_timeout="60")
    try:
        [pid] = workers(url)
        worker = psutil.Process(pid)
        before = worker.memory_info().rss
        for query in (LARGE, LARGE.replace("?a ?b ?c", "?c ?b ?a"), LARGE.replace("150000", "150001")):
            answer = httpx.post(url + "/sparql", data={"query": query}, timeout=60)
            assert answer.status_code == 200 and len(answer.content) > 30 << 20
        # Each answer took about 200 MB while it was made and sent; a worker that kept it would
        # stay near its largest size, and grew to 300 MB and more.
        deadline = time.monotonic() + 10
        while (after := worker.memory_info().rss) > before + (100 << 20) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert after <= before + (100 << 20), f"{before >> 20} MB before, {after >> 20} MB after"
    finally:
        stop_server(process)
