"""SHACL validation of the whole store against ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from pyshacl import validate

from kg.store.oxigraph import OxigraphStore
from kg.vocabulary import SHAPES_FILE, ontology_dir

__all__ = ["ValidationReport", "validate_graph", "validate_store"]


@dataclass(frozen=True)
class ValidationReport:
    """Whether the data conforms, and pyshacl's report text when it does not."""

    conforms: bool
    text: str
    violations: int


def validate_graph(data: rdflib.Graph) -> ValidationReport:
    """Validate an rdflib graph that holds the data and the code lists."""
    shapes = rdflib.Graph().parse(ontology_dir() / SHAPES_FILE, format="turtle")
    conforms, results, text = validate(data, shacl_graph=shapes, inference="none", advanced=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = len(set(results.subjects(rdflib.RDF.type, sh.ValidationResult)))
    return ValidationReport(conforms=bool(conforms), text=str(text), violations=violations)


def validate_store(store: OxigraphStore) -> ValidationReport:
    """Validate the union of all graphs of ``store`` (the code lists included)."""
    text = ox.serialize(store.union_triples(), format=ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=text, format="nt")
    return validate_graph(data)
