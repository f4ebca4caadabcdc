"""The ontology parses, holds every code of design/MODEL.md, and its shapes catch bad data."""

import pytest
import rdflib
from rdflib import RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef

from kg.validate import validate_graph
from kg.vocabulary import MODEL_FILES, SHAPES_FILE, ontology_dir

CPV = Namespace("https://w3id.org/cpv-kg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("http://schema.org/")
ID = Namespace("https://w3id.org/cpv-kg/id/")
CODE = "https://w3id.org/cpv-kg/code/"

# The code lists of design/MODEL.md, copied here so that a dropped code fails.
MODEL_CODES = {
    "organ-type": """party-organization party-cell party-committee standing-committee standing-board politburo
        secretariat propaganda-department organization-department mass-mobilization-department
        inspection-commission internal-affairs-department party-office political-center peoples-council
        peoples-committee fatherland-front national-assembly government mass-organization other""",
    "role": """secretary standing-deputy-secretary deputy-secretary member chair standing-vice-chair vice-chair head
        standing-deputy-head deputy-head director deputy-director chief-of-office general-secretary president
        prime-minister delegation-head other""",
    "meeting-kind": "dissemination review congress-session training ceremony inspection voter-meeting other",
    "document-type": """resolution conclusion directive plan program regulation decision instruction notice
        thematic-study law other""",
    "unit-level": "country city province district ward commune town",
}
MODEL_CLASSES = [
    "Article",
    "AdministrativeUnit",
    "Organ",
    "Person",
    "PositionHolding",
    "Congress",
    "Term",
    "Document",
    "Meeting",
]
MODEL_PROPERTIES = [
    "placeName",
    "unitLevel",
    "partOf",
    "organType",
    "jurisdiction",
    "attestedOn",
    "evidence",
    "congressOf",
    "ordinal",
    "term",
    "startYear",
    "endYear",
    "documentType",
    "number",
    "symbol",
    "issuedBy",
    "subject",
    "adoptedAt",
    "implements",
    "date",
    "organizer",
    "meetingKind",
    "concerns",
    "presenter",
    "participant",
    "location",
    "online",
]


@pytest.fixture(scope="module")
def model() -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in MODEL_FILES:
        graph.parse(ontology_dir() / name, format="turtle")
    return graph


def code(scheme, notation):
    return URIRef(f"{CODE}{scheme}/{notation}")


def test_every_file_parses():
    for name in (*MODEL_FILES, SHAPES_FILE):
        assert len(rdflib.Graph().parse(ontology_dir() / name, format="turtle")) > 10


@pytest.mark.parametrize("scheme", sorted(MODEL_CODES))
def test_every_code_is_a_labelled_concept(model, scheme):
    for notation in MODEL_CODES[scheme].split():
        concept = code(scheme, notation)
        assert (concept, RDF.type, SKOS.Concept) in model
        assert (concept, SKOS.inScheme, URIRef(CODE + scheme)) in model
        assert (concept, SKOS.notation, Literal(notation)) in model
        languages = {label.language for label in model.objects(concept, SKOS.prefLabel)}
        assert languages == {"vi", "en"}, concept


def test_surface_forms_are_alt_labels(model):
    forms = {str(o) for o in model.objects(code("organ-type", "party-committee"), SKOS.altLabel)}
    assert {"Quận ủy", "Tỉnh ủy", "Đảng ủy"} <= forms
    assert (code("document-type", "resolution"), CPV.symbolCode, Literal("NQ")) in model


@pytest.mark.parametrize("name", MODEL_CLASSES)
def test_classes_are_labelled_and_aligned(model, name):
    cls = CPV[name]
    assert {label.language for label in model.objects(cls, RDFS.label)} == {"vi", "en"}
    assert {d.language for d in model.objects(cls, SKOS.definition)} == {"vi", "en"}
    assert list(model.objects(cls, RDFS.subClassOf)), f"{name} is aligned with no standard class"


@pytest.mark.parametrize("name", MODEL_PROPERTIES)
def test_properties_have_labels_and_domains(model, name):
    prop = CPV[name]
    assert {label.language for label in model.objects(prop, RDFS.label)} == {"vi", "en"}
    assert list(model.objects(prop, RDFS.domain)), f"{name} has no domain"


# ---------------------------------------------------------------- the shapes

ARTICLE = ID["article/test"]
UNIT = ID["unit/city-can-tho"]
ORGAN = ID["organ/party-committee-can-tho"]
PARTY = ID["organ/party-organization-can-tho"]
PERSON = ID["person/tran-van-a"]
CONGRESS = ID["congress/party-organization-can-tho-15"]
TERM = ID["term/2020-2025"]
DOC = ID["document/resolution-05-tw"]
HOLDING = ID["holding/1"]
MEETING = ID["meeting/1"]


def valid_graph(model) -> rdflib.Graph:
    g = rdflib.Graph()
    g += model
    g.add((ARTICLE, RDF.type, CPV.Article))
    g.add((ARTICLE, DCT.identifier, Literal("test.txt")))
    g.add((ARTICLE, DCT["title"], Literal("Thành ủy Cần Thơ quán triệt Nghị quyết", lang="vi")))
    g.add((ARTICLE, DCT.issued, Literal("2021-02-03", datatype=XSD.date)))
    g.add((ARTICLE, SCHEMA.mentions, ORGAN))
    g.add((UNIT, RDF.type, CPV.AdministrativeUnit))
    g.add((UNIT, CPV.placeName, Literal("Cần Thơ")))
    g.add((UNIT, CPV.unitLevel, code("unit-level", "city")))
    for organ, otype in ((ORGAN, "party-committee"), (PARTY, "party-organization")):
        g.add((organ, RDF.type, CPV.Organ))
        g.add((organ, CPV.organType, code("organ-type", otype)))
        g.add((organ, CPV.jurisdiction, UNIT))
        g.add((organ, RDFS.label, Literal(f"{otype} Cần Thơ", lang="vi")))
    g.add((PERSON, RDF.type, CPV.Person))
    g.add((PERSON, FOAF.name, Literal("Trần Văn A")))
    g.add((HOLDING, RDF.type, CPV.PositionHolding))
    g.add((HOLDING, ORG.member, PERSON))
    g.add((HOLDING, ORG.organization, ORGAN))
    g.add((HOLDING, ORG.role, code("role", "secretary")))
    g.add((HOLDING, PROV.wasDerivedFrom, ARTICLE))
    g.add((CONGRESS, RDF.type, CPV.Congress))
    g.add((CONGRESS, CPV.congressOf, PARTY))
    g.add((CONGRESS, CPV.ordinal, Literal(15)))
    g.add((CONGRESS, CPV["term"], TERM))
    g.add((TERM, RDF.type, CPV.Term))
    g.add((TERM, CPV.startYear, Literal(2020)))
    g.add((TERM, CPV.endYear, Literal(2025)))
    g.add((DOC, RDF.type, CPV.Document))
    g.add((DOC, CPV.documentType, code("document-type", "resolution")))
    g.add((DOC, CPV.number, Literal("05")))
    g.add((MEETING, RDF.type, CPV.Meeting))
    g.add((MEETING, CPV.date, Literal("2021-02-02", datatype=XSD.date)))
    g.add((MEETING, CPV.organizer, ORGAN))
    g.add((MEETING, CPV.meetingKind, code("meeting-kind", "dissemination")))
    g.add((MEETING, PROV.wasDerivedFrom, ARTICLE))
    return g


def test_shapes_accept_a_valid_graph(model):
    report = validate_graph(valid_graph(model))
    assert report.conforms, report.text


def _drop(p, s):
    return lambda g: g.remove((s, p, None))


def _set(s, p, o):
    def change(g):
        g.remove((s, p, None))
        g.add((s, p, o))

    return change


INVALID = {
    "article without identifier": _drop(DCT.identifier, ARTICLE),
    "article without title": _drop(DCT["title"], ARTICLE),
    "publication date as a plain string": _set(ARTICLE, DCT.issued, Literal("15/09/2020")),
    "unit without place name": _drop(CPV.placeName, UNIT),
    "unit level outside its code list": _set(UNIT, CPV.unitLevel, code("role", "secretary")),
    "organ without type": _drop(CPV.organType, ORGAN),
    "organ type that is no code": _set(ORGAN, CPV.organType, URIRef("https://example.org/committee")),
    "organ without jurisdiction": _drop(CPV.jurisdiction, ORGAN),
    "organ without Vietnamese label": _drop(RDFS.label, ORGAN),
    "person without name": _drop(FOAF.name, PERSON),
    "holding without member": _drop(ORG.member, HOLDING),
    "holding whose member is an organ": _set(HOLDING, ORG.member, ORGAN),
    "holding with a role from another list": _set(HOLDING, ORG.role, code("organ-type", "other")),
    "holding without provenance": _drop(PROV.wasDerivedFrom, HOLDING),
    "congress of a committee": _set(CONGRESS, CPV.congressOf, ORGAN),
    "congress ordinal as text": _set(CONGRESS, CPV.ordinal, Literal("XV")),
    "term that ends before it starts": _set(TERM, CPV.endYear, Literal(2019)),
    "document without type": _drop(CPV.documentType, DOC),
    "meeting without date": _drop(CPV.date, MEETING),
    "meeting date without year resolved": _set(MEETING, CPV.date, Literal("2/2")),
    "meeting without organizer": _drop(CPV.organizer, MEETING),
    "meeting kind outside its list": _set(MEETING, CPV.meetingKind, code("document-type", "plan")),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_shapes_reject_each_kind_of_invalid_graph(model, case):
    graph = valid_graph(model)
    INVALID[case](graph)
    report = validate_graph(graph)
    assert not report.conforms
    assert report.violations >= 1
