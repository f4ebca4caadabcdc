"""Finds Party congresses ("Đại hội đại biểu Đảng bộ quận ... lần thứ XXVIII,
nhiệm kỳ 2020-2025"), their organization, ordinal and term, and the
resolutions they adopted ("Nghị quyết Đại hội ...")."""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.grammar import read_place
from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, Sentence, state_of
from kg.records import VIETNAM, CongressRef, DocumentRef, OrganRef, Term

__all__ = ["CongressFinder", "roman_to_int"]

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_NUMERAL = r"[IVXLC]+"
_YEARS = r"((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})"
_PARTY_TYPES = ("party-organization", "party-committee")
_WINDOW = 120  # characters between "Đại hội" and its ordinal
_AFTER = 60  # characters after the ordinal where the congress's organ may be named
_PLACE_AFTER = 30  # characters after the ordinal where its place may follow a dash


def _alternatives(words: list[str]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


class CongressPatterns:
    """The congress patterns, built from the words of ``patterns/events.yaml``."""

    def __init__(self, lexicon: Lexicon) -> None:
        words = lexicon.congress
        congress = _alternatives(list(lexicon.congress_words))
        ordinal_words = _alternatives(list(lexicon.ordinal_words))
        self.ordinal = re.compile(
            rf"\b(?:{_alternatives(words['ordinal_before'])})\s+(?P<n>{_ROMAN_NUMERAL}|\d{{1,3}}|{ordinal_words})\b"
            rf"|\b(?:{_alternatives(words['ordinal_before_roman'])})\s+(?P<l>{_ROMAN_NUMERAL})\b"
            rf"|\b(?:{congress})\s+(?P<r>{_ROMAN_NUMERAL})\b"
            rf"|\b(?:{_alternatives(words['committee_term'])})\s+(?P<k>{_ROMAN_NUMERAL})\b",
            re.IGNORECASE,
        )
        self.congress = re.compile(rf"\b(?:{congress})\b", re.IGNORECASE)
        term_word = _alternatives(words["term_word"])
        self.term = re.compile(rf"^[\s,;(]*(?:{term_word})?\s*\(?\s*{_YEARS}", re.IGNORECASE)
        self.national_before = re.compile(
            rf"\b(?:{_alternatives(words['national_words'])})\s*$", re.IGNORECASE
        )
        self.nationwide = re.compile(rf"\b(?:{_alternatives(words['nationwide_words'])})\b", re.IGNORECASE)
        party = re.escape(words["party_word"])
        not_after = _alternatives(words["not_national_after_party"])
        of = _alternatives(words["of_words"])
        # "lần thứ XIII của Đảng", "XIII, nhiệm kỳ 2021-2026 của Đảng": the national party ("Đảng bộ" is not).
        self.national_after = re.compile(
            rf"^[\s,]*(?:(?:{term_word})\s+{_YEARS}[\s,]*)?(?:(?:{of})\s+)*{party}(?!\s*(?:{not_after})\b)\b",
            re.IGNORECASE,
        )
        resolution = _alternatives([f for f, t in lexicon.document_forms.items() if t == "resolution"])
        self.resolution_before = re.compile(rf"\b(?:{resolution})\s*$", re.IGNORECASE)
        self.other_event = re.compile(rf"\b(?:{_alternatives(words['other_events'])})\b", re.IGNORECASE)


def roman_to_int(numeral: str) -> int:
    """>>> roman_to_int("XXVIII"), roman_to_int("XIV"), roman_to_int("17")
    (28, 14, 17)
    """
    if numeral.isdigit():
        return int(numeral)
    values = [_ROMAN[c] for c in numeral.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


class CongressFinder:
    """Congresses and congress resolutions into the article state."""

    def __init__(self, nlp: Language, name: str, *, lexicon: Lexicon) -> None:
        self.name = name
        self.lexicon = lexicon
        self.patterns = CongressPatterns(lexicon)

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        term_starts: set[int] = set()
        for sentence in state.sentences:
            self._read_sentence(doc, state, sentence, term_starts)
        state.context.term_starts = sorted(term_starts)
        return doc

    def _read_sentence(
        self, doc: Doc, state: ArticleState, sentence: Sentence, term_starts: set[int]
    ) -> None:
        text, offset = sentence.text, sentence.start_char
        patterns = self.patterns
        starts = list(patterns.congress.finditer(text))
        for match in patterns.ordinal.finditer(text):
            group = next(g for g in ("n", "l", "r", "k") if match.group(g))
            numeral = match.group(group)
            if group in ("l", "r", "k") and not numeral.isupper():
                continue  # roman numerals are written in capitals; "lần i" is no ordinal
            head = [m for m in starts if m.start() <= match.start() and match.start() - m.end() <= _WINDOW]
            if not head:
                continue
            start = head[-1]
            ordinal_start = match.start(group) if group in ("r", "k") else match.start()
            if patterns.other_event.search(text[start.end() : ordinal_start]):
                continue  # "Đại hội ..., Hội nghị lần thứ 5": the ordinal is the other event's
            term_match = patterns.term.match(text[match.end() : match.end() + 40])
            term = Term(int(term_match.group(1)), int(term_match.group(2))) if term_match else None
            if term is not None:  # any congress's term dates the article, a Party congress or not
                term_starts.add(term.start)
            if group == "k" and not self._organization_named(
                state, offset + start.end(), offset + ordinal_start
            ):
                continue  # "Ban Chấp hành ... khóa XX": a committee's term, not a congress
            ordinal = self.lexicon.ordinal_words.get(numeral.lower()) or roman_to_int(numeral)
            bare = group == "r"
            organ = self._organization(doc, state, text, offset, start.end(), ordinal_start, match.end())
            if (
                bare
                and self._is_national(state, ordinal)
                and not self._named_after(state, offset, match.end())
            ):
                organ = OrganRef("party-organization", VIETNAM)
            if organ is None:
                continue
            congress = CongressRef(organ, ordinal, term)
            self._add(state, congress)
            state.congress_organs.setdefault(sentence.start, organ)
            if patterns.resolution_before.search(text[max(0, start.start() - 14) : start.start()]):
                resolution = DocumentRef("resolution", adopted_at=congress)
                if resolution not in state.extraction.documents:
                    state.extraction.documents.append(resolution)

    @staticmethod
    def _organization_named(state: ArticleState, start_char: int, end_char: int) -> bool:
        """A party organization ("Đảng bộ huyện X") is named between the two characters."""
        return any(
            o.organ_type == "party-organization"
            for s, _, o in state.organ_spans
            if start_char <= state.token_starts[s] < end_char
        )

    @staticmethod
    def _named_after(state: ArticleState, offset: int, ordinal_end: int) -> bool:
        """An organ follows the ordinal closely ("Đại hội XX Đảng bộ tỉnh ...")."""
        return any(
            offset + ordinal_end <= state.token_starts[s] < offset + ordinal_end + _AFTER
            for s, _, _ in state.organ_spans
        )

    def _is_national(self, state: ArticleState, ordinal: int) -> bool:
        """A bare "Đại hội XIII" is the national congress when that ordinal was, or was about
        to be, the national congress of the article's time."""
        held = self.lexicon.national_congresses
        if ordinal not in held:
            return False
        dated = state.context.published or state.context.month
        if dated is None:
            return True
        current = max((n for n, year in held.items() if year <= dated.year), default=min(held))
        return current - 1 <= ordinal <= current + 1

    def _organization(
        self,
        doc: Doc,
        state: ArticleState,
        text: str,
        offset: int,
        between_start: int,
        ordinal_start: int,
        ordinal_end: int,
    ) -> OrganRef | None:
        """The party organization holding the congress: named between "Đại hội" and the ordinal,
        right after the ordinal ("lần thứ XVII Đảng bộ thành phố"), or the article's own."""
        inside = [
            o
            for s, _, o in state.organ_spans
            if offset + between_start <= state.token_starts[s] < offset + ordinal_start
        ]
        if inside:
            return self._as_party(inside[0])
        between = text[between_start:ordinal_start]
        patterns = self.patterns
        if (
            patterns.national_before.search(between.strip())
            or patterns.nationwide.search(between)
            or patterns.national_after.match(text[ordinal_end:])
        ):
            return OrganRef("party-organization", VIETNAM)
        place = self._place_between(doc, state, offset + between_start, offset + ordinal_start)
        if place is not None:
            return place
        after = [
            o
            for s, _, o in state.organ_spans
            if offset + ordinal_end <= state.token_starts[s] < offset + ordinal_end + _AFTER
        ]
        if after and after[0].organ_type in _PARTY_TYPES:
            return self._as_party(after[0])
        rest = text[ordinal_end:]
        place_at = offset + ordinal_end + len(rest) - len(rest.lstrip(" -,("))
        token = bisect_left(state.token_starts, place_at)
        if token < len(doc) and state.token_starts[token] == place_at and state.tag(token, "LEVEL"):
            named_after = self._place_between(doc, state, place_at, place_at + _PLACE_AFTER)
            if named_after is not None:
                return named_after  # "Đại hội lần thứ XI - TP. Hồ Chí Minh"
        subject = [
            o for s, _, o in state.organ_spans if offset <= state.token_starts[s] < offset + between_start
        ]
        if subject and subject[-1].organ_type not in _PARTY_TYPES:
            return None  # "Hội Nông dân huyện X tổ chức Đại hội lần thứ XI": not a Party congress
        home = state.context.home_at("home")
        return OrganRef("party-organization", home) if home else None

    def _place_between(
        self, doc: Doc, state: ArticleState, start_char: int, end_char: int
    ) -> OrganRef | None:
        span = doc.char_span(start_char, min(end_char, len(state.text)), alignment_mode="contract")
        if span is None:
            return None
        for i in range(span.start, span.end):
            if state.tag(i, "LEVEL"):
                reading = read_place(doc, state, i, self.lexicon)
                if reading is not None and reading.place is not None:
                    return OrganRef("party-organization", reading.place)
        return None

    @staticmethod
    def _as_party(organ: OrganRef) -> OrganRef | None:
        if organ.organ_type not in _PARTY_TYPES:
            return None  # a congress of a mass organization or the Front: not a Party congress
        return OrganRef("party-organization", organ.place, None, organ.surface)

    @staticmethod
    def _add(state: ArticleState, congress: CongressRef) -> None:
        congresses = state.extraction.congresses
        for index, known in enumerate(congresses):
            if known == congress:
                if known.term is None and congress.term is not None:
                    congresses[index] = congress
                return
        congresses.append(congress)
