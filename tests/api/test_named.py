"""Named queries read back for the routes: rows by name for details, raw tables for lists."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyoxigraph as ox

from kg.api.named import iri_binding, read_table, select, select_table, term_value
from kg.config import Settings
from kg.serve.replica import ReadReplica
from kg.vocabulary import CPV, DCTERMS, ENTITY_GRAPH, RDF, RDFS

THING = ox.NamedNode("http://example.org/thing")


def test_details_and_lists_keep_an_empty_literal_apart_from_unbound(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(THING, RDFS.label, ox.Literal(""), ENTITY_GRAPH))
    store.flush()
    del store
    replica = ReadReplica(tmp_path / "store", threads=1, on_overrun=lambda: None)
    replica.open()
    settings = Settings(store=tmp_path / "store")
    [row] = select(replica, settings, "api/facts", {"iri": iri_binding(THING.value)})
    assert row["value"] == "" and row["via"] is None
    table = asyncio.run(select_table(replica, settings, "api/facts", {"iri": iri_binding(THING.value)}))
    [terms] = table.rows
    assert table.row(terms)["value"] == "" and table.row(terms)["via"] is None
    replica.shutdown()


# Every escape SPARQL TSV may write in a literal, and values that look like its syntax.
AWKWARD = [
    "tab\there",
    "line\nend",
    'quote " and \\ backslash',
    "'single'",
    "\r\f\b",
    "",
    "<not an iri>",
    "ệ 𝔘",
]


def test_a_table_reads_back_every_value_as_written() -> None:
    store = ox.Store()
    for n, text in enumerate(AWKWARD):
        store.add(
            ox.Quad(ox.NamedNode(f"http://example.org/{n}"), RDFS.label, ox.Literal(text, language="vi"))
        )
    store.add(
        ox.Quad(
            ox.NamedNode("http://example.org/n"),
            RDFS.label,
            ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        )
    )
    result = store.query(
        "SELECT ?s ?label ?missing WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    )
    table = read_table(result.serialize(format=ox.QueryResultsFormat.TSV) or b"")
    assert table.columns == ["s", "label", "missing"]
    rows = {row["s"]: row for row in map(table.row, table.rows)}
    assert {rows[f"http://example.org/{n}"]["label"] for n in range(len(AWKWARD))} == set(AWKWARD)
    assert rows["http://example.org/n"]["label"] == "7"
    assert all(row["missing"] is None for row in rows.values())


def test_escapes_of_any_writer_are_read() -> None:
    assert term_value('"caf\\u00E9 \\U0001D518"') == "café 𝔘"
    assert term_value('"a"^^<http://www.w3.org/2001/XMLSchema#string>') == "a"


def test_a_table_over_a_megabyte_reads_the_same(tmp_path: Path) -> None:
    """Large tables are read on a thread, off the event loop, and read back whole."""
    store = ox.Store(str(tmp_path / "store"))
    title = "Hội nghị quán triệt Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025-2030 " * 2
    for n in range(5000):
        article = ox.NamedNode(f"https://example.org/article/{n}")
        store.add(ox.Quad(article, RDF.type, CPV.Article, article))
        store.add(ox.Quad(article, DCTERMS.identifier, ox.Literal(f"a{n}.txt"), article))
        store.add(ox.Quad(article, DCTERMS.title, ox.Literal(f"{title}{n}", language="vi"), article))
    store.flush()
    del store
    replica = ReadReplica(tmp_path / "store", threads=1, on_overrun=lambda: None)
    replica.open()
    table = asyncio.run(select_table(replica, Settings(store=tmp_path / "store"), "api/articles", {}))
    replica.shutdown()
    assert sum(len("\t".join(terms)) for terms in table.rows) > 1 << 20
    rows = [table.row(terms) for terms in table.rows]
    assert sorted(row["identifier"] or "" for row in rows) == sorted(f"a{n}.txt" for n in range(5000))
    assert all(row["title"] == f"{title}{row['identifier'][1:-4]}" for row in rows if row["identifier"])
