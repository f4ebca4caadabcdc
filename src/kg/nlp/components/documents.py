"""Finds numbered documents: "Nghị quyết 24-NQ/TW", "Kế hoạch số 09-KH/QU, ngày
26/11/2020 của Quận ủy Long Biên", "Kết luận số 01 của Bộ Chính trị",
"Chương trình 01 về ...", "Quyết định 1234/QĐ-UBND"; with their type, number,
symbol, issuer, date and subject.

Symbols and dates are matched on the text (the tokenizer splits them) and
aligned to tokens.
"""

from __future__ import annotations

import re
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, Sentence, state_of
from kg.records import VIETNAM, DocumentRef, OrganRef
from kg.text import fold_normalized as fold

__all__ = ["DocumentFinder"]

_LETTERS = r"[A-Za-zĐđ]"
# "24-NQ/TW", "09-KH/QU", "01-CTr/QU"
_PARTY_SYMBOL = (
    rf"(?P<num>\d{{1,4}})(?:\s*-\s*(?P<code>{_LETTERS}{{1,4}})(?:\s*/\s*(?P<issuer>{_LETTERS}{{1,6}}))?)?"
)
# "1234/QĐ-UBND", "15/2020/NQ-HĐND"
_STATE_SYMBOL = (
    rf"(?P<snum>\d{{1,5}})/(?:(?:19|20)\d{{2}}/)?(?P<scode>{_LETTERS}{{1,4}})-(?P<sissuer>{_LETTERS}{{1,6}})"
)
_DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:ban\s+hành\s+)?ngày\s+(?:(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})"
    r"|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2}))",
    re.IGNORECASE,
)
_OF = re.compile(r"^\s*,?\s*(?:của|do)\s+", re.IGNORECASE)
_SUBJECT = re.compile(
    r"^\s*,?\s*về\s+(?:“(?P<quoted>[^”]{3,300})”|(?P<plain>[^.;:“”()]{3,200}))", re.IGNORECASE
)
_CONGRESS_REACH = 60  # characters after "của Đại hội" where its organization is named
_PARTY = ("party-organization", "party-committee")
# Types whose unattributed mentions are usually the central Party's.
_CENTRAL_BY_DEFAULT = ("resolution", "conclusion", "directive", "regulation")


