"""Labels of IRIs for people to read: an ontology term (a class, a property, a code) by its
Vietnamese and English labels, a data IRI by its name in the graph."""

from __future__ import annotations

from collections.abc import Iterable

from kg.api.deps import Engine
from kg.api.named import iri_binding, select
from kg.api.ontology_page import term_labels
from kg.config import Settings

__all__ = ["MAX_LABELS", "labels_for"]

MAX_LABELS = 1000  # IRIs in one request: a page of query results holds fewer


def labels_for(engine: Engine, settings: Settings, iris: Iterable[str]) -> dict[str, str]:
    """The label of each of ``iris`` that has one (blocking: one named query for the data IRIs)."""
    wanted = sorted({i for i in iris if i.startswith(("http://", "https://"))})
    terms = term_labels()
    labels = {i: terms[i] for i in wanted if i in terms}
    data = [iri_binding(i) for i in wanted if i not in labels]
    if data:
        for row in select(engine, settings, "api/labels", {"iri": data}):
            labels.setdefault(str(row["iri"]), str(row["label"]))
    return labels
