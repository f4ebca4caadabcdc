"""``/ontology`` as a reference for people: every class and property with its labels and
definitions in Vietnamese and English, domain, range and alignments, an example query per
class, and every code list with its codes and the surface forms the extractor reads."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from html import escape
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg.vocabulary import CODE_BASE, MODEL_FILES, PREFIXES, SHAPES_FILE, ontology_dir

__all__ = ["query_page_vocabulary", "render", "short_name", "term_labels", "term_page"]

_STYLE = (
    "body{font:15px system-ui;margin:1.5em 2em;max-width:1100px}section{margin:1.2em 0;padding-top:.4em;"
    "border-top:1px solid #eee}h3{margin:.2em 0}.code{color:#555;font-family:monospace}.vi{color:#333}"
    ".en{color:#555}td{padding:2px 8px;vertical-align:top}pre{background:#f6f6f6;padding:.5em}"
    "nav a{margin-right:.8em}"
)


@cache
def _graph() -> Graph:
    graph = Graph()
    for name in MODEL_FILES:
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


@cache
def _prefixes() -> dict[str, str]:
    """The vocabulary's prefixes and those of the code lists (``role:``, ``ot:``, …)."""
    found = {p: str(n) for p, n in _graph().namespaces() if str(n).startswith(CODE_BASE)}
    return {**PREFIXES, **found}


def short_name(node: object) -> str:
    """``node`` as a prefixed name (``schema:Event``, ``role:secretary``) when a prefix covers it."""
    value = str(node)
    for prefix, namespace in _prefixes().items():
        if value.startswith(namespace):
            return f"{prefix}:{value[len(namespace) :]}"
    return value


def _anchor(node: object) -> str:
    return short_name(node).replace(":", "-").replace("/", "-")


def _text(graph: Graph, node: URIRef, predicate: URIRef, language: str) -> str:
    values = [o for o in graph.objects(node, predicate) if isinstance(o, Literal) and o.language == language]
    return str(values[0]) if values else ""


def _link(graph: Graph, node: object) -> str:
    """A term as a link to its entry on this page when it has one, else its prefixed name."""
    if isinstance(node, URIRef) and (node, RDF.type, None) in graph and str(node).startswith(PREFIXES["cpv"]):
        return f"<a href='#{escape(_anchor(node))}'>{escape(short_name(node))}</a>"
    return f"<span class=code>{escape(short_name(node))}</span>"


def _labels(graph: Graph, node: URIRef, label: URIRef = RDFS.label) -> str:
    return (
        f"<span class=vi>{escape(_text(graph, node, label, 'vi'))}</span> · "
        f"<span class=en>{escape(_text(graph, node, label, 'en'))}</span>"
    )


def _definitions(graph: Graph, node: URIRef) -> str:
    return (
        f"<p class=vi>{escape(_text(graph, node, SKOS.definition, 'vi'))}</p>"
        f"<p class=en>{escape(_text(graph, node, SKOS.definition, 'en'))}</p>"
    )


def _example(cls: URIRef) -> str:
    query = (
        "PREFIX cpv: <https://w3id.org/cpv-kg/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
        f"SELECT ?x ?label WHERE {{\n  ?x a {short_name(cls)} .\n  OPTIONAL {{ ?x rdfs:label|foaf:name ?label }}\n}} LIMIT 20"
    )
    run = "/sparql?format=csv&query=" + quote(query)
    return f"<pre>{escape(query)}</pre><p><a href='{escape(run, quote=True)}'>Run it (CSV)</a></p>"


def _links(graph: Graph, nodes: Iterable[object]) -> str:
    return ", ".join(_link(graph, n) for n in sorted(nodes, key=str) if isinstance(n, URIRef)) or "—"


def _entry(graph: Graph, term: URIRef, title: str, rows: dict[str, str], after: str = "") -> str:
    """One class or property: its name, labels and definitions, a table of ``rows``, then ``after``."""
    table = "".join(f"<tr><td>{escape(name)}</td><td>{cells}</td></tr>" for name, cells in rows.items())
    return (
        f"<section id='{escape(_anchor(term))}'><h3>{title}</h3>{_labels(graph, term)}"
        f"{_definitions(graph, term)}<table>{table}</table>{after}</section>"
    )


def _terms(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef))


def _classes(graph: Graph) -> str:
    return "".join(
        _entry(
            graph,
            cls,
            escape(short_name(cls)),
            {
                "aligned with": _links(graph, graph.objects(cls, RDFS.subClassOf)),
                "properties": _links(graph, graph.subjects(RDFS.domain, cls)),
            },
            _example(cls),
        )
        for cls in _terms(graph, OWL.Class)
    )


