"""kg: a knowledge graph of Vietnamese Party-affairs news.

Text goes in (``kg.articles``), facts come out (``kg.nlp``), become RDF
(``kg.rdf``), live in Oxigraph (``kg.store``) and are served over HTTP
(``kg.api``). The command line is ``kg`` (``kg.cli``).
"""

from importlib import import_module
from typing import Any

from kg.articles import Article, read_articles
from kg.config import Settings, get_settings
from kg.errors import KGError
from kg.store import OxigraphStore, open_store

# Names whose modules load spaCy: imported on first use, so `import kg` stays light.
_LAZY = {"extract": "kg.nlp.pipeline", "ingest_paths": "kg.ingest", "IngestReport": "kg.ingest"}


def __getattr__(name: str) -> Any:  # noqa: ANN401  (PEP 562: the attribute is whatever the module holds)
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "Article",
    "IngestReport",
    "KGError",
    "OxigraphStore",
    "Settings",
    "__version__",
    "extract",
    "get_settings",
    "ingest_paths",
    "open_store",
    "read_articles",
]
