"""Reads from a read-only replica and writes in a killable child process, on a real store."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.api.engine import outcome, request_key
from kg.errors import KGError, QueryError, QueryTimeout
from kg.serve.replica import ReadReplica
from kg.serve.writer import run_write

S, P = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"  # not the store graph's mark
JSON = ["application/sparql-results+json"]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    store = ox.Store(str(tmp_path / "store"))
    store.extend([ox.Quad(S, P, ox.Literal(str(n))) for n in range(400)])
    store.flush()
    del store
    return tmp_path / "store"


def _count(path: Path) -> int:
    store = ox.Store.read_only(str(path))
    return int(next(iter(store.query(COUNT)))["n"].value)


def _query(text: str) -> dict[str, object]:
    return {"query": text, "accept": JSON, "max_rows": 1000}


@pytest.mark.parametrize("start_method", ["spawn", "forkserver"])
def test_a_write_is_applied_in_one_child(store_path, start_method):
    answer = run_write(
        store_path, "update", {"update": f"DELETE WHERE {{ {S} {P} ?o }}"}, 30, start_method=start_method
    )
    assert answer[0] == "ok"
    assert _count(store_path) == 0


def test_a_write_past_its_limit_is_killed_and_changes_nothing(store_path):
    # 400 x 400 x 400 new triples: far longer than the limit.
    slow = "INSERT { ?a ?b ?x } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?x }"
    status, message, _ = run_write(store_path, "update", {"update": slow}, 0.5)
    assert status == "timeout"
    assert "stopped" in str(message)
    assert _count(store_path) == 400


def test_a_broken_update_is_a_syntax_refusal(store_path):
    answer = run_write(store_path, "update", {"update": "INSERT DATA { <a> "}, 30)
    with pytest.raises(QueryError):
        outcome(*answer)


def test_writes_only(store_path):
    with pytest.raises(ValueError, match="not a write"):
        run_write(store_path, "query", _query(COUNT), 30)


def test_replica_answers_reads_and_refuses_writes(store_path):
    replica = ReadReplica(store_path, threads=2, on_overrun=lambda: None)
    replica.open()
    result = replica.request("query", _query(COUNT), timeout=10)
    assert b'"400"' in result.body
    with pytest.raises(ValueError, match="not a read"):
        replica.request("update", {"update": "CLEAR ALL"}, timeout=10)
    replica.shutdown()


def test_a_closed_replica_holds_reads_until_it_reopens(store_path):
    replica = ReadReplica(store_path, threads=2, on_overrun=lambda: None)
    replica.open()
    replica.close()
    assert run_write(store_path, "update", {"update": f"INSERT DATA {{ {S} {P} 'new' }}"}, 30)[0] == "ok"
    answers: list[bytes] = []
    reader = threading.Thread(target=lambda: answers.append(replica.request("query", _query(COUNT), 10).body))
    reader.start()
    reader.join(0.5)
    assert answers == []  # waiting for the handle
    replica.open()
    reader.join(10)
    assert b'"401"' in answers[0]  # and it sees the write
    replica.shutdown()


def test_a_read_past_its_limit_reports_the_overrun(store_path):
    overruns: list[bool] = []
    replica = ReadReplica(store_path, threads=2, on_overrun=lambda: overruns.append(True))
    replica.open()
    # 160,000 pairs: long enough to overrun 10 ms, short enough for the thread to finish.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(?c != ?f) }"
    with pytest.raises(QueryTimeout):
        asyncio.run(replica.request_async("query", _query(slow), timeout=0.01))
    assert overruns == [True]
    replica.shutdown()


def test_only_quick_answers_are_answered_inline_after(store_path):
    replica = ReadReplica(store_path, threads=2, on_overrun=lambda: None, inline_budget=60)
    replica.open()
    answered = _query(COUNT)
    over_the_cap = {**_query("SELECT * WHERE { ?s ?p ?o }"), "max_rows": 10}
    malformed = _query("SELECT ?s {")
    for args in (answered, over_the_cap, malformed):
        assert replica.answer_now("query", args, request_key("query", args)) is None  # not known yet
    replica.request("query", answered, timeout=10)
    for refused in (over_the_cap, malformed):
        with pytest.raises(KGError):
            replica.request("query", refused, timeout=10)
    assert replica.answer_now("query", answered, request_key("query", answered)) is not None
    # A refusal at the row cap comes quickly even from a huge result: it must not be taken
    # for a small result, which the inline path writes whole before measuring it.
    for refused in (over_the_cap, malformed):
        assert replica.answer_now("query", refused, request_key("query", refused)) is None
    replica.close()  # as around a write: what was quick must prove itself again
    replica.open()
    assert replica.answer_now("query", answered, request_key("query", answered)) is None
    replica.shutdown()


def _marked(path: Path) -> int:
    """Triples the test's write adds: ?a <http://example.org/q> ?x."""
    store = ox.Store.read_only(str(path))
    return int(
        next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?a <http://example.org/q> ?x }")))["n"].value
    )


