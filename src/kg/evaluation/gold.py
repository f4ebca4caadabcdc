"""Gold facts: the YAML format of the shared evaluation (one file per article
plus ``identities.yaml``), read into comparable fact tuples.

Every value goes through :func:`key`, which ignores case, Unicode form and
tone-mark placement, and :func:`place_key`, which also drops a leading level
word ("quận Đống Đa" == "Đống Đa").
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = ["GoldSet", "MeetingGold", "key", "load_gold", "number_key", "place_key"]

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_LEVEL_WORDS = ("thành phố", "tp.", "tp", "tỉnh", "quận", "huyện", "thị xã", "thị trấn", "phường", "xã")

Fact = tuple[object, ...]


def key(text: object) -> str:
    """A comparison key: case-folded, with each word's tone marks set aside.

    >>> key("Quận Uỷ") == key("quận ủy")
    True
    """
    if text is None:
        return ""
    words = []
    for word in str(text).replace("\u2013", "-").replace("\u2014", "-").split():
        decomposed = unicodedata.normalize("NFD", word.casefold().replace("\u00f0", "\u0111"))
        tones = "".join(c for c in decomposed if c in _TONES)
        bare = "".join(c for c in decomposed if c not in _TONES)
        words.append(unicodedata.normalize("NFC", bare) + tones)
    return " ".join(words).strip(" .,;:")


def place_key(text: object) -> str:
    """>>> place_key("Thành phố Hà Nội") == place_key("Hà Nội")
    True
    """
    name = " ".join(key(text).replace("-", " ").split())
    for word in _LEVEL_WORDS:
        prefix = key(word) + " "
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def number_key(text: object) -> str:
    value = key(text)
    return str(int(value)) if value.isdigit() else value


def organ_key(organ_type: object, place: object) -> tuple[str, str]:
    return key(organ_type), place_key(place)


@dataclass(frozen=True)
class MeetingGold:
    article: str
    date: str
    organizers: tuple[tuple[str, str], ...]
    kinds: tuple[str, ...]
    required: bool


@dataclass
class GoldSet:
    """Required and optional facts per kind, meeting alternatives, identities."""

    articles: list[str] = field(default_factory=list)
    required: dict[str, set[Fact]] = field(default_factory=lambda: defaultdict(set))
    optional: dict[str, set[Fact]] = field(default_factory=lambda: defaultdict(set))
    meetings: list[MeetingGold] = field(default_factory=list)
    identities: list[list[tuple[str, str]]] = field(default_factory=list)


def _read_article(gold: GoldSet, data: dict[str, object]) -> None:
    a = str(data["article"])
    gold.articles.append(a)
    if data.get("published"):
        gold.required["published"].add((a, str(data["published"])))
    for name, bucket in (("organs", gold.required), ("optional_organs", gold.optional)):
        for t, u in data.get(name) or []:  # type: ignore[attr-defined]
            bucket["organs"].add((a, *organ_key(t, u)))
    for person in data.get("people") or []:  # type: ignore[attr-defined]
        name = key(person["name"])
        gold.required["people"].add((a, name))
        for field_name, bucket in (("positions", gold.required), ("optional_positions", gold.optional)):
            for role, t, u in person.get(field_name) or []:
                bucket["positions"].add((a, name, key(role), *organ_key(t, u)))
    for name in data.get("optional_people") or []:  # type: ignore[attr-defined]
        gold.optional["people"].add((a, key(name)))
    for field_name, bucket in (("congresses", gold.required), ("optional_congresses", gold.optional)):
        for c in data.get(field_name) or []:  # type: ignore[attr-defined]
            congress = (*organ_key(*c["of"]), int(c["ordinal"]))
            bucket["congresses"].add((a, *congress))
            if c.get("term"):
                bucket["congress_terms"].add((a, *congress, str(c["term"])))
    for t, u, n in data.get("congress_resolutions") or []:  # type: ignore[attr-defined]
        gold.required["congress_resolutions"].add((a, *organ_key(t, u), int(n)))
    for field_name, bucket in (("documents", gold.required), ("optional_documents", gold.optional)):
        for dtype, n, u in data.get(field_name) or []:  # type: ignore[attr-defined]
            bucket["documents"].add((a, key(dtype), number_key(n), place_key(u)))
    for field_name, required in (("meetings", True), ("optional_meetings", False)):
        for m in data.get(field_name) or []:  # type: ignore[attr-defined]
            organizers = [m["organizer"], *(m.get("alt_organizers") or [])]
            kinds = [m["kind"], *(m.get("alt_kinds") or [])]
            gold.meetings.append(
                MeetingGold(
                    a,
                    str(m["date"]),
                    tuple(organ_key(*o) for o in organizers),
                    tuple(key(k) for k in kinds),
                    required,
                )
            )


def load_gold(folder: Path, present: set[str] | None = None) -> GoldSet:
    """Every ``*.yaml`` gold file of ``folder``; with ``present``, only the gold of those article
    files (and identity groups of two or more of them), as the reference scorer does."""
    gold = GoldSet()
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if path.name == "identities.yaml":
            groups = [[(a, key(n)) for a, n in group] for group in data.get("people") or []]
            if present is not None:
                groups = [[m for m in g if m[0] in present] for g in groups]
            gold.identities = [g for g in groups if len(g) >= 2]
        elif present is None or str(data["article"]) in present:
            _read_article(gold, data)
    return gold
