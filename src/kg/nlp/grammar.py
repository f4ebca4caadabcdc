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

from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, Tag
from kg.records import VIETNAM, VIETNAM_NAMES, OrganRef, Place
from kg.text import fold_normalized as fold

__all__ = [
    "SEPARATORS",
    "PlaceReading",
    "RoleReading",
    "after_role_verbs",
    "read_name",
    "read_organ",
    "read_place",
    "read_roles",
    "skip_separators",
    "skip_term_qualifier",
]

# What stands between a name and its roles, or between two roles: "X - Bí thư", "TUV, Bí thư".
SEPARATORS = frozenset({",", "-", "–", "—", ":"})
_MAX_PLACE_TOKENS = 6  # "Phan Rang - Tháp Chàm"
_MAX_LISTED_ORGANS = 6


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
    # An organ of this type whose parent the text leaves to a neighbouring role of the
    # chain ("Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Huyện ủy").
    borrows: str | None = None


def _capitalized_run(doc: Doc, i: int, state: ArticleState, limit: int = 6) -> int:
    """End of the run of capitalized syllables (or ward numbers) starting at ``i``; a hyphen
    between two of them belongs to the name ("Phan Rang-Tháp Chàm", "PR-TC"). A term
    qualifier ("Khóa XV") or a capitalized connector ("Kiêm") ends the run."""
    j = i
    words, capitalized = state.words, state.capitalized
    while j < len(words) and j - i < limit:
        hyphen = words[j] == "-" and j > i and j + 1 < len(words) and capitalized[j + 1]
        if not (hyphen or capitalized[j] or (j == i and words[j].isdigit())):
            break
        if words[j].lower() in state.run_breakers or (j > i and state.tag(j, "ORGAN", "ROLE")):
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
    if end <= start:
        return None, start
    gazetteer = state.context.gazetteer
    for stop in range(min(end, start + _MAX_PLACE_TOKENS), start, -1):
        name = _text_between(doc, state, start, stop)
        if doc[stop - 1].text == "-":
            continue
        if gazetteer.knows(name) or name in VIETNAM_NAMES or state.context.has_alias(name):
            place = state.context.resolve(name, level, strict=True)
            if place is None and not exact and level is None:
                place = state.context.resolve(name, None)
            if place is None and looks_like_person(doc, stop, end, lexicon):
                # A known name of several units, then a person: "Huyện ủy Châu Thành Trần Minh Đức".
                place = state.context.resolve(name, level or "district")
            if place is not None:
                return place, stop
    if level is None or looks_like_person(doc, start, end, lexicon):
        return None, start
    stop = start + 1
    while (
        stop < min(end, start + 3)
        and "-" not in (doc[stop].text, doc[stop - 1].text)
        and not looks_like_person(doc, stop, end, lexicon)
    ):
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
        short = doc[j - 1].text
        abbreviated = short[:1].isupper() and len(short) <= 3 and not doc[j - 1].whitespace_  # "TP.", "Tp."
        if j < len(doc) and doc[j].text == "." and abbreviated:
            j += 1  # "TP. Hồ Chí Minh"; a full word before "." ends a sentence
        run_end = _capitalized_run(doc, j, state)
        if run_end > j:
            place, stop = _place_name(doc, state, j, run_end, level_tag.value, lexicon, exact=True)
            if place is not None:
                return PlaceReading(place, stop, explicit=True)
        return PlaceReading(state.context.home_at(level_tag.value, near=i), level_tag.end, explicit=False)
    if i < len(doc) and state.capitalized[i]:
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

    # "Ủy ban Kiểm tra (UBKT) Đảng ủy": the short form in brackets stands between organ and parent.
    if (
        end + 2 < len(doc)
        and doc[end].text == "("
        and doc[end + 2].text == ")"
        and doc[end + 1].text.isupper()
        and state.tag(end + 3, "ORGAN")
    ):
        end += 3
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
    if organ_type in lexicon.needs_parent and implied is None:
        return None, end  # "Ban Thường vụ" alone; "UBKTTU" names its committee's level
    if implied == "country":  # "Trung ương Đảng", "T.Ư Đảng", "Bộ Chính trị": national, no place follows
        stop = end + 1 if end < len(doc) and fold(doc[end].text) in lexicon.party_words else end
        return OrganRef(organ_type, VIETNAM, None, doc[surface_start:stop].text, True), stop

    reading = read_place(
        doc, state, end, lexicon, bare_level=None if form in lexicon.common_nouns else implied
    )
    if reading is not None and reading.place == VIETNAM and state.tag(reading.end, "LEVEL"):
        # "Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên": the country is part of the name.
        local = read_place(doc, state, reading.end, lexicon)
        reading = local if local is not None and local.explicit else reading
    if reading is not None and reading.place is not None:
        if lower_case and form in lexicon.common_nouns and not reading.explicit:
            return None, reading.end
        surface = doc[surface_start : reading.end].text
        return OrganRef(organ_type, reading.place, None, surface, reading.explicit), reading.end
    if reading is not None:  # a level word with no unit the article knows
        return None, reading.end
    if lower_case and form in lexicon.common_nouns:
        return None, end
    if end < len(doc) and state.capitalized[end] and form in lexicon.common_nouns:
        return None, end  # a named unit such as "Đảng bộ Cơ quan Dân, Đảng": not a place
    level = implied or _level_ending_list(state, end, lexicon) or "home"
    place = state.context.home_at(level, near=i)
    if place is None:
        return None, end
    return OrganRef(organ_type, place, None, doc[surface_start:end].text, level=implied), end


