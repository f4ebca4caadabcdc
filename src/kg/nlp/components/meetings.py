"""Finds meetings: a dated sentence in which an organ holds a conference,
study session or review ("Sáng 15/9, Quận ủy Đống Đa tổ chức Hội nghị ...").

The year of "15/9" comes from the article's date or, when the page states
none, from the years the text names ("Chuyên đề năm 2024").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from kg.dates import span_pattern, worded_date
from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleState, Sentence, state_of
from kg.records import CongressRef, DocumentRef, MeetingRecord, OrganRef, PersonRef
from kg.text import fold_normalized as fold

__all__ = ["MeetingFinder"]

# "15/9/2020", "15-9-2020", "15.9.2020"; "15/9" (a day part or "ngày" must precede it).
_FULL = re.compile(
    r"(?<![\d/.-])(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>(?:19|20)\d{2})(?![\d/])"
)
_DAY_MONTH = re.compile(r"(?<![\d/.-])(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?![\d/.-]|\s*[/.-]\s*\d)")
# "ngày 12 và 13/4", "12-13/4/2022": a meeting over several days is dated by its first.
_RANGE = re.compile(span_pattern(), re.IGNORECASE)
_WORDED = re.compile(worded_date(year_optional=True), re.IGNORECASE)
# "(06/12/1989 - 06/12/2024)": an anniversary's span of years, not the day of an event.
_BRACKETED_SPAN = re.compile(r"\(\s*[\d/.\s-]*\d{4}\s*-\s*[\d/.\s]*\d{4}\s*\)")
_LEAD_DATE = 30  # characters: a date this close to the start of its sentence opens it
_NOUN_AFTER_DATE = 4  # characters between a date and the event noun it dates ("23/8, Đại hội")
_DEADLINE_REACH = 24  # characters before a date where a deadline word is looked for


_Speakers = tuple[tuple[PersonRef, ...], tuple[PersonRef, ...]]


class MeetingFinder:
    """Meetings into the article state, with what they concern and who spoke."""

    def __init__(self, nlp: Language, name: str, *, lexicon: Lexicon) -> None:
        self.name = name
        self.lexicon = lexicon
        # A sentence with no digit and no relative day ("sáng nay") states no date: skip it cheaply.
        relative = "|".join(re.escape(w) for w in {p.split()[-1] for p in self.lexicon.relative_days})
        self.maybe_dated = re.compile(rf"\d|\b(?:{relative})\b", re.IGNORECASE)
        # "tại" and a capitalized place ("tại Hội trường ..."), in the text's own case.
        words = "|".join(re.escape(w) for w in self.lexicon.location_words)
        self.location = re.compile(rf"\b(?:{words})\s+(?=[A-ZĐÀ-Ỹ])")
        self.resolution_words = tuple(f for f, t in self.lexicon.document_forms.items() if t == "resolution")

    def __call__(self, doc: Doc) -> Doc:
        state = state_of(doc)
        sentences = state.sentences
        title = sentences[0].text if sentences else ""
        people = self._people(doc, state)
        for sentence in sentences:
            meeting = self._meeting(doc, state, sentence, title, people)
            if meeting is None:
                continue
            if all(
                (m.date, m.organizer) != (meeting.date, meeting.organizer) for m in state.extraction.meetings
            ):
                state.extraction.meetings.append(meeting)
        return doc

    def _meeting(
        self, doc: Doc, state: ArticleState, sentence: Sentence, title: str, people: _Speakers
    ) -> MeetingRecord | None:
        text = sentence.text
        if not self.maybe_dated.search(text):
            return None
        folded = fold(text)
        when = self._date(state, sentence)
        if when is None:
            return None
        day, date_at, date_end = when
        verb = self._verb(folded) or self._event_after_lead(folded, date_at, date_end)
        if verb is None:
            return None
        congress_at = _first(folded, self.lexicon.congress_words)
        if congress_at is not None and congress_at[0] < verb[0]:
            # "Đại hội ... tiến hành phiên bế mạc", "trong phiên làm việc Đại hội ..., X công bố":
            # the congress is the subject; the meeting is its sitting.
            kind: str | None = "congress-session"
            organizer = (
                self._organ_after(state, sentence, congress_at[0])
                or state.congress_organs.get(sentence.start)
                or self._organizer(doc, state, sentence, verb)
            )
        else:
            anchored_on_noun = verb[0] == verb[1]
            kind = (
                # "Huyện ủy X quán triệt Nghị quyết ... của Đại hội ...": the kind the sentence names
                # before the event noun it was found by.
                (self._kind(folded[: verb[0]], session=False) if anchored_on_noun else None)
                or self._kind(folded[verb[1] :], congress=congress_at is not None)
                or self._kind(folded, congress=congress_at is not None)
                or self._kind(fold(title), session=False)
            )
            self_evident = _first(folded, self.lexicon.self_evident_verbs) is not None
            if kind is None and not self_evident and _first(folded, self.lexicon.meeting_nouns) is None:
                return None
            organizer = self._organizer(doc, state, sentence, verb)
        if organizer is None:
            return None
        return MeetingRecord(
            date=day,
            organizer=organizer,
            kind=kind or "other",
            evidence=text.strip(),
            concerns=self._concerns(state, text),
            presenters=people[0],
            participants=people[1],
            location=_location(self.location, text, verb[0], organizer, state, sentence),
            online=_first(folded, self.lexicon.online_words) is not None
            or _first(fold(title), self.lexicon.online_words) is not None,
        )

    def _verb(self, folded: str) -> tuple[int, int] | None:
        """Where the meeting verb is, skipping its noun uses ("tổ chức cơ sở đảng")."""
        nouns = _phrases(self.lexicon.verb_noun_uses)
        for match in _phrases(self.lexicon.meeting_verbs).finditer(folded):
            if not nouns.match(folded, match.start()):
                return match.start(), match.end()
        return None

    def _event_after_lead(self, folded: str, date_at: int, date_end: int) -> tuple[int, int] | None:
        """A sentence that opens with its date, or whose date stands right before an event noun,
        and names the event without a meeting verb ("Ngày 23/5, tại Kỳ họp thứ 14, HĐND tỉnh ...
        đã bầu ...", "..., trưa 23/8, Đại hội ... đã hoàn thành"): the noun stands for the verb."""
        noun = _first(folded, self.lexicon.event_nouns)
        if noun is None:
            return None
        if date_at <= _LEAD_DATE or 0 <= noun[0] - date_end <= _NOUN_AFTER_DATE:
            return noun[0], noun[0]
        return None

    def _kind(self, folded: str, *, session: bool = True, congress: bool = False) -> str | None:
        """The kind named first; a congress sitting only when the verb's object is the congress,
        or one of its sittings ("phiên bế mạc") in a sentence about a congress."""
        opening = folded.lstrip(" ,:")[:40]
        if session and any(
            opening.startswith(w)
            or any(opening.startswith(f"{p} {w}") for p in self.lexicon.session_preludes)
            for w in self.lexicon.congress_session_words
        ):
            return "congress-session"
        if session and congress and any(opening.startswith(w) for w in self.lexicon.sitting_words):
            return "congress-session"
        forms = self.lexicon.meeting_kind_forms
        match = _phrases(tuple(forms)).search(folded)
        return forms[match.group()] if match else None

    def _date(self, state: ArticleState, sentence: Sentence) -> tuple[date, int, int] | None:
        """The sentence's own date and where it stands: the first date written in it that is not
        a document's date, a deadline or a bracketed span of years; with where it starts and ends."""
        text = sentence.text
        start = sentence.start_char
        taken = state.consumed_chars
        found: list[tuple[int, int, re.Match[str]]] = []
        for rank, pattern in enumerate((_RANGE, _FULL, _WORDED, _DAY_MONTH)):
            for match in pattern.finditer(text):
                if any(a <= start + match.start() < b for a, b in taken):
                    continue  # a document's date ("Kế hoạch số 09, ngày 26/11/2020")
                if pattern in (_DAY_MONTH, _RANGE) and not self._dated(text[: match.start()]):
                    continue  # "2/3 số đại biểu" is not a date
                if _BRACKETED_SPAN.match(text, max(0, match.start() - 1)) or self._deadline(
                    text[: match.start()]
                ):
                    continue
                found.append((match.start(), rank, match))
        for at, _, match in sorted(found, key=lambda f: (f[0], f[1])):
            year = match.groupdict().get("y")
            day = state.context.resolve_date(int(match["d"]), int(match["m"]), int(year) if year else None)
            if day is not None:
                return day, at, match.end()
        relative = self._relative(state, fold(text))
        return (relative, 0, 0) if relative is not None else None

    def _deadline(self, before: str) -> bool:
        """ "hoàn thành trước ngày 30/10": a deadline, not the day of a meeting."""
        tail = fold(before)[-_DEADLINE_REACH:]
        return any(w in tail for w in self.lexicon.deadline_words)

    def _dated(self, before: str) -> bool:
        words = fold(before).rstrip(" (").split()
        return not words or words[-1] in self.lexicon.date_cues

    def _relative(self, state: ArticleState, folded: str) -> date | None:
        published = state.context.published
        if published is None:
            return None
        match = _phrases(tuple(self.lexicon.relative_days)).search(folded)
        return published + timedelta(days=self.lexicon.relative_days[match.group()]) if match else None

    def _organizer(
        self, doc: Doc, state: ArticleState, sentence: Sentence, verb: tuple[int, int]
    ) -> OrganRef | None:
        """The organ right before the verb; the one right after "họp" ("họp Ban Bí thư"); else
        the first organ of the sentence, else the article's principal organ."""
        inside = [
            (state.token_starts[s], o)
            for s, _, o in state.organ_spans
            if sentence.start_char <= state.token_starts[s] < sentence.end_char
        ]
        verb_char = sentence.start_char + verb[0]
        for meets in _phrases(self.lexicon.meets_words).finditer(fold(sentence.text)):
            after = [o for idx, o in inside if 0 <= idx - (sentence.start_char + meets.end()) <= 1]
            if after:
                return after[0]  # "chủ trì họp Ban Bí thư": the body that meets
        # "sau khi nghe Báo cáo của Ban Tổ chức, Bộ Chính trị kết luận": the report's author is no organizer.
        folded = fold(sentence.text)
        before = [
            o
            for idx, o in inside
            if idx < verb_char and not self._reported(folded, idx - sentence.start_char)
        ]
        if before:
            return before[-1]
        heard = [o for idx, o in inside if not self._reported(folded, idx - sentence.start_char)]
        if heard or inside:
            return (heard or [o for _, o in inside])[0]
        return state.congress_organs.get(sentence.start) or state.context.principal

    def _reported(self, folded: str, at: int) -> bool:
        """The organ at character ``at`` stands in a clause that reports what it said or wrote."""
        clause = folded[:at].rsplit(",", 1)[-1]
        return _first(clause, self.lexicon.hearsay_words) is not None

    @staticmethod
    def _organ_after(state: ArticleState, sentence: Sentence, at: int) -> OrganRef | None:
        """The first organ named after character ``at`` of the sentence: a congress's organization."""
        for start, _, organ in state.organ_spans:
            if (
                state.token_starts[start] >= sentence.start_char + at
                and state.token_starts[start] < sentence.end_char
            ):
                return organ
        return None

    def _concerns(self, state: ArticleState, text: str) -> tuple[DocumentRef | CongressRef, ...]:
        """Documents the sentence names by number; congress resolutions when it speaks of a resolution."""
        names_resolution = _first(fold(text), self.resolution_words) is not None
        return tuple(
            d
            for d in state.extraction.documents
            if (d.adopted_at is not None and names_resolution)
            or (d.number and re.search(rf"\b{re.escape(d.number)}\b", text))
        )

    def _people(self, doc: Doc, state: ArticleState) -> _Speakers:
        """Who presented (named before "truyền đạt", "báo cáo", ...) and who attended."""
        presenters: list[PersonRef] = []
        participants: list[PersonRef] = []
        firsts = [s.start for s in state.sentences]
        for span in doc.spans.get("people", []):
            person = PersonRef(span.text, state.context.region())
            sentence = state.sentences[bisect_right(firsts, span.start) - 1]
            after = fold(sentence.text[span.end_char - sentence.start_char :])
            before = fold(sentence.text[: span.start_char - sentence.start_char])
            if _first(after, self.lexicon.presenter_verbs) is not None:
                bucket = presenters
            elif _first(before + " " + after, self.lexicon.participant_verbs) is not None:
                bucket = participants
            else:
                continue
            if person not in presenters and person not in participants:
                bucket.append(person)
        return tuple(presenters), tuple(participants)


@lru_cache(maxsize=64)
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _first(folded: str, phrases: tuple[str, ...]) -> tuple[int, int] | None:
    """Position (start, end) of the earliest of ``phrases`` in ``folded``."""
    match = _phrases(phrases).search(folded) if phrases else None
    return (match.start(), match.end()) if match else None


def _location(
    location: re.Pattern[str],
    text: str,
    verb_char: int,
    organizer: OrganRef,
    state: ArticleState,
    sentence: Sentence,
) -> str | None:
    """ "tại Hội trường Trung đoàn 280": from "tại" to a comma, the organizer or the verb."""
    match = location.search(text[:verb_char])
    if match is None:
        return None
    stop = verb_char
    for start, _, organ in state.organ_spans:
        char = state.token_starts[start] - sentence.start_char
        if organ == organizer and match.end() <= char < stop:
            stop = char
    place = text[match.end() : stop].split(",")[0].strip(" ,")
    return place or None
