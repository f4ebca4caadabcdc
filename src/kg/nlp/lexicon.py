"""The lexicon: Vietnamese surface forms and what they mean.

Forms come from the ``skos:altLabel`` values of the code lists in
``ontology/codes.ttl``; the YAML files in ``kg/nlp/patterns/`` add how forms
behave (implied jurisdiction levels, cue words, family names). A linguist
edits those two places and nothing in the code.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pyoxigraph as ox
import yaml

from kg.text import fold, normalize
from kg.vocabulary import CODE_BASE, CPV, SKOS, read_turtle

__all__ = ["Lexicon", "load_lexicon"]


def _pattern_file(name: str) -> dict[str, Any]:
    text = resources.files("kg.nlp").joinpath("patterns", name).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _folded(values: list[str]) -> tuple[str, ...]:
    return tuple(sorted({fold(v) for v in values}, key=lambda v: (-len(v.split()), v)))


@dataclass(frozen=True)
class Lexicon:
    """Folded surface forms mapped to codes, and the rules around them."""

    organ_forms: dict[str, str]  # form -> organ-type code
    role_forms: dict[str, str]  # form -> role code
    document_forms: dict[str, str]  # form -> document-type code
    symbol_codes: dict[str, str]  # symbol code ("NQ") -> document-type code (the last listed wins)
    codes_of_type: dict[str, frozenset[str]]  # document-type code -> its symbol codes
    meeting_kind_forms: dict[str, str]  # form -> meeting-kind code
    level_forms: dict[str, str]  # "quận" -> district
    implied_levels: dict[str, str]  # organ form -> level
    needs_parent: frozenset[str]  # organ types
    parent_mentioned: frozenset[str]  # organ types
    common_nouns: frozenset[str]  # organ forms that are nouns when lower case
    never_alone: frozenset[str]
    generic_before: tuple[str, ...]
    generic_after: tuple[str, ...]
    department_short_forms: dict[str, str]
    issuer_codes: dict[str, tuple[str, str]]
    issuer_departments: dict[str, str]
    former_after: frozenset[str]
    former_before: frozenset[str]
    party_words: frozenset[str]
    term_words: tuple[str, ...]
    person_cues: tuple[str, ...]
    strong_cues: frozenset[str]
    cue_after: frozenset[str]
    middle_names: frozenset[str]
    surnames: frozenset[str]
    implied_role_organs: dict[str, tuple[str, str, str]]  # role form -> (role, organ type, level)
    sub_unit_roles: frozenset[str]
    offices_of_roles: dict[str, str]  # role -> the organ type it heads inside a committee
    role_connectors: tuple[str, ...]
    role_verbs_by_first_word: dict[str, tuple[str, ...]]  # longest first
    group_markers: tuple[str, ...]
    role_name_links: tuple[str, ...]
    list_joiners: frozenset[str]
    ban_roles: frozenset[str]
    meeting_verbs: tuple[str, ...]
    verb_noun_uses: tuple[str, ...]
    meeting_nouns: tuple[str, ...]
    event_nouns: tuple[str, ...]
    self_evident_verbs: tuple[str, ...]
    meets_words: tuple[str, ...]
    hearsay_words: tuple[str, ...]
    congress_words: tuple[str, ...]
    sitting_words: tuple[str, ...]
    deadline_words: tuple[str, ...]
    target_year_words: tuple[str, ...]
    congress_session_words: tuple[str, ...]
    session_preludes: tuple[str, ...]
    congress: dict[str, Any]  # the words of congress mentions (events.yaml, "congress")
    ordinal_words: dict[str, int]
    national_congresses: dict[int, int]  # ordinal -> year
    location_words: tuple[str, ...]
    online_words: tuple[str, ...]
    date_cues: tuple[str, ...]
    presenter_verbs: tuple[str, ...]
    participant_verbs: tuple[str, ...]
    relative_days: dict[str, int]


def _compound_organs(
    organs: dict[str, Any], issuer_codes: dict[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """Folded "ubkttw", "ubkt tw", "btgtu" -> (organ type, level) of the department they name."""
    compounds: dict[str, tuple[str, str]] = {}
    for prefix, organ_type in organs["issuer_departments"].items():
        for code in organs["compound_committee_codes"]:
            level = issuer_codes.get(normalize(code), ("", "country" if code in ("TW", "TƯ") else ""))[1]
            if level:
                for form in (f"{prefix}{code}", f"{prefix} {code}"):
                    compounds[fold(form)] = (organ_type, level)
    return compounds


def _by_first_word(phrases: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for phrase in phrases:  # already longest first
        grouped[phrase.split()[0]].append(phrase)
    return {word: tuple(group) for word, group in grouped.items()}


def _concept_forms(triples: list[ox.Triple], scheme: str) -> dict[str, str]:
    """Folded altLabel -> notation for every concept of one code list."""
    prefix = f"{CODE_BASE}{scheme}/"
    forms: dict[str, str] = {}
    for subject, label in _literals(triples, SKOS.altLabel, prefix):
        forms[fold(label)] = subject
    return forms


def _literals(triples: list[ox.Triple], predicate: ox.NamedNode, prefix: str) -> list[tuple[str, str]]:
    """(local name of the subject under ``prefix``, literal value) for one predicate."""
    return [
        (t.subject.value[len(prefix) :], t.object.value)
        for t in triples
        if t.predicate == predicate
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.Literal)
        and t.subject.value.startswith(prefix)
    ]


def _symbol_codes(triples: list[ox.Triple]) -> dict[str, str]:
    return {
        value: subject for subject, value in _literals(triples, CPV.symbolCode, f"{CODE_BASE}document-type/")
    }


def _codes_of_type(triples: list[ox.Triple]) -> dict[str, frozenset[str]]:
    grouped: dict[str, set[str]] = defaultdict(set)
    for document_type, symbol in _literals(triples, CPV.symbolCode, f"{CODE_BASE}document-type/"):
        grouped[document_type].add(symbol)
    return {k: frozenset(v) for k, v in grouped.items()}


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The lexicon, read once per process."""
    codes = read_turtle("codes.ttl")
    organs = _pattern_file("organs.yaml")
    people = _pattern_file("people.yaml")
    events = _pattern_file("events.yaml")
    implied_roles: dict[str, tuple[str, str, str]] = {}
    for role, forms in people["implied_organs"].items():
        for form, (organ_type, level) in forms.items():
            implied_roles[fold(form)] = (role, organ_type, level)
    levels = _concept_forms(codes, "unit-level")
    issuer_codes = {normalize(k): (v[0], v[1]) for k, v in organs["issuer_codes"].items()}
    compounds = _compound_organs(organs, issuer_codes)
    return Lexicon(
        organ_forms={**_concept_forms(codes, "organ-type"), **{f: t for f, (t, _) in compounds.items()}},
        role_forms=_concept_forms(codes, "role"),
        document_forms=_concept_forms(codes, "document-type"),
        symbol_codes=_symbol_codes(codes),
        codes_of_type=_codes_of_type(codes),
        meeting_kind_forms=_concept_forms(codes, "meeting-kind"),
        level_forms={k: v for k, v in levels.items() if v != "country"},
        implied_levels={
            **{fold(k): v for k, v in organs["implied_levels"].items()},
            **{f: level for f, (_, level) in compounds.items()},
        },
        needs_parent=frozenset(organs["needs_parent"]),
        parent_mentioned=frozenset(organs["parent_mentioned"]),
        common_nouns=frozenset(fold(f) for f in organs["common_nouns"]),
        never_alone=frozenset(fold(f) for f in organs["never_alone"]),
        generic_before=_folded(organs["generic_before"]),
        generic_after=_folded(organs["generic_after"]),
        department_short_forms={fold(k): v for k, v in organs["department_short_forms"].items()},
        issuer_codes=issuer_codes,
        issuer_departments={normalize(k): v for k, v in organs["issuer_departments"].items()},
        former_after=frozenset(fold(w) for w in organs["former_after"]),
        former_before=frozenset(fold(w) for w in organs["former_before"]),
        party_words=frozenset(fold(w) for w in organs["party_words"]),
        term_words=_folded(organs["term_words"]),
        person_cues=_folded(people["cues"]),
        strong_cues=frozenset(fold(c) for c in people["strong_cues"]),
        cue_after=frozenset(people["cue_after"]),
        middle_names=frozenset(normalize(n) for n in people["middle_names"]),
        surnames=frozenset(normalize(s) for s in people["surnames"]),
        implied_role_organs=implied_roles,
        sub_unit_roles=frozenset(fold(f) for f in people["sub_unit_roles"]),
        offices_of_roles=dict(people["offices_of_roles"]),
        role_connectors=_folded(people["role_connectors"]),
        role_verbs_by_first_word=_by_first_word(_folded(people["role_verbs"])),
        group_markers=_folded(people["group_markers"]),
        role_name_links=_folded(people["role_name_links"]),
        list_joiners=frozenset(fold(w) for w in people["list_joiners"]),
        ban_roles=frozenset(fold(f) for f in people["ban_roles"]),
        meeting_verbs=_folded(events["meeting_verbs"]),
        verb_noun_uses=_folded(events["verb_noun_uses"]),
        meeting_nouns=_folded(events["meeting_nouns"]),
        event_nouns=_folded(events["event_nouns"]),
        self_evident_verbs=_folded(events["self_evident_verbs"]),
        meets_words=_folded(events["meets_words"]),
        hearsay_words=_folded(events["hearsay_words"]),
        congress_words=_folded(events["congress_words"]),
        sitting_words=_folded(events["sitting_words"]),
        deadline_words=_folded(events["deadline_words"]),
        target_year_words=_folded(events["target_year_words"]),
        congress_session_words=_folded(events["congress_session_words"]),
        session_preludes=_folded(events["session_preludes"]),
        congress=dict(events["congress"]),
        ordinal_words={fold(k): int(v) for k, v in events["ordinal_words"].items()},
        national_congresses={int(k): int(v) for k, v in events["national_congresses"].items()},
        location_words=_folded(events["location_words"]),
        online_words=_folded(events["online_words"]),
        date_cues=_folded(events["date_cues"]),
        presenter_verbs=_folded(events["presenter_verbs"]),
        participant_verbs=_folded(events["participant_verbs"]),
        relative_days={fold(k): int(v) for k, v in events["relative_days"].items()},
    )


def forms_by_kind(lexicon: Lexicon) -> dict[str, list[str]]:
    """Every phrase the tagger looks for, grouped by kind."""
    kinds: dict[str, list[str]] = defaultdict(list)
    kinds["ORGAN"] = list(lexicon.organ_forms)
    kinds["ROLE"] = list(lexicon.role_forms) + list(lexicon.implied_role_organs)
    kinds["LEVEL"] = list(lexicon.level_forms)
    kinds["DEPT"] = list(lexicon.department_short_forms)
    kinds["CUE"] = list(lexicon.person_cues)
    kinds["SURNAME"] = sorted({fold(s) for s in lexicon.surnames})
    return dict(kinds)