def _level_ending_list(state: ArticleState, j: int, lexicon: Lexicon) -> str | None:
    """The level word that closes a list of organ forms ("HĐND, UBND, Thường trực Ủy ban MTTQ
    xã"): it is every listed organ's."""
    words = state.words
    for _ in range(_MAX_LISTED_ORGANS):
        if j < len(words) and words[j] in lexicon.list_joiners:
            j += 1
        tag = state.tag(j, "ORGAN")
        if tag is None:
            return None
        j = tag.end
        while (following := state.tag(j, "ORGAN")) is not None:  # "Thường trực Ủy ban MTTQ"
            j = following.end
        level = state.tag(j, "LEVEL")
        if level is not None:
            return level.value
    return None


def read_name(doc: Doc, state: ArticleState, i: int, lexicon: Lexicon, *, need_surname: bool) -> int | None:
    """End of a person name starting at ``i`` (2 to 5 capitalized syllables), or None."""
    j = i
    capitalized = state.capitalized
    while j < len(capitalized) and j - i < 5 and capitalized[j]:
        if j > i and state.tag(j, "ORGAN", "ROLE", "LEVEL"):
            break  # (a cue word such as "Anh" may be a given name: "Nguyễn Anh Cường")
        j += 1
    if j - i < 2 or state.tag(i, "ORGAN", "ROLE", "LEVEL"):
        return None
    if need_surname and state.words[i] not in lexicon.surnames:
        return None
    if need_surname and state.context.gazetteer.knows(_text_between(doc, state, i, j)):
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
        return _read_implied_organ_role(doc, state, tag, lexicon)
    if tag.form in lexicon.sub_unit_roles:
        return _read_sub_unit_role(doc, state, tag, lexicon)
    dept = state.tag(j, "DEPT")
    if tag.form in lexicon.ban_roles and dept is not None and not state.tag(j, "ORGAN"):
        organ, stop = read_organ(doc, state, j, lexicon, organ_type=dept.value, end=dept.end)
        return RoleReading(tag.value, organ, i, stop)
    organ_tag = state.tag(j, "ORGAN")
    if organ_tag is not None:
        organ, stop = read_organ(doc, state, j, lexicon)
        if organ is None and organ_tag.value in lexicon.needs_parent and stop == organ_tag.end:
            return RoleReading(tag.value, None, i, stop, borrows=organ_tag.value)
        office = lexicon.offices_of_roles.get(tag.value)
        if organ is not None and office and organ.organ_type == "party-committee":
            organ = OrganRef(office, organ.place, organ, doc[i:stop].text, organ.explicit)
        return RoleReading(tag.value, organ, i, stop)
    return RoleReading(tag.value, None, i, j)


