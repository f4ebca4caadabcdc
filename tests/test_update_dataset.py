"""Writing the protocol's using-graph-uri / using-named-graph-uri into an update."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.store.update_dataset import with_dataset

G, N = "http://example.org/g", "http://example.org/n"


def test_each_where_gets_the_clauses_but_not_inside_strings_iris_or_comments():
    update = """PREFIX ex: <http://example.org/where#>
# WHERE in a comment
INSERT { GRAPH <http://example.org/out> { ?s ex:label "WHERE } {" } } WHERE { ?s a ex:where FILTER(?x < 3) } ;
DELETE WHERE { ?a ?b ?c } ;
DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"""
    written = with_dataset(update, [G], [N])
    assert written.count(f"USING <{G}> USING NAMED <{N}> WHERE") == 2
    assert "DELETE WHERE { ?a ?b ?c }" in written  # the shortcut form takes no USING
    assert '"WHERE } {"' in written
    ox.Store().update(written)  # still a valid update


def test_the_dataset_applies_to_the_where_clause():
    store = ox.Store()
    store.update(
        "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> a <http://example.org/T> } "
        "GRAPH <http://example.org/h> { <http://example.org/b> a <http://example.org/T> } }"
    )
    store.update(
        with_dataset(
            "INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/U> } } "
            "WHERE { ?s a <http://example.org/T> }",
            [G],
            [],
        )
    )
    found = {
        q.subject.value
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode("http://example.org/out"))
    }
    assert found == {"http://example.org/a"}


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://example.org/w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } USING <http://example.org/u> WHERE { ?s ?p ?o }",
    ],
)
def test_an_update_with_its_own_dataset_conflicts(update):
    with pytest.raises(QueryError, match="USING or WITH"):
        with_dataset(update, [], [N])


def test_no_parameters_leave_the_update_alone():
    assert with_dataset("CLEAR ALL", [], []) == "CLEAR ALL"


def test_graph_names_must_be_iris():
    with pytest.raises(QueryError, match="take IRIs"):
        with_dataset("CLEAR ALL", ["not an iri>"], [])
