"""The REST facade: filters, pages, sorting, JSON-LD, details with provenance, and hostile
filter values (every value is bound, never pasted into SPARQL).

These test the routes, so they run in this process, on an in-memory store (``app_client``);
the processes of `kg serve` have tests of their own.
"""

import unicodedata

import pytest

from kg.text import collation_key

HOSTILE = [
    '" } ; DROP ALL ; SELECT * { "',
    "'; DELETE WHERE { ?s ?p ?o } #",
    "x } UNION { ?s ?p ?o",
    "<http://evil.example/> .",
    "line\nbreak",
    "# comment",
    "\\u0022 escaped",
    "a" * 200,
]
LISTS = {
    "organs": ["organ_type", "place", "q"],
    "people": ["role", "organ_type", "place", "q"],
    "congresses": ["place", "q"],
    "documents": ["document_type", "place", "q"],
    "meetings": ["kind", "organ_type", "place", "q"],
    "articles": ["q"],
}


@pytest.fixture
def client(app_client):
    return app_client


def get(client, path, **params):
    response = client.get(f"/api/v1/{path}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_organs_by_type_and_place(client):
    page = get(client, "organs", organ_type="party-committee", place="Đống Đa")
    assert page["total"] == 1
    (organ,) = page["items"]
    assert organ["iri"].endswith("party-committee-city-ha-noi-district-dong-da")


def test_people_by_role_and_place(client):
    page = get(client, "people", role="secretary", place="Hà Nội")
    assert {p["name"] for p in page["items"]} == {"Vương Đình Huệ"}


def test_people_by_name_text(client):
    page = get(client, "people", q="thanh học")
    assert [p["name"] for p in page["items"]] == ["Phạm Thanh Học"]
    assert page["items"][0]["roles"] == ["standing-deputy-head@propaganda-department@Hà Nội"]


def test_documents_by_type(client):
    page = get(client, "documents", document_type="program", place="Long Biên", sort="label")
    assert [d["number"] for d in page["items"]] == ["01", "02", "03"]


def test_meetings_by_date_range_and_kind(client):
    page = get(client, "meetings", date_from="2020-09-01", date_to="2020-12-31", kind="dissemination")
    assert sorted(m["date"] for m in page["items"]) == ["2020-09-15", "2020-11-24"]
    assert all(m["article"] and m["evidence"] for m in page["items"])


def test_articles_by_date(client):
    page = get(client, "articles", date_from="2021-01-01", sort="issued")
    assert [a["identifier"] for a in page["items"]] == [
        "003_0b6753d6958e9fca.txt",
        "002_354e128c70d689d2.txt",
    ]


def test_pagination_and_total(client):
    first = get(client, "organs", limit=3, offset=0)
    second = get(client, "organs", limit=3, offset=3)
    assert first["total"] == second["total"] > 6
    assert len(first["items"]) == 3
    assert {o["iri"] for o in first["items"]}.isdisjoint({o["iri"] for o in second["items"]})


def test_sorting(client):
    names = [p["name"] for p in get(client, "people", sort="-name")["items"]]
    assert names == sorted(names, key=collation_key, reverse=True)


# The Vietnamese alphabet: "Cấp ủy" before "Cơ quan", "Đảng bộ" after "D", "Ủy ban" among the U's.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def letters(text):
    """The places in the alphabet of the text's letters, -1 for a space (before any letter)."""
    toneless = "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if c not in TONES)
    return [ALPHABET.find(c) for c in unicodedata.normalize("NFC", toneless) if c in ALPHABET or c == " "]


def test_labels_sort_in_vietnamese_alphabetical_order_not_by_code_point(client):
    labels = [o["label"] for o in get(client, "organs", sort="label", limit=500)["items"]]
    assert [letters(label) for label in labels] == sorted(letters(label) for label in labels)
    assert labels != sorted(labels)  # the corpus has labels that code-point order misplaces


def test_json_ld(client):
    response = client.get("/api/v1/congresses", headers={"Accept": "application/ld+json"})
    assert response.headers["content-type"].startswith("application/ld+json")
    body = response.json()
    assert body["@context"]["iri"] == "@id"
    assert body["items"]


def test_detail_with_provenance(client):
    response = client.get("/api/v1/person/pham-thanh-hoc")
    assert response.status_code == 200
    facts = response.json()["facts"]
    attested = [f for f in facts if f["via"] and f["evidence"]]
    assert {f["article"] for f in attested} >= {
        "https://w3id.org/cpv-kg/id/article/000-4c83d0c81348116c",
        "https://w3id.org/cpv-kg/id/article/001-ae611399a1b4a2b8",
    }
    assert any("Phạm Thanh Học" in f["evidence"] for f in attested)


def test_detail_of_unknown_resource_is_404(client):
    assert client.get("/api/v1/organ/no-such-organ").status_code == 404


def test_bad_parameters_are_422(client):
    assert client.get("/api/v1/organs", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/organs", params={"organ_type": "Not A Code"}).status_code == 422
    assert client.get("/api/v1/meetings", params={"date_from": "yesterday"}).status_code == 422
    assert (
        client.get(
            "/api/v1/meetings", params={"date_from": "2021-01-02", "date_to": "2021-01-01"}
        ).status_code
        == 400
    )


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("resource", sorted(LISTS))
def test_hostile_filter_values_match_nothing_and_harm_nothing(client, resource, value):
    for parameter in LISTS[resource]:
        response = client.get(f"/api/v1/{resource}", params={parameter: value})
        assert response.status_code in (200, 422), (parameter, response.text)
        if response.status_code == 200:
            assert response.json()["total"] == 0, parameter
    assert get(client, "articles")["total"] == 5


def test_overlong_text_is_refused(client):
    assert client.get("/api/v1/organs", params={"q": "a" * 201}).status_code == 422


def test_openapi_describes_the_schemas(client):
    schema = client.get("/openapi.json").json()
    assert "OrganItem" in schema["components"]["schemas"]
    assert "/api/v1/people" in schema["paths"]


SORTS = {
    "organs": ["label", "place"],
    "people": ["name"],
    "congresses": ["ordinal", "place"],
    "documents": ["issued", "label"],
    "meetings": ["date"],
    "articles": ["issued"],
}


@pytest.mark.parametrize(
    ("resource", "sort"),
    [
        (resource, f"{sign}{field}")
        for resource, fields in SORTS.items()
        for field in fields
        for sign in ("", "-")
    ],
)
def test_pages_walk_the_whole_list_once_in_sort_order(client, resource, sort):
    field, descending = sort.lstrip("-"), sort.startswith("-")
    first = get(client, resource, sort=sort, limit=2)
    items = [
        item
        for offset in range(0, first["total"], 2)
        for item in get(client, resource, sort=sort, limit=2, offset=offset)["items"]
    ]
    assert len(items) == first["total"] > 0
    assert len({item["iri"] for item in items}) == len(items)
    keys = [(item[field] is None, item[field]) for item in items]
    present = [value for missing, value in keys if not missing]
    order = collation_key if field in ("label", "place", "name") else None
    assert present == sorted(present, key=order, reverse=descending)
    missing = [m for m, _ in keys]
    assert missing == sorted(missing, reverse=descending)  # missing values last, first when descending


@pytest.mark.parametrize(
    ("path", "spellings"),
    [
        ("/api/v1/organs", ["dong da", "Đống Đa", "ĐỐNG ĐA"]),
        ("/api/v1/people", ["pham thanh", "Phạm Thanh", "PHẠM THANH"]),
        ("/api/v1/articles", ["quan uy", "Quận ủy", "QUẬN ỦY"]),
        ("/api/v1/documents", ["nghi quyet", "Nghị quyết"]),
    ],
)
def test_q_finds_the_same_however_it_is_accented(client, path, spellings):
    found = [client.get(path, params={"q": q, "limit": 500}).json() for q in spellings]
    assert found[0]["total"] > 0
    assert all(f["total"] == found[0]["total"] for f in found)
    assert all(f["items"] == found[0]["items"] for f in found)


@pytest.mark.parametrize("kind", ["organs", "people", "congresses", "documents", "meetings", "articles"])
def test_every_item_links_to_its_page_on_this_server(client, kind):
    items = client.get(f"/api/v1/{kind}", params={"limit": 3}).json()["items"]
    assert items
    for item in items:
        assert item["page"] == "/id/" + item["id"]
        assert client.get(item["page"], headers={"Accept": "text/html"}).status_code == 200


def test_labels_of_iris_with_their_local_pages(client):
    person = client.get("/api/v1/people", params={"limit": 1}).json()["items"][0]
    iris = [person["iri"], "https://w3id.org/cpv-kg/code/role/secretary", "http://example.org/elsewhere"]
    labels = client.post("/api/v1/labels", json=iris).json()
    assert labels[person["iri"]] == {"label": person["name"], "page": person["page"]}
    assert labels[iris[1]] == {"label": "Bí thư · Secretary", "page": "/ontology#role-secretary"}
    assert iris[2] not in labels  # nothing to show for it
    assert client.get("/api/v1/labels", params={"iri": person["iri"]}).json() == {
        person["iri"]: labels[person["iri"]]
    }
    too_many = client.post("/api/v1/labels", json=[f"http://e.org/{n}" for n in range(1001)])
    assert too_many.status_code == 400


def test_detail_facts_carry_labels_and_local_pages(client):
    person = client.get("/api/v1/people", params={"limit": 1}).json()["items"][0]
    facts = client.get(f"/api/v1/{person['id']}").json()["facts"]
    organs = [f for f in facts if f["predicate"].endswith("org#organization")]
    assert organs and all(f["value_page"].startswith("/id/organ/") and f["value_label"] for f in organs)
    roles = [f for f in facts if f["predicate"].endswith("org#role")]
    assert roles and all(f["value_page"].startswith("/ontology#role-") for f in roles)
    assert all(" · " in f["value_label"] for f in roles)  # Vietnamese · English
    assert all(f["article_page"].startswith("/id/article/") for f in facts if f["article"])


def test_a_detail_pages_through_the_holdings_and_meetings_that_name_it(client):
    whole = get(client, "organ/party-committee-city-ha-noi-district-dong-da", limit=1000)
    assert whole["events_total"] >= 3 and whole["next"] is None
    everything = {f["via"] for f in whole["facts"] if f["via"]}
    assert len(everything) == whole["events_total"]
    own = [f for f in whole["facts"] if not f["via"]]
    seen, url, pages = [], "/api/v1/organ/party-committee-city-ha-noi-district-dong-da?limit=2", 0
    while url:
        page = client.get(url).json()
        pages += 1
        assert [f for f in page["facts"] if not f["via"]] == own  # its own facts come on every page
        vias = list(dict.fromkeys(f["via"] for f in page["facts"] if f["via"]))
        assert len(vias) <= 2
        seen += vias
        url = page["next"]
    assert pages == -(-whole["events_total"] // 2)
    assert sorted(seen) == sorted(everything)  # each once, none lost between pages


def test_detail_page_bounds_are_422(client):
    path = "/api/v1/organ/party-committee-city-ha-noi-district-dong-da"
    assert client.get(path, params={"limit": 0}).status_code == 422
    assert client.get(path, params={"limit": 5000}).status_code == 422
    assert client.get(path, params={"offset": -1}).status_code == 422
