"""Sets up the article state: its date, the gazetteer, and the unit it is about.

The "home" is the first place the title names (through a level word or an
organ such as "Quận ủy Đống Đa"), else the first one in the body; implicit
mentions ("Quận ủy", "HĐND phường") resolve against it.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.gazetteer import Gazetteer, default_gazetteer_path, load_gazetteer
from kg.nlp.grammar import read_place
from kg.nlp.items import Place
from kg.nlp.lexicon import load_lexicon
from kg.nlp.state import ArticleContext, ArticleState, count_years, doc_text, sentences_of

__all__ = ["ArticleContextBuilder"]


class ArticleContextBuilder:
    """Creates ``doc._.kg`` for one article and finds its home unit."""

    def __init__(self, nlp: Language, name: str, *, gazetteer_path: str) -> None:
        self.name = name
        self.gazetteer_path = gazetteer_path
        self.lexicon = load_lexicon()

    @property
    def gazetteer(self) -> Gazetteer:
        """The configured gazetteer (loaded once per path; see ``load_gazetteer``)."""
        return load_gazetteer(Path(self.gazetteer_path) if self.gazetteer_path else default_gazetteer_path())

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        context = ArticleContext(published=doc._.published, gazetteer=self.gazetteer, years=count_years(text))
        state = ArticleState(
            context=context,
            tags=doc._.tags or {},
            token_starts=doc.to_array("IDX").tolist(),
            sentences=sentences_of(doc, text),
            text=text,
        )
        doc._.kg = state
        # First learn every unit the article names unambiguously, so that an
        # ambiguous name ("xã Tân Lập") resolves inside them; then pick the home.
        candidates = sorted(
            i for i, tags in state.tags.items() if any(t.kind in ("ORGAN", "LEVEL") for t in tags)
        )
        for i in candidates:
            self._explicit_place_at(doc, state, i)
        context.home = self._find_home(doc, state, candidates)
        return doc

    def _find_home(self, doc: Doc, state: ArticleState, candidates: list[int]) -> Place | None:
        title_end = state.sentences[0].end if state.sentences else len(doc)
        first_in_body: Place | None = None
        for i in candidates:
            place = self._explicit_place_at(doc, state, i)
            if place is None:
                continue
            if i < title_end:
                return place
            if first_in_body is None:
                first_in_body = place
        return first_in_body

    def _explicit_place_at(self, doc: Doc, state: ArticleState, i: int) -> Place | None:
        organ = state.tag(i, "ORGAN")
        if organ is not None:
            level = self.lexicon.implied_levels.get(organ.form)
            if level == "country":
                return None
            reading = read_place(doc, state, organ.end, self.lexicon, bare_level=level)
        elif state.tag(i, "LEVEL") and (i == 0 or not state.tag(i - 1, "ORGAN")):
            reading = read_place(doc, state, i, self.lexicon)
        else:
            return None
        if reading is None or not reading.explicit or reading.place is None:
            return None
        return reading.place
