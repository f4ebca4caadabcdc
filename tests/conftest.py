from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import get_settings
from kg.nlp.gazetteer import build_gazetteer
from kg.store import OxigraphStore
from tests.servers import oxigraph_endpoint, virtuoso_endpoint

__all__ = ["oxigraph_endpoint", "virtuoso_endpoint"]  # session fixtures: real SPARQL servers

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = Path(__file__).resolve().parent / "gold"
BASE = "https://w3id.org/cpv-kg/id/"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Extraction tests need the gazetteer; `make setup` builds it, this covers a bare `pytest`."""
    path = get_settings().gazetteer
    if not path.is_file():
        build_gazetteer(path)


@pytest.fixture
def store() -> OxigraphStore:
    """A fresh in-memory store for each test."""
    return OxigraphStore()


@pytest.fixture
def corpus() -> Path:
    return CORPUS
