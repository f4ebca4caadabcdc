"""Sets up the article state: its date, the gazetteer, and the unit it is about.

The "home" is the first place the title names (through a level word or an
organ such as "Quận ủy Đống Đa"), else the first one in the body; implicit
mentions ("Quận ủy", "HĐND phường") resolve against it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.gazetteer import REFORM_DATE, Gazetteer
from kg.nlp.grammar import read_place
from kg.nlp.lexicon import Lexicon
from kg.nlp.state import ArticleContext, ArticleState, count_years, doc_text, sentences_of
from kg.records import Place
from kg.text import fold_normalized

__all__ = ["ArticleContextBuilder"]


class ArticleContextBuilder:
    """Creates ``doc._.kg`` for one article and finds its home unit."""

    def __init__(self, nlp: Language, name: str, *, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        self.name = name
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        # One-word term markers and connectors ("Khóa", "Kiêm") end a capitalized name.
        self.run_breakers = frozenset(
            w for w in (*self.lexicon.term_words, *self.lexicon.role_connectors) if " " not in w
        )
        # Abbreviated level words ("TP") that may stand before a city's initials ("TPHCM").
        self.level_abbreviations = tuple(
            f.upper() for f, level in self.lexicon.level_forms.items() if level == "city" and len(f) <= 3
        )

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        context = ArticleContext(
            published=doc._.published,
            month=doc._.month,
            gazetteer=self.gazetteer,
            years=count_years(text, self.lexicon.target_year_words),
            # Only a page with no date needs its era guessed from the years it names.
            era_hint=era_hint(text) if doc._.published is None and doc._.month is None else None,
        )
        starts = doc.to_array("IDX").tolist()
        words = [text[a : a + n] for a, n in zip(starts, doc.to_array("LENGTH").tolist(), strict=True)]
        state = ArticleState(
            context=context,
            tags=doc._.tags or {},
            token_starts=starts,
            sentences=sentences_of(doc, text),
            text=text,
            run_breakers=self.run_breakers,
            words=words,
            capitalized=[w[:1].isupper() and w.isalpha() for w in words],
        )
        context.sentence_starts = [s.start for s in state.sentences]
        context.level_abbreviations = self.level_abbreviations
        doc._.kg = state
        # First learn every unit the article names unambiguously, so that an
        # ambiguous name ("xã Tân Lập") resolves inside them; then read them all
        # again in that light, and pick the home.
        candidates = sorted(i for i in state.tags if _names_a_place(doc, state, i))
        first = {i: self._explicit_place_at(doc, state, i) for i in candidates}
        former: set[int] = set()
        for i in candidates:
            found = first[i]
            if found is None or found[0].code is None:  # a gazetteer unit read once stays what it was
                found = self._explicit_place_at(doc, state, i)
            if found is not None:
                place, as_city, end = found
                context.mentions.append((i, place))
                alias = _short_form_after(doc, end)
                if alias is not None:
                    context.aliases.setdefault(fold_normalized(alias), place)
                if as_city and place.level == "district":
                    context.provincial_cities.add(place)
                if self._is_former(state, i, end):
                    former.add(i)
        context.home = self._find_home(doc, state, former)
        return doc

    @staticmethod
    def _find_home(doc: Doc, state: ArticleState, former: set[int]) -> Place | None:
        """The first unit the title names, else the first one in the body; a unit marked as
        former ("quận 3 cũ", "nguyên Bí thư huyện X") is not the article's own."""
        title_end = state.sentences[0].end if state.sentences else len(doc)
        current = [(i, p) for i, p in state.context.mentions if i not in former]
        in_title = [p for i, p in current if i < title_end]
        if in_title:
            return in_title[0]
        return current[0][1] if current else None

    def _is_former(self, state: ArticleState, start: int, end: int) -> bool:
        after = [w.lower() for w in state.words[end : end + 3] if w not in "()"]
        before = {w.lower() for w in state.words[max(0, start - 4) : start]}
        return bool(after and after[0] in self.lexicon.former_after) or bool(
            before & self.lexicon.former_before
        )

    def _explicit_place_at(self, doc: Doc, state: ArticleState, i: int) -> tuple[Place, bool, int] | None:
        """The place written at token ``i``, whether the form calls it a city, and where it ends."""
        organ = state.tag(i, "ORGAN")
        level_tag = state.tag(i, "LEVEL")
        if organ is not None:
            level = self.lexicon.implied_levels.get(organ.form)
            if level == "country":
                return None
            reading = read_place(doc, state, organ.end, self.lexicon, bare_level=level)
            after = state.tag(organ.end, "LEVEL")
            as_city = level == "city" or (after is not None and after.value == "city")
        elif level_tag is not None and (i == 0 or not state.tag(i - 1, "ORGAN")):
            reading = read_place(doc, state, i, self.lexicon)
            as_city = level_tag.value == "city"
        else:
            return None
        if reading is None or not reading.explicit or reading.place is None:
            return None
        return reading.place, as_city, reading.end


def _short_form_after(doc: Doc, end: int) -> str | None:
    """A short form introduced in brackets right after a place: "Phan Rang - Tháp Chàm (PR-TC)"."""
    if end >= len(doc) or doc[end].text != "(":
        return None
    close = next((k for k in range(end + 1, min(len(doc), end + 6)) if doc[k].text == ")"), None)
    if close is None or close == end + 1:
        return None
    form = doc[end + 1 : close].text
    letters = form.replace("-", "").replace(" ", "")
    return form if letters.isalpha() and letters.isupper() and len(letters) <= 8 else None


def _names_a_place(doc: Doc, state: ArticleState, i: int) -> bool:
    """An organ form or a level word followed by a name ("Huyện ủy Mê Linh", "phường 12", "TP. Huế"):
    only these can name a place explicitly."""
    tag = state.tag(i, "ORGAN", "LEVEL")
    if tag is None or tag.end >= len(doc):
        return False
    words = state.words
    j = tag.end + 1 if words[tag.end] == "." and tag.end + 1 < len(doc) else tag.end
    return words[j][:1].isupper() or state.tag(j, "LEVEL") is not None or doc[j].like_num


_ERA_TERM = re.compile(r"\b(2025\s*-\s*2030|2026\s*-\s*2031)\b")


def era_hint(text: str) -> str | None:
    """The era of a page that states no date, from the terms and years it names: a term
    2025-2030 or a year after 2025 is after the reform.

    >>> era_hint("Đại hội nhiệm kỳ 2025 - 2030"), era_hint("nhiệm kỳ 2020-2025")
    ('post-2025', None)
    """
    if _ERA_TERM.search(text) or any(year > REFORM_DATE.year for year in count_years(text)):
        return "post-2025"
    return None
