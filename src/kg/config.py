"""Settings, read from the environment with the ``KG_`` prefix.

``KG_STORE`` is where the on-disk store lives, ``KG_BASE_IRI`` the base of data
IRIs. Build settings through :func:`get_settings` so that one process reads the
environment once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import psutil
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.nlp.gazetteer import DEFAULT_GAZETTEER
from kg.store.guard import QueryPolicy

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
    # Seconds a write may take; past it, it is stopped and answered 503 with nothing of it applied.
    write_timeout: float = 120.0
    max_rows: int = 100_000  # rows (or triples) a result may have
    max_body: int = 10 * 1024 * 1024  # bytes a request body may have
    engine_threads: int = 8  # read threads per worker
    workers: int = 0  # server processes; 0: one per core
    # Bytes a worker may hold; a read that takes it past is answered 503 and the worker retires.
    # 0: half the machine's memory shared by the workers (see worker_memory_budget).
    max_worker_memory: int = 0
    # Endpoint IRIs (separated by spaces or commas) that SERVICE and LOAD may call; none by default.
    service_allow: str = ""
    service_timeout: float = 10.0  # seconds; the time limit of a request that calls a remote endpoint

    def worker_memory_budget(self, workers: int) -> int:
        """``max_worker_memory``, or half the machine's memory over ``workers`` (at least 512 MiB)."""
        if self.max_worker_memory:
            return self.max_worker_memory
        return max(psutil.virtual_memory().total // 2 // max(workers, 1), 512 * 1024 * 1024)

    def query_policy(self) -> QueryPolicy:
        """The limits every SPARQL text must pass, with the allowed remote endpoints."""
        endpoints = frozenset(self.service_allow.replace(",", " ").split())
        return QueryPolicy(remote_endpoints=endpoints)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()
