"""kg: a knowledge graph of Vietnamese Party-affairs news.

Text goes in (``kg.articles``), facts come out (``kg.nlp``), become RDF
(``kg.rdf``), live in Oxigraph (``kg.store``) and are served over HTTP
(``kg.api``). The command line is ``kg`` (``kg.cli``).
"""

from kg.articles import Article, read_articles
from kg.config import Settings, get_settings
from kg.errors import KGError
from kg.ingest import IngestReport, ingest_paths
from kg.nlp.pipeline import extract
from kg.store import OxigraphStore, open_store

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
