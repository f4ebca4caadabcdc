"""What the pipeline knows about one article while it reads it.

The lexicon tagger marks where surface forms start; the context resolves
places against the gazetteer and the article's own "home" (the unit the
article is about), so that "Quận ủy" in a Đống Đa article is Đống Đa's
committee. Components read and extend the :class:`ArticleState` kept in
``doc._.kg``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from spacy.tokens import Doc, Token

from kg.dates import year_mention
from kg.nlp.gazetteer import Gazetteer, Unit, era_of
from kg.records import VIETNAM, VIETNAM_NAMES, Extraction, OrganRef, Place
from kg.text import fold_normalized

__all__ = ["ArticleContext", "ArticleState", "Sentence", "Tag", "sentences_of", "state_of"]

_LOWEST = ("ward", "commune", "town")
_PROVINCIAL = ("city", "province")
# The gazetteer levels a level word or an implied level means in a place's chain.
_LEVELS_MEANT = {
    "city": _PROVINCIAL,
    "province": _PROVINCIAL,
    "district": ("district",),
    "ward": _LOWEST,
    "commune": _LOWEST,
    "town": _LOWEST,
}
# Levels a level word or an implied level may stand for in the gazetteer.
COMPATIBLE_LEVELS = {
    "city": ("city", "district"),  # a centrally governed city, or a city inside a province
    "province": ("province", "city"),
    "district": ("district",),
    "ward": _LOWEST,
    "commune": ("commune", "town", "ward"),
    "town": ("town",),
}


@dataclass(frozen=True)
class Tag:
    """A lexicon form found at tokens ``start:end``."""

    kind: str  # ORGAN, ROLE, LEVEL, DEPT, CUE
    form: str  # folded surface form
    value: str  # code (organ type, role, level, ...)
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence's bounds and text, computed once (``Span.text`` rebuilds the string each time)."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str


@dataclass
class ArticleContext:
    """The article's date and the places it is about."""

    published: date | None
    gazetteer: Gazetteer
    month: date | None = None  # the month the page is dated by when it gives no day
    years: Counter[int] = field(default_factory=Counter)
    home: Place | None = None
    units: list[Unit] = field(default_factory=list)  # gazetteer units the article names
    principal: OrganRef | None = None
    mentions: list[tuple[int, Place]] = field(default_factory=list)  # explicitly named places by token
    provincial_cities: set[Place] = field(default_factory=set)  # district-level units named as cities
    sentence_starts: list[int] = field(default_factory=list)
    era_hint: str | None = None  # the era the text implies when the page has no date
    term_starts: list[int] = field(default_factory=list)  # first years of the congresses' terms
    aliases: dict[str, Place] = field(default_factory=dict)  # "(PR-TC)" after a place, folded
    level_abbreviations: tuple[str, ...] = ()  # "TP": may stand before a city's initials

    @property
    def era(self) -> str:
        if self.published is None and self.month is None and self.era_hint is not None:
            return self.era_hint
        return era_of(self.published or self.month)

    def place_of(self, unit: Unit) -> Place:
        """The unit as a :class:`Place`, with its enclosing units."""
        return self.gazetteer.place_of(unit)

    def resolve(self, name: str, level: str | None, *, strict: bool = False) -> Place | None:
        """A place named in the text, through the gazetteer when it knows the name.

        An unknown name becomes a place of ``level`` inside the article's home,
        unless ``strict`` asks for gazetteer units only.
        """
        if name in VIETNAM_NAMES:
            return VIETNAM
        alias = self.aliases.get(fold_normalized(name))
        if alias is not None:
            return alias
        levels = COMPATIBLE_LEVELS.get(level) if level else None
        unit = self.gazetteer.find(name, level=levels, era=self.era, within=tuple(self.units))
        if unit is None:
            unit = self._by_initials(name, levels)
        if unit is not None:
            if unit not in self.units:
                self.units.append(unit)
            return self.place_of(unit)
        if level is None or strict:
            return None
        return Place(name, level, self.enclosing(level))

    def has_alias(self, name: str) -> bool:
        """A short form the article introduced ("(PR-TC)") or a city's initials ("TPHCM")."""
        return fold_normalized(name) in self.aliases or self._by_initials(name, None) is not None

    def _by_initials(self, name: str, levels: tuple[str, ...] | None) -> Unit | None:
        """ "TPHCM", "HCM", "TPNĐ": a city written by its initials, behind an optional level
        abbreviation; only when one unit of the article's era (or inside its units) fits."""
        letters = name.replace(".", "").replace(" ", "")
        for prefix in self.level_abbreviations:
            if letters.startswith(prefix) and len(letters) > len(prefix) + 1:
                letters = letters[len(prefix) :]
                break
        if not (2 <= len(letters) <= 5 and letters.isupper() and letters.isalpha()):
            return None
        pool = [
            u
            for u in self.gazetteer.by_initials(letters)
            if u.era == self.era and (levels is None or u.level in levels)
        ]
        keys = {u.key for u in self.units}
        inside = [u for u in pool if u.key in keys or keys & {a.key for a in self.gazetteer.ancestors(u)}]
        for candidates in (inside, pool):
            top = [u for u in candidates if u.level in ("city", "province")] or candidates
            if len(top) == 1:
                return top[0]
        return None

    def enclosing(self, level: str) -> Place | None:
        """The home unit above ``level``: where an unknown place probably lies."""
        if self.home is None:
            return None
        order = ("country", "city", "province", "district", "town", "ward", "commune")
        above = [
            p
            for p in self.home.chain()
            if order.index(p.level) < order.index(level)
            and not (p.level in _PROVINCIAL and level in _PROVINCIAL)
        ]
        return above[-1] if above else None

    def home_at(self, level: str, *, near: int | None = None) -> Place | None:
        """The unit at ``level`` an implicit mention at token ``near`` means ("Quận ủy",
        "HĐND xã"): a unit of that level named in the same sentence, else the article's own
        unit at that level ("home" is the article's unit itself), else the nearest one named
        anywhere in the article, earlier mentions first."""
        if level == "country":
            return VIETNAM
        if level == "home":
            return self.home
        if near is not None:
            found = self._nearest(level, near, same_sentence=True)
            if found is not None:
                return found
        found = self.at_level(self.home, level) if self.home is not None else None
        if found is None and near is not None:
            found = self._nearest(level, near, same_sentence=False)
        return found

    def at_level(self, place: Place, level: str) -> Place | None:
        """The unit at ``level`` in ``place``'s chain. Inside a province, "thành phố" and
        "Thành ủy" mean a city of the province that the article names as one."""
        chain = place.chain()
        if level == "city" and chain[0].level == "province":
            cities = [p for p in chain if p in self.provincial_cities]
            if cities:
                return cities[-1]
        wanted = _LEVELS_MEANT.get(level, (level,))
        matches = [p for p in chain if p.level in wanted]
        return matches[-1] if matches else None

    def _nearest(self, level: str, near: int, *, same_sentence: bool) -> Place | None:
        sentence = bisect_right(self.sentence_starts, near)
        ranked: list[tuple[int, Place]] = []
        for at, place in self.mentions:
            if same_sentence and bisect_right(self.sentence_starts, at) != sentence:
                continue
            found = self.at_level(place, level)
            if found is not None:
                ranked.append(((near - at) if at <= near else (1 << 20) + at - near, found))
        return min(ranked, key=lambda r: r[0])[1] if ranked else None

    def region(self) -> str:
        """The province or city of the article, which keeps namesakes apart."""
        return self.home.chain()[0].name if self.home is not None else VIETNAM.name

    def resolve_date(self, day: int, month: int, year: int | None) -> date | None:
        """A full date for "15/9": the year from the text, the article's date or the years it names."""
        if year is None:
            year = self._likely_year(day, month)
        if year is None:
            return None
        try:
            return date(year, month, day)
        except ValueError:
            return None

    def _likely_year(self, day: int, month: int) -> int | None:
        dated = self.published or (self.month + timedelta(days=30) if self.month else None)
        if dated is not None:
            year = dated.year
            try:
                candidate = date(year, month, day)
            except ValueError:
                return year
            # A day well after publication belongs to the year before ("28/12" in a January article).
            return year - 1 if candidate > dated + timedelta(days=60) else year
        if not self.years:
            # Only a congress's term is written ("nhiệm kỳ 2020-2025"): the congress opens it.
            return min(self.term_starts) if self.term_starts else None
        top = max(self.years.values())
        return max(y for y, n in self.years.items() if n == top)


