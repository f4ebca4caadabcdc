"""The ontology files: where they are, and loading them as quads or graphs.

``ontology/`` at the top of the repository holds ``kg.ttl`` (OWL), ``codes.ttl``
(the SKOS code lists, whose Vietnamese ``skos:altLabel`` forms are the
extractor's lexicon) and ``shapes.ttl`` (SHACL). A wheel carries them as
``kg/_data/ontology``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import OntologyError
from kg.rdf.namespaces import CODE_BASE, ONTOLOGY_GRAPH, SKOS

__all__ = ["MODEL_FILES", "SHAPES_FILE", "ontology_dir", "ontology_quads", "pref_labels", "read_turtle"]

MODEL_FILES = ("kg.ttl", "codes.ttl")
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
GENID = "https://w3id.org/cpv-kg/ontology/.well-known/genid/"
SHAPES_FILE = "shapes.ttl"


def ontology_dir() -> Path:
    """The folder of the ontology files, in a wheel or in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "ontology", here.parents[1] / "ontology"):
        if (candidate / MODEL_FILES[0]).is_file():
            return candidate
    raise OntologyError(f"ontology files not found next to {here}")


def read_turtle(name: str) -> list[ox.Triple]:
    """The triples of one ontology file.

    >>> any(t.object.value.endswith("#Organ") for t in read_turtle("kg.ttl"))
    True
    """
    path = ontology_dir() / name
    try:
        return [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]
    except (OSError, SyntaxError) as exc:
        raise OntologyError(f"cannot read {path}: {exc}") from exc


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


@cache
def pref_labels(scheme: str, language: str = "vi") -> dict[str, str]:
    """Code -> its ``skos:prefLabel`` in ``language``, for one code list of ``codes.ttl``.

    >>> pref_labels("document-type")["resolution"]
    'Nghị quyết'
    """
    prefix = f"{CODE_BASE}{scheme}/"
    return {
        t.subject.value[len(prefix) :]: t.object.value
        for t in read_turtle("codes.ttl")
        if t.predicate == SKOS.prefLabel
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.Literal)
        and t.object.language == language
        and t.subject.value.startswith(prefix)
    }
