"""Named queries read back for the routes: exact values for details, raw tables for lists."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.api.named import iri_binding, select, select_table
from kg.config import Settings
from kg.rdf.namespaces import ENTITY_GRAPH, RDFS
from kg.store.replica import ReadReplica

THING = ox.NamedNode("http://example.org/thing")


def test_details_keep_an_empty_literal_apart_from_unbound_and_lists_do_not(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    store.add(ox.Quad(THING, RDFS.label, ox.Literal(""), ENTITY_GRAPH))
    store.flush()
    del store
    replica = ReadReplica(tmp_path / "store", threads=1, on_overrun=lambda: None)
    replica.open()
    settings = Settings(store=tmp_path / "store")
    [row] = select(replica, settings, "api/facts", {"iri": iri_binding(THING.value)})
    assert row["value"] == "" and row["via"] is None
    table = select_table(replica, settings, "api/facts", {"iri": iri_binding(THING.value)})
    [values] = table.rows
    assert table.row(values)["value"] is None  # CSV: both read as unbound, as documented
    replica.shutdown()