def _read_implied_organ_role(doc: Doc, state: ArticleState, tag: Tag, lexicon: Lexicon) -> RoleReading:
    """A role that names its organ ("Tỉnh ủy viên", "UVBTVHU"), with the place written after it, if any."""
    _, organ_type, level = lexicon.implied_role_organs[tag.form]
    if level == "chain":
        return RoleReading(tag.value, None, tag.start, tag.end, borrows=organ_type)
    j = tag.end
    reading = read_place(doc, state, j, lexicon, bare_level=level) if level != "country" else None
    if reading is not None and reading.explicit and reading.place is not None:
        named = OrganRef(organ_type, reading.place, None, doc[tag.start : reading.end].text, True)
        return RoleReading(tag.value, named, tag.start, reading.end)
    place = state.context.home_at(level, near=tag.start)
    implied = OrganRef(organ_type, place, None, doc[tag.start : j].text, level=level) if place else None
    return RoleReading(tag.value, implied, tag.start, j)


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
    if parent is None:  # "Ủy viên UBKT Tỉnh ủy, Trưởng phòng Kiểm tra 2": a unit of the chain's organ
        return RoleReading(tag.value, None, tag.start, j, borrows="other")
    return RoleReading(
        tag.value, OrganRef("other", parent.place, parent, doc[tag.start : j].text), tag.start, j
    )


def read_roles(doc: Doc, state: ArticleState, i: int, lexicon: Lexicon) -> tuple[list[RoleReading], int]:
    """A chain of roles from token ``i``: "TUV, Bí thư Quận ủy", "Ủy viên Bộ Chính trị - Bí thư Thành ủy",
    "Bí thư Huyện ủy khóa XX, Chủ tịch UBND huyện", "UVBTV, Trưởng Ban Dân vận Huyện ủy".

    A segment the lexicon does not know between two separators is passed over when a
    role follows it, so that one unknown title does not lose the rest of the chain.
    """
    roles: list[RoleReading] = []
    j = i
    while True:
        k = after_role_verbs(doc, state, skip_separators(doc, j), lexicon) if roles else j
        reading = _read_one_role(doc, state, k, lexicon)
        if reading is None and roles:
            skipped = _past_unknown_segment(doc, state, k, lexicon)
            reading = _read_one_role(doc, state, skipped, lexicon) if skipped is not None else None
        if reading is None:
            return _share_place(_lend_parents(roles)), j
        roles.append(reading)
        j = _after_connector(doc, state, skip_term_qualifier(doc, reading.end, lexicon), lexicon)


_SEGMENT_ENDS = frozenset({";", ".", ":", "(", ")", "\n"})
_MAX_UNKNOWN_SEGMENT = 10  # tokens


def _past_unknown_segment(doc: Doc, state: ArticleState, k: int, lexicon: Lexicon) -> int | None:
    """Where the role after an unknown title starts ("Phó Trưởng đoàn ..., Chủ tịch ..."), or None
    when no role follows within a short segment or the segment is a person's name."""
    t = k
    while t < len(doc) and t - k < _MAX_UNKNOWN_SEGMENT and doc[t].text not in _SEGMENT_ENDS:
        if state.tag(t, "CUE") or doc[t].is_space:
            return None
        if doc[t].text in SEPARATORS and t > k:
            role_at = skip_separators(doc, t)
            if state.tag(role_at, "ROLE") and not looks_like_person(doc, k, t, lexicon):
                return role_at
            return None
        t += 1
    return None