def _properties(graph: Graph) -> str:
    kinds = {OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property"}
    return "".join(
        _entry(
            graph,
            prop,
            f"{escape(short_name(prop))} <small>{name}</small>",
            {
                "domain": _links(graph, graph.objects(prop, RDFS.domain)),
                "range": _links(graph, graph.objects(prop, RDFS.range)),
                "aligned with": _links(graph, graph.objects(prop, RDFS.subPropertyOf)),
            },
        )
        for kind, name in kinds.items()
        for prop in _terms(graph, kind)
    )


def _code_lists(graph: Graph) -> str:
    out = []
    for scheme in _terms(graph, SKOS.ConceptScheme):
        concepts = sorted(c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))
        rows = "".join(
            f"<tr id='{escape(_anchor(c))}'><td class=code>{escape(str(graph.value(c, SKOS.notation) or short_name(c)))}</td>"
            f"<td>{_labels(graph, c, SKOS.prefLabel)}</td>"
            f"<td>{escape(', '.join(sorted(str(a) for a in graph.objects(c, SKOS.altLabel))))}</td></tr>"
            for c in concepts
        )
        out.append(
            f"<section id='{escape(_anchor(scheme))}'><h3>{escape(short_name(scheme))}</h3>"
            f"{_labels(graph, scheme, SKOS.prefLabel)}<table><tr><th>code</th><th>label</th>"
            f"<th>surface forms the extractor reads</th></tr>{rows}</table></section>"
        )
    return "".join(out)


@cache
def render() -> str:
    """The whole reference page (the ontology files do not change while the server runs)."""
    graph = _graph()
    ontology = URIRef("https://w3id.org/cpv-kg/ontology")
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>cpv ontology</title>"
        f"<link rel=icon href='data:,'><style>{_STYLE}</style>"
        "<p><a href='/'>kg</a></p>"
        f"<h1>cpv: {escape(_text(graph, ontology, DCTERMS.title, 'en'))}</h1>"
        f"<p class=vi>{escape(_text(graph, ontology, DCTERMS.description, 'vi'))}</p>"
        f"<p class=en>{escape(_text(graph, ontology, DCTERMS.description, 'en'))}</p>"
        "<nav><a href='#classes'>Classes</a><a href='#properties'>Properties</a><a href='#codes'>Code lists</a>"
        "<a href='?format=turtle'>Turtle</a></nav>"
        f"<h2 id=classes>Classes</h2>{_classes(graph)}"
        f"<h2 id=properties>Properties</h2>{_properties(graph)}"
        f"<h2 id=codes>Code lists</h2>{_code_lists(graph)}</html>"
    )


@cache
def term_labels() -> dict[str, str]:
    """Every class, property and code of the ontology: "Vietnamese label · English label"."""
    graph = _graph()
    labels: dict[str, str] = {}
    for predicate in (RDFS.label, SKOS.prefLabel):
        for term in {s for s in graph.subjects(predicate, None) if isinstance(s, URIRef)}:
            vi, en = _text(graph, term, predicate, "vi"), _text(graph, term, predicate, "en")
            labels[str(term)] = " · ".join(part for part in (vi, en) if part)
    return labels


def term_page(iri: str) -> str | None:
    """The entry of an ontology term on ``/ontology``, if it has one."""
    return f"/ontology#{_anchor(iri)}" if iri in term_labels() else None


@cache
def query_page_vocabulary() -> dict[str, object]:
    """What the query page completes and predeclares: prefixes (the code lists' included), the
    classes and properties the data uses (declared in the ontology, or checked by its shapes),
    and every code, each IRI with its labels."""
    graph = _graph()
    shapes = Graph().parse(ontology_dir() / SHAPES_FILE, format="turtle")
    prefixes = _prefixes()
    classes = {
        *_terms(graph, OWL.Class),
        *(o for o in shapes.objects(None, SH.targetClass) if isinstance(o, URIRef)),
    }
    properties = {
        *_terms(graph, OWL.ObjectProperty),
        *_terms(graph, OWL.DatatypeProperty),
        *(o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)),
    }
    return {
        "prefixes": prefixes,
        "classes": sorted(map(str, classes)),
        "properties": sorted(map(str, properties)),
        "codes": sorted(str(c) for c in _terms(graph, SKOS.Concept)),
        "labels": term_labels(),
    }
