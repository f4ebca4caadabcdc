"""A server worker's read-only view of the on-disk store.

Each worker process opens the store read-only and answers reads itself, so
that both cores serve queries without a hop to another process. RocksDB does
not promise anything to a read-only handle while another process writes, so
the server has its replicas read checkpoints that no one writes, and after a
write switches them to the next one (:meth:`ReadReplica.switch`): reads that
are running finish on the old handle, new ones use the new one, none waits.

Reads run on a thread pool (pyoxigraph releases the GIL while it evaluates),
so a long query never holds the worker's event loop. The hand-off costs about
as much as a point lookup itself, so a request this replica has already
answered in under :data:`INLINE_BUDGET` runs inline instead. A read past its
time limit cannot be stopped in its thread: the replica reports the overrun
and the worker retires (see :mod:`kg.serve.worker`), taking the thread with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pyoxigraph as ox

from kg.api.engine import Answer, Args, EngineResult, outcome, request_key
from kg.config import Limits
from kg.errors import KGError, QueryTimeout
from kg.serve.operations import READ_KINDS, answer, sparql_text
from kg.store.guard import DEFAULT_POLICY, DeepStackPool, QueryPolicy, check_sparql

__all__ = ["INLINE_BUDGET", "LARGE_ANSWER", "ReadReplica"]

INLINE_BUDGET = 0.002  # seconds: requests known to take less run inline
LARGE_ANSWER = 4 * 1024 * 1024  # bytes: an answer past this grew the heap (see kg.serve.worker)
_PATIENCE = 0.02  # seconds the event loop waits for a new request before letting go
_REMEMBERED = 4096  # quick requests remembered
# Answers kept for repeated reads: a dashboard's queries, a notebook run again, the next page of
# a REST list (whose table, every row of the list, is 4-11 MB at 20,000 articles and takes seconds
# to make). An answer over an eighth of the room is not kept, so that a few cannot push out all
# the small ones.
RESULT_CACHE_BYTES = 128 * 1024 * 1024
_LARGEST_KEPT = RESULT_CACHE_BYTES // 8
# A query whose answer may differ from one run to the next on the same data is never kept.
_UNREPEATABLE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID|BNODE|SERVICE)\b", re.IGNORECASE)


def _overrun(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the request ran longer than {timeout:g} s and was stopped")


def _version_of(path: Path) -> tuple[str, float]:
    """A snapshot's name and its folder's last change (RocksDB adds files there on every write)."""
    written = path.stat().st_mtime_ns
    return f"{path.name}.{written:x}", written / 1e9


class ReadReplica:
    """Read requests against a read-only handle on the store at ``path``."""

    def __init__(
        self,
        path: Path,
        *,
        threads: int,
        on_overrun: Callable[[], None],
        inline_budget: float = INLINE_BUDGET,
        policy: QueryPolicy = DEFAULT_POLICY,
        remote_timeout: float | None = None,
        on_large_answer: Callable[[], None] | None = None,
        time_limit: float = Limits.query_time,
    ) -> None:
        self.path = path
        self.on_large_answer = on_large_answer  # told after a read whose answer is over LARGE_ANSWER
        self.time_limit = time_limit  # of a read, unless its caller gives one
        self.inline_budget = inline_budget
        self.policy = policy
        self.remote_timeout = remote_timeout  # the time limit of a read that calls a remote endpoint
        self._on_overrun = on_overrun
        self._pool = DeepStackPool(threads, "kg-read")
        self._state = threading.Condition()
        self._store: ox.Store | None = None
        self._running: Counter[Path] = Counter()  # reads in flight, by the path of their handle
        self._quick: OrderedDict[str, None] = OrderedDict()
        self._pending: set[Future[Answer]] = set()  # reads submitted to the pool, not yet answered
        self._version = ("", 0.0)
        self._results: OrderedDict[str, Answer] = OrderedDict()  # this snapshot's answers, newest last
        self._result_bytes = 0

    # ------------------------------------------------------------ the handle

    def open(self) -> None:
        """Open (or reopen) the handle on :attr:`path` and let waiting reads in."""
        with self._state:
            self._store = ox.Store.read_only(str(self.path))
            self._version = _version_of(self.path)
            self._quick.clear()  # costs were measured on the old data
            self._forget_results()
            self._state.notify_all()

    def switch(self, path: Path) -> Path:
        """Answer new reads from the store at ``path``; the path answered from before.

        Reads already running finish on the old handle (see :meth:`wait_idle`): no read
        ever waits for a switch.
        """
        fresh = ox.Store.read_only(str(path))
        version = _version_of(path)
        with self._state:
            old, self.path, self._store, self._version = self.path, path, fresh, version
            self._quick.clear()
            self._forget_results()  # answered from the data before the write
        return old

    def version(self) -> tuple[str, float]:
        """The version of the data reads are answered from, and when it was written: it changes
        with every write (each is answered from a new snapshot) and with a store written while
        no server ran."""
        return self._version

    def wait_idle(self, path: Path) -> None:
        """Wait until no read runs on the handle of ``path`` any more."""
        with self._state:
            while self._running[path]:
                self._state.wait()

    def close(self) -> None:
        """Stop admitting reads, wait for the running ones, and drop the handle."""
        with self._state:
            store, self._store = self._store, None
            while self._running[self.path]:
                self._state.wait()
        del store  # RocksDB closes once the last read lets go of the handle too

    def _try_enter(self) -> tuple[ox.Store, Path] | None:
        """The handle and its path, counted as in use; None while it is closed."""
        with self._state:
            if self._store is None:
                return None
            self._running[self.path] += 1
            return self._store, self.path

    def _enter(self) -> tuple[ox.Store, Path]:
        """The handle and its path, counted as in use, once it is open."""
        with self._state:
            while self._store is None:
                self._state.wait()
            self._running[self.path] += 1
            return self._store, self.path

    def _leave(self, path: Path) -> None:
        with self._state:
            self._running[path] -= 1
            if not self._running[path]:
                del self._running[path]
                self._state.notify_all()  # close() and wait_idle() wait for the last read

    # ---------------------------------------------------------------- reads

    def _answer(
        self, handle: tuple[ox.Store, Path], key: str, kind: str, args: Args, *, known_quick: bool = False
    ) -> Answer:
        """Answer a read on a handle entered for it, and remember whether it was quick."""
        store, path = handle
        try:
            started = time.perf_counter()
            result = answer(store, kind, args, small=known_quick, policy=self.policy)
            # Only answers count: a refusal at the row cap can come quickly from a huge result.
            # A quick answer runs inline next time, on the event loop's own small stack: only
            # for texts shallow enough for it.
            quick = (
                result[0] == "ok"
                and time.perf_counter() - started < self.inline_budget
                and self._shallow(kind, args)
            )
        finally:
            self._leave(path)
        if quick != known_quick:
            with self._state:
                if quick:
                    self._quick[key] = None
                    if len(self._quick) > _REMEMBERED:
                        self._quick.popitem(last=False)  # the one learned longest ago
                else:
                    self._quick.pop(key, None)
        self._keep(path, key, kind, args, result)
        return result

    # ---------------------------------------------------------------- kept answers

    def _forget_results(self) -> None:
        self._results.clear()
        self._result_bytes = 0

    def _keep(self, path: Path, key: str, kind: str, args: Args, result: Answer) -> None:
        """Keep an answer for the next identical read, if it may be repeated and is not large."""
        status, body, _ = result
        if status != "ok" or not isinstance(body, bytes) or len(body) > _LARGEST_KEPT:
            return
        text = sparql_text(kind, args)
        if text is not None and _UNREPEATABLE.search(text):
            return
        with self._state:
            if path != self.path or key in self._results:
                return  # answered from a snapshot a write has replaced since
            self._results[key] = result
            self._result_bytes += len(body)
            while self._result_bytes > RESULT_CACHE_BYTES:
                _, (_, dropped, _) = self._results.popitem(last=False)
                self._result_bytes -= len(dropped) if isinstance(dropped, bytes) else 0

    def kept(self, key: str) -> Answer | None:
        """The answer kept for ``key`` on the current snapshot, if any."""
        with self._state:
            result = self._results.get(key)
            if result is not None:
                self._results.move_to_end(key)
            return result

    def _run(self, key: str, kind: str, args: Args) -> Answer:
        return self._answer(self._enter(), key, kind, args)

    def _submit(self, key: str, kind: str, args: Args) -> Future[Answer]:
        if kind not in READ_KINDS:
            raise ValueError(f"{kind} is not a read")
        future = self._pool.submit(lambda: self._run(key, kind, args))
        with self._state:
            self._pending.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[Answer]) -> None:
        with self._state:
            self._pending.discard(future)
        if self.on_large_answer is not None and not future.cancelled() and future.exception() is None:
            _, body, _ = future.result()
            if isinstance(body, bytes) and len(body) > LARGE_ANSWER:
                self.on_large_answer()

    def abandon(self, error: KGError) -> None:
        """Answer every read still running or waiting with ``error``; their threads run on unheard.

        For a worker about to exit: a read that cannot be stopped need not keep its client waiting.
        """
        with self._state:
            pending = list(self._pending)
        for future in pending:
            with contextlib.suppress(InvalidStateError):
                future.set_exception(error)

    def _shallow(self, kind: str, args: Args) -> bool:
        text = sparql_text(kind, args)
        return text is None or check_sparql(text, self.policy).shallow

    def _time_limit(self, kind: str, args: Args, timeout: float | None) -> float:
        """``timeout`` (:attr:`time_limit` when None), or the shorter limit of a read that calls
        a remote endpoint.

        Raises the guard's :class:`~kg.errors.QueryError` for a text it refuses.
        """
        timeout = self.time_limit if timeout is None else timeout
        text = sparql_text(kind, args)
        if text is not None and check_sparql(text, self.policy).remote_calls and self.remote_timeout:
            return min(timeout, self.remote_timeout)
        return timeout

    def request(self, kind: str, args: Args, timeout: float | None = None) -> EngineResult:
        """Run a read, blocking the calling thread (for handlers that run in a thread pool)."""
        key = request_key(kind, args)
        if (kept := self.kept(key)) is not None:
            return outcome(*kept)
        timeout = self._time_limit(kind, args, timeout)
        future = self._submit(key, kind, args)
        try:
            return outcome(*future.result(timeout=timeout))
        except FutureTimeout:
            self._on_overrun()
            raise _overrun(timeout) from None

    def answer_now(self, kind: str, args: Args, key: str) -> Answer | None:
        """Answer on the calling thread a read known to be quick; None for any other.

        ``key`` is :func:`request_key` of the request. Never waits: while a write
        has the handle closed, this is None too, so an event loop calling it is
        never held by a write.
        """
        if (kept := self.kept(key)) is not None:
            return kept
        if key in self._quick and (handle := self._try_enter()) is not None:
            return self._answer(handle, key, kind, args, known_quick=True)
        return None

    async def request_async(
        self, kind: str, args: Args, timeout: float | None = None, *, key: str | None = None
    ) -> EngineResult:
        """Run a read from the event loop: inline when known to be quick, else on the pool.

        ``key`` is :func:`request_key` of the request, for callers that keep it.
        """
        key = key or request_key(kind, args)
        if (quick := self.answer_now(kind, args, key)) is not None:
            return outcome(*quick)
        timeout = self._time_limit(kind, args, timeout)
        future = self._submit(key, kind, args)
        try:
            # Most reads finish within a few milliseconds: waiting here skips a round
            # trip through the event loop, and never holds it for longer than this.
            return outcome(*future.result(timeout=min(_PATIENCE, timeout)))
        except FutureTimeout:
            pass
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(future), max(timeout - _PATIENCE, 0))
        except TimeoutError:
            self._on_overrun()
            raise _overrun(timeout) from None
        return outcome(*result)

    def shutdown(self) -> None:
        self._pool.shutdown()
