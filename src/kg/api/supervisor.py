"""``kg serve``: a supervisor process, its workers, and the one place that writes.

The supervisor opens the listening socket, starts one worker per core
(:mod:`kg.api.worker`) accepting on it, replaces a worker that retires or
dies, and applies every write. RocksDB makes no promise
to read-only handles while another process writes, so a write goes in three
steps: every worker closes its replica (waiting for its reads in flight), a
child process applies the write in one transaction (:func:`run_write`, killed
past the time limit), and every worker reopens. Reads that arrive meanwhile
wait for the reopening.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import FrameType

from kg.api.worker import listening_socket, run_worker
from kg.config import Settings
from kg.store.oxigraph import serving_lock
from kg.store.writer import run_write

__all__ = ["Supervisor", "serve"]


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    retiring: bool = False
    closed: bool = False


class Supervisor:
    """Runs ``workers`` worker processes on ``settings.host:settings.port``."""

    def __init__(self, settings: Settings, workers: int, sock: socket.socket) -> None:
        # Resolved once, here, where the number of workers is known.
        self.settings = settings.model_copy(
            update={"max_worker_memory": settings.worker_memory_budget(workers)}
        )
        self.size = workers
        self.socket = sock  # held here, so that something listens while no worker accepts
        self.workers: list[_Worker] = []
        self._context = multiprocessing.get_context("spawn")
        self._writes: deque[tuple[_Worker, tuple[object, ...]]] = deque()
        self._stopping = False

    # -------------------------------------------------------------- workers

    def _spawn(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=run_worker, args=(self.settings, child, self.socket), name="kg-worker"
        )
        process.start()
        child.close()
        self.workers.append(_Worker(process, parent))

    def _fill(self) -> None:
        """Start workers until ``size`` are serving (retiring ones do not count)."""
        while not self._stopping and sum(not w.retiring for w in self.workers) < self.size:
            self._spawn()

    def _drop(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.connection.close()
        worker.process.join()

    def _tell(self, worker: _Worker, *message: object) -> None:
        with contextlib.suppress(OSError):  # it has died: its sentinel will say so
            worker.connection.send(message)

    def _receive(self, worker: _Worker) -> tuple[object, ...] | None:
        try:
            message: tuple[object, ...] = worker.connection.recv()
        except (EOFError, OSError):
            return None
        return message

    def _step(self, timeout: float | None) -> None:
        """Handle what the workers say or do within ``timeout`` seconds."""
        handles: list[Connection | int] = [
            h for w in self.workers for h in (w.connection, w.process.sentinel)
        ]
        by_handle: dict[object, _Worker] = {
            h: w for w in self.workers for h in (w.connection, w.process.sentinel)
        }
        for handle in wait(handles, timeout):
            worker = by_handle[handle]
            if worker not in self.workers:
                continue
            if handle is worker.process.sentinel:
                self._drop(worker)
                continue
            message = self._receive(worker)
            if message is None:
                continue  # its sentinel follows
            match message:
                case ("retiring",):
                    worker.retiring = True
                case ("closed",):
                    worker.closed = True
                case ("write", *_):
                    self._writes.append((worker, message))

    # --------------------------------------------------------------- writes

    def _write(self, origin: _Worker, message: tuple[object, ...]) -> None:
        _, request_id, kind, args, timeout = message
        assert isinstance(kind, str)
        assert isinstance(args, dict)
        assert isinstance(timeout, float)
        for worker in self.workers:
            worker.closed = False
            self._tell(worker, "close")
        # A worker that dies or exits meanwhile has closed its replica too.
        while any(not w.closed for w in self.workers):
            self._step(0.5)
        try:
            answer = run_write(
                self.settings.store,
                kind,
                args,
                timeout,
                start_method="forkserver",
                policy=self.settings.query_policy(),
            )
        finally:
            for worker in self.workers:
                self._tell(worker, "open")
        if origin in self.workers:
            self._tell(origin, "answer", request_id, *answer)

    # ----------------------------------------------------------------- loop

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self._fill()
        while not self._stopping:
            self._step(0.5)
            while self._writes and not self._stopping:
                self._write(*self._writes.popleft())
            self._fill()
        for worker in self.workers:
            if worker.process.pid is not None:
                os.kill(worker.process.pid, signal.SIGTERM)
        for worker in self.workers:
            worker.process.join(self.settings.query_timeout + 5)
            if worker.process.is_alive():
                worker.process.kill()


def serve(settings: Settings, workers: int) -> None:
    """Serve the store at ``settings.store`` until SIGTERM or SIGINT."""
    with listening_socket(settings.host, settings.port) as sock, serving_lock(settings.store):
        Supervisor(settings, max(1, workers), sock).run()
