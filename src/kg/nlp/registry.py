"""Every spaCy registration of kg, in one place, each under a versioned name (factories cannot contain dots: `kg_organs_v1`).

Change a component's behaviour under a new name (``.v2``) rather than under
the old one, so that saved pipeline configs keep meaning what they meant.
"""

from __future__ import annotations

from collections.abc import Callable

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
from kg.nlp.tokenizer import create_syllable_tokenizer

__all__ = ["register_extensions"]


def register_extensions() -> None:
    """The ``Doc`` attributes the components share."""
    for name in ("published", "month", "source_text", "tags", "kg"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


@registry.tokenizers("kg.syllable_tokenizer.v1")  # type: ignore[untyped-decorator]
def make_syllable_tokenizer() -> Callable[[Language], Tokenizer]:
    return create_syllable_tokenizer()


@Language.factory("kg_sentences_v1", default_config={"punct_chars": [".", "!", "?", "\n", "\n\n"]})
def make_sentences(nlp: Language, name: str, punct_chars: list[str]) -> SentenceSplitter:
    return SentenceSplitter(nlp, name, punct_chars=punct_chars)


@Language.factory("kg_lexicon_tagger_v1")
def make_lexicon_tagger(nlp: Language, name: str) -> LexiconTagger:
    return LexiconTagger(nlp, name)


@Language.factory("kg_article_context_v1", default_config={"gazetteer_path": ""})
def make_article_context(nlp: Language, name: str, gazetteer_path: str) -> ArticleContextBuilder:
    return ArticleContextBuilder(nlp, name, gazetteer_path=gazetteer_path)


@Language.factory("kg_organs_v1")
def make_organs(nlp: Language, name: str) -> OrganFinder:
    return OrganFinder(nlp, name)


@Language.factory("kg_people_v1")
def make_people(nlp: Language, name: str) -> PeopleFinder:
    return PeopleFinder(nlp, name)


@Language.factory("kg_congresses_v1")
def make_congresses(nlp: Language, name: str) -> CongressFinder:
    return CongressFinder(nlp, name)


@Language.factory("kg_documents_v1")
def make_documents(nlp: Language, name: str) -> DocumentFinder:
    return DocumentFinder(nlp, name)


@Language.factory("kg_meetings_v1")
def make_meetings(nlp: Language, name: str) -> MeetingFinder:
    return MeetingFinder(nlp, name)
