"""Settings, read from the environment with the ``KG_`` prefix.

``KG_STORE`` is where the on-disk store lives, ``KG_BASE_IRI`` the base of data
IRIs. Build settings through :func:`get_settings` so that one process reads the
environment once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.errors import StoreError
from kg.nlp.gazetteer import DEFAULT_GAZETTEER
from kg.store.guard import QueryPolicy
from kg.store.oxigraph import OxigraphStore, open_store
from kg.store.remote import Dialect, Endpoint, RemoteStore, endpoint_for, is_remote
from kg.store.search import index_path

__all__ = ["DEFAULT_BASE_IRI", "Limits", "Settings", "get_settings"]

DEFAULT_BASE_IRI = "https://w3id.org/cpv-kg/id/"


@dataclass(frozen=True)
class Limits:
    """What one request may take: set once from the settings, and handed to what enforces it (the
    engine behind the routes, the body readers, the worker's memory watch)."""

    query_time: float = 30.0  # seconds a read may run; past it, 503
    write_time: float = 120.0  # seconds a write may run; past it, 503 with nothing of it applied
    remote_time: float = 10.0  # seconds a read that calls a remote endpoint (SERVICE) may run
    rows: int = 100_000  # rows (or triples) a result may have
    body: int = 10 * 1024 * 1024  # bytes a request body may have
    worker_memory: int = 0  # bytes a server worker may hold; 0: its share of half the machine


class Settings(BaseSettings):
    """Configuration of the store, the mapping and (later) the server."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    # A folder, or the URL of a SPARQL server (kg.store.remote) with its credentials and dialect.
    store: str = "data/store"
    store_user: str | None = None
    store_password: SecretStr | None = None
    store_dialect: Dialect | None = None  # found from the server's answer when not set
    store_update_url: str | None = None  # where a generic server takes updates, if not at its URL
    store_graph_store_url: str | None = None  # and its Graph Store, if it has one
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

    @field_validator("store", mode="before")
    @classmethod
    def _location(cls, value: object) -> object:
        return str(value) if isinstance(value, Path) else value

    @property
    def store_path(self) -> Path:
        """The store's folder; a :class:`~kg.errors.StoreError` for a remote store."""
        if is_remote(self.store):
            raise StoreError(f"{self.store} is a SPARQL server, not a folder")
        return Path(self.store)

    def endpoint(self, url: str | None = None) -> Endpoint:
        """The endpoints of the SPARQL server at ``url`` (default: :attr:`store`)."""
        return endpoint_for(
            url or self.store,
            dialect=self.store_dialect,
            user=self.store_user,
            password=self.store_password.get_secret_value() if self.store_password else None,
            update_url=self.store_update_url,
            graph_store_url=self.store_graph_store_url,
            timeout=self.query_timeout,
            write_timeout=self.write_timeout,
        )

    def open_store(self, location: str | Path | None = None, *, create: bool = True) -> OxigraphStore:
        """The store at ``location`` (default: :attr:`store`): a folder, or a SPARQL server."""
        where = str(location) if location is not None else self.store
        if is_remote(where):
            return RemoteStore(self.endpoint(where))
        return open_store(Path(where), create=create)

    def search_index(self, location: str | None = None) -> Path:
        """The name index of the store at ``location`` (default: :attr:`store`): beside its folder,
        or for a SPARQL server under ``data/search``, one file per server."""
        where = location or self.store
        if not is_remote(where):
            return index_path(Path(where))
        parts = urlsplit(where)
        name = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{parts.netloc}{parts.path}").strip("_")
        return Path("data") / "search" / f"{name}.search.sqlite"

    @property
    def limits(self) -> Limits:
        """The limits of one request, from ``KG_QUERY_TIMEOUT``, ``KG_WRITE_TIMEOUT``,
        ``KG_SERVICE_TIMEOUT``, ``KG_MAX_ROWS``, ``KG_MAX_BODY`` and ``KG_MAX_WORKER_MEMORY``."""
        return Limits(
            query_time=self.query_timeout,
            write_time=self.write_timeout,
            remote_time=self.service_timeout,
            rows=self.max_rows,
            body=self.max_body,
            worker_memory=self.max_worker_memory,
        )

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