def after_role_verbs(doc: Doc, state: ArticleState, j: int, lexicon: Lexicon) -> int:
    """Past election and appointment verbs ("tái đắc cử", "được bầu giữ chức vụ") when a role
    follows them; else ``j``."""
    k = j
    for _ in range(6):
        if k >= len(doc) or state.tag(k, "ROLE"):
            break
        verbs = lexicon.role_verbs_by_first_word.get(doc[k].lower_, ())
        for verb in verbs:
            width = len(verb.split())
            if fold(_text_between(doc, state, k, k + width)) == verb:
                k = skip_separators(doc, k + width)
                break
        else:
            return j
    return k if k < len(doc) and state.tag(k, "ROLE") else j


def skip_term_qualifier(doc: Doc, j: int, lexicon: Lexicon) -> int:
    """Past a term written after an organ: "khóa XX", "(khóa XII)", "nhiệm kỳ 2020 - 2025"."""
    k = j + 1 if j < len(doc) and doc[j].text == "(" else j
    for word in lexicon.term_words:
        width = len(word.split())
        if k + width < len(doc) and doc[k : k + width].text.lower() == word:
            value = k + width
            if _is_numeral(doc[value].text):
                k = value + 1
                if k + 1 < len(doc) and doc[k].text == "-" and doc[k + 1].like_num:
                    k += 2  # "2020 - 2025"
                break
    else:
        return j
    return k + 1 if j < len(doc) and doc[j].text == "(" and k < len(doc) and doc[k].text == ")" else k


def _is_numeral(text: str) -> bool:
    return text.isdigit() or (text.isupper() and set(text) <= set("IVXLC"))


def _after_connector(doc: Doc, state: ArticleState, j: int, lexicon: Lexicon) -> int:
    """Past "kiêm", "và", "đồng thời là" when another role follows them; else ``j``."""
    for connector in lexicon.role_connectors:
        width = len(connector.split())
        if fold(_text_between(doc, state, j, j + width)) == connector and state.tag(j + width, "ROLE"):
            return j + width
    return j


def _lend_parents(roles: list[RoleReading]) -> list[RoleReading]:
    """Complete the roles whose organ needs a parent named by a neighbour in the chain:
    the next role's organ first ("Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Tỉnh ủy"),
    the previous one's for a unit of an organ ("..., Trưởng phòng Kiểm tra 2")."""
    if all(r.borrows is None for r in roles):
        return roles
    lent = []
    for index, reading in enumerate(roles):
        if reading.borrows is None or reading.organ is not None:
            lent.append(reading)
            continue
        after = [r.organ for r in roles[index + 1 :] if r.organ is not None]
        before = [r.organ for r in reversed(roles[:index]) if r.organ is not None]
        neighbours = [*before, *after] if reading.borrows == "other" else [*after, *before]
        if not neighbours:
            lent.append(reading)
            continue
        lender = neighbours[0]
        parent = lender if reading.borrows == "other" else _committee_of(lender)
        organ = OrganRef(reading.borrows, lender.place, parent, "", lender.explicit)
        lent.append(replace(reading, organ=organ))
    return lent


def _committee_of(organ: OrganRef) -> OrganRef:
    """The party committee an organ belongs to, or the organ itself."""
    current: OrganRef | None = organ
    while current is not None:
        if current.organ_type == "party-committee":
            return current
        current = current.parent
    return organ


def _share_place(roles: list[RoleReading]) -> list[RoleReading]:
    """In "Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Thái Bình" the last organ's place is every organ's."""
    # National organs ("Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy") lend no place to the others.
    named = [r.organ for r in roles if r.organ is not None and r.organ.explicit and r.organ.place != VIETNAM]
    if not named:
        return roles
    place = named[-1].place
    shared = []
    for reading in roles:
        organ = reading.organ
        if organ is not None and not organ.explicit and organ.place != VIETNAM:
            # A form that implies no level ("HĐND") takes the named place itself.
            same = place if organ.level is None else state_level(place, organ.place.level)
            if same is not None:
                organ = replace(organ, place=same, explicit=True)
        shared.append(replace(reading, organ=organ))
    return shared


def state_level(place: Place, level: str) -> Place | None:
    """The unit of ``level`` in ``place``'s chain."""
    same_level = [p for p in place.chain() if p.level == level]
    return same_level[-1] if same_level else None
