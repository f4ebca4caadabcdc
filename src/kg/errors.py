"""Every error kg raises on purpose, in one tree.

    KGError
    ├── ArticleError        an article could not be read (path and reason)
    ├── ExtractionError     the NLP pipeline failed on a readable article
    ├── MappingError        extraction records could not become RDF
    ├── OntologyError       the ontology files are missing or do not parse
    ├── StoreError          the store is missing, locked, corrupt or failed to write
    ├── QueryError          a SPARQL query or update is malformed or failed to run
    ├── QueryTimeout        a request ran past its time limit and was stopped (HTTP 503)
    ├── OverBudget          a request took its worker past its memory budget (HTTP 503)
    ├── NotFound            nothing is known about a resource, or no such graph (HTTP 404)
    ├── NotAcceptable       no serialization the client accepts (HTTP 406)
    └── ResultTooLarge      a result has more rows than the server returns (HTTP 400)

Library code raises these; the CLI and the HTTP API translate them at the edge
(exit status and message, or a 4xx/5xx response). Each keeps the original
exception as ``__cause__``.
"""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "ExtractionError",
    "KGError",
    "MappingError",
    "NotAcceptable",
    "NotFound",
    "OntologyError",
    "OverBudget",
    "QueryError",
    "QueryTimeout",
    "ResultTooLarge",
    "StoreError",
]


class KGError(Exception):
    """The root of every error kg raises on purpose."""


class ArticleError(KGError):
    """An article file or record could not be read.

    >>> str(ArticleError("a.txt", "empty file"))
    'a.txt: empty file'
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[ArticleError], tuple[str, str]]:
        # Rebuilt from both fields when it crosses from an extraction process.
        return (ArticleError, (self.source, self.reason))


class ExtractionError(KGError):
    """The extraction pipeline failed on an article."""


class MappingError(KGError):
    """Extraction records could not be turned into RDF."""


class OntologyError(KGError):
    """The ontology, code lists or shapes could not be loaded."""


class StoreError(KGError):
    """The store could not be opened, read or written."""


class QueryError(KGError):
    """A SPARQL query or update is malformed or failed while running."""


class QueryTimeout(KGError):
    """A request ran past its time limit and was stopped."""


class OverBudget(KGError):
    """A request took its server worker past its memory budget and was stopped."""


class NotFound(KGError):
    """Nothing is known about the resource asked for, or there is no such graph."""


class NotAcceptable(KGError):
    """No acceptable serialization for this kind of result."""


class ResultTooLarge(KGError):
    """The result has more rows than the server returns."""
