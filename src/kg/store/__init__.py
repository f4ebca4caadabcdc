"""The store: the knowledge graph in Oxigraph, on disk or in memory."""

from kg.store.base import ExportFormat, StoreStatistics, TripleStore
from kg.store.oxigraph import OxigraphStore, open_store

__all__ = ["ExportFormat", "OxigraphStore", "StoreStatistics", "TripleStore", "open_store"]
