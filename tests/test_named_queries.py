"""Every named query of queries/ runs on the corpus and gives its expected answer."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import DEFAULT_BASE_IRI as BASE
from kg.ingest import ingest_paths
from kg.queries import load_query, queries_dir
from kg.store import OxigraphStore

from .conftest import CORPUS

ARTICLE_000 = ox.NamedNode(BASE + "article/000-4c83d0c81348116c")
DONG_DA_COMMITTEE = ox.NamedNode(BASE + "organ/party-committee-city-ha-noi-district-dong-da")
HA_NOI_COMMITTEE = ox.NamedNode(BASE + "organ/party-committee-city-ha-noi")
PHAM_THANH_HOC = ox.NamedNode(BASE + "person/pham-thanh-hoc")


@pytest.fixture(scope="module")
def corpus_store() -> OxigraphStore:
    store = OxigraphStore()
    ingest_paths([CORPUS], store, base_iri=BASE)
    return store


def rows(store, name, **bindings):
    result = store.run_named(load_query(name), bindings)
    return [
        {v.value: (row[v].value if row[v] is not None else None) for v in result.variables} for row in result
    ]


def test_every_query_has_a_bilingual_header_and_a_test():
    names = sorted(p.stem for p in queries_dir().glob("*.rq"))
    assert len(names) >= 15
    tested = {name for name in names if f'"{name}"' in Path(__file__).read_text(encoding="utf-8")}
    assert tested == set(names), set(names) - tested
    for name in names:
        header = [line for line in load_query(name).splitlines() if line.startswith("#")]
        assert " / " in header[0], f"{name}: the first line asks the question in Vietnamese / English"
        assert any("Parameters" in line for line in header), name


def test_roles_in_organ(corpus_store):
    found = {(r["name"], r["role"]) for r in rows(corpus_store, "roles_in_organ", organ=DONG_DA_COMMITTEE)}
    assert found == {("Hà Minh Hải", "secretary"), ("Nguyễn Anh Cường", "standing-deputy-secretary")}


def test_person_organs(corpus_store):
    found = rows(corpus_store, "person_organs", person=PHAM_THANH_HOC)
    assert {r["identifier"] for r in found} == {"000_4c83d0c81348116c.txt", "001_ae611399a1b4a2b8.txt"}
    assert {r["role"] for r in found} == {"standing-deputy-head"}


def test_meetings_on_document(corpus_store):
    resolution = ox.NamedNode(
        BASE + "document/resolution-of-party-organization-city-ha-noi-district-dong-da-28"
    )
    found = rows(corpus_store, "meetings_on_document", document=resolution)
    assert [r["date"] for r in found] == ["2020-09-15"]


def test_congresses_by_organization(corpus_store):
    found = [
        (r["ordinal"], r["startYear"], r["endYear"])
        for r in rows(corpus_store, "congresses_by_organization", placeName=ox.Literal("Hà Nội"))
    ]
    assert found == [("16", "2015", "2020"), ("17", "2020", "2025")]


def test_documents_per_organ_year(corpus_store):
    found = {
        (r["issuerLabel"], r["year"]): int(r["documents"])
        for r in rows(corpus_store, "documents_per_organ_year")
    }
    assert found[("Đảng bộ Long Biên", "2020")] == 3  # the three programs of article 004
    assert found[("Cấp ủy Việt Nam", "2020")] == 2  # KL 65 and NQ 24 in article 000


def test_people_together(corpus_store):
    found = {(r["name"], r["otherName"]) for r in rows(corpus_store, "people_together")}
    assert ("Lê Thị Hiền", "Vũ Tiến Hưng") in found or ("Vũ Tiến Hưng", "Lê Thị Hiền") in found


def test_articles_per_place_month(corpus_store):
    found = {
        (r["placeName"], r["month"]): int(r["articles"])
        for r in rows(corpus_store, "articles_per_place_month")
    }
    assert found[("Đống Đa", "2020-09")] == 1
    assert found[("Long Biên", "2020-11")] == 1


def test_fact_provenance(corpus_store):
    found = rows(corpus_store, "fact_provenance", subject=PHAM_THANH_HOC)
    assert {r["identifier"] for r in found} == {"000_4c83d0c81348116c.txt", "001_ae611399a1b4a2b8.txt"}
    holdings = [r for r in found if r["kind"].endswith("PositionHolding")]
    assert len(holdings) == 2
    assert all("Phạm Thanh Học" in r["evidence"] for r in holdings)
    assert {r["kind"].rsplit("#", 1)[1] for r in found} == {"PositionHolding", "Meeting"}  # he presented


def test_organs_by_type_and_place(corpus_store):
    found = {
        r["placeName"]: int(r["articles"])
        for r in rows(corpus_store, "organs_by_type_and_place", type=ox.Literal("party-committee"))
    }
    assert found["Đống Đa"] == 3
    assert found["Long Biên"] == 2


def test_holders_of_role(corpus_store):
    found = {
        (r["name"], r["placeName"])
        for r in rows(corpus_store, "holders_of_role", role=ox.Literal("secretary"))
    }
    assert found == {("Hà Minh Hải", "Đống Đa"), ("Đặng Đức Cường", "Sài Đồng"), ("Vương Đình Huệ", "Hà Nội")}


def test_meetings_per_organizer_month(corpus_store):
    found = {
        (r["organizerLabel"], r["month"])
        for r in rows(corpus_store, "meetings_per_organizer_month", placeName=ox.Literal("Long Biên"))
    }
    assert found == {("Cấp ủy Long Biên", "2020-11")}


def test_meeting_kinds_per_year(corpus_store):
    found = {(r["year"], r["kind"]): int(r["meetings"]) for r in rows(corpus_store, "meeting_kinds_per_year")}
    assert found == {("2020", "dissemination"): 3, ("2021", "review"): 1, ("2024", "dissemination"): 1}


def test_sub_organizations(corpus_store):
    found = {
        (r["label"], r["type"]) for r in rows(corpus_store, "sub_organizations", parent=HA_NOI_COMMITTEE)
    }
    assert ("Ban Tuyên giáo Hà Nội", "propaganda-department") in found


def test_documents_of_issuer(corpus_store):
    long_bien = ox.NamedNode(BASE + "organ/party-organization-city-ha-noi-district-long-bien")
    found = [(r["type"], r["number"]) for r in rows(corpus_store, "documents_of_issuer", issuer=long_bien)]
    assert found == [("program", "01"), ("program", "02"), ("program", "03")]


def test_congress_resolutions_in_articles(corpus_store):
    found = {
        (r["ordinal"], r["identifier"])
        for r in rows(corpus_store, "congress_resolutions_in_articles", placeName=ox.Literal("Hà Nội"))
    }
    assert found == {
        ("17", "002_354e128c70d689d2.txt"),
        ("16", "002_354e128c70d689d2.txt"),
        ("17", "003_0b6753d6958e9fca.txt"),
    }


def test_people_per_article(corpus_store):
    found = [
        r["name"]
        for r in rows(corpus_store, "people_per_article", identifier=ox.Literal("004_fc3464199c38d9ff.txt"))
    ]
    assert found == ["Nguyễn Thế Thạch", "Đinh Thị Thu Hương"]


def test_articles(corpus_store):
    found = [r["identifier"] for r in rows(corpus_store, "articles")]
    assert found[0] == "003_0b6753d6958e9fca.txt" or found[0] == "002_354e128c70d689d2.txt"
    assert len(found) == 5


def test_kg_query_runs_a_named_query_with_parameters(tmp_path, corpus):
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    store = tmp_path / "store"
    assert runner.invoke(app, ["ingest", str(corpus), "--store", str(store)]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "query",
            "-f",
            str(queries_dir() / "holders_of_role.rq"),
            "-p",
            "role=secretary",
            "--format",
            "csv",
            "--store",
            str(store),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Vương Đình Huệ" in result.output and "Nguyễn Thế Thạch" not in result.output
    bad = runner.invoke(
        app, ["query", "-f", str(queries_dir() / "articles.rq"), "-p", "oops", "--store", str(store)]
    )
    assert bad.exit_code == 2


def test_find_by_name_matches_text_typed_without_accents(corpus_store):
    found = rows(corpus_store, "find_by_name", text=ox.Literal("pham thanh hoc"))
    assert [(r["entity"], r["articles"]) for r in found] == [(PHAM_THANH_HOC.value, "2")]
    organs = rows(corpus_store, "find_by_name", text=ox.Literal("dong da"))
    assert DONG_DA_COMMITTEE.value in {r["entity"] for r in organs}
    assert int(organs[0]["articles"]) >= int(organs[-1]["articles"])  # the most mentioned first
    assert len(rows(corpus_store, "find_by_name")) > len(organs)  # unbound: every entity
