"""All workers retiring at once: /health, polled every 50 ms, never goes unanswered."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from ..api.conftest import start_server, stop_server
from .conftest import HealthPoller, corpus_store

# Three nested scans of the corpus store: far past a one-second limit, and light on memory.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_health_answers_while_every_worker_retires_at_once(tmp_path: Path) -> None:
    store = corpus_store(tmp_path / "store")
    process, url = start_server(store, workers="2", query_timeout="1")
    try:
        answers: list[int] = []
        with HealthPoller(url, interval=0.05) as health:
            for _round in range(2):
                # One runaway per worker (more than workers, so that each gets one), all at once.
                runaways = [
                    threading.Thread(
                        target=lambda: answers.append(
                            httpx.post(url + "/sparql", data={"query": RUNAWAY}, timeout=30).status_code
                        )
                    )
                    for _ in range(4)
                ]
                for runaway in runaways:
                    runaway.start()
                for runaway in runaways:
                    runaway.join()
            threading.Event().wait(2)  # and while the replacements start
        assert set(answers) == {503}
        assert len(health.statuses) >= 20  # seconds of polls, however slow the machine
        assert set(health.statuses) == {200}
    finally:
        stop_server(process)