@dataclass
class ArticleState:
    """Per-document working state: tags by start token, context, and results."""

    context: ArticleContext
    tags: dict[int, list[Tag]] = field(default_factory=dict)
    organ_spans: list[tuple[int, int, OrganRef]] = field(default_factory=list)
    consumed_chars: list[tuple[int, int]] = field(default_factory=list)  # text used by documents
    congress_organs: dict[int, OrganRef] = field(
        default_factory=dict
    )  # sentence start -> its congress's organ
    token_starts: list[int] = field(default_factory=list)  # character offset of each token
    sentences: list[Sentence] = field(default_factory=list)
    text: str = ""  # doc.text, which spaCy rebuilds from the tokens on every access
    run_breakers: frozenset[str] = frozenset()  # lower-case words that end a capitalized name
    words: list[str] = field(default_factory=list)  # each token's text, read once (Doc[i] builds a Token)
    capitalized: list[bool] = field(default_factory=list)  # each token: a word starting with a capital
    extraction: Extraction = field(default_factory=Extraction)

    def tag(self, i: int, *kinds: str) -> Tag | None:
        """The longest tag of one of ``kinds`` starting at token ``i``."""
        for t in self.tags.get(i, []):
            if t.kind in kinds:
                return t
        return None

    def organ_at(self, i: int) -> tuple[int, OrganRef] | None:
        for start, end, organ in self.organ_spans:
            if start == i:
                return end, organ
        return None