class DocumentFinder:
    """Numbered documents into the article state."""

    def __init__(self, nlp: Language, name: str, *, lexicon: Lexicon) -> None:
        self.name = name
        self.lexicon = lexicon
        self.typed = _typed_pattern(self.lexicon)
        codes = "|".join(sorted(map(re.escape, self.lexicon.symbol_codes), key=len, reverse=True))
        self.bare = re.compile(
            rf"(?<![\w/-])(?P<symbol>(?P<num>\d{{1,4}})-(?P<code>{codes})/(?P<issuer>{_LETTERS}{{1,6}}))"
            r"(?![\w/])"
        )

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        spans: list[Span] = []
        for sentence in state.sentences:
            taken: list[tuple[int, int]] = []
            matches = [*self.typed.finditer(sentence.text), *self.bare.finditer(sentence.text)]
            for match in matches:
                if any(a <= match.start() < b for a, b in taken):
                    continue  # a symbol already read with its type word
                found = self._document(doc, state, sentence, match)
                if found is None:
                    continue
                document, end = found
                taken.append((match.start(), match.end()))
                span = doc.char_span(
                    sentence.start_char + match.start(), sentence.start_char + end, alignment_mode="expand"
                )
                if span is not None:
                    spans.append(span)
                state.consumed_chars.append((sentence.start_char + match.start(), sentence.start_char + end))
                if document not in state.extraction.documents:
                    state.extraction.documents.append(document)
        doc.spans["documents"] = spans
        state.extraction.documents = _merge_unattributed(state.extraction.documents)
        return doc

    def _document(
        self, doc: Doc, state: ArticleState, sentence: Sentence, match: re.Match[str]
    ) -> tuple[DocumentRef, int] | None:
        groups = match.groupdict()
        number = groups.get("num") or groups.get("snum") or ""
        code = groups.get("code") or groups.get("scode")
        issuer_code = groups.get("issuer") or groups.get("sissuer")
        word = groups.get("type")
        if word is None and not code:
            return None
        if not code and len(number) == 4 and number.startswith(("19", "20")):
            return None  # "Kế hoạch năm 2021", not a number
        doc_type = self._type_of(word, code)
        if doc_type is None:
            return None
        symbol = match.group("symbol") if code else None
        text, end = sentence.text, match.end()
        issued, end = _issued(text, end)
        issuer, end = self._issuer(doc, state, sentence, end)
        issuer = issuer or self._issuer_from_code(state, issuer_code, doc_type)
        subject, end = _subject(text, end)
        return DocumentRef(doc_type, number, issuer, symbol=symbol, issued=issued, subject=subject), end

    def _type_of(self, word: str | None, code: str | None) -> str | None:
        """The type a symbol's code says ("Thông báo kết luận số 45-TB/TU" is a notice), unless the
        word's own type also uses that code ("Quy định 47-QĐ/TW" is a regulation)."""
        named = self.lexicon.document_forms.get(fold(word)) if word else None
        coded = self.lexicon.symbol_codes.get(code) if code else None
        if named is None or coded is None or named == coded:
            return named or coded
        return named if code in self.lexicon.codes_of_type.get(named, ()) else coded

    def _issuer(
        self, doc: Doc, state: ArticleState, sentence: Sentence, end: int
    ) -> tuple[OrganRef | None, int]:
        of = _OF.match(sentence.text[end:])
        if of is None:
            return None, end
        char = sentence.start_char + end + of.end()
        for start, stop, organ in state.organ_spans:
            if state.token_starts[start] == char:
                last = doc[stop - 1]
                return organ, state.token_starts[stop - 1] + len(last.text) - sentence.start_char
        after = fold(sentence.text[end + of.end() : end + of.end() + _CONGRESS_REACH])
        if any(after.startswith(w) for w in self.lexicon.congress_words):
            # "của Đại hội đại biểu Đảng bộ thành phố X lần thứ XI": the congress's organization.
            for start, _, organ in state.organ_spans:
                if char < state.token_starts[start] < char + _CONGRESS_REACH and organ.organ_type in _PARTY:
                    return OrganRef(
                        "party-organization", organ.place, None, organ.surface, organ.explicit
                    ), end
        return None, end

    def _issuer_from_code(self, state: ArticleState, code: str | None, doc_type: str) -> OrganRef | None:
        if code:
            known = self._issuer_code(code)
            if known is None:
                return None
            organ_type, level = known
            place = state.context.home_at(level)
            return OrganRef(organ_type, place) if place else None
        if doc_type in _CENTRAL_BY_DEFAULT:
            return OrganRef("party-committee", VIETNAM)
        return state.context.principal

    def _issuer_code(self, code: str) -> tuple[str, str] | None:
        """ "TW" → the Central Committee; "BTGTU" → a city's propaganda department."""
        codes = self.lexicon.issuer_codes
        if code in codes or code.upper() in codes:
            return codes.get(code) or codes[code.upper()]
        for prefix, organ_type in self.lexicon.issuer_departments.items():
            rest = code[len(prefix) :]
            if code.upper().startswith(prefix) and rest in codes:
                return organ_type, codes[rest][1]
        return None


def _typed_pattern(lexicon: Lexicon) -> re.Pattern[str]:
    """A type word, "số", and a number or symbol: "Kế hoạch số 09-KH/QU"."""
    words = sorted(lexicon.document_forms, key=len, reverse=True)
    types = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    symbol = rf"(?P<symbol>{_STATE_SYMBOL}|{_PARTY_SYMBOL})"
    return re.compile(rf"(?<![\w/])(?P<type>{types})\s+(?:số\s+)?{symbol}(?![\w/]|\s*/\s*\d)", re.IGNORECASE)


def _issued(text: str, end: int) -> tuple[date | None, int]:
    match = _DATE_AFTER.match(text[end:])
    if match is None:
        return None, end
    d, m, y = (match.group(1), match.group(2), match.group(3)) if match.group(1) else match.group(4, 5, 6)
    try:
        return date(int(y), int(m), int(d)), end + match.end()
    except ValueError:
        return None, end + match.end()


def _subject(text: str, end: int) -> tuple[str | None, int]:
    match = _SUBJECT.match(text[end:])
    if match is None:
        return None, end
    subject = (match.group("quoted") or match.group("plain")).strip(" ,")
    return subject, end + match.end()


def _merge_unattributed(documents: list[DocumentRef]) -> list[DocumentRef]:
    """ "Chỉ thị 05" in a title and "Chỉ thị số 05-CT/TW của Bộ Chính trị" in the body are one
    document: a mention without symbol yields to one with a symbol of the same type and number."""
    with_symbol = {(d.document_type, d.number) for d in documents if d.symbol}
    return [d for d in documents if d.symbol or (d.document_type, d.number) not in with_symbol]
