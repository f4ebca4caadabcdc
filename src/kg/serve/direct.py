"""Requests answered in the calling process: ``kg serve`` in front of a SPARQL server that
someone else runs, and the API tests that need no process (on an in-memory store).

In front of a server, the whole API stays (the SPARQL protocol, the REST facade, linked data, the
query page, their limits): every request goes through the same handlers as on
the embedded store (:func:`kg.serve.operations.answer`), over a
:class:`~kg.store.remote.RemoteDataset`, so the guard, the row cap and the
refusals are the same. The server does the work and keeps the data consistent
under concurrent writers, so one process serves, with a thread per request in
flight, and writes go straight to the server.

What the embedded store's server adds and this one cannot: validators and kept
answers (another client may write to the server at any time, unseen). The
search index (built here when missing) follows the writes made through this
server, as the embedded store's does; writes made to the SPARQL server by others
reach it at the next ``kg ingest`` or rebuild.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

import uvicorn
from starlette.concurrency import run_in_threadpool

from kg.api.app import create_app
from kg.api.engine import Answer, EngineResult, outcome
from kg.api.front import SparqlFront
from kg.config import Settings
from kg.serve.operations import WRITE_KINDS, answer, written_graph
from kg.serve.protocol import quick_query_protocol
from kg.store.base import Dataset
from kg.store.guard import DEFAULT_POLICY, QueryPolicy, on_deep_stack
from kg.store.remote import RemoteStore
from kg.store.search import RunQuery, SearchIndex, follow_write, graph_iris

__all__ = ["DirectEngine", "serve_remote"]


class DirectEngine:
    """The routes' requests, answered on ``dataset`` in this process: a SPARQL server's through
    :class:`~kg.store.remote.RemoteDataset`, or an embedded ``pyoxigraph.Store``."""

    def __init__(
        self,
        dataset: Dataset,
        policy: QueryPolicy = DEFAULT_POLICY,
        search: tuple[Path, RunQuery] | None = None,
    ) -> None:
        self.dataset = dataset
        self.policy = policy
        self.search = search  # the search index to keep in step with writes, and how to query for it
        self._writing = threading.Lock()  # one write and its index update at a time

    def request(self, kind: str, args: dict[str, Any]) -> EngineResult:
        if kind in WRITE_KINDS and self.search is not None:
            return outcome(*self._write(kind, args, *self.search))
        return outcome(*self._answer(kind, args))

    def _answer(self, kind: str, args: dict[str, Any]) -> Answer:
        # The time limits are the SPARQL server's client's (kg.store.remote.Endpoint), or none.
        # The guard parses on a deep stack, as it does for the embedded store's reads.
        return on_deep_stack(lambda: answer(self.dataset, kind, args, policy=self.policy))

    def _write(self, kind: str, args: dict[str, Any], index: Path, run: RunQuery) -> Answer:
        """A write, then the search index brought in step with it, as the embedded store's
        writer does (:func:`~kg.store.search.follow_write`)."""
        graph = written_graph(kind, args)
        with self._writing:
            before = graph_iris(run, graph)
            result = self._answer(kind, args)
            if result[0] == "ok":
                follow_write(index, run, graph, before)
        return result

    async def request_async(self, kind: str, args: dict[str, Any], *, key: str | None = None) -> EngineResult:
        return await run_in_threadpool(self.request, kind, args)

    def answer_now(self, kind: str, args: dict[str, Any], key: str) -> Answer | None:
        return None  # nothing is known to be quick enough to hold the event loop for


def _ensure_search_index(settings: Settings, store: RemoteStore) -> None:
    path = settings.search_index()
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(SearchIndex(path)) as index:
        index.rebuild(store.query)


def serve_remote(settings: Settings) -> None:
    """Serve the SPARQL server at ``settings.store`` on ``settings.host:settings.port`` until stopped."""
    store = RemoteStore(settings.endpoint())
    try:
        _ensure_search_index(settings, store)
        engine = DirectEngine(store.dataset, settings.query_policy(), (settings.search_index(), store.query))
        front = SparqlFront(create_app(engine, settings), engine, settings)
        config = uvicorn.Config(
            front,
            host=settings.host,
            port=settings.port,
            http=quick_query_protocol(front),
            log_level="warning",
            access_log=False,
        )
        uvicorn.Server(config).run()
    finally:
        store.close()
