"""The interface every store offers, so that tests and the API do not care which one runs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph as ox

from kg.rdf.mapping import ArticleGraph

__all__ = ["Dataset", "ExportFormat", "QueryResult", "StoreStatistics", "TripleStore"]

# A graph from a remote server comes as a list of triples: pyoxigraph makes its own QueryTriples only.
QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Dataset(Protocol):
    """The part of pyoxigraph's ``Store`` that kg uses: an embedded ``pyoxigraph.Store``, or a
    SPARQL server through :class:`~kg.store.remote.RemoteDataset`."""

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        substitutions: dict[ox.Variable, Term | ox.Triple] | None = None,
    ) -> QueryResult: ...

    def update(self, update: str, *, base_iri: str | None = None) -> None: ...

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | None,
        predicate: ox.NamedNode | None,
        object: Term | None,
        graph_name: GraphName | None = None,
    ) -> Iterable[ox.Quad]: ...

    def named_graphs(self) -> Iterable[ox.NamedNode | ox.BlankNode]: ...

    def contains_named_graph(self, graph_name: ox.NamedNode | ox.BlankNode) -> bool: ...

    def extend(self, quads: Iterable[ox.Quad]) -> None: ...

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None: ...

    def flush(self) -> None: ...

    def dump(
        self,
        output: BinaryIO | str | None = None,
        format: ox.RdfFormat | None = None,
        *,
        from_graph: GraphName | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> bytes | None: ...

    def __len__(self) -> int: ...


class ExportFormat(StrEnum):
    """Serializations ``kg export`` writes."""

    nquads = "nquads"
    trig = "trig"
    turtle = "turtle"

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE}[
            self.value
        ]


@dataclass(frozen=True)
class StoreStatistics:
    """Instances per class and triples per graph."""

    classes: dict[str, int]
    graphs: dict[str, int]

    @property
    def articles(self) -> int:
        return self.classes.get("https://w3id.org/cpv-kg/ontology#Article", 0)


class TripleStore(Protocol):
    """A quad store holding the ontology graph, the entity graph and one graph per article."""

    def load_ontology(self, quads: Sequence[ox.Quad]) -> None:
        """Replace the ontology graph, atomically."""

    def replace_article(self, graph: ArticleGraph) -> set[str]:
        """Replace an article's graph and merge its entities, atomically; the IRIs it changed."""

    def replace_articles(
        self, graphs: Sequence[ArticleGraph], removed: Sequence[ox.NamedNode] = ()
    ) -> set[str]:
        """Replace a batch of articles' graphs (and drop ``removed``) and merge their entities,
        in one transaction; the IRIs whose description may have changed."""

    def held_articles(self, iris: Iterable[ox.NamedNode]) -> set[ox.NamedNode]:
        """Those of the articles ``iris`` the store holds."""

    def load_articles(self, graphs: Sequence[ArticleGraph]) -> set[str]:
        """Add articles as fast as the store can, without a transaction (replacing those it
        holds); the IRIs written."""

    def remove_article(self, iri: ox.NamedNode) -> set[str]:
        """Drop an article's graph and the entities only it mentioned, atomically; the IRIs it
        changed."""

    def query(
        self, sparql: str, substitutions: Mapping[str, ox.NamedNode | ox.Literal] | None = None
    ) -> QueryResult:
        """Run a SPARQL query over the union of all graphs."""

    def export(self, output: BinaryIO | Path, fmt: ExportFormat) -> None:
        """Write the whole dataset."""

    def statistics(self) -> StoreStatistics:
        """Count instances per class and triples per graph."""
