"""Settings, read from the environment with the ``KG_`` prefix.

``KG_STORE`` is where the on-disk store lives, ``KG_BASE_IRI`` the base of data
IRIs. Build settings through :func:`get_settings` so that one process reads the
environment once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.nlp.gazetteer import DEFAULT_GAZETTEER

__all__ = ["DEFAULT_BASE_IRI", "Settings", "get_settings"]

DEFAULT_BASE_IRI = "https://w3id.org/cpv-kg/id/"


class Settings(BaseSettings):
    """Configuration of the store, the mapping and (later) the server."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    store: Path = Path("data/store")
    base_iri: str = DEFAULT_BASE_IRI
    gazetteer: Path = DEFAULT_GAZETTEER
    host: str = "127.0.0.1"
    port: int = 8000
    # Writing (SPARQL Update, Graph Store PUT/POST/DELETE) is off unless a token is set.
    update_token: SecretStr | None = None
    query_timeout: float = 30.0  # seconds; a request past it is stopped and answered 503
    max_rows: int = 100_000  # rows (or triples) a result may have
    max_body: int = 10 * 1024 * 1024  # bytes a request body may have
    engine_threads: int = 8  # read threads per worker
    workers: int = 0  # server processes; 0: one per core


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()
