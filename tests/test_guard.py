"""The guard in front of pyoxigraph's parser: shapes that would overflow a stack are refused,
everything else passes and runs, and remote endpoints are called only when allowed."""

from __future__ import annotations

import signal
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.store import OxigraphStore
from kg.store.guard import (
    QueryPolicy,
    QueryRefused,
    RemoteCallRefused,
    check_sparql,
    on_deep_stack,
)

POLICY = QueryPolicy()
ENDPOINT = "http://127.0.0.1:9/sparql"
ALLOWING = QueryPolicy(remote_endpoints=frozenset({ENDPOINT}))


def _binds(n: int) -> str:
    return "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(n)) + " }"


# Each of these kills a process on an 8 MB stack with pyoxigraph 0.5.13 (measured).
REFUSED = {
    "nested groups": "SELECT * WHERE " + "{" * 2500 + "?s ?p ?o" + "}" * 2500,
    "nested brackets": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "negations in a row": "SELECT * WHERE { FILTER(" + "!" * 10_000 + "true) }",
    "signs in a row": "SELECT * WHERE { FILTER(" + "- " * 100 + "1 > 0) }",
    "a long sum": "SELECT * WHERE { FILTER(" + "+".join(["1"] * 30_000) + " > 0) }",
    "OPTIONAL after OPTIONAL": "SELECT * WHERE { ?s ?p ?o "
    + " ".join(f"OPTIONAL {{ ?s ?p ?o{i} }}" for i in range(10_001))
    + " }",
    "many BINDs": _binds(10_001),
    "a long property path": "SELECT * WHERE { ?s " + "/".join(["<http://e/p>"] * 10_001) + " ?o }",
    "nested sub-selects": "SELECT * WHERE " + "{ SELECT * WHERE " * 3000 + "{ ?s ?p ?o }" + "}" * 3000,
    "nested blank nodes": "SELECT * WHERE { ?s <http://e/p> "
    + "[ <http://e/p> " * 3000
    + "1"
    + " ]" * 3000
    + " }",
    "an update's deep template": "INSERT { ?s <http://e/p> "
    + "(" * 5000
    + "1"
    + ")" * 5000
    + " } WHERE { ?s ?p ?o }",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_shapes_that_overflow_the_parser_are_refused_before_it(text: str) -> None:
    with pytest.raises(QueryRefused, match="kg refuses it before parsing"):
        check_sparql(text, POLICY)


ACCEPTED = {
    "a hundred nested groups": "SELECT * WHERE " + "{" * 100 + "?s ?p ?o" + "}" * 100,
    "brackets inside a string": 'SELECT * WHERE { BIND("' + "{(" * 5000 + '" AS ?x) }',
    "brackets inside a long string": "SELECT * WHERE { BIND('''" + "{\n" * 5000 + "''' AS ?x) }",
    "brackets in a comment": "SELECT * WHERE { ?s ?p ?o } # " + "{" * 5000,
    "an IRI with a fragment": "SELECT * WHERE { ?s <http://e/p#x> ?o }",
    "a long VALUES block": "SELECT * WHERE { VALUES ?x { "
    + " ".join(f'"{i}"' for i in range(50_000))
    + " } }",
    "a large INSERT DATA": "INSERT DATA { "
    + " ".join(f"<http://e/s{i}> <http://e/p> {i} ." for i in range(50_000))
    + " }",
    "typed literals": 'SELECT * WHERE { ?s ?p "1"^^<http://www.w3.org/2001/XMLSchema#integer> }',
    "an ordinary query": """PREFIX cpv: <https://w3id.org/cpv-kg/ontology#>
        SELECT ?name (COUNT(?h) AS ?n) WHERE { ?p a cpv:Person ; cpv:name ?name .
        OPTIONAL { ?h cpv:holder ?p } FILTER(!BOUND(?x) && ?name != "a") } GROUP BY ?name""",
}


@pytest.mark.parametrize("text", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_ordinary_and_data_heavy_texts_pass(text: str) -> None:
    assert check_sparql(text, POLICY).remote_calls == ()


def test_a_shallow_text_is_told_from_a_heavy_one() -> None:
    assert check_sparql("SELECT * WHERE { ?s ?p ?o }", POLICY).shallow
    assert not check_sparql(_binds(500), POLICY).shallow


def test_the_store_refuses_a_deep_query_with_a_query_error() -> None:
    with pytest.raises(QueryRefused):
        OxigraphStore().query(REFUSED["nested groups"])


def test_what_the_guard_lets_through_runs_on_the_deep_stack() -> None:
    text = "ASK { FILTER(" + "+".join(["1"] * 9_990) + " > 0) }"
    check_sparql(text, POLICY)
    store = OxigraphStore()
    assert on_deep_stack(lambda: bool(store.query(text))) is True
    # The same text on an ordinary 8 MB thread kills the process: the deep stack is what saves it.
    on_8_mb = (
        "import threading, pyoxigraph; threading.stack_size(8 << 20); "
        f"t = threading.Thread(target=lambda: pyoxigraph.Store().query({text!r})); t.start(); t.join()"
    )
    crash = subprocess.run(
        [sys.executable, "-c", on_8_mb],
        capture_output=True,
        check=False,
    )
    assert crash.returncode == -signal.SIGSEGV


def test_errors_raised_on_the_deep_stack_reach_the_caller() -> None:
    with pytest.raises(ZeroDivisionError):
        on_deep_stack(lambda: 1 // 0)


REMOTE = {
    "SERVICE": f"SELECT * WHERE {{ SERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
    "SERVICE SILENT": f"select * where {{ service silent <{ENDPOINT}> {{ ?s ?p ?o }} }}",
    "an escaped SERVICE": f"SELECT * WHERE {{ \\u0053ERVICE <{ENDPOINT}> {{ ?s ?p ?o }} }}",
    "LOAD": f"LOAD <{ENDPOINT}>",
    "LOAD INTO": f"LOAD SILENT <{ENDPOINT}> INTO GRAPH <http://e/g>",
}


@pytest.mark.parametrize("text", REMOTE.values(), ids=REMOTE.keys())
def test_remote_calls_are_off_by_default(text: str) -> None:
    with pytest.raises(RemoteCallRefused, match="KG_SERVICE_ALLOW"):
        check_sparql(text, POLICY)


@pytest.mark.parametrize("text", REMOTE.values(), ids=REMOTE.keys())
def test_an_allowed_endpoint_may_be_called(text: str) -> None:
    assert check_sparql(text, ALLOWING).remote_calls == (ENDPOINT,)


NOT_ALLOWED = {
    "another host": "SELECT * WHERE { SERVICE <http://127.0.0.2:9/sparql> { ?s ?p ?o } }",
    "a longer IRI": f"SELECT * WHERE {{ SERVICE <{ENDPOINT}/x> {{ ?s ?p ?o }} }}",
    "a variable": "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "a prefixed name": f"PREFIX e: <{ENDPOINT}> SELECT * WHERE {{ SERVICE e: {{ ?s ?p ?o }} }}",
    "LOAD of another IRI": "LOAD <http://127.0.0.2/data.ttl>",
}


@pytest.mark.parametrize("text", NOT_ALLOWED.values(), ids=NOT_ALLOWED.keys())
def test_only_the_exact_allowed_iris_may_be_called(text: str) -> None:
    with pytest.raises(RemoteCallRefused):
        check_sparql(text, ALLOWING)


def test_words_that_only_look_like_service_are_no_remote_call() -> None:
    text = 'PREFIX e: <http://e/> SELECT * WHERE { ?s e:SERVICE "SERVICE <http://x/>" . ?s e:load ?load }'
    assert check_sparql(text, POLICY).remote_calls == ()


def test_a_refused_text_never_reaches_the_store() -> None:
    store = OxigraphStore()
    with pytest.raises(RemoteCallRefused):
        store.query(REMOTE["SERVICE"])
    assert len(store) == 0
    assert isinstance(store.query("ASK { ?s ?p ?o }"), ox.QueryBoolean)
