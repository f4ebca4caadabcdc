"""Dereferencing data IRIs (an organ, a person, a congress) in HTML, Turtle, JSON-LD and
N-Triples; the ontology; hostile paths."""

import pyoxigraph as ox
import pytest

BASE = "https://w3id.org/cpv-kg/id/"
ORGAN = "organ/party-committee-city-ha-noi-district-dong-da"
PERSON = "person/pham-thanh-hoc"
CONGRESS = "congress/party-organization-city-ha-noi-district-dong-da-28"
FORMATS = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
]


@pytest.mark.parametrize("path", [ORGAN, PERSON, CONGRESS])
@pytest.mark.parametrize(("accept", "rdf_format"), FORMATS)
def test_rdf_by_accept(client, path, accept, rdf_format):
    response = client.get(f"/id/{path}", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"]
    triples = list(ox.parse(response.content, format=rdf_format))
    assert triples
    assert all(BASE + path in (t.subject.value, t.object.value) for t in triples)


@pytest.mark.parametrize("path", [ORGAN, PERSON, CONGRESS])
def test_html_for_browsers(client, path):
    response = client.get(f"/id/{path}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>" in response.text


def test_person_page_links_to_holdings(client):
    response = client.get(f"/id/{PERSON}", headers={"Accept": "text/html"})
    assert "Phạm Thanh Học" in response.text
    # The position holdings that name this person, the role by its labels, not its code.
    assert ">Phó Trưởng ban Thường trực · Standing deputy head</a></b>" in response.text
    assert "<blockquote>" in response.text  # each with its evidence sentence


def test_unknown_iri_is_404(client):
    assert client.get("/id/organ/nothing-here", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("path", ['organ/"x" } ; DROP ALL', "organ/a>b", "organ/%0Anewline", "x" * 5000])
def test_hostile_paths_are_refused_cleanly(client, path):
    response = client.get(f"/id/{path}", headers={"Accept": "text/turtle"})
    assert response.status_code in (400, 404)
    assert client.get(
        "/sparql",
        params={"query": "ASK { ?a a cpv:Article }"},
        headers={"Accept": "application/sparql-results+json"},
    ).json()["boolean"]


def test_ontology_as_turtle_and_html(client):
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value.endswith("#Organ") for t in triples)
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert "cpv:Organ" in page.text


def test_a_persons_rdf_includes_what_points_at_them(client):
    """A linked-data client walks from a person to their holdings, and on to the roles."""
    response = client.get(f"/id/{PERSON}", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    holdings = [t.subject for t in triples if t.predicate.value == "http://www.w3.org/ns/org#member"]
    assert holdings
    assert all(
        t.object.value == BASE + PERSON
        for t in triples
        if t.predicate.value == "http://www.w3.org/ns/org#member"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/id/{ORGAN}",
        "/ontology",
        "/api/v1/people",
        "/.well-known/void",
        "/docs",
        "/health",
        "/sparql",
        "/store?default",
    ],
)
def test_head_answers_every_page_like_get_without_the_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_an_unknown_iri_is_a_readable_page_for_a_browser_and_json_for_a_client(client):
    page = client.get("/id/person/nobody-of-that-name", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Nothing is known about this IRI" in page.text
    data = client.get("/id/person/nobody-of-that-name", headers={"Accept": "application/json"})
    assert data.status_code == 404
    assert "nothing is known" in data.json()["detail"]


def test_the_ontology_page_is_a_reference(client):
    page = client.get("/ontology", headers={"Accept": "text/html"}).text
    # A class with both languages' labels and definitions, its alignments, its properties and an example.
    assert "id='cpv-Organ'" in page
    assert "Cơ quan" in page and "A Party, state or mass organ" in page
    assert "org:Organization" in page
    assert "href='#cpv-jurisdiction'" in page
    assert "?x a cpv:Organ" in page
    # A property with its domain and range; a code list with codes and surface forms.
    assert "id='cpv-jurisdiction'" in page and "The administrative unit the organ serves." in page
    assert "party-committee" in page and "BCH Đảng bộ" in page


def test_pages_show_labels_of_codes_and_properties_not_raw_codes(client):
    page = client.get(f"/id/{ORGAN}", headers={"Accept": "text/html"}).text
    assert "Cấp ủy · Party committee" in page  # the organ type, from the code list
    assert "địa bàn · jurisdiction" in page  # the property, from the ontology


def test_a_meeting_page_names_its_article_once(client):
    meeting = "article/004-fc3464199c38d9ff/meeting/2020-11-24-party-committee-city-ha-noi-district-long-bien"
    page = client.get(f"/id/{meeting}", headers={"Accept": "text/html"}).text
    assert page.count('From the article <a href="/id/article/004-fc3464199c38d9ff">') == 1
    assert "<td class=src><a" not in page  # not once per fact


def test_a_document_page_lists_the_meetings_and_articles_citing_it(client):
    document = "document/resolution-of-party-organization-city-ha-noi-17"
    page = client.get(f"/id/{document}", headers={"Accept": "text/html"}).text
    cited = page[page.index("Cited by meetings and articles") :]
    assert 'href="/id/article/' in cited
    assert "/meeting/" in cited


def test_an_article_page_lists_what_it_attests(client):
    article = client.get("/api/v1/articles", params={"limit": 500}).json()["items"]
    page = next(a for a in article if a["identifier"].startswith("000_"))["page"]
    html = client.get(page, headers={"Accept": "text/html"}).text
    attested = html.split("<h2>What this article attests</h2>", 1)[1]
    assert "<h3>Positions held</h3>" in attested and "<h3>Meetings</h3>" in attested
    # Each holding names its person and organ as local links, its role by its labels, with the sentence.
    assert ">Bí thư · Secretary</a></b>" in attested
    assert 'href="/id/person/' in attested and 'href="/id/organ/' in attested
    assert "<blockquote>" in attested


def test_codes_and_terms_link_to_the_ontology_reference(client):
    html = client.get("/ontology", headers={"Accept": "text/html"}).text
    assert "id='role-secretary'" in html and "id='cpv-Person'" in html


def test_the_query_page_gets_the_vocabulary_it_completes(client):
    config = client.get("/page-config.json").json()
    assert config["base_iri"] == BASE
    assert config["prefixes"]["role"] == "https://w3id.org/cpv-kg/code/role/"
    assert "https://w3id.org/cpv-kg/ontology#Person" in config["classes"]
    assert "http://www.w3.org/ns/org#member" in config["properties"]  # used by the data, checked by a shape
    assert "https://w3id.org/cpv-kg/code/meeting-kind/dissemination" in config["codes"]
    assert config["labels"]["https://w3id.org/cpv-kg/ontology#Person"] == "Người · Person"


def test_a_long_timeline_comes_a_page_at_a_time_with_links_between_pages():
    from kg.api import resource_page

    page = resource_page.Page(
        iri="https://w3id.org/cpv-kg/id/organ/x",
        title="X",
        direct=[],
        events=[resource_page.Event("2020-01-01", "meeting", "Hội nghị", None, None)],
        incoming=[],
        labels={},
        base="https://w3id.org/cpv-kg/id/",
        events_total=250,
        events_offset=100,
        events_limit=100,
    )
    html = resource_page.render(page)
    assert "101–200 of 250" in html
    assert "href='?events=0'>earlier" in html and "href='?events=200'>later" in html


def test_a_timeline_page_that_is_not_a_number_is_a_400(client):
    response = client.get(
        "/id/organ/party-committee-city-ha-noi-district-dong-da",
        params={"events": "x"},
        headers={"Accept": "text/html"},
    )
    assert response.status_code == 400


def test_rdf_about_a_resource_many_point_at_comes_in_pages_linked_by_link_headers(tmp_path):
    import httpx

    from kg.api.app import create_app
    from kg.api.routes.linked_data import DESCRIBE_PAGE
    from kg.config import DEFAULT_BASE_IRI, Settings
    from kg.serve.direct import DirectEngine

    from .conftest import served_in_process

    organ = ox.NamedNode(DEFAULT_BASE_IRI + "organ/party-committee-somewhere")
    member = ox.NamedNode("http://www.w3.org/ns/org#organization")
    dataset = ox.Store()
    dataset.add(ox.Quad(organ, ox.NamedNode("http://xmlns.com/foaf/0.1/name"), ox.Literal("Đảng ủy X")))
    count = DESCRIBE_PAGE + 300
    graph = ox.NamedNode(DEFAULT_BASE_IRI + "article/a")
    dataset.extend(
        ox.Quad(ox.NamedNode(f"{DEFAULT_BASE_IRI}holding/{i}"), member, organ, graph) for i in range(count)
    )
    app = create_app(DirectEngine(dataset), Settings(store=tmp_path / "store"))
    pointing: set[str] = set()
    with served_in_process(app) as url, httpx.Client(base_url=url) as client:
        following: str | None = "/id/organ/party-committee-somewhere"
        pages = 0
        while following:
            answer = client.get(following, headers={"Accept": "application/n-triples"})
            assert answer.status_code == 200
            triples = list(ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES))
            assert any(t.subject == organ for t in triples)  # its own facts on every page
            pointing |= {str(t.subject) for t in triples if t.object == organ}
            pages += 1
            link = answer.headers.get("link")
            following = link.split(">")[0].lstrip("<") if link else None
    assert pages == 2
    assert len(pointing) == count
