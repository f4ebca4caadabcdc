"""The store: atomic article replacement, entity merging, export, errors.

The tests taking the ``store`` fixture run on each implementation: the embedded store, an
Oxigraph server and Virtuoso (through :class:`~kg.store.remote.RemoteStore`).
"""

import io
import shutil
from dataclasses import replace

import pyoxigraph as ox
import pytest

from kg.config import DEFAULT_BASE_IRI as BASE
from kg.errors import QueryError, StoreError
from kg.ingest import ingest_paths
from kg.ontology import ontology_quads
from kg.rdf.mapping import ArticleGraph
from kg.store import ExportFormat, OxigraphStore, open_store
from kg.store.remote import RemoteStore
from kg.vocabulary import CPV, ENTITY_GRAPH, ONTOLOGY_GRAPH, RDF, SCHEMA
from tests.servers import empty

ORGAN = ox.NamedNode(BASE + "organ/party-committee-ha-giang")
UNIT = ox.NamedNode(BASE + "unit/province-ha-giang")
OTHER = ox.NamedNode(BASE + "organ/peoples-council-ha-giang")


@pytest.fixture(params=["embedded", "oxigraph-server", "virtuoso"])
def store(request):
    """An empty store of each kind."""
    if request.param == "embedded":
        yield OxigraphStore()
        return
    endpoint = request.getfixturevalue(request.param.split("-")[0] + "_endpoint")
    empty(endpoint)
    remote = RemoteStore(endpoint)
    yield remote
    remote.close()


def article(name: str, *entities: ox.NamedNode, title: str = "Tiêu đề") -> ArticleGraph:
    graph = ArticleGraph(ox.NamedNode(BASE + "article/" + name))
    graph.add(graph.iri, RDF.type, CPV.Article)
    graph.add(graph.iri, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal(title, language="vi"))
    for entity in entities:
        graph.add(graph.iri, SCHEMA.mentions, entity)
        graph.describe(entity, RDF.type, CPV.Organ)
        graph.describe(entity, CPV.jurisdiction, UNIT)
    graph.describe(UNIT, RDF.type, CPV.AdministrativeUnit)
    return graph


def entity_subjects(store: OxigraphStore) -> set[str]:
    rows = store.query("SELECT DISTINCT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": ENTITY_GRAPH})
    return {row["s"].value for row in rows}


def test_replacing_an_article_is_idempotent(store):
    store.replace_article(article("a", ORGAN))
    before = len(store)
    store.replace_article(article("a", ORGAN))
    assert len(store) == before


def test_replacing_swaps_the_article_graph(store):
    store.replace_article(article("a", ORGAN, title="Cũ"))
    store.replace_article(article("a", ORGAN, title="Mới"))
    titles = [row["t"].value for row in store.query("SELECT ?t WHERE { ?a dcterms:title ?t }")]
    assert titles == ["Mới"]


def test_entities_are_described_once_across_articles(store):
    store.replace_article(article("a", ORGAN))
    store.replace_article(article("b", ORGAN))
    rows = list(store.query("SELECT ?o ?g WHERE { GRAPH ?g { ?o a cpv:Organ } }", {"o": ORGAN}))
    assert [row["g"] for row in rows] == [ENTITY_GRAPH]


def test_entities_no_article_mentions_leave_the_entity_graph(store):
    store.replace_article(article("a", ORGAN, OTHER))
    store.replace_article(article("b", ORGAN))
    store.replace_article(article("a", ORGAN))  # a no longer mentions OTHER
    assert OTHER.value not in entity_subjects(store)
    assert {ORGAN.value, UNIT.value} <= entity_subjects(store)  # UNIT is reached through ORGAN
    store.remove_article(ox.NamedNode(BASE + "article/a"))
    assert ORGAN.value in entity_subjects(store)  # still mentioned by b
    store.remove_article(ox.NamedNode(BASE + "article/b"))
    assert entity_subjects(store) == set()


def test_a_failed_write_leaves_the_old_graph(tmp_path):
    path = tmp_path / "store"
    writable = open_store(path)
    writable.replace_article(article("a", ORGAN, title="Cũ"))
    writable.flush()
    del writable
    read_only = OxigraphStore(ox.Store.read_only(str(path)), path)
    with pytest.raises(StoreError):
        read_only.replace_article(article("a", ORGAN, title="Mới"))
    titles = [row["t"].value for row in read_only.query("SELECT ?t WHERE { ?a dcterms:title ?t }")]
    assert titles == ["Cũ"]


def test_ontology_lives_in_its_own_graph(store):
    store.load_ontology(ontology_quads())
    store.load_ontology(ontology_quads())
    assert store.statistics().graphs == {ONTOLOGY_GRAPH.value: len(ontology_quads())}


