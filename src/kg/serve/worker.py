"""One server worker: a uvicorn server accepting on the supervisor's listening socket.

Every worker accepts from the one socket, so each core runs a worker, and the
socket outlives them all: while no worker accepts (all retiring at once, or a
replacement starting), connections wait in its queue instead of being refused.

A worker answers reads from its own read-only replica (:mod:`kg.serve.replica`)
of a checkpoint of the store that no one writes, and sends writes to the
supervisor (:mod:`kg.serve.supervisor`), which alone writes and, after each
write, switches every replica to the checkpoint of the new state.

A read past its time limit cannot be stopped inside the worker: the worker
answers 503, tells the supervisor (which starts a replacement at once),
stops listening, lets its other requests finish, and exits, which ends the
runaway thread. New connections meanwhile go to the other workers, or wait for
the replacement. A worker past its memory budget does the same at once
(:func:`watch_memory`).

Messages to the supervisor: ``("write", id, kind, args, timeout)``,
``("switched", path)``, ``("released", path)``, ``("retiring",)``. From it:
``("switch", path)``, ``("answer", id, status, body, media)``.
"""

from __future__ import annotations

import ctypes
import gc
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil
import uvicorn

from kg.api.app import create_app
from kg.api.conditional import ConditionalGet
from kg.api.engine import Answer, EngineResult, outcome
from kg.api.front import SparqlFront
from kg.config import Limits, Settings
from kg.errors import OverBudget
from kg.serve.operations import WRITE_KINDS
from kg.serve.protocol import quick_query_protocol
from kg.serve.replica import ReadReplica

__all__ = ["WorkerEngine", "address_family", "listening_socket", "run_worker"]


