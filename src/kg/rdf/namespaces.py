"""The vocabularies of design/MODEL.md as pyoxigraph terms.

>>> CPV.Organ.value
'https://w3id.org/cpv-kg/ontology#Organ'
>>> code("organ-type", "party-committee").value
'https://w3id.org/cpv-kg/code/organ-type/party-committee'
"""

from __future__ import annotations

from pyoxigraph import NamedNode

__all__ = [
    "CODE_BASE",
    "CPV",
    "DCTERMS",
    "ENTITY_GRAPH",
    "FOAF",
    "GRAPH_BASE",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "TIME",
    "XSD",
    "Namespace",
    "code",
]


class Namespace:
    """An IRI prefix whose attributes and items are :class:`NamedNode` terms.

    Not a ``str`` subclass: ``DCTERMS.title`` must be a term, not ``str.title``.
    """

    __slots__ = ("base",)

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)

    def __str__(self) -> str:
        return self.base


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
