"""Ingest: read articles, map them to RDF and write each one to the store.

Every article is written in its own transaction, so an interruption leaves the
articles already ingested complete and the rest untouched. An article that
cannot be read is reported in the :class:`IngestReport` and skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions

from kg.articles import Article, read_articles
from kg.errors import ArticleError, ExtractionError, KGError
from kg.linking import KnownPerson, NoPeople, PersonDirectory, Seat, resolve_people
from kg.nlp.pipeline import extract, extract_all, load_pipeline
from kg.ontology import ontology_quads
from kg.queries import load_query
from kg.rdf.facts import map_extraction
from kg.rdf.iri import key_of
from kg.rdf.mapping import ArticleGraph, map_article
from kg.records import Extraction
from kg.store.base import TripleStore

__all__ = ["IngestReport", "StorePeople", "build_article_graph", "ingest_paths"]


@dataclass
class IngestReport:
    """Which articles went in and which were skipped, with why."""

    ingested: list[str] = field(default_factory=list)
    failed: list[ArticleError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def build_article_graph(
    article: Article,
    base_iri: str,
    people: PersonDirectory | None = None,
    extraction: Extraction | None = None,
) -> ArticleGraph:
    """Everything the store receives for one article: its node and its extracted facts (extracted
    here unless given), with each person resolved against ``people`` (who the graph holds)."""
    extraction = extraction if extraction is not None else extract(article)
    published = article.published
    day = published.date() if isinstance(published, datetime) else published
    keys = resolve_people(extraction, day, people or NoPeople())
    graph = map_article(article, base_iri)
    map_extraction(graph, extraction, article, base_iri, keys)
    return graph


class StorePeople:
    """The people a store holds, for person resolution (``queries/linking/people_named.rq``)."""

    def __init__(self, store: TripleStore) -> None:
        self.store = store

    def people_named(self, name: str) -> list[KnownPerson]:
        rows = self.store.query(load_query("linking/people_named"), {"name": Literal(name)})
        assert isinstance(rows, QuerySolutions)
        seats: dict[str, set[Seat]] = {}
        for row in rows:
            key = key_of(row["person"])
            found = seats.setdefault(key, set())
            role, organ_type, organ, day = row["role"], row["type"], row["organ"], row["day"]
            if role is not None and organ_type is not None and isinstance(organ, NamedNode):
                year = int(day.value[:4]) if day is not None else None
                found.add(Seat(role.value, organ_type.value, key_of(organ), year))
        return [KnownPerson(key, frozenset(s)) for key, s in sorted(seats.items())]


def ingest_paths(
    paths: Iterable[Path],
    store: TripleStore,
    *,
    base_iri: str,
    on_article: Callable[[str], None] | None = None,
    gazetteer: Path | None = None,
) -> IngestReport:
    """Ingest files and folders of articles into ``store``; re-ingesting an article replaces it.
    ``gazetteer`` is the gazetteer file (``$KG_GAZETTEER``; the default location when None)."""
    store.load_ontology(ontology_quads())
    people = StorePeople(store)
    report = IngestReport()

    def notify(source: str) -> None:
        if on_article is not None:
            on_article(source)

    def readable() -> Iterator[Article]:
        for item in read_articles(paths):
            if isinstance(item, ArticleError):
                report.failed.append(item)
                notify(item.source)
            else:
                yield item

    for article, extraction in extract_all(readable(), load_pipeline(gazetteer)):
        try:
            if isinstance(extraction, ExtractionError):
                raise extraction
            store.replace_article(build_article_graph(article, base_iri, people, extraction))
        except KGError as exc:
            report.failed.append(ArticleError(article.source, str(exc)))
        else:
            report.ingested.append(article.identifier)
        notify(article.source)
    return report
