"""Building the extraction pipeline and running it on articles."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import Config

import kg.nlp.registry  # noqa: F401  (registers the components)
from kg.articles import Article
from kg.errors import ExtractionError
from kg.nlp.state import state_of
from kg.records import Extraction
from kg.text import is_normalized, normalize

__all__ = ["build_pipeline", "extract", "extract_all", "load_pipeline"]

_GAZETTEER_PATH = "components.article_context.gazetteer.path"


def build_pipeline(gazetteer: Path | None = None, overrides: dict[str, object] | None = None) -> Language:
    """A fresh pipeline from ``kg/nlp/pipeline.cfg``, reading the gazetteer at ``gazetteer``
    (the default location when None); ``overrides`` use config paths."""
    text = resources.files("kg.nlp").joinpath("pipeline.cfg").read_text("utf-8")
    settings: dict[str, object] = {_GAZETTEER_PATH: str(gazetteer) if gazetteer else ""}
    config = Config().from_str(text, overrides={**settings, **(overrides or {})})
    return spacy.blank("vi", config=config)


@lru_cache(maxsize=4)
def load_pipeline(gazetteer: Path | None = None) -> Language:
    """The process's shared pipeline for one gazetteer file."""
    return build_pipeline(gazetteer)


def _doc_of(article: Article, nlp: Language) -> Doc:
    text = article.text if is_normalized(article.text) else normalize(article.text)
    doc = nlp.make_doc(text)
    doc._.source_text = text
    published = article.published
    doc._.published = published.date() if isinstance(published, datetime) else published
    doc._.month = article.month
    return doc


def extract(article: Article, nlp: Language | None = None) -> Extraction:
    """Run the pipeline on an article's title and body."""
    nlp = nlp or load_pipeline()
    try:
        return state_of(nlp(_doc_of(article, nlp))).extraction
    except Exception as exc:  # a bug on one article must not stop an ingest
        raise ExtractionError(f"{article.source or article.identifier}: extraction failed: {exc!r}") from exc


def extract_all(
    articles: Iterable[Article], nlp: Language | None = None
) -> Iterator[tuple[Article, Extraction | ExtractionError]]:
    """Each article with its extraction, or the error that stopped it, in order, through
    ``nlp.pipe``. Articles are read lazily: the next one is taken when this one is consumed."""
    nlp = nlp or load_pipeline()
    queue: deque[tuple[Article, Doc]] = deque()
    errors: dict[int, ExtractionError] = {}

    def docs() -> Iterator[Doc]:
        for article in articles:
            doc = _doc_of(article, nlp)
            queue.append((article, doc))
            yield doc

    def on_error(name: str, _component: object, broken: list[Doc], exc: Exception) -> None:
        for doc in broken:
            article = next((a for a, d in queue if d is doc), None)
            source = (article.source or article.identifier) if article else "?"
            errors[id(doc)] = ExtractionError(f"{source}: extraction failed in {name}: {exc!r}")

    def dropped(article: Article, doc: Doc) -> ExtractionError:
        return errors.pop(id(doc), ExtractionError(f"{article.source}: extraction failed"))

    # spaCy types a handler as never returning, but its pipe goes on without the failed doc when
    # the handler returns, which is what we want: the other articles are still extracted.
    nlp.set_error_handler(on_error)  # type: ignore[arg-type]
    try:
        for doc in nlp.pipe(docs()):
            while queue and queue[0][1] is not doc:  # the pipe drops the docs that failed
                yield queue[0][0], dropped(*queue.popleft())
            article, _ = queue.popleft()
            yield article, state_of(doc).extraction
        while queue:
            yield queue[0][0], dropped(*queue.popleft())
    finally:
        nlp.set_error_handler(_raise)  # type: ignore[arg-type]


def _raise(_name: str, _component: object, _docs: list[Doc], exc: Exception) -> None:
    raise exc
