"""What an article attests, as quads: mentions, position holdings and meetings.

Holdings and meetings live in the article's graph with their evidence
sentence and ``prov:wasDerivedFrom`` the article; the entities they refer to
are described once in the entity graph (:mod:`kg.rdf.entities`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime

from pyoxigraph import Literal, NamedNode

from kg.articles import Article
from kg.rdf.entities import EntityWriter
from kg.rdf.iri import key_of, slug
from kg.rdf.mapping import ArticleGraph
from kg.records import CongressRef, Extraction, MeetingRecord, PersonRef, PositionHolding
from kg.vocabulary import CPV, ORG, PROV, RDF, RDFS, SCHEMA, XSD, code, name_prefixes

__all__ = ["map_extraction"]

Mention = Callable[[NamedNode], NamedNode]  # records that the article mentions an entity


def _day(article: Article) -> date | None:
    published = article.published
    return published.date() if isinstance(published, datetime) else published


def map_extraction(
    graph: ArticleGraph,
    extraction: Extraction,
    article: Article,
    base: str,
    person_keys: Mapping[PersonRef, str] | None = None,
) -> None:
    """Add an article's extracted facts to its graph and entity quads; ``person_keys`` are the
    identities person resolution chose (:func:`kg.linking.resolve_people`)."""
    entities = EntityWriter(graph, base, person_keys)
    mentioned: dict[str, NamedNode] = {}

    def mention(iri: NamedNode) -> NamedNode:
        mentioned.setdefault(iri.value, iri)
        return iri

    for organ in extraction.organs:
        mention(entities.organ(organ))
        mention(entities.place(organ.place))
    for person in extraction.people:
        mention(entities.person(person))
    for congress in extraction.congresses:
        mention(entities.congress(congress))
        mention(entities.organ(congress.organ))
    for document in extraction.documents:
        # An issuer named in the text ("của Quận ủy Long Biên") is among the organs already; one
        # inferred from a symbol's code ("/TW") is linked by cpv:issuedBy but not "mentioned".
        mention(entities.document(document))
    for holding in extraction.holdings:
        _holding(graph, entities, holding, article, mention)
    for meeting in extraction.meetings:
        _meeting(graph, entities, meeting, mention)
    for iri in mentioned.values():
        graph.add(graph.iri, SCHEMA.mentions, iri)


def _holding(
    graph: ArticleGraph, entities: EntityWriter, holding: PositionHolding, article: Article, mention: Mention
) -> None:
    person = entities.person(holding.person)
    organ = entities.organ(holding.organ)
    mention(person)
    mention(organ)
    node = NamedNode(f"{graph.iri.value}/holding/{slug(key_of(person), holding.role, key_of(organ))}")
    graph.add(node, RDF.type, CPV.PositionHolding)
    graph.add(node, RDF.type, ORG.Membership)
    graph.add(node, ORG.member, person)
    graph.add(node, ORG.organization, organ)
    graph.add(node, ORG.role, code("role", holding.role))
    graph.add(node, PROV.wasDerivedFrom, graph.iri)
    graph.add(node, CPV.evidence, Literal(holding.evidence, language="vi"))
    day = _day(article)
    if day is not None:
        graph.add(node, CPV.attestedOn, Literal(day.isoformat(), datatype=XSD.date))


def _meeting(graph: ArticleGraph, entities: EntityWriter, meeting: MeetingRecord, mention: Mention) -> None:
    organizer = mention(entities.organ(meeting.organizer))
    node = NamedNode(f"{graph.iri.value}/meeting/{meeting.date.isoformat()}-{key_of(organizer)}")
    graph.add(node, RDF.type, CPV.Meeting)
    graph.add(node, RDF.type, SCHEMA.Event)
    graph.add(node, CPV.date, Literal(meeting.date.isoformat(), datatype=XSD.date))
    graph.add(node, CPV.organizer, organizer)
    graph.add(node, CPV.meetingKind, code("meeting-kind", meeting.kind))
    graph.add(node, CPV.online, Literal("true" if meeting.online else "false", datatype=XSD.boolean))
    graph.add(node, CPV.evidence, Literal(meeting.evidence, language="vi"))
    graph.add(node, PROV.wasDerivedFrom, graph.iri)
    kinds = name_prefixes("meeting-kind")
    label = f"{kinds.get(meeting.kind, kinds['other'])} {meeting.date.isoformat()}"
    graph.add(node, RDFS.label, Literal(label, language="vi"))
    for target in meeting.concerns:
        iri = entities.congress(target) if isinstance(target, CongressRef) else entities.document(target)
        graph.add(node, CPV.concerns, mention(iri))
    for person in meeting.presenters:
        graph.add(node, CPV.presenter, mention(entities.person(person)))
    for person in meeting.participants:
        graph.add(node, CPV.participant, mention(entities.person(person)))
    if meeting.location:
        graph.add(node, CPV.location, Literal(meeting.location, language="vi"))
