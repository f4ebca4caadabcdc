"""The small grammar of Party news, read token by token.

Places ("quận Đống Đa", "phường", "Thành phố Hà Nội"), organs with their
jurisdiction ("Ban Tuyên giáo Thành ủy Hà Nội", "HĐND phường", "Quận ủy"),
person names, and chains of roles ("Phó Bí thư Thường trực Quận ủy, Chủ tịch
HĐND quận"). Every reader takes the document, the article state and a token
index, and returns what it read with the index where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc

from kg.nlp.items import VIETNAM_NAMES, OrganRef, Place
from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, Tag, is_capitalized
from kg.text import fold_normalized as fold

__all__ = [
    "SEPARATORS",
    "PlaceReading",
    "RoleReading",
    "read_name",
    "read_organ",
    "read_place",
    "read_roles",
    "skip_separators",
]

# What stands between a name and its roles, or between two roles: "X - Bí thư", "TUV, Bí thư".
SEPARATORS = frozenset({",", "-", "–", "—", ":"})
_MAX_PLACE_TOKENS = 4


@dataclass(frozen=True)
class PlaceReading:
    place: Place | None  # None when the level word names no unit the article knows
    end: int
    explicit: bool  # a name was written, not only a level word


@dataclass(frozen=True)
class RoleReading:
    role: str
    organ: OrganRef | None
    start: int
    end: int


def _capitalized_run(doc: Doc, i: int, state: ArticleState, limit: int = 6) -> int:
    """End of the run of capitalized syllables (or ward numbers) starting at ``i``."""
    j = i
    while j < len(doc) and j - i < limit:
        token = doc[j]
        if not (is_capitalized(token) or (token.like_num and j == i)):
            break
        if j > i and state.tag(j, "ORGAN", "ROLE"):
            break
        j += 1
    return j


def looks_like_person(doc: Doc, start: int, end: int, lexicon: Lexicon) -> bool:
    """A run such as "Đinh Thị Thu Hương": a family name and a given name, not a place."""
    words = [t.text for t in doc[start:end]]
    if len(words) < 2 or words[0] not in lexicon.surnames:
        return False
    return len(words) >= 3 or words[1] in lexicon.middle_names


def _place_name(
    doc: Doc,
    state: ArticleState,
    start: int,
    end: int,
    level: str | None,
    lexicon: Lexicon,
    *,
    exact: bool = False,
) -> tuple[Place | None, int]:
    """The longest prefix of a capitalized run that names a place.

    ``exact``: the text wrote the level ("huyện Phan Văn Tú" is no commune
    called Phan); otherwise ``level`` is only a hint and a known unit of
    another level will do.
    """
    gazetteer = state.context.gazetteer
    for stop in range(min(end, start + _MAX_PLACE_TOKENS), start, -1):
        name = _text_between(doc, state, start, stop)
        if gazetteer.knows(name) or name in VIETNAM_NAMES:
            place = state.context.resolve(name, level, strict=True)
            if place is None and not exact:
                place = state.context.resolve(name, None)
            if place is not None:
                return place, stop
    if level is None or looks_like_person(doc, start, end, lexicon):
        return None, start
    stop = start + 1
    while stop < min(end, start + 3) and not looks_like_person(doc, stop, end, lexicon):
        stop += 1
    return state.context.resolve(doc[start:stop].text, level), stop


def read_place(
    doc: Doc, state: ArticleState, i: int, lexicon: Lexicon, *, bare_level: str | None = None
) -> PlaceReading | None:
    """A place at token ``i``: a level word with or without a name, or (given
    ``bare_level``) a bare name the gazetteer knows or the level vouches for.
    """
    level_tag = state.tag(i, "LEVEL")
    if level_tag is not None:
        j = level_tag.end
        abbreviated = doc[j - 1].text.isupper() and len(doc[j - 1].text) <= 3 and not doc[j - 1].whitespace_
        if j < len(doc) and doc[j].text == "." and abbreviated:
            j += 1  # "TP. Hồ Chí Minh"; a full word before "." ends a sentence
        run_end = _capitalized_run(doc, j, state)
        if run_end > j:
            place, stop = _place_name(doc, state, j, run_end, level_tag.value, lexicon, exact=True)
            if place is not None:
                return PlaceReading(place, stop, explicit=True)
        return PlaceReading(state.context.home_at(level_tag.value), level_tag.end, explicit=False)
    if i < len(doc) and is_capitalized(doc[i]):
        run_end = _capitalized_run(doc, i, state)
        # A known name first ("Thành ủy Hà Nội Phạm Thanh Học"); an unknown one only
        # when the form vouches for a level and the run is no person's name.
        place, stop = _place_name(doc, state, i, run_end, bare_level, lexicon)
        if place is not None:
            return PlaceReading(place, stop, explicit=True)
    return None


def _text_between(doc: Doc, state: ArticleState, start: int, end: int) -> str:
    """The text of tokens ``start:end`` without building a Span."""
    starts = state.token_starts
    start, end = max(0, start), min(len(doc), end)
    if start >= end:
        return ""
    return state.text[starts[start] : starts[end] if end < len(doc) else len(state.text)].strip()


def _is_generic(doc: Doc, state: ArticleState, start: int, end: int, lexicon: Lexicon) -> bool:
    before = fold(_text_between(doc, state, start - 2, start))
    after = fold(_text_between(doc, state, end, end + 3))
    if any(
        before.endswith(w) and (len(before) == len(w) or before[-len(w) - 1] == " ")
        for w in lexicon.generic_before
    ):
        return True
    return any(after.startswith(w) for w in lexicon.generic_after)


def read_organ(
    doc: Doc,
    state: ArticleState,
    i: int,
    lexicon: Lexicon,
    organ_type: str | None = None,
    end: int | None = None,
) -> tuple[OrganRef | None, int]:
    """An organ at token ``i`` and its jurisdiction; ``(None, end)`` for a generic mention.

    ``organ_type``/``end`` read a form the caller already knows (a department
    written after "Trưởng ban").
    """
    if organ_type is None or end is None:
        tag = state.tag(i, "ORGAN")
        if tag is None:
            return None, i
        organ_type, end, form = tag.value, tag.end, tag.form
    else:
        form = fold(doc[i:end].text)
    if form in lexicon.never_alone or _is_generic(doc, state, i, end, lexicon):
        return None, end
    surface_start = i
    lower_case = not doc[i].text[0].isupper()
    implied = lexicon.implied_levels.get(form)

    # A sub-organ names its parent: "Ban Tuyên giáo Thành ủy Hà Nội".
    if organ_type in lexicon.needs_parent and lower_case and form in lexicon.common_nouns:
        return None, end  # "thường trực UBMTTQ phường": an office, and the Front is read next
    if state.tag(end, "ORGAN") and (organ_type in lexicon.needs_parent or organ_type == "political-center"):
        parent, stop = read_organ(doc, state, end, lexicon)
        if parent is None:
            return None, stop
        if organ_type == "party-office" and parent.organ_type != "party-committee":
            organ_type = "other"
        return OrganRef(organ_type, parent.place, parent, doc[surface_start:stop].text, parent.explicit), stop
    if organ_type in lexicon.needs_parent:
        return None, end

    reading = read_place(
        doc, state, end, lexicon, bare_level=None if form in lexicon.common_nouns else implied
    )
    if reading is not None and reading.place is not None:
        if lower_case and form in lexicon.common_nouns and not reading.explicit:
            return None, reading.end
        surface = doc[surface_start : reading.end].text
        return OrganRef(organ_type, reading.place, None, surface, reading.explicit), reading.end
    if reading is not None:  # a level word with no unit the article knows
        return None, reading.end
    if lower_case and form in lexicon.common_nouns:
        return None, end
    if end < len(doc) and is_capitalized(doc[end]) and form in lexicon.common_nouns:
        return None, end  # a named unit such as "Đảng bộ Cơ quan Dân, Đảng": not a place
    place = state.context.home_at(implied or "home")
    if place is None:
        return None, end
    return OrganRef(organ_type, place, None, doc[surface_start:end].text), end


def read_name(doc: Doc, state: ArticleState, i: int, lexicon: Lexicon, *, need_surname: bool) -> int | None:
    """End of a person name starting at ``i`` (2 to 5 capitalized syllables), or None."""
    j = i
    while j < len(doc) and j - i < 5 and is_capitalized(doc[j]):
        if j > i and state.tag(j, "ORGAN", "ROLE", "LEVEL"):
            break  # (a cue word such as "Anh" may be a given name: "Nguyễn Anh Cường")
        j += 1
    if j - i < 2 or state.tag(i, "ORGAN", "ROLE", "LEVEL"):
        return None
    if need_surname and doc[i].text not in lexicon.surnames:
        return None
    if need_surname and state.context.gazetteer.knows(doc[i:j].text):
        return None  # without a cue, "Hà Nam" is the province (after "đồng chí" it is a person)
    return j


def skip_separators(doc: Doc, j: int, end: int | None = None, extra: frozenset[str] = frozenset()) -> int:
    """Past the separators (and ``extra`` tokens) from ``j``, not beyond ``end``."""
    stop = len(doc) if end is None else end
    while j < stop and (doc[j].text in SEPARATORS or doc[j].text in extra or doc[j].is_space):
        j += 1
    return j


def _read_one_role(doc: Doc, state: ArticleState, i: int, lexicon: Lexicon) -> RoleReading | None:
    tag = state.tag(i, "ROLE")
    if tag is None:
        return None
    j = tag.end
    if tag.form in lexicon.implied_role_organs and not state.tag(j, "ORGAN"):
        _, organ_type, level = lexicon.implied_role_organs[tag.form]
        place = state.context.home_at(level)
        organ = OrganRef(organ_type, place, None, doc[i:j].text) if place else None
        return RoleReading(tag.value, organ, i, j)
    if tag.form in lexicon.sub_unit_roles:
        return _read_sub_unit_role(doc, state, tag, lexicon)
    dept = state.tag(j, "DEPT")
    if tag.form in lexicon.ban_roles and dept is not None and not state.tag(j, "ORGAN"):
        organ, stop = read_organ(doc, state, j, lexicon, organ_type=dept.value, end=dept.end)
        return RoleReading(tag.value, organ, i, stop)
    if state.tag(j, "ORGAN"):
        organ, stop = read_organ(doc, state, j, lexicon)
        office = lexicon.offices_of_roles.get(tag.value)
        if organ is not None and office and organ.organ_type == "party-committee":
            organ = OrganRef(office, organ.place, organ, doc[i:stop].text, organ.explicit)
        return RoleReading(tag.value, organ, i, stop)
    return RoleReading(tag.value, None, i, j)


def _read_sub_unit_role(doc: Doc, state: ArticleState, tag: Tag, lexicon: Lexicon) -> RoleReading:
    """ "Trưởng phòng Lý luận chính trị, Ban Tuyên giáo Thành ủy": a unit inside the organ that follows."""
    j, parent = tag.end, None
    while j < len(doc) and j - tag.end < 15 and doc[j].text not in {";", "."}:
        if state.tag(j, "ROLE", "CUE"):
            break
        if state.tag(j, "ORGAN"):
            parent, stop = read_organ(doc, state, j, lexicon)
            if parent is not None:
                j = stop
                break
        j += 1
    place = parent.place if parent else state.context.home_at("home")
    organ = OrganRef("other", place, parent, doc[tag.start : j].text) if place else None
    return RoleReading(tag.value, organ, tag.start, j)


def read_roles(doc: Doc, state: ArticleState, i: int, lexicon: Lexicon) -> tuple[list[RoleReading], int]:
    """A chain of roles from token ``i``: "TUV, Bí thư Quận ủy", "Ủy viên Bộ Chính trị - Bí thư Thành ủy"."""
    roles: list[RoleReading] = []
    j = i
    while True:
        k = skip_separators(doc, j) if roles else j
        reading = _read_one_role(doc, state, k, lexicon)
        if reading is None:
            return _share_place(roles), j
        roles.append(reading)
        j = _after_connector(doc, state, reading.end, lexicon)


def _after_connector(doc: Doc, state: ArticleState, j: int, lexicon: Lexicon) -> int:
    """Past "kiêm", "và", "đồng thời là" when another role follows them; else ``j``."""
    for connector in lexicon.role_connectors:
        width = len(connector.split())
        if fold(_text_between(doc, state, j, j + width)) == connector and state.tag(j + width, "ROLE"):
            return j + width
    return j


def _share_place(roles: list[RoleReading]) -> list[RoleReading]:
    """In "Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Thái Bình" the last organ's place is every organ's."""
    named = [r.organ for r in roles if r.organ is not None and r.organ.explicit]
    if not named:
        return roles
    chain = named[-1].place.chain()
    shared = []
    for reading in roles:
        organ = reading.organ
        if organ is not None and not organ.explicit:
            same_level = [p for p in chain if p.level == organ.place.level]
            if same_level:
                organ = replace(organ, place=same_level[-1], explicit=True)
        shared.append(replace(reading, organ=organ))
    return shared
