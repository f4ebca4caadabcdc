"""Person resolution: one IRI per person across articles.

Extraction names people as it reads one article; this stage decides which
person of the graph each of them is, before the article becomes RDF. The
policy (README, "Identity"):

- every mention of one name in one article is one person;
- a name the graph already holds is that person, wherever the article comes
  from (a provincial leader quoted in a national article, a minister who was
  a provincial secretary), unless their roles conflict: the same exclusive
  role (secretary, chair, head, ...) in two different organs of the same type
  in the same year means two people;
- among several compatible people of that name, the one who shares the most
  organs with the mention wins (then the oldest key, for determinism);
- a new person gets the name as key, or, when that key is taken by someone
  the mention conflicts with, the name and the article's province.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from kg.rdf.entities import organ_key
from kg.rdf.iri import slug
from kg.records import Extraction, PersonRef

__all__ = [
    "EXCLUSIVE_ROLES",
    "KnownPerson",
    "NoPeople",
    "PersonDirectory",
    "Seat",
    "first_keys",
    "people_in",
    "resolve_people",
]

# Roles one person holds alone in an organ at a time: two holders in one year are two people.
EXCLUSIVE_ROLES = frozenset(
    {
        "secretary",
        "standing-deputy-secretary",
        "chair",
        "standing-vice-chair",
        "head",
        "director",
        "chief-of-office",
        "general-secretary",
        "president",
        "prime-minister",
        "delegation-head",
    }
)


@dataclass(frozen=True)
class Seat:
    """A role in an organ, in a year if known."""

    role: str
    organ_type: str
    organ: str  # the organ's key (the slug of its IRI)
    year: int | None


@dataclass(frozen=True)
class KnownPerson:
    """A person the graph already holds: the key of their IRI and the seats articles attest."""

    key: str
    seats: frozenset[Seat]


class PersonDirectory(Protocol):
    """Who the graph already knows by a name."""

    def people_named(self, name: str) -> list[KnownPerson]:
        """The people called ``name``, with their seats."""


class NoPeople:
    """An empty graph: every name is new."""

    def people_named(self, name: str) -> list[KnownPerson]:
        return []


def conflicts(a: Seat, b: Seat) -> bool:
    """Two seats no single person holds: one exclusive role in two organs of a type, in one year.

    >>> conflicts(Seat("secretary", "party-committee", "x", 2020), Seat("secretary", "party-committee", "y", 2020))
    True
    >>> conflicts(Seat("secretary", "party-committee", "x", 2020), Seat("secretary", "party-committee", "y", 2023))
    False
    """
    return (
        a.role == b.role
        and a.role in EXCLUSIVE_ROLES
        and a.organ_type == b.organ_type
        and a.organ != b.organ
        and a.year is not None
        and a.year == b.year
    )


def seats_of(person: PersonRef, extraction: Extraction, day: date | None) -> frozenset[Seat]:
    year = day.year if day else None
    return frozenset(
        Seat(h.role, h.organ.organ_type, organ_key(h.organ), year)
        for h in extraction.holdings
        if h.person == person
    )


def _compatible(seats: frozenset[Seat], known: KnownPerson) -> bool:
    return not any(conflicts(a, b) for a in seats for b in known.seats)


def _shared_organs(seats: Iterable[Seat], known: KnownPerson) -> int:
    return len({s.organ for s in seats} & {s.organ for s in known.seats})


def resolve_people(
    extraction: Extraction, day: date | None, directory: PersonDirectory
) -> Mapping[PersonRef, str]:
    """The key of each person the article names (the slug their IRI ends with)."""
    keys: dict[PersonRef, str] = {}
    for person in people_in(extraction):
        seats = seats_of(person, extraction, day)
        known = directory.people_named(person.name)
        compatible = [k for k in known if _compatible(seats, k)]
        if compatible:
            best = max(compatible, key=lambda k: (_shared_organs(seats, k), -len(k.key), _reverse(k.key)))
            keys[person] = best.key
        else:
            keys[person] = _new_key(person, {k.key for k in known})
    return keys


def first_keys(extraction: Extraction) -> dict[PersonRef, str]:
    """The keys :func:`resolve_people` gives an article's people when the graph knows none of
    their names, and mostly gives anyway: what an extraction process maps with, not knowing
    the graph (:mod:`kg.ingest`)."""
    return {person: _new_key(person, set()) for person in people_in(extraction)}


def people_in(extraction: Extraction) -> list[PersonRef]:
    """Everyone an article names, holders of roles and speakers at meetings, each once."""
    return list(dict.fromkeys([*extraction.people, *_speakers(extraction)]))


def _reverse(key: str) -> tuple[int, ...]:
    """Orders keys so that ``max`` prefers the alphabetically first one."""
    return tuple(-ord(c) for c in key)


def _speakers(extraction: Extraction) -> list[PersonRef]:
    return [p for m in extraction.meetings for p in (*m.presenters, *m.participants)]


def _new_key(person: PersonRef, taken: set[str]) -> str:
    key = slug(person.name)
    if key not in taken:
        return key
    key = slug(person.name, person.region)
    n = 2
    while key in taken:
        key, n = slug(person.name, person.region, str(n)), n + 1
    return key
