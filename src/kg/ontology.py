"""The ontology files as the quads of the ontology graph (their location and reading: :mod:`kg.vocabulary`).

``ontology/`` at the top of the repository holds ``kg.ttl`` (OWL), ``codes.ttl``
(the SKOS code lists, whose Vietnamese ``skos:altLabel`` forms are the
extractor's lexicon) and ``shapes.ttl`` (SHACL). A wheel carries them as
``kg/_data/ontology``.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.vocabulary import MODEL_FILES, ONTOLOGY_GRAPH, read_turtle

__all__ = ["ontology_quads"]

_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
GENID = "https://w3id.org/cpv-kg/ontology/.well-known/genid/"


def _skolemize(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Blank nodes as IRIs numbered in order of appearance.

    The same files then give the same quads, so reloading the ontology is a
    no-op instead of a fresh set of blank nodes each time.
    """
    names: dict[ox.BlankNode, ox.NamedNode] = {}

    def term(node: _Term) -> _Term:
        if isinstance(node, ox.BlankNode):
            return names.setdefault(node, ox.NamedNode(f"{GENID}{len(names)}"))
        return node

    return [ox.Triple(term(t.subject), t.predicate, term(t.object)) for t in triples]  # type: ignore[arg-type]


def ontology_quads() -> list[ox.Quad]:
    """The ontology and the code lists, placed in the ontology graph."""
    triples = _skolemize([t for name in MODEL_FILES for t in read_turtle(name)])
    return [ox.Quad(t.subject, t.predicate, t.object, ONTOLOGY_GRAPH) for t in triples]
