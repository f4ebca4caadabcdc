"""Building the extraction pipeline and running it on articles."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib import resources

import spacy
from spacy.language import Language
from thinc.api import Config

import kg.nlp.registry  # noqa: F401  (registers the components)
from kg.articles import Article
from kg.errors import ExtractionError
from kg.nlp.items import Extraction
from kg.nlp.state import state_of
from kg.text import is_normalized, normalize

__all__ = ["build_pipeline", "extract", "load_pipeline"]


def build_pipeline(overrides: dict[str, object] | None = None) -> Language:
    """A fresh pipeline from ``kg/nlp/pipeline.cfg`` (``overrides`` use config paths)."""
    text = resources.files("kg.nlp").joinpath("pipeline.cfg").read_text("utf-8")
    config = Config().from_str(text, overrides=overrides or {})
    return spacy.blank("vi", config=config)


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The process's shared pipeline."""
    return build_pipeline()


def extract(article: Article, nlp: Language | None = None) -> Extraction:
    """Run the pipeline on an article's title and body."""
    nlp = nlp or load_pipeline()
    try:
        text = article.text if is_normalized(article.text) else normalize(article.text)
        doc = nlp.make_doc(text)
        doc._.source_text = text
        published = article.published
        doc._.published = published.date() if isinstance(published, datetime) else published
        doc._.month = article.month
        for _, component in nlp.pipeline:
            doc = component(doc)
        return state_of(doc).extraction
    except Exception as exc:  # a bug on one article must not stop an ingest
        raise ExtractionError(f"{article.source or article.identifier}: extraction failed: {exc!r}") from exc
