"""Finds Party congresses ("Đại hội đại biểu Đảng bộ quận ... lần thứ XXVIII,
nhiệm kỳ 2020-2025"), their organization, ordinal and term, and the
resolutions they adopted ("Nghị quyết Đại hội ...")."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, Sentence, state_of
from kg.records import VIETNAM, CongressRef, DocumentRef, OrganRef, Term

__all__ = ["CongressFinder", "roman_to_int"]

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ORDINAL = re.compile(
    r"\blần\s+thứ\s+(?P<n>[IVXLC]+|\d{1,3})\b|\bĐại\s+hội\s+(?P<r>[IVXLC]+)\b", re.IGNORECASE
)
_CONGRESS = re.compile(r"\bđại\s+hội\b", re.IGNORECASE)
_TERM = re.compile(
    r"^[\s,;(]*(?:nhiệm\s+kỳ)?\s*\(?\s*((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})", re.IGNORECASE
)
_NATIONAL = re.compile(r"\b(?:Đảng|toàn\s+quốc|Đảng\s+Cộng\s+sản\s+Việt\s+Nam)\s*$")
# "lần thứ XIII của Đảng", "XIII của Đảng Cộng sản Việt Nam": the national party ("Đảng bộ" is not).
_NATIONAL_AFTER = re.compile(
    r"^[\s,]*(?:nhiệm\s+kỳ\s+\d{4}\s*[-–]\s*\d{4}[\s,]*)?(?:của\s+)?(?:toàn\s+)?Đảng(?!\s*bộ)\b"
)
_RESOLUTION_BEFORE = re.compile(r"\bnghị\s+quyết\s*$", re.IGNORECASE)
_OTHER_EVENT = re.compile(r"\b(?:hội\s+nghị|kỳ\s+họp|phiên)\b", re.IGNORECASE)
_PARTY_TYPES = ("party-organization", "party-committee")
_WINDOW = 120  # characters between "Đại hội" and its ordinal


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
        starts = list(_CONGRESS.finditer(text))
        for match in _ORDINAL.finditer(text):
            numeral = match.group("n") or match.group("r")
            if not numeral or (match.group("r") and not numeral.isupper()):
                continue
            head = [m for m in starts if m.start() <= match.start() and match.start() - m.end() <= _WINDOW]
            if not head:
                continue
            start = head[-1]
            ordinal_start = match.start("r") if match.group("r") else match.start()
            if _OTHER_EVENT.search(text[start.end() : ordinal_start]):
                continue  # "Đại hội ..., Hội nghị lần thứ 5": the ordinal is the other event's
            term_match = _TERM.match(text[match.end() : match.end() + 40])
            term = Term(int(term_match.group(1)), int(term_match.group(2))) if term_match else None
            if term is not None:  # any congress's term dates the article, a Party congress or not
                term_starts.add(term.start)
            organ = self._organization(doc, state, text, offset, start.end(), ordinal_start, match.end())
            if organ is None:
                continue
            congress = CongressRef(organ, roman_to_int(numeral), term)
            self._add(state, congress)
            if _RESOLUTION_BEFORE.search(text[max(0, start.start() - 14) : start.start()]):
                resolution = DocumentRef("resolution", adopted_at=congress)
                if resolution not in state.extraction.documents:
                    state.extraction.documents.append(resolution)

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
        national = _NATIONAL.search(between.strip()) or "toàn quốc" in between.lower()
        if national or _NATIONAL_AFTER.match(text[ordinal_end:]):
            return OrganRef("party-organization", VIETNAM)
        place = self._place_between(doc, state, offset + between_start, offset + ordinal_start)
        if place is not None:
            return place
        after = [
            o
            for s, _, o in state.organ_spans
            if offset + ordinal_end <= state.token_starts[s] < offset + ordinal_end + 60
        ]
        if after and after[0].organ_type in _PARTY_TYPES:
            return self._as_party(after[0])
        home = state.context.home_at("home")
        return OrganRef("party-organization", home) if home else None

    def _place_between(
        self, doc: Doc, state: ArticleState, start_char: int, end_char: int
    ) -> OrganRef | None:
        from kg.nlp.grammar import read_place

        span = doc.char_span(start_char, end_char, alignment_mode="contract")
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
