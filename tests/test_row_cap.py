"""The row cap on SELECT results holds exactly in every result format, on the smallest rows
(every variable unbound) and on ordinary ones, whichever way the result is written."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.serve.operations import answer

ROWS = 40
NUMBERS = " ".join(str(n) for n in range(ROWS))
SHAPES = {
    "unbound": f"SELECT ?a ?b ?c WHERE {{ VALUES ?n {{ {NUMBERS} }} }}",
    "bound": f'SELECT ?n ?s WHERE {{ VALUES ?n {{ {NUMBERS} }} BIND(CONCAT("x,\\t\\n", STR(?n)) AS ?s) }}',
}
FORMATS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
]


@pytest.mark.parametrize("small", [False, True], ids=["streamed", "known-small"])
@pytest.mark.parametrize("accept", FORMATS)
@pytest.mark.parametrize("shape", SHAPES)
def test_the_cap_is_exact(shape: str, accept: str, small: bool) -> None:
    store = ox.Store()
    args = {"query": SHAPES[shape], "accept": [accept]}
    status, body, _ = answer(store, "query", {**args, "max_rows": ROWS}, small=small)
    assert status == "ok", body
    status, body, _ = answer(store, "query", {**args, "max_rows": ROWS - 1}, small=small)
    assert status == "large"
    assert f"more than {ROWS - 1} rows" in str(body)