def state_of(doc: Doc) -> ArticleState:
    state = doc._.kg
    if state is None:
        raise ValueError("the document has no article state: run the kg.context.v1 component first")
    assert isinstance(state, ArticleState)
    return state


_YEAR = year_mention()
_TARGET_REACH = 16  # characters before a year where a target word ("đến") is looked for


def count_years(text: str, targets: tuple[str, ...] = ()) -> Counter[int]:
    """Years the text names as single years, not as ranges ("năm 2024", "Quý I/2024"), nor as
    targets (after one of ``targets``: "đến năm 2030").

    >>> count_years("Chuyên đề năm 2024; Quý I/2024; giai đoạn 2020-2025; đến năm 2030", ("đến",))
    Counter({2024: 2})
    """
    return Counter(
        int(m.group(1))
        for m in _YEAR.finditer(text)
        if not any(
            text[max(0, m.start() - _TARGET_REACH) : m.start()].rstrip().lower().endswith(t) for t in targets
        )
    )


def is_capitalized(token: Token) -> bool:
    return bool(token.text) and token.text[0].isupper() and token.is_alpha


def doc_text(doc: Doc) -> str:
    """The document's text: the string it was made from when the caller kept it
    (``doc.text`` rebuilds the string from every token)."""
    kept = doc._.source_text
    return kept if isinstance(kept, str) else doc.text


def sentences_of(doc: Doc, text: str) -> list[Sentence]:
    """The sentences the sentencizer marked, read from arrays (``doc.sents`` is slow in a loop)."""
    if not len(doc):
        return []
    starts = [i for i, flag in enumerate(doc.to_array("SENT_START").tolist()) if flag == 1 or i == 0]
    offsets = doc.to_array("IDX").tolist()
    bounds = [*starts, len(doc)]
    return [
        Sentence(
            a,
            b,
            offsets[a],
            offsets[b] if b < len(doc) else len(text),
            text[offsets[a] : offsets[b] if b < len(doc) else len(text)].rstrip(),
        )
        for a, b in pairwise(bounds)
        if a < b
    ]
