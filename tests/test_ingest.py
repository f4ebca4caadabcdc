"""Ingest on every core and in batches gives the store one article at a time would."""

import io
import shutil
from pathlib import Path

import pytest

from kg.config import DEFAULT_BASE_IRI as BASE
from kg.ingest import ingest_paths
from kg.store import ExportFormat, OxigraphStore


def _dump(store: OxigraphStore) -> list[str]:
    out = io.BytesIO()
    store.export(out, ExportFormat.nquads)
    return sorted(out.getvalue().decode().splitlines())


COPIES = 41  # 205 articles: enough files for ingest to start extraction processes


@pytest.fixture
def folder(tmp_path: Path, corpus: Path) -> Path:
    """The corpus many times over under other names (so people recur across articles and
    batches), with a broken file among them."""
    target = tmp_path / "articles"
    target.mkdir()
    for copy in range(COPIES):
        for path in sorted(corpus.glob("*.txt")):
            shutil.copy(path, target / f"{copy:02d}-{path.name}")
    (target / "broken.txt").write_bytes(b"\x00\x01 not text")
    return target


def test_batches_and_processes_give_the_store_of_one_article_at_a_time(folder):
    one_by_one = OxigraphStore()
    alone = ingest_paths([folder], one_by_one, base_iri=BASE, jobs=1, batch_size=1)
    batched = OxigraphStore()
    together = ingest_paths([folder], batched, base_iri=BASE, jobs=2, batch_size=64)
    assert len(alone.ingested) == len(together.ingested) == COPIES * 5
    assert [f.source for f in together.failed] == [str(folder / "broken.txt")]
    assert "binary file" in together.failed[0].reason  # the reason crosses from the worker
    assert _dump(batched) == _dump(one_by_one)


def test_the_bulk_path_gives_the_same_store_and_loading_again_changes_nothing(folder, tmp_path):
    from kg.store import open_store

    transactional = OxigraphStore()
    ingest_paths([folder], transactional, base_iri=BASE, jobs=2)
    bulk = open_store(tmp_path / "bulk")
    try:
        first = ingest_paths([folder], bulk, base_iri=BASE, jobs=2, bulk=True)
        assert first.changed  # what the search index must take in
        assert _dump(bulk) == _dump(transactional)
        again = ingest_paths([folder], bulk, base_iri=BASE, jobs=2, bulk=True)
        assert len(again.ingested) == len(first.ingested)
        assert again.changed == set()  # every article was there, unchanged: nothing written
        assert _dump(bulk) == _dump(transactional)
    finally:
        bulk.close()


def test_an_article_mapped_in_another_process_is_mapped_again_when_resolution_says_otherwise(
    tmp_path, monkeypatch
):
    """Extraction processes map with the keys of people the graph does not know; a namesake the
    writer tells apart (same exclusive role, two organs, one year) gets another key, and the
    article is mapped again with it."""
    monkeypatch.setattr("kg.ingest._FILES_WORTH_A_POOL", 2)  # three files are enough for processes
    page = "Huyện ủy {district} tổng kết công tác năm\nNgày đăng 0{day}/01/2021 | 08:00\n\n{body}\n"
    body = "Đồng chí Đinh Quang Vũ, Bí thư Huyện ủy {district} phát biểu tổng kết."
    for day, district in enumerate(["Bảo Lâm", "Lộc Bình", "Bảo Lâm"], start=1):
        text = page.format(district=district, day=day, body=body.format(district=district))
        (tmp_path / f"{day}.txt").write_text(text, encoding="utf-8")
    alone, together = OxigraphStore(), OxigraphStore()
    ingest_paths([tmp_path], alone, base_iri=BASE, jobs=1, batch_size=1)
    ingest_paths([tmp_path], together, base_iri=BASE, jobs=2)
    people = together.query('SELECT DISTINCT ?p WHERE { ?p foaf:name "Đinh Quang Vũ" }')
    assert len(list(people)) == 2
    assert _dump(together) == _dump(alone)


def test_a_replaced_article_takes_its_old_seats_with_it(tmp_path):
    """The ingest keeps the people it has read; an article it replaces may drop a seat, which a
    later article must no longer see (here the old seat would make a namesake of its holder)."""
    page = "Huyện ủy {district} họp tổng kết\nNgày đăng 0{day}/02/2021 | 08:00\n\n{body}\n"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    old = "Đồng chí Đinh Quang Vũ, Bí thư Huyện ủy Bảo Lâm phát biểu."
    new = "Đồng chí Đinh Quang Vũ, Phó Bí thư Huyện ủy Bảo Lâm phát biểu."
    later = "Đồng chí Đinh Quang Vũ, Bí thư Huyện ủy Lộc Bình phát biểu."
    (first / "1.txt").write_text(page.format(district="Bảo Lâm", day=1, body=old), encoding="utf-8")
    (second / "1.txt").write_text(page.format(district="Bảo Lâm", day=1, body=new), encoding="utf-8")
    (second / "2.txt").write_text(page.format(district="Lộc Bình", day=2, body=later), encoding="utf-8")
    store = OxigraphStore()
    ingest_paths([first], store, base_iri=BASE)
    ingest_paths([second], store, base_iri=BASE, batch_size=1)
    people = store.query('SELECT DISTINCT ?p WHERE { ?p foaf:name "Đinh Quang Vũ" }')
    assert len(list(people)) == 1


@pytest.mark.parametrize("load_every", [1, 2048])
def test_the_bulk_path_writes_an_article_named_twice_as_the_transactions_do(
    tmp_path, corpus, monkeypatch, load_every
):
    """Two files with one name (so one article IRI): the later replaces the earlier, whether the
    earlier is still waiting for the bulk loader, being loaded or already written."""
    from kg.store import open_store

    monkeypatch.setattr("kg.ingest.BULK_ARTICLES", load_every)
    sources = sorted(corpus.glob("*.txt"))
    for folder, source in (("a", sources[0]), ("b", sources[1])):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / "same.txt")
    folders = [tmp_path / "a", tmp_path / "b"]
    transactional = OxigraphStore()
    ingest_paths(folders, transactional, base_iri=BASE, batch_size=1)
    bulk = open_store(tmp_path / "bulk")
    try:
        ingest_paths(folders, bulk, base_iri=BASE, batch_size=1, bulk=True)
        assert _dump(bulk) == _dump(transactional)
    finally:
        bulk.close()
