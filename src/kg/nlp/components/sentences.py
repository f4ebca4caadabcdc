"""Sentence boundaries from token arrays.

spaCy's ``sentencizer`` walks the tokens in Python; this one marks a sentence
start after every token whose text is in ``punct_chars`` with array
operations, which matters at hundreds of articles per second.
"""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["SentenceSplitter"]


class SentenceSplitter:
    """Sets ``Token.is_sent_start``: after sentence punctuation and line breaks."""

    def __init__(self, nlp: Language, name: str, *, punct_chars: list[str]) -> None:
        self.name = name
        self.punct_chars = list(punct_chars)
        self.ends = numpy.array(sorted({nlp.vocab.strings.add(p) for p in punct_chars}), dtype="uint64")

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        orth = doc.to_array(ORTH)
        ends = numpy.isin(orth, self.ends)
        starts = numpy.full(len(doc), -1, dtype="int64")
        starts[0] = 1
        starts[1:][ends[:-1]] = 1
        doc.from_array([SENT_START], starts.reshape(-1, 1).astype("uint64"))  # type: ignore[arg-type]
        return doc
