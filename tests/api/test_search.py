"""Search on a live server: the JSON API, the page, the search box, and the index kept in step
with Graph Store writes."""

from __future__ import annotations

import httpx
import pytest

from .conftest import TOKEN

PERSON_PAGE = "/id/person/pham-thanh-hoc"


@pytest.mark.parametrize("q", ["pham thanh hoc", "Phạm Thanh Học", "PHẠM THANH HỌC", "pham tha"])
def test_a_person_is_found_however_the_name_is_typed(client: httpx.Client, q: str) -> None:
    found = client.get("/api/v1/search", params={"q": q, "kind": "person"}).json()
    assert found["items"][0]["page"] == PERSON_PAGE
    assert found["items"][0]["label"] == "Phạm Thanh Học"
    assert found["facets"]["person"] >= 1


def test_results_are_typed_and_counted(client: httpx.Client) -> None:
    found = client.get("/api/v1/search", params={"q": "dong da"}).json()
    assert found["total"] == sum(found["facets"].values())
    assert {"organ", "place", "article"} <= set(found["facets"])
    assert found["items"][0]["label"] == "Đống Đa"


def test_the_search_page_links_results_to_their_local_pages(client: httpx.Client) -> None:
    page = client.get("/search", params={"q": "pham thanh hoc"})
    assert page.status_code == 200
    assert f"href='{PERSON_PAGE}'" in page.text
    assert "Phạm Thanh Học" in page.text


@pytest.mark.parametrize("path", ["/", PERSON_PAGE, "/search"])
def test_every_page_has_a_search_box(client: httpx.Client, path: str) -> None:
    page = client.get(path, headers={"Accept": "text/html"})
    assert "action='/search'" in page.text.replace('"', "'")


def test_a_bad_search_is_a_422(client: httpx.Client) -> None:
    assert client.get("/api/v1/search", params={"q": ""}).status_code == 422
    assert client.get("/api/v1/search", params={"q": "x" * 201}).status_code == 422


def test_the_index_follows_graph_store_writes(client: httpx.Client) -> None:
    graph = "http://example.org/search-test"
    person = "https://w3id.org/cpv-kg/id/person/search-test-person"
    body = (
        f'<{person}> a <https://w3id.org/cpv-kg/ontology#Person> ; <http://xmlns.com/foaf/0.1/name> "Hà Quang Vinh" .\n'
        f"<http://example.org/h1> <http://www.w3.org/ns/org#member> <{person}> .\n"
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}

    def found() -> list[str]:
        return [i["iri"] for i in client.get("/api/v1/search", params={"q": "ha quang vinh"}).json()["items"]]

    assert person not in found()
    # The entity's own triples go to the entity graph, the mention to an article-like graph.
    entity = {"graph": "https://w3id.org/cpv-kg/graph/entities"}
    written = client.post(
        "/store",
        params=entity,
        content=body.split("\n")[0] + "\n",
        headers={**auth, "Content-Type": "text/turtle"},
    )
    assert written.status_code in (201, 204)
    assert person in found()
    put = client.put(
        "/store",
        params={"graph": graph},
        content=body.split("\n")[1] + "\n",
        headers={**auth, "Content-Type": "application/n-triples"},
    )
    assert put.status_code == 201
    mentions = [
        i["mentions"]
        for i in client.get("/api/v1/search", params={"q": "ha quang vinh"}).json()["items"]
        if i["iri"] == person
    ]
    assert mentions == [1]
    removed = client.post(
        "/sparql",
        data={
            "update": f"DELETE WHERE {{ GRAPH <https://w3id.org/cpv-kg/graph/entities> {{ <{person}> ?p ?o }} }} ; DROP GRAPH <{graph}>"
        },
        headers=auth,
    )
    assert removed.status_code == 204
    assert person not in found()
