"""SPARQL 1.1 Protocol, after the W3C protocol test manifest (sparql11/protocol): query by GET,
by POST form and by POST sparql-query; datasets; result formats; bad requests."""

import csv
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pyoxigraph as ox
import pytest

SELECT = "SELECT ?id WHERE { ?a a cpv:Article ; dcterms:identifier ?id } ORDER BY ?id"
ASK = "ASK { ?a a cpv:Article }"
CONSTRUCT = "CONSTRUCT { ?a dcterms:title ?t } WHERE { ?a a cpv:Article ; dcterms:title ?t }"
JSON = "application/sparql-results+json"


def ids(response):
    return [b["id"]["value"] for b in response.json()["results"]["bindings"]]


def test_query_by_get(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(JSON)
    assert ids(response)[0] == "000_4c83d0c81348116c.txt"


def test_query_by_post_form(client):
    response = client.post("/sparql", data={"query": SELECT}, headers={"Accept": JSON})
    assert len(ids(response)) == 5


def test_query_by_post_direct(client):
    response = client.post(
        "/sparql",
        content=SELECT.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": JSON},
    )
    assert len(ids(response)) == 5


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+xml", lambda body: b"<sparql" in body and b"000_4c83" in body),
        ("text/csv", lambda body: body.splitlines()[0] == b"id" and len(body.splitlines()) == 6),
        ("text/tab-separated-values", lambda body: body.splitlines()[0] == b"?id"),
        (JSON, lambda body: len(json.loads(body)["results"]["bindings"]) == 5),
    ],
)
def test_select_result_formats(client, accept, check):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert check(response.content)


@pytest.mark.parametrize(
    "accept", [JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_ask_result_formats(client, accept):
    response = client.get("/sparql", params={"query": ASK}, headers={"Accept": accept})
    assert response.status_code == 200
    assert b"true" in response.content


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_result_formats(client, accept, rdf_format):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert len(list(ox.parse(response.content, format=rdf_format))) == 5


def test_format_parameter_for_browsers(client):
    response = client.get(
        "/sparql", params={"query": SELECT, "format": "csv"}, headers={"Accept": "text/html"}
    )
    assert response.headers["content-type"].startswith("text/csv")


def test_accept_with_quality_values(client):
    response = client.get(
        "/sparql",
        params={"query": SELECT},
        headers={"Accept": "text/csv;q=0.4, application/sparql-results+xml;q=0.9"},
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_default_graph_uri_narrows_the_dataset(client):
    graph = "https://w3id.org/cpv-kg/graph/ontology"
    response = client.get(
        "/sparql", params={"query": ASK, "default-graph-uri": graph}, headers={"Accept": JSON}
    )
    assert response.json()["boolean"] is False
    response = client.get(
        "/sparql",
        params={"query": "ASK { ?c a skos:Concept }", "default-graph-uri": graph},
        headers={"Accept": JSON},
    )
    assert response.json()["boolean"] is True


def test_named_graph_uri_limits_graph_patterns(client):
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    graph = "https://w3id.org/cpv-kg/graph/entities"
    response = client.get(
        "/sparql", params={"query": query, "named-graph-uri": graph}, headers={"Accept": JSON}
    )
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "1"


def test_malformed_query_is_400_with_the_parser_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x }"})
    assert response.status_code == 400
    assert "error at" in response.text


def test_unsupported_accept_is_406(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_wrong_content_type_is_415(client):
    response = client.post("/sparql", content=SELECT.encode(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_query_and_update_together_is_400(client):
    response = client.post("/sparql", data={"query": SELECT, "update": "CLEAR ALL"})
    assert response.status_code == 400


def test_two_query_parameters_is_400(client):
    response = client.get("/sparql", params=[("query", SELECT), ("query", ASK)])
    assert response.status_code == 400


def test_void_has_statistics(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    counts = {t.object.value for t in triples if t.predicate.value == "http://rdfs.org/ns/void#triples"}
    assert counts and int(counts.pop()) > 1000


def test_row_cap_refuses_oversized_results(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 400
    assert "more than 400 rows" in response.text


def test_body_cap_is_413(client):
    response = client.post(
        "/sparql", content=b"#" * 300_000, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_cors_is_open_for_reading(client):
    response = client.get("/sparql", params={"query": ASK}, headers={"Origin": "http://notebook.example"})
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.slow
def test_runaway_query_is_stopped_while_health_answers(client, server):
    import httpx

    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        future = pool.submit(client.get, "/sparql", params={"query": runaway})
        time.sleep(0.5)
        for _ in range(3):
            before = time.monotonic()
            assert httpx.get(server.url + "/health", timeout=5).status_code == 200
            assert time.monotonic() - before < 1.0
        response = future.result()
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert "stopped" in response.text
    assert 2.5 < elapsed < 10
    assert client.get("/sparql", params={"query": ASK}).status_code == 200  # the engine is back


def test_sparqlwrapper_client(server):
    from SPARQLWrapper import JSON as SW_JSON
    from SPARQLWrapper import SPARQLWrapper

    endpoint = SPARQLWrapper(server.url + "/sparql")
    endpoint.setQuery("PREFIX cpv: <https://w3id.org/cpv-kg/ontology#> SELECT ?o WHERE { ?o a cpv:Organ }")
    endpoint.setReturnFormat(SW_JSON)
    rows = endpoint.query().convert()["results"]["bindings"]
    assert len(rows) > 20


def test_rdflib_sparqlstore_client(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(server.url + "/sparql", returnFormat="json")
    rows = list(
        store.query(
            "SELECT ?t WHERE { ?a a <https://w3id.org/cpv-kg/ontology#Article> ; "
            "<http://purl.org/dc/terms/title> ?t }"
        )
    )
    assert len(rows) == 5


def test_pandas_reads_csv_results(server):
    import urllib.parse

    import pandas as pd

    query = urllib.parse.quote("SELECT ?name WHERE { ?p a cpv:Person ; foaf:name ?name } ORDER BY ?name")
    frame = pd.read_csv(f"{server.url}/sparql?query={query}&format=csv")
    assert list(frame.columns) == ["name"]
    assert "Phạm Thanh Học" in set(frame["name"])


def test_csv_is_standard(client):
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id"] and rows[1] == ["000_4c83d0c81348116c.txt"]


def test_non_utf8_bodies_are_400(client):
    query = "ASK { <http://example.org/caf\xe9> ?p ?o }".encode("latin-1")
    response = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    response = client.post(
        "/sparql", content=b"query=" + query, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 400


def test_other_methods_are_405(client):
    assert client.put("/sparql", content=b"ASK {}").status_code == 405
    assert client.delete("/sparql").status_code == 405


def test_missing_form_content_type_is_4xx(client):
    response = client.post("/sparql", content=b"query=ASK%20%7B%7D", headers={"Content-Type": ""})
    assert 400 <= response.status_code < 500
