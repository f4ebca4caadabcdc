"""Every spaCy registration of kg, in one place, each under a versioned name (factories cannot contain dots: `kg_organs_v2`).

Change a component's behaviour under a new name (``.v3``) rather than under
the old one, so that saved pipeline configs keep meaning what they meant.
Each factory says which document attributes it reads (``requires``) and
writes (``assigns``); the lexicon and the gazetteer reach the components
through the pipeline config (``@misc`` functions below), not through globals.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import registry

from kg.nlp.components.congresses import CongressFinder
from kg.nlp.components.context import ArticleContextBuilder
from kg.nlp.components.documents import DocumentFinder
from kg.nlp.components.meetings import MeetingFinder
from kg.nlp.components.organs import OrganFinder
from kg.nlp.components.people import PeopleFinder
from kg.nlp.components.sentences import SentenceSplitter
from kg.nlp.components.tagger import LexiconTagger
from kg.nlp.gazetteer import DEFAULT_GAZETTEER, Gazetteer, load_gazetteer
from kg.nlp.lexicon import Lexicon, load_lexicon
from kg.nlp.tokenizer import create_syllable_tokenizer

__all__ = ["register_extensions"]


def register_extensions() -> None:
    """The ``Doc`` attributes the components share."""
    for name in ("published", "month", "source_text", "tags", "kg"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()

_STATE = "doc._.kg"  # the article state (kg.nlp.state.ArticleState) every finder reads and extends


@registry.tokenizers("kg.syllable_tokenizer.v1")  # type: ignore[untyped-decorator]
def make_syllable_tokenizer() -> Callable[[Language], Tokenizer]:
    return create_syllable_tokenizer()


@registry.misc("kg.lexicon.v1")  # type: ignore[untyped-decorator]
def make_lexicon() -> Lexicon:
    """The surface forms of ``ontology/codes.ttl`` and the rules of ``kg/nlp/patterns/``."""
    return load_lexicon()


@registry.misc("kg.gazetteer.v1")  # type: ignore[untyped-decorator]
def make_gazetteer(path: str) -> Gazetteer:
    """The gazetteer file at ``path`` (empty: the default location); empty when the file is missing."""
    return load_gazetteer(Path(path) if path else DEFAULT_GAZETTEER)


@Language.factory(
    "kg_sentences_v1",
    default_config={"punct_chars": [".", "!", "?", "\n", "\n\n"]},
    assigns=["token.is_sent_start"],
)
def make_sentences(nlp: Language, name: str, punct_chars: list[str]) -> SentenceSplitter:
    return SentenceSplitter(nlp, name, punct_chars=punct_chars)


@Language.factory("kg_lexicon_tagger_v2", assigns=["doc._.tags"])
def make_lexicon_tagger(nlp: Language, name: str, lexicon: Lexicon) -> LexiconTagger:
    return LexiconTagger(nlp, name, lexicon=lexicon)


@Language.factory(
    "kg_article_context_v2",
    requires=["doc._.tags", "doc._.published", "doc._.month", "token.is_sent_start"],
    assigns=[_STATE],
)
def make_article_context(
    nlp: Language, name: str, lexicon: Lexicon, gazetteer: Gazetteer
) -> ArticleContextBuilder:
    return ArticleContextBuilder(nlp, name, lexicon=lexicon, gazetteer=gazetteer)


@Language.factory("kg_organs_v2", requires=[_STATE], assigns=[_STATE, "doc.spans"])
def make_organs(nlp: Language, name: str, lexicon: Lexicon) -> OrganFinder:
    return OrganFinder(nlp, name, lexicon=lexicon)


@Language.factory("kg_people_v2", requires=[_STATE], assigns=[_STATE, "doc.spans"])
def make_people(nlp: Language, name: str, lexicon: Lexicon) -> PeopleFinder:
    return PeopleFinder(nlp, name, lexicon=lexicon)


@Language.factory("kg_congresses_v2", requires=[_STATE], assigns=[_STATE])
def make_congresses(nlp: Language, name: str, lexicon: Lexicon) -> CongressFinder:
    return CongressFinder(nlp, name, lexicon=lexicon)


@Language.factory("kg_documents_v2", requires=[_STATE], assigns=[_STATE])
def make_documents(nlp: Language, name: str, lexicon: Lexicon) -> DocumentFinder:
    return DocumentFinder(nlp, name, lexicon=lexicon)


@Language.factory("kg_meetings_v2", requires=[_STATE, "doc.spans"], assigns=[_STATE])
def make_meetings(nlp: Language, name: str, lexicon: Lexicon) -> MeetingFinder:
    return MeetingFinder(nlp, name, lexicon=lexicon)
