"""IRIs and entity-graph descriptions of extraction records.

Each IRI is a function of the record's identity (design/MODEL.md: an organ is
its type and jurisdiction; a congress its organization and ordinal; a
numbered document its type, number and issuer), so the same entity gets the
same IRI in every article.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyoxigraph import Literal, NamedNode

from kg.rdf.iri import key_of, mint, slug
from kg.rdf.mapping import ArticleGraph
from kg.records import CongressRef, DocumentRef, OrganRef, PersonRef, Place, Term
from kg.vocabulary import (
    CPV,
    DCTERMS,
    FOAF,
    ORG,
    RDF,
    RDFS,
    SCHEMA,
    TIME,
    XSD,
    code,
    name_prefixes,
    pref_labels,
)

__all__ = ["EntityWriter", "organ_key"]

_POST_REFORM = "vietnam-provinces 2025"


def _place_key(place: Place) -> list[str]:
    parts = []
    for p in place.chain():
        era = (
            "-2025"
            if (p.code_list_version or "").startswith(_POST_REFORM)
            and p.level not in ("country", "city", "province")
            else ""
        )
        parts.append(f"{p.level}-{p.name}{era}")
    return parts


def organ_key(organ: OrganRef) -> str:
    """The slug an organ's IRI ends with: its type and jurisdiction (design/MODEL.md)."""
    return slug(organ.organ_type, *_place_key(organ.place))


class EntityWriter:
    """Mints IRIs and writes each entity's description once into an article's entity quads."""

    def __init__(
        self, graph: ArticleGraph, base: str, person_keys: Mapping[PersonRef, str] | None = None
    ) -> None:
        self.graph = graph
        self.base = base
        self.person_keys: Mapping[PersonRef, str] = person_keys or {}
        self._done: set[str] = set()

    def _first_time(self, iri: NamedNode) -> bool:
        if iri.value in self._done:
            return False
        self._done.add(iri.value)
        return True

    def place(self, place: Place) -> NamedNode:
        iri = mint(self.base, "unit", *_place_key(place))
        if self._first_time(iri):
            g = self.graph
            g.describe(iri, RDF.type, CPV.AdministrativeUnit)
            g.describe(iri, RDF.type, SCHEMA.AdministrativeArea)
            g.describe(iri, CPV.placeName, Literal(place.name))
            g.describe(iri, CPV.unitLevel, code("unit-level", place.level))
            level_word = name_prefixes("unit-level").get(place.level)
            g.describe(
                iri,
                RDFS.label,
                Literal(f"{level_word} {place.name}" if level_word else place.name, language="vi"),
            )
            if place.parent is not None:
                g.describe(iri, CPV.partOf, self.place(place.parent))
            if place.code and place.code_list_version:
                g.describe(iri, CPV.unitCode, Literal(place.code))
                g.describe(iri, CPV.codeListVersion, Literal(place.code_list_version))
        return iri

    def organ(self, organ: OrganRef) -> NamedNode:
        iri = mint(self.base, "organ", organ_key(organ))
        if self._first_time(iri):
            g = self.graph
            g.describe(iri, RDF.type, CPV.Organ)
            g.describe(iri, RDF.type, ORG.Organization)
            g.describe(iri, CPV.organType, code("organ-type", organ.organ_type))
            g.describe(iri, CPV.jurisdiction, self.place(organ.place))
            types = name_prefixes("organ-type")
            label = f"{types.get(organ.organ_type, types['other'])} {organ.place.name}"
            g.describe(iri, RDFS.label, Literal(label, language="vi"))
        if organ.parent is not None:
            parent = self.organ(organ.parent)
            if parent != iri:
                self.graph.describe(iri, ORG.subOrganizationOf, parent)
        return iri

    def person(self, person: PersonRef) -> NamedNode:
        """The person's IRI, from the key person resolution chose (:mod:`kg.linking`); the name alone
        when there is none."""
        iri = mint(self.base, "person", self.person_keys.get(person) or person.name)
        if self._first_time(iri):
            self.graph.describe(iri, RDF.type, CPV.Person)
            self.graph.describe(iri, RDF.type, FOAF.Person)
            self.graph.describe(iri, FOAF.name, Literal(person.name))
        return iri

    def term(self, term: Term) -> NamedNode:
        iri = mint(self.base, "term", str(term.start), str(term.end))
        if self._first_time(iri):
            self.graph.describe(iri, RDF.type, CPV.Term)
            self.graph.describe(iri, RDF.type, TIME.ProperInterval)
            self.graph.describe(iri, CPV.startYear, Literal(str(term.start), datatype=XSD.integer))
            self.graph.describe(iri, CPV.endYear, Literal(str(term.end), datatype=XSD.integer))
            self.graph.describe(iri, RDFS.label, Literal(f"{term.start}–{term.end}"))
        return iri

    def congress(self, congress: CongressRef) -> NamedNode:
        organ = self.organ(congress.organ)
        iri = mint(self.base, "congress", key_of(organ), str(congress.ordinal))
        if self._first_time(iri):
            g = self.graph
            g.describe(iri, RDF.type, CPV.Congress)
            g.describe(iri, CPV.congressOf, organ)
            g.describe(iri, CPV.ordinal, Literal(str(congress.ordinal), datatype=XSD.integer))
            g.describe(
                iri,
                RDFS.label,
                Literal(
                    f"Đại hội Đảng bộ {congress.organ.place.name} lần thứ {congress.ordinal}", language="vi"
                ),
            )
        if congress.term is not None:
            self.graph.describe(iri, CPV.term, self.term(congress.term))
        return iri

    def document(self, document: DocumentRef) -> NamedNode:
        if document.adopted_at is not None and document.number is None:
            congress = self.congress(document.adopted_at)
            iri = mint(self.base, "document", "resolution-of", key_of(congress))
        else:
            issuer = key_of(self.organ(document.issuer)) if document.issuer else "unknown"
            printed = document.number or ""
            number = str(int(printed)) if printed.isdigit() else slug(printed)
            iri = mint(self.base, "document", document.document_type, number, issuer)
        if self._first_time(iri):
            self._describe_document(iri, document)
        return iri

    def _describe_document(self, iri: NamedNode, document: DocumentRef) -> None:
        g = self.graph
        g.describe(iri, RDF.type, CPV.Document)
        g.describe(iri, CPV.documentType, code("document-type", document.document_type))
        if document.number:
            g.describe(iri, CPV.number, Literal(document.number))
        if document.symbol:
            g.describe(iri, CPV.symbol, Literal(document.symbol))
        if document.issuer is not None:
            g.describe(iri, CPV.issuedBy, self.organ(document.issuer))
        if document.issued is not None:
            g.describe(iri, DCTERMS.issued, Literal(document.issued.isoformat(), datatype=XSD.date))
        if document.subject:
            g.describe(iri, CPV.subject, Literal(document.subject, language="vi"))
        if document.adopted_at is not None:
            g.describe(iri, CPV.adoptedAt, self.congress(document.adopted_at))
        for target in document.implements:
            g.describe(iri, CPV.implements, self.document(target))
        g.describe(iri, RDFS.label, Literal(_document_label(document), language="vi"))


def _document_label(document: DocumentRef) -> str:
    if document.adopted_at is not None and document.number is None:
        c = document.adopted_at
        return f"Nghị quyết Đại hội Đảng bộ {c.organ.place.name} lần thứ {c.ordinal}"
    text = document.symbol or document.number or ""
    types = pref_labels("document-type")
    return f"{types.get(document.document_type, name_prefixes('document-type')['other'])} {text}".strip()