def test_queries_see_the_union_of_graphs(store, corpus):
    ingest_paths([corpus], store, base_iri=BASE)
    # Articles live in their graphs, code lists in the ontology graph; one pattern sees both.
    assert bool(store.query("ASK { ?a a cpv:Article . ?c skos:notation 'party-committee' }"))
    assert not bool(store.query("ASK { ?a a cpv:Article ; skos:notation 'party-committee' }"))


def test_values_are_bound_not_pasted(store, corpus):
    ingest_paths([corpus], store, base_iri=BASE)
    hostile = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    rows = list(store.query("SELECT ?id ?a WHERE { ?a dcterms:identifier ?id }", {"id": hostile}))
    assert rows == []
    assert store.statistics().articles == 5


def test_malformed_query_is_a_query_error(store):
    with pytest.raises(QueryError, match="error at"):
        store.query("SELECT ?x WHERE { ?x ?y }")


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_round_trips(store, corpus, fmt):
    ingest_paths([corpus], store, base_iri=BASE)
    buffer = io.BytesIO()
    store.export(buffer, fmt)
    quads = list(ox.parse(buffer.getvalue(), format=fmt.rdf_format))
    titles = {
        q.object.value for q in quads if q.predicate.value.endswith("/title") and "Đống Đa" in str(q.object)
    }
    assert len(titles) >= 2
    if fmt is not ExportFormat.turtle:
        assert len(quads) == len(store)


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match=r"no store at .*kg ingest"):
        open_store(tmp_path / "none", create=False)


def test_locked_store_is_a_clear_error(tmp_path):
    first = open_store(tmp_path / "store")
    with pytest.raises(StoreError, match="in use by another process"):
        open_store(tmp_path / "store")
    del first


def test_corrupt_store_is_a_clear_error(tmp_path):
    path = tmp_path / "store"
    first = open_store(path)
    first.replace_article(article("a", ORGAN))
    first.flush()
    del first
    for table in path.glob("*.sst"):
        table.write_bytes(b"\x00garbage" * 64)
    for manifest in path.glob("MANIFEST-*"):
        manifest.write_bytes(b"not a manifest")
    with pytest.raises(StoreError, match="corrupt"):
        open_store(path)


def test_a_file_is_not_a_store(tmp_path):
    path = tmp_path / "store"
    path.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_store(path)


def test_on_disk_store_survives_reopening(tmp_path, corpus):
    path = tmp_path / "store"
    first = open_store(path)
    ingest_paths([corpus], first, base_iri=BASE)
    first.flush()
    count = len(first)
    del first
    assert len(open_store(path, create=False)) == count
    shutil.rmtree(path)


def test_store_folder_is_created_with_its_parents(tmp_path):
    store = open_store(tmp_path / "a" / "b" / "store")
    assert (tmp_path / "a" / "b" / "store" / "CURRENT").exists()
    store.close()


def _entities(store: OxigraphStore) -> set[str]:
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH {ENTITY_GRAPH} {{ ?s ?p ?o }} }}")
    return {row["s"].value for row in rows}


def test_the_entity_graph_after_replacements_is_that_of_a_clean_ingest(tmp_path, corpus):
    """Removing and rewriting articles leaves exactly the entities the remaining articles use."""
    from kg.articles import read_articles
    from kg.ingest import build_article_graph

    articles = [a for a in read_articles([corpus]) if not isinstance(a, Exception)]
    shortened = [replace(a, body=a.body.split("\n")[0]) for a in articles[:2]]  # fewer facts
    graphs = {a.identifier: build_article_graph(a, BASE) for a in articles}
    step_by_step = OxigraphStore()
    step_by_step.replace_articles(list(graphs.values()))
    step_by_step.replace_articles(
        [build_article_graph(a, BASE) for a in shortened], [graphs[articles[4].identifier].iri]
    )
    step_by_step.remove_article(graphs[articles[3].identifier].iri)
    clean = OxigraphStore()
    clean.replace_articles([build_article_graph(a, BASE) for a in [*shortened, articles[2]]])
    assert _entities(clean)
    # (A shared entity keeps what the removed versions said of it: descriptions are merged, not
    # counted per article.)
    assert _entities(step_by_step) == _entities(clean)


def test_a_server_that_refuses_writes_says_what_to_set(virtuoso_endpoint):
    anonymous = RemoteStore(
        replace(virtuoso_endpoint, user=None, password=None, update_url=virtuoso_endpoint.query_url)
    )
    with pytest.raises(QueryError, match="KG_STORE_USER and KG_STORE_PASSWORD"):
        anonymous.replace_article(article("a", ORGAN))
    anonymous.close()


def test_a_server_that_is_not_there_is_a_clear_error():
    from kg.store.remote import endpoint_for

    with pytest.raises(StoreError, match=r"cannot reach the SPARQL server at http://127\.0\.0\.1:9/"):
        endpoint_for("http://127.0.0.1:9/", timeout=2)
