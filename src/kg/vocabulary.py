"""The vocabularies of design/MODEL.md as pyoxigraph terms, and the ontology files that define them
(``ontology/`` in a checkout, ``kg/_data/ontology`` in a wheel): every stage reads its
namespaces and code-list labels here.

>>> CPV.Organ.value
'https://w3id.org/cpv-kg/ontology#Organ'
>>> code("organ-type", "party-committee").value
'https://w3id.org/cpv-kg/code/organ-type/party-committee'
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import NamedNode

from kg.errors import OntologyError

__all__ = [
    "CODE_BASE",
    "CPV",
    "DCTERMS",
    "ENTITY_GRAPH",
    "FOAF",
    "GRAPH_BASE",
    "MODEL_FILES",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SHAPES_FILE",
    "SKOS",
    "STORE_GRAPH",
    "TIME",
    "XSD",
    "Namespace",
    "code",
    "code_literals",
    "name_prefixes",
    "ontology_dir",
    "pref_labels",
    "read_turtle",
]


class Namespace:
    """An IRI prefix whose attributes and items are :class:`NamedNode` terms.

    Not a ``str`` subclass: ``DCTERMS.title`` must be a term, not ``str.title``.
    """

    def __init__(self, base: str) -> None:
        self._base = base  # under a name no term has: every other attribute is a term

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str) -> NamedNode:
        # Made once, then an attribute of the instance: mapping asks for the same few terms a
        # million times, and an attribute found in the instance never calls __getattr__ again.
        term = self.__dict__.get(name)
        if term is None:
            term = self.__dict__[name] = NamedNode(self._base + name)
        return term

    def __str__(self) -> str:
        return self._base


CPV = Namespace("https://w3id.org/cpv-kg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("http://schema.org/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

CODE_BASE = "https://w3id.org/cpv-kg/code/"
GRAPH_BASE = "https://w3id.org/cpv-kg/graph/"
ONTOLOGY_GRAPH = NamedNode(GRAPH_BASE + "ontology")
ENTITY_GRAPH = NamedNode(GRAPH_BASE + "entities")
# One triple: the last write through `kg serve`, so that a killed writer's outcome can be read back.
STORE_GRAPH = NamedNode(GRAPH_BASE + "store")

PREFIXES: dict[str, str] = {
    "cpv": str(CPV),
    "org": str(ORG),
    "skos": str(SKOS),
    "foaf": str(FOAF),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "time": str(TIME),
    "schema": str(SCHEMA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


def code(scheme: str, notation: str) -> NamedNode:
    """The SKOS concept of ``notation`` in the code list ``scheme``."""
    return NamedNode(f"{CODE_BASE}{scheme}/{notation}")


MODEL_FILES = ("kg.ttl", "codes.ttl")
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


def pref_labels(scheme: str, language: str = "vi") -> dict[str, str]:
    """Code -> its ``skos:prefLabel`` in ``language``, for one code list of ``codes.ttl``.

    >>> pref_labels("document-type")["resolution"]
    'Nghị quyết'
    """
    return code_literals(scheme, SKOS.prefLabel, language)


def name_prefixes(scheme: str) -> dict[str, str]:
    """Code -> the word before a place's name in an instance's label (``cpv:namePrefix``).

    >>> name_prefixes("organ-type")["party-organization"], name_prefixes("unit-level")["ward"]
    ('Đảng bộ', 'Phường')
    """
    return code_literals(scheme, CPV.namePrefix, "vi")


@cache
def code_literals(scheme: str, predicate: NamedNode, language: str) -> dict[str, str]:
    """Code -> the value of ``predicate`` in ``language``, for one code list of ``codes.ttl``."""
    prefix = f"{CODE_BASE}{scheme}/"
    return {
        t.subject.value[len(prefix) :]: t.object.value
        for t in read_turtle("codes.ttl")
        if t.predicate == predicate
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.Literal)
        and t.object.language == language
        and t.subject.value.startswith(prefix)
    }
