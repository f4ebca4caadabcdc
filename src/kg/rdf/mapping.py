"""Mapping: an article and its extraction records become the quads of its graph.

Shared entities are described in the entity graph; the article graph holds the
``cpv:Article`` node, its ``schema:mentions`` and what it attests
(design/MODEL.md, "Named graphs and provenance").
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from kg.articles import Article
from kg.rdf.iri import mint
from kg.text import search_form
from kg.vocabulary import CPV, DCTERMS, ENTITY_GRAPH, FOAF, RDF, RDFS, SCHEMA, XSD

__all__ = ["ArticleGraph", "SerializedGraph", "article_iri", "map_article", "typed_date"]

# SPARQL cannot fold accents: the names of an entity are also written in their search form
# (cpv:searchText, "dong da"), so that a query can match text typed without them.
_NAMES = frozenset({RDFS.label, FOAF.name, CPV.placeName})


@dataclass
class ArticleGraph:
    """Everything one article adds to the store: its own graph and its entity descriptions."""

    iri: NamedNode
    quads: list[Quad] = field(default_factory=list)
    entity_quads: list[Quad] = field(default_factory=list)

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        """A triple of the article graph."""
        self.quads.append(Quad(s, p, o, self.iri))

    def describe(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        """A triple of the entity graph; a name also gives the entity its search text."""
        self.entity_quads.append(Quad(s, p, o, ENTITY_GRAPH))
        if p in _NAMES and isinstance(o, Literal):
            self.entity_quads.append(Quad(s, CPV.searchText, Literal(search_form(o.value)), ENTITY_GRAPH))


@dataclass(frozen=True)
class SerializedGraph:
    """An :class:`ArticleGraph` as N-Quads, to pass between processes: pickling a graph's
    pyoxigraph terms and reading them back costs five to ten times what writing and parsing N-Quads does.

    >>> g = ArticleGraph(NamedNode("http://e/a"))
    >>> g.add(g.iri, RDF.type, CPV.Article)
    >>> SerializedGraph.of(g).graph() == g
    True
    """

    iri: str
    quads: bytes
    entity_quads: bytes

    @classmethod
    def of(cls, graph: ArticleGraph) -> SerializedGraph:
        return cls(
            graph.iri.value,
            serialize(graph.quads, format=RdfFormat.N_QUADS) or b"",
            serialize(graph.entity_quads, format=RdfFormat.N_QUADS) or b"",
        )

    def graph(self) -> ArticleGraph:
        return ArticleGraph(
            NamedNode(self.iri),
            list(parse(self.quads, format=RdfFormat.N_QUADS)),
            list(parse(self.entity_quads, format=RdfFormat.N_QUADS)),
        )


def article_iri(base: str, identifier: str) -> NamedNode:
    """The IRI of an article, which is also the IRI of its graph.

    >>> article_iri("https://w3id.org/cpv-kg/id/", "000_4c83d0c81348116c.txt").value
    'https://w3id.org/cpv-kg/id/article/000-4c83d0c81348116c'
    """
    stem = PurePosixPath(identifier).stem if identifier.endswith((".txt", ".json", ".jsonl")) else identifier
    return mint(base, "article", stem)


def typed_date(value: date | datetime) -> Literal:
    """An ``xsd:date`` or ``xsd:dateTime`` literal.

    >>> typed_date(date(2020, 9, 15)).value
    '2020-09-15'
    """
    if isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


def map_article(article: Article, base: str) -> ArticleGraph:
    """The graph of an article, with the article node's own triples."""
    graph = ArticleGraph(article_iri(base, article.identifier))
    node = graph.iri
    graph.add(node, RDF.type, CPV.Article)
    graph.add(node, DCTERMS.identifier, Literal(article.identifier))
    graph.add(node, DCTERMS.title, Literal(article.title, language="vi"))
    graph.add(node, CPV.searchText, Literal(search_form(article.title)))
    if article.published is not None:
        graph.add(node, DCTERMS.issued, typed_date(article.published))
    if article.url:
        with contextlib.suppress(ValueError):  # a malformed URL is not worth losing the article over
            graph.add(node, DCTERMS.source, NamedNode(article.url))
    if article.byline:
        graph.add(node, SCHEMA.author, Literal(article.byline))
    return graph
