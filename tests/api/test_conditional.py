"""ETag and Last-Modified on every read, 304 to a client whose copy still holds, and a new
version after every write: on a real server with its own store (the test writes to it)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.config import DEFAULT_BASE_IRI
from kg.ingest import ingest_paths
from kg.store import open_store

from .conftest import CORPUS, TOKEN, start_server, stop_server

QUERY = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}
CSV = {"Accept": "text/csv"}


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("conditional") / "store"
    store = open_store(path)
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    process, address = start_server(path, update_token=TOKEN, workers="1")
    yield address
    stop_server(process)


@pytest.mark.parametrize(
    "path", ["/api/v1/people", "/id/person/pham-thanh-hoc", "/search?q=dong+da", "/ontology"]
)
def test_a_read_carries_validators_and_a_repeat_gets_304(url, path):
    first = httpx.get(url + path)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    assert "last-modified" in first.headers
    again = httpx.get(url + path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    since = httpx.get(url + path, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert since.status_code == 304
    assert httpx.get(url + path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_sparql_reads_on_every_path_carry_the_same_validators(url):
    # The second and third are answered by the fast path for queries known to be quick.
    answers = [httpx.get(url + "/sparql", params=QUERY, headers=CSV) for _ in range(3)]
    assert {a.status_code for a in answers} == {200}
    assert len({a.headers["etag"] for a in answers}) == 1
    tag = answers[0].headers["etag"]
    assert httpx.get(url + "/sparql", params=QUERY, headers={**CSV, "If-None-Match": tag}).status_code == 304
    as_json = httpx.get(url + "/sparql", params=QUERY, headers={"Accept": "application/sparql-results+json"})
    assert as_json.headers["etag"] != tag  # another representation, another tag
    assert "etag" not in httpx.get(url + "/health").headers  # liveness is never cached


def test_a_write_makes_every_tag_stale(url):
    before = httpx.get(url + "/sparql", params=QUERY, headers=CSV)
    graph = "https://w3id.org/cpv-kg/id/article/conditional-test"
    written = httpx.put(
        url + "/store",
        params={"graph": graph},
        content=f'<{graph}> <http://purl.org/dc/terms/title> "Thử"@vi .\n'.encode(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"},
        timeout=30,
    )
    assert written.status_code in (201, 204)
    after = httpx.get(url + "/sparql", params=QUERY, headers={**CSV, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200  # the old copy is stale: the new answer comes whole
    assert after.headers["etag"] != before.headers["etag"]
    assert after.text != before.text