def test_a_write_answer_says_what_happened_to_the_store_before_at_and_after_its_limit(tmp_path):
    """Whatever the limit, an "ok" write is all in the store and a stopped one left it unchanged."""
    store = ox.Store(str(tmp_path / "seed"))
    store.extend([ox.Quad(S, P, ox.Literal(str(n))) for n in range(200)])
    store.extend([ox.Quad(ox.NamedNode(f"http://example.org/s{n}"), P, ox.Literal("x")) for n in range(200)])
    store.flush()
    del store
    # 400 x 400 solutions, 201 x 201 new triples: a write of a second or two.
    write = {"update": "INSERT { ?a <http://example.org/q> ?x } WHERE { ?a ?b ?c . ?d ?e ?x }"}
    ox.Store(str(tmp_path / "warm")).flush()
    run_write(
        tmp_path / "warm",
        "update",
        {"update": "INSERT DATA { <x:warm> <x:up> 1 }"},
        30,
        start_method="forkserver",
    )

    def attempt(name: str, limit: float, expected: int) -> tuple[str, float]:
        copy = tmp_path / name
        ox.Store.read_only(str(tmp_path / "seed")).backup(str(copy))
        started = time.perf_counter()
        status, _, _ = run_write(copy, "update", write, limit, start_method="forkserver")
        took = time.perf_counter() - started
        added = _marked(copy)
        assert (status, added) in (("ok", expected), ("timeout", 0)), (limit, status, added)
        return status, took

    status, duration = attempt("unlimited", 120, 201 * 201)
    assert status == "ok"
    factors = (0.2, 0.6, 0.9, 1.0, 1.1, 1.5, 4.0)
    outcomes = [attempt(f"at-{factor}", duration * factor, 201 * 201)[0] for factor in factors]
    assert outcomes[0] == "timeout"
    assert outcomes[-1] == "ok"


def test_a_writes_mark_is_committed_with_it_and_only_with_it(store_path):
    from kg.serve.operations import answer, write_applied

    store = ox.Store(str(store_path))
    mark, other = (
        "urn:uuid:00000000-0000-4000-8000-000000000001",
        "urn:uuid:00000000-0000-4000-8000-000000000002",
    )
    assert answer(store, "update", {"update": f"INSERT DATA {{ {S} {P} 'x' }}", "mark": mark})[0] == "ok"
    assert write_applied(store, mark)
    assert not write_applied(store, other)
    # An update that fails halfway (dropping a graph that does not exist) is undone whole.
    halfway = f"INSERT DATA {{ {S} {P} 'y' }} ; DROP GRAPH <http://e/never>"
    assert answer(store, "update", {"update": halfway, "mark": other})[0] == "failed"
    assert not write_applied(store, other)
    assert ox.Quad(S, P, ox.Literal("y")) not in store
    assert write_applied(store, mark)  # the last applied write's mark stays


def test_a_repeated_read_is_answered_from_kept_answers_until_a_write(store_path):
    replica = ReadReplica(store_path, threads=2, on_overrun=lambda: None)
    replica.open()
    args = _query(COUNT)
    key = request_key("query", args)
    assert replica.kept(key) is None
    first = replica.request("query", args, timeout=10)
    assert replica.kept(key) is not None and replica.answer_now("query", args, key)[1] == first.body
    unrepeatable = _query("SELECT (RAND() AS ?r) WHERE {}")
    replica.request("query", unrepeatable, timeout=10)
    assert replica.kept(request_key("query", unrepeatable)) is None  # may differ next time
    replica.close()
    assert run_write(store_path, "update", {"update": f"INSERT DATA {{ {S} {P} 'newer' }}"}, 30)[0] == "ok"
    replica.open()  # the data changed: nothing kept from before
    assert replica.kept(key) is None
    assert replica.request("query", args, timeout=10).body != first.body
    replica.shutdown()
