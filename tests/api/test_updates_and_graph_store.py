"""SPARQL Update and the Graph Store HTTP Protocol (after the W3C graph-store-protocol manifest),
with the write token: missing, wrong, right, and writing switched off."""

import pyoxigraph as ox
import pytest

from .conftest import TOKEN, start_server, stop_server

AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH = "http://example.org/graphs/test"
TURTLE = "text/turtle"


def ask(client, query):
    return client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    ).json()["boolean"]


def test_update_without_token_is_401(client):
    response = client.post("/sparql", data={"update": "INSERT DATA { <http://e/a> <http://e/p> 1 }"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_update_with_wrong_token_is_403(client):
    response = client.post(
        "/sparql",
        data={"update": "INSERT DATA { <http://e/a> <http://e/p> 1 }"},
        headers={"Authorization": "Bearer nope"},
    )
    assert response.status_code == 403
    assert not ask(client, "ASK { <http://e/a> ?p ?o }")


def test_update_with_token_by_form_and_direct_post(client):
    response = client.post(
        "/sparql",
        data={"update": "INSERT DATA { GRAPH <http://e/g> { <http://e/b> <http://e/p> 1 } }"},
        headers=AUTH,
    )
    assert response.status_code == 204
    assert ask(client, "ASK { <http://e/b> ?p ?o }")
    response = client.post(
        "/sparql",
        content=b"DROP GRAPH <http://e/g>",
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert response.status_code == 204
    assert not ask(client, "ASK { <http://e/b> ?p ?o }")


def test_malformed_update_is_400(client):
    response = client.post("/sparql", data={"update": "INSERT DATA { oops"}, headers=AUTH)
    assert response.status_code == 400


def test_update_by_get_is_refused(client):
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405


def test_graph_store_put_get_post_delete(client):
    data = b'<http://example.org/s> <http://example.org/p> "un"@vi .'
    assert (
        client.put(
            "/store", params={"graph": GRAPH}, content=data, headers={"Content-Type": TURTLE}
        ).status_code
        == 401
    )
    response = client.put(
        "/store", params={"graph": GRAPH}, content=data, headers={**AUTH, "Content-Type": TURTLE}
    )
    assert response.status_code == 201
    response = client.put(
        "/store", params={"graph": GRAPH}, content=data, headers={**AUTH, "Content-Type": TURTLE}
    )
    assert response.status_code == 204  # replaced an existing graph
    more = b'<http://example.org/s> <http://example.org/p> "hai"@vi .'
    assert (
        client.post(
            "/store", params={"graph": GRAPH}, content=more, headers={**AUTH, "Content-Type": TURTLE}
        ).status_code
        == 204
    )
    response = client.get("/store", params={"graph": GRAPH}, headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert len(list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))) == 2
    head = client.head("/store", params={"graph": GRAPH}, headers={"Accept": TURTLE})
    assert head.status_code == 200 and head.content == b""
    assert client.delete("/store", params={"graph": GRAPH}).status_code == 401
    assert client.delete("/store", params={"graph": GRAPH}, headers=AUTH).status_code == 204
    assert client.get("/store", params={"graph": GRAPH}).status_code == 404
    assert client.delete("/store", params={"graph": GRAPH}, headers=AUTH).status_code == 404


def test_graph_store_whole_dataset(client):
    response = client.get("/store", headers={"Accept": "application/n-quads"})
    assert response.status_code == 200
    graphs = {q.graph_name.value for q in ox.parse(response.content, format=ox.RdfFormat.N_QUADS)}
    assert "https://w3id.org/cpv-kg/graph/entities" in graphs
    response = client.get("/store", headers={"Accept": "application/trig"})
    assert response.status_code == 200
    assert client.get("/store", headers={"Accept": TURTLE}).status_code == 406


def test_graph_store_bad_requests(client):
    assert client.get("/store", params={"graph": "not an iri"}).status_code == 400
    assert client.get("/store", params={"graph": GRAPH, "default": ""}).status_code == 400
    response = client.put(
        "/store",
        params={"graph": GRAPH},
        content=b"<a> <b> .",
        headers={**AUTH, "Content-Type": "application/pdf"},
    )
    assert response.status_code == 415
    response = client.put(
        "/store",
        params={"graph": GRAPH},
        content=b"this is not turtle",
        headers={**AUTH, "Content-Type": TURTLE},
    )
    assert response.status_code == 400


@pytest.fixture(scope="module")
def read_only_server(tmp_path_factory):
    process, url = start_server(tmp_path_factory.mktemp("ro") / "store")
    yield url
    stop_server(process)


def test_writing_is_off_without_a_configured_token(read_only_server):
    import httpx

    response = httpx.post(read_only_server + "/sparql", data={"update": "CLEAR ALL"}, headers=AUTH)
    assert response.status_code == 403
    assert "disabled" in response.text


def test_relative_iris_in_updates_resolve_against_the_endpoint(client, server):
    response = client.post(
        "/sparql",
        data={"update": "INSERT DATA { GRAPH <http://e/base> { <thing> <http://e/p> 1 } }"},
        headers=AUTH,
    )
    assert response.status_code == 204
    assert ask(client, f"ASK {{ <{server.url}/thing> <http://e/p> 1 }}")
    client.post("/sparql", data={"update": "DROP GRAPH <http://e/base>"}, headers=AUTH)


def test_protocol_update_dataset_conflicting_with_with_is_refused_clearly(client):
    update = "WITH <http://e/w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    response = client.post("/sparql", data={"update": update, "using-graph-uri": "http://e/g"}, headers=AUTH)
    assert response.status_code == 400
    assert "USING or WITH" in response.text