def address_family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A socket listening on ``host:port``; ``OSError`` with the system's message if it is taken."""
    sock = socket.socket(address_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


class SupervisorLink:
    """The worker's end of its pipe to the supervisor."""

    def __init__(self, connection: Connection, replica: ReadReplica) -> None:
        self._connection = connection
        self._replica = replica
        self._sending = threading.Lock()
        self._ids = itertools.count()
        self._waiting: dict[int, Future[Answer]] = {}

    def send(self, *message: object) -> None:
        with self._sending:
            self._connection.send(message)

    def write(self, kind: str, args: dict[str, Any], timeout: float) -> Answer:
        """Have the supervisor apply a write; blocks until it answers."""
        future: Future[Answer] = Future()
        request_id = next(self._ids)
        self._waiting[request_id] = future
        self.send("write", request_id, kind, args, timeout)
        return future.result()

    def listen(self) -> None:
        """Obey the supervisor until the pipe closes (run in a thread)."""
        while True:
            try:
                message = self._connection.recv()
            except (EOFError, OSError):
                os._exit(0)  # the supervisor is gone: so is this worker
            match message:
                case ("switch", path):
                    old = self._replica.switch(Path(path))
                    self.send("switched", path)
                    threading.Thread(target=self._release, args=(old,), daemon=True).start()
                case ("answer", request_id, status, body, media):
                    self._waiting.pop(request_id).set_result((status, body, media))

    def _release(self, path: Path) -> None:
        """Tell the supervisor once no read uses the snapshot at ``path`` any more."""
        self._replica.wait_idle(path)
        self.send("released", str(path))


class WorkerEngine:
    """Reads from this worker's replica, writes through the supervisor, each within its limit."""

    def __init__(self, replica: ReadReplica, link: SupervisorLink, limits: Limits) -> None:
        self.replica = replica
        self.link = link
        self.limits = limits

    def request(self, kind: str, args: dict[str, Any]) -> EngineResult:
        if kind in WRITE_KINDS:
            return outcome(*self.link.write(kind, args, self.limits.write_time))
        return self.replica.request(kind, args)  # within the replica's time limit, the reads' own

    async def request_async(self, kind: str, args: dict[str, Any], *, key: str | None = None) -> EngineResult:
        return await self.replica.request_async(kind, args, key=key)

    def answer_now(self, kind: str, args: dict[str, Any], key: str) -> Answer | None:
        return self.replica.answer_now(kind, args, key)


_MEMORY_POLL = 0.05  # seconds between looks at the worker's memory
# Seconds after a large answer when its memory is handed back: it is still being sent at first.
_SENT = (0.5, 1.5, 3.0)


def _libc_trim() -> Callable[[int], object] | None:
    """glibc's ``malloc_trim``, where there is one."""
    try:
        trim: Callable[[int], object] = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _libc_trim()


def release_memory() -> None:
    """Hand the memory freed since back to the system.

    A large answer (a big SELECT, a long page) grows the heap; once it is sent, the allocator
    keeps the freed pages for later instead of returning them, so a worker would stay at the
    size of the largest answer it ever gave (measured: 80 to 460 MB). ``malloc_trim`` returns
    them.
    """
    if _TRIM is not None:
        _TRIM(0)


_LAST_ANSWERS = 1.0  # seconds an over-budget worker gives its answers to leave before it exits


def watch_memory(
    budget: int, replica: ReadReplica, retire: Callable[[], None], large_answer: threading.Event
) -> None:
    """Retire the worker once it holds more than ``budget`` bytes (run in a thread).

    Only a read can grow a worker that far, and a read cannot be stopped: every read
    in flight is answered 503, the supervisor starts a replacement, and the worker
    exits a moment later, which frees the memory, whatever still runs.
    """
    process = psutil.Process()
    baseline = process.memory_info().rss
    if budget < baseline * 2:
        print(
            f"kg worker: memory budget {budget >> 20} MiB is under twice its start size; using that",
            flush=True,
        )
        budget = baseline * 2
    while process.memory_info().rss <= budget:
        if large_answer.wait(_MEMORY_POLL):  # the replica answered a large read
            large_answer.clear()
            for pause in _SENT:  # the answer may take a while to leave; what it held goes then
                time.sleep(pause)
                release_memory()
    replica.abandon(
        OverBudget(
            f"the request took its worker past its memory budget of {budget >> 20} MiB and was stopped"
        )
    )
    retire()
    time.sleep(_LAST_ANSWERS)
    os._exit(0)


def run_worker(settings: Settings, connection: Connection, sock: socket.socket, snapshot: Path) -> None:
    """The worker process: serve ``sock`` from the store's ``snapshot`` (and the ones the
    supervisor switches it to) until told to stop, or until a runaway read retires it."""
    server: uvicorn.Server | None = None
    retiring = threading.Event()
    limits = settings.limits

    def retire() -> None:
        if not retiring.is_set():
            retiring.set()
            link.send("retiring")
            if server is not None:
                server.should_exit = True

    large_answer = threading.Event()
    replica = ReadReplica(
        snapshot,
        threads=settings.engine_threads,
        on_overrun=retire,
        policy=settings.query_policy(),
        remote_timeout=limits.remote_time,
        on_large_answer=large_answer.set,
        time_limit=limits.query_time,
    )
    replica.open()
    link = SupervisorLink(connection, replica)
    threading.Thread(target=link.listen, name="kg-supervisor-link", daemon=True).start()
    engine = WorkerEngine(replica, link, limits)
    threading.Thread(
        target=watch_memory,
        args=(limits.worker_memory or settings.worker_memory_budget(1), replica, retire, large_answer),
        name="kg-memory",
        daemon=True,
    ).start()
    front = SparqlFront(create_app(engine, settings), engine, settings, version=replica.version)
    config = uvicorn.Config(
        ConditionalGet(front, replica.version),
        http=quick_query_protocol(front),
        log_level="warning",
        access_log=False,
        # Requests in flight when the worker retires get as long as any request would.
        timeout_graceful_shutdown=max(1, round(limits.query_time)),
    )
    server = uvicorn.Server(config)
    # What exists now lives as long as the worker: frozen, the collector never walks it again,
    # which keeps full collections short while list pages churn through thousands of rows.
    gc.collect()
    gc.freeze()
    server.run(sockets=[sock])
    replica.shutdown()
    # A runaway read may still hold a thread, which the interpreter would wait for.
    os._exit(0)
