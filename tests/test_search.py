"""The search index over a real store: accent- and case-blind, words and word starts, ranked,
and kept in step when what the store holds changes."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.config import DEFAULT_BASE_IRI
from kg.ingest import build_article_graph, ingest_paths
from kg.store import OxigraphStore
from kg.store.search import SearchIndex, index_path
from kg.text import search_form
from kg.vocabulary import CPV, ENTITY_GRAPH, FOAF, ORG, RDF

from .conftest import CORPUS

PERSON = DEFAULT_BASE_IRI + "person/pham-thanh-hoc"


@pytest.fixture(scope="module")
def corpus_store() -> OxigraphStore:
    store = OxigraphStore()
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    return store


@pytest.fixture(scope="module")
def index(corpus_store: OxigraphStore) -> SearchIndex:
    built = SearchIndex(None)
    assert built.rebuild(corpus_store.query) > 50
    return built


@pytest.mark.parametrize(
    ("written", "folded"),
    [("Đống Đa", "dong da"), ("ĐỐNG  ĐA", "dong da"), ("Quận Uỷ", "quan uy"), ("Nghị quyết", "nghi quyet")],
)
def test_the_search_form_drops_marks_case_and_the_stroke(written: str, folded: str) -> None:
    assert search_form(written) == folded


@pytest.mark.parametrize("query", ["dong da", "Đống Đa", "ĐỐNG ĐA", "đống đa", "Dong   Da"])
def test_any_spelling_finds_the_same(index: SearchIndex, query: str) -> None:
    result = index.search(query)
    assert result.total == index.search("dong da").total > 5
    assert [h.iri for h in result.hits] == [h.iri for h in index.search("dong da").hits]


def test_the_exact_name_comes_first(index: SearchIndex) -> None:
    hits = index.search("Đống Đa").hits
    assert hits[0].label == "Đống Đa"
    assert hits[0].kind == "place"


def test_a_word_start_finds_a_person(index: SearchIndex) -> None:
    for query in ("pham thanh hoc", "pha tha", "Học"):
        assert PERSON in [h.iri for h in index.search(query, kinds=["person"]).hits], query


def test_kinds_filter_the_hits_and_facets_count_them_all(index: SearchIndex) -> None:
    everything = index.search("dong da")
    organs = index.search("dong da", kinds=["organ"])
    assert {h.kind for h in organs.hits} == {"organ"}
    assert organs.total == everything.facets["organ"] < everything.total
    assert organs.facets == everything.facets


def _people(mentions: dict[str, int]) -> OxigraphStore:
    """A store of people named ``mentions``' keys, each mentioned in that many article graphs."""
    store = OxigraphStore()
    quads = []
    for n, (name, count) in enumerate(mentions.items()):
        person = ox.NamedNode(f"{DEFAULT_BASE_IRI}person/p{n}")
        quads += [
            ox.Quad(person, RDF.type, CPV.Person, ENTITY_GRAPH),
            ox.Quad(person, FOAF.name, ox.Literal(name), ENTITY_GRAPH),
        ]
        quads += [
            ox.Quad(
                ox.NamedNode(f"http://example.org/h{n}-{a}"),
                ORG.member,
                person,
                ox.NamedNode(f"http://example.org/a{a}"),
            )
            for a in range(count)
        ]
    store._store.extend(quads)
    return store


def test_the_exact_name_then_the_most_mentioned(tmp_path: Path) -> None:
    store = _people({"Mai Văn Tùng": 1, "Tùng": 0, "Đào Thị Tùng": 3, "Lò Văn Tùng": 2})
    built = SearchIndex(None)
    built.rebuild(store.query)
    assert [h.label for h in built.search("tung").hits] == [
        "Tùng",
        "Đào Thị Tùng",
        "Lò Văn Tùng",
        "Mai Văn Tùng",
    ]
    assert [h.mentions for h in built.search("tung").hits] == [0, 3, 2, 1]


def test_nothing_to_search_finds_nothing(index: SearchIndex) -> None:
    assert index.search("   ").total == 0
    assert index.search('"*()').total == 0


def test_a_refresh_removes_what_the_store_no_longer_holds(tmp_path: Path) -> None:
    store = OxigraphStore()
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    built = SearchIndex(tmp_path / "index.sqlite")
    built.rebuild(store.query)
    articles = [h.iri for h in built.search("pham thanh hoc", kinds=["article"]).hits]
    assert articles
    for article in store.article_graphs():
        store.remove_article(article)
    built.refresh(store.query, [PERSON, *articles])
    assert built.search("pham thanh hoc").total == 0


def test_kg_ingest_builds_the_index_beside_the_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["ingest", str(CORPUS), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    path = index_path(tmp_path / "store")
    assert path.exists()
    reader = SearchIndex(path, read_only=True)
    assert PERSON in [h.iri for h in reader.search("Pham Thanh Hoc").hits]
    reader.close()
    assert isinstance(ox.NamedNode(PERSON), ox.NamedNode)


def test_refreshing_what_an_ingest_changed_gives_the_index_a_rebuild_would(tmp_path):
    """``IngestReport.changed`` names every IRI whose entry may differ: added, renamed, gone."""
    from dataclasses import replace

    from kg.articles import Article, read_articles

    articles = [a for a in read_articles([CORPUS]) if isinstance(a, Article)]
    store = OxigraphStore()
    ingest_paths([CORPUS], store, base_iri=DEFAULT_BASE_IRI)
    refreshed = SearchIndex(None)
    refreshed.rebuild(store.query)
    # A second version of one article, with fewer facts, and the removal of another.
    changed = store.replace_article(
        build_article_graph(replace(articles[0], body=articles[0].body[:200]), DEFAULT_BASE_IRI)
    )
    changed |= store.remove_article(build_article_graph(articles[1], DEFAULT_BASE_IRI).iri)
    refreshed.refresh(store.query, changed)
    rebuilt = SearchIndex(None)
    rebuilt.rebuild(store.query)
    for query in ("dong da", "pham", "ha noi", "nghi quyet", "long bien", "quan"):
        assert refreshed.search(query, limit=100) == rebuilt.search(query, limit=100), query
