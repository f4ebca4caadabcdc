"""Syllable tokenization for Vietnamese with punctuation split off.

spaCy's Vietnamese tokenizer without pyvi splits on spaces only, leaving
"Học-" and "ủy;" whole; word segmentation with pyvi is 15 times slower and not
needed, since the lexicon matches multi-syllable terms syllable by syllable.
This tokenizer is spaCy's rule-based one with the multi-language punctuation
rules plus dashes glued to a syllable ("Học- Phó", "2020 -2025").
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.lang.xx import MultiLanguage
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

__all__ = ["create_syllable_tokenizer"]

_DASHES = r"[-–—]"


def create_syllable_tokenizer() -> Callable[[Language], Tokenizer]:
    """The factory registered as ``kg.syllable_tokenizer.v1``."""

    def make(nlp: Language) -> Tokenizer:
        defaults = MultiLanguage.Defaults
        prefixes = [*(defaults.prefixes or ()), _DASHES]
        suffixes = [*(defaults.suffixes or ()), _DASHES]
        return Tokenizer(
            nlp.vocab,
            rules={},
            prefix_search=compile_prefix_regex(prefixes).search,
            suffix_search=compile_suffix_regex(suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes or ()).finditer,
            url_match=defaults.url_match,
        )

    return make
