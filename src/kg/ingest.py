"""Ingest: read articles, map them to RDF and write each one to the store.

Every article is written in its own transaction, so an interruption leaves the
articles already ingested complete and the rest untouched. An article that
cannot be read is reported in the :class:`IngestReport` and skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.articles import Article, read_articles
from kg.errors import ArticleError, KGError
from kg.nlp.pipeline import extract
from kg.ontology import ontology_quads
from kg.rdf.facts import map_extraction
from kg.rdf.mapping import ArticleGraph, map_article
from kg.store.base import TripleStore

__all__ = ["IngestReport", "build_article_graph", "ingest_paths"]


@dataclass
class IngestReport:
    """Which articles went in and which were skipped, with why."""

    ingested: list[str] = field(default_factory=list)
    failed: list[ArticleError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def build_article_graph(article: Article, base_iri: str) -> ArticleGraph:
    """Everything the store receives for one article: its node and its extracted facts."""
    graph = map_article(article, base_iri)
    map_extraction(graph, extract(article), article, base_iri)
    return graph


def ingest_paths(
    paths: Iterable[Path],
    store: TripleStore,
    *,
    base_iri: str,
    on_article: Callable[[str], None] | None = None,
) -> IngestReport:
    """Ingest files and folders of articles into ``store``; re-ingesting an article replaces it."""
    store.load_ontology(ontology_quads())
    report = IngestReport()
    for item in read_articles(paths):
        if isinstance(item, ArticleError):
            report.failed.append(item)
        else:
            try:
                store.replace_article(build_article_graph(item, base_iri))
            except KGError as exc:
                report.failed.append(ArticleError(item.source, str(exc)))
            else:
                report.ingested.append(item.identifier)
        if on_article is not None:
            on_article(item.source)
    return report
