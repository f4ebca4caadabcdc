"""Extraction records: what the pipeline finds in an article, before it is RDF.

Entities (places, organs, people, congresses, documents) are frozen and
hashable: equal records are the same entity, which is how one IRI per entity
comes about. Holdings and meetings are what an article attests, each with its
evidence sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "CongressRef",
    "DocumentRef",
    "Extraction",
    "MeetingRecord",
    "OrganRef",
    "PersonRef",
    "Place",
    "PositionHolding",
]


@dataclass(frozen=True)
class Place:
    """An administrative unit: a bare name, a level, and where it lies."""

    name: str
    level: str
    parent: Place | None = None
    code: str | None = None
    code_list_version: str | None = None

    def chain(self) -> list[Place]:
        """This place and the places enclosing it, outermost first."""
        chain: list[Place] = []
        current: Place | None = self
        while current is not None:
            chain.insert(0, current)
            current = current.parent
        return chain


VIETNAM = Place("Việt Nam", "country")
VIETNAM_NAMES = frozenset({"Việt Nam", "Viet Nam"})  # written with or without diacritics


@dataclass(frozen=True)
class OrganRef:
    """An organ, identified by its type and jurisdiction (design/MODEL.md)."""

    organ_type: str
    place: Place
    parent: OrganRef | None = field(default=None, compare=False)
    surface: str = field(default="", compare=False)
    explicit: bool = field(default=False, compare=False)  # the text names the place
    level: str | None = field(default=None, compare=False)  # the level an implicit form implied


@dataclass(frozen=True)
class PersonRef:
    """A named person; ``region`` tells namesakes in different provinces apart."""

    name: str
    region: str


@dataclass(frozen=True)
class PositionHolding:
    person: PersonRef
    role: str
    organ: OrganRef
    evidence: str


@dataclass(frozen=True)
class Term:
    start: int
    end: int


@dataclass(frozen=True)
class CongressRef:
    organ: OrganRef
    ordinal: int
    term: Term | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DocumentRef:
    """A document; numbered ones are identified by type, number and issuer."""

    document_type: str
    number: str | None = None
    issuer: OrganRef | None = None
    adopted_at: CongressRef | None = None
    symbol: str | None = field(default=None, compare=False)
    issued: date | None = field(default=None, compare=False)
    subject: str | None = field(default=None, compare=False)
    implements: tuple[DocumentRef, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class MeetingRecord:
    date: date
    organizer: OrganRef
    kind: str
    evidence: str
    concerns: tuple[DocumentRef | CongressRef, ...] = ()
    presenters: tuple[PersonRef, ...] = ()
    participants: tuple[PersonRef, ...] = ()
    location: str | None = None
    online: bool = False


@dataclass
class Extraction:
    """Everything found in one article."""

    organs: list[OrganRef] = field(default_factory=list)
    people: list[PersonRef] = field(default_factory=list)
    holdings: list[PositionHolding] = field(default_factory=list)
    congresses: list[CongressRef] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    meetings: list[MeetingRecord] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
