from __future__ import annotations

from pathlib import Path

import pytest

from kg.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BASE = "https://w3id.org/cpv-kg/id/"


@pytest.fixture
def store() -> OxigraphStore:
    """A fresh in-memory store for each test."""
    return OxigraphStore()


@pytest.fixture
def corpus() -> Path:
    return CORPUS
