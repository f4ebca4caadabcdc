"""``kg serve``: a supervisor process, its workers, and the one place that writes.

The supervisor opens the listening socket, starts one worker per core
(:mod:`kg.serve.worker`) accepting on it, replaces a worker that retires or
dies, and applies every write.

RocksDB makes no promise to read-only handles while another process writes,
so the workers never read the store itself: they read a checkpoint of it (hard
links, in ``<store>.serving/N``) that no one writes. A write runs in a child
process (:func:`run_write`, killed past its limit), which leaves a checkpoint
of the new state; every worker switches to it, and the write is answered.
Reads never wait for a write: during one they answer from the last committed
state. A checkpoint is deleted once no worker's read uses it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import socket
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType

from kg.api.engine import Answer
from kg.config import Settings
from kg.serve.worker import listening_socket, run_worker
from kg.serve.writer import make_snapshot, run_write
from kg.store.oxigraph import serving_lock

__all__ = ["Supervisor", "serve"]


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    retiring: bool = False
    switched: bool = True  # reads from the current snapshot
    holding: set[Path] = field(default_factory=set)  # snapshots its reads may still use


@dataclass(eq=False)
class _Write:
    """The write in progress: who asked, where its checkpoint goes, and its answer to come."""

    origin: _Worker
    request_id: object
    snapshot: Path
    future: Future[Answer]
    switching: bool = False  # the workers were told to read its checkpoint


_WRITE_POLL = 0.02  # seconds between looks at a write in progress


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
        # Workers read checkpoints of the store, never the store a write changes: reads go on
        # during a write, from the last committed state. One folder per committed state.
        store = settings.store_path
        self._snapshots = store.parent / f"{store.name}.serving"
        self._generation = 0
        self._current = self._snapshots / "0"
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-write")
        self._write: _Write | None = None

    # -------------------------------------------------------------- workers

    def _spawn(self) -> None:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=run_worker, args=(self.settings, child, self.socket, self._current), name="kg-worker"
        )
        process.start()
        child.close()
        self.workers.append(_Worker(process, parent, holding={self._current}))

    def _fill(self) -> None:
        """Start workers until ``size`` are serving (retiring ones do not count)."""
        while not self._stopping and sum(not w.retiring for w in self.workers) < self.size:
            self._spawn()

    def _drop(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.connection.close()
        worker.process.join()
        self._collect()

    def _collect(self) -> None:
        """Delete the snapshots no worker reads any more."""
        held = {self._current} | {path for w in self.workers for path in w.holding}
        if self._write is not None:  # the checkpoint being written, and RocksDB's folder for it
            held |= {self._write.snapshot, self._write.snapshot.with_name(self._write.snapshot.name + ".tmp")}
        for path in self._snapshots.iterdir():
            if path not in held:
                shutil.rmtree(path, ignore_errors=True)

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
                case ("switched", path) if Path(str(path)) == self._current:
                    worker.switched = True
                case ("released", path):
                    worker.holding.discard(Path(str(path)))
                    self._collect()
                case ("write", *_):
                    self._writes.append((worker, message))

    # --------------------------------------------------------------- writes

    def _start_write(self, origin: _Worker, message: tuple[object, ...]) -> None:
        """Run a write on a thread, so that the supervisor goes on replacing workers meanwhile."""
        _, request_id, kind, args, timeout = message
        assert isinstance(kind, str)
        assert isinstance(args, dict)
        assert isinstance(timeout, float)
        self._generation += 1
        snapshot = self._snapshots / str(self._generation)
        future = self._writer.submit(
            run_write,
            self.settings.store_path,
            kind,
            args,
            timeout,
            start_method="forkserver",
            policy=self.settings.query_policy(),
            snapshot=snapshot,
        )
        self._write = _Write(origin, request_id, snapshot, future)

    def _advance_write(self) -> None:
        """Move the write in progress on: switch the workers once it is done, answer once they have."""
        write = self._write
        if write is None or not write.future.done():
            return
        if not write.switching and write.snapshot.exists():  # applied: every worker moves on
            write.switching = True
            self._current = write.snapshot
            for worker in self.workers:
                worker.switched = False
                worker.holding.add(write.snapshot)
                self._tell(worker, "switch", str(write.snapshot))
        # Answered once every worker reads the new state, so that the writer reads its write.
        # A worker that dies or exits meanwhile no longer counts.
        if write.switching and not all(w.switched for w in self.workers):
            return
        if write.origin in self.workers:
            self._tell(write.origin, "answer", write.request_id, *self._answer_of(write))
        self._write = None

    @staticmethod
    def _answer_of(write: _Write) -> Answer:
        try:
            return write.future.result()
        except Exception as exc:  # the writer could not even start: the store was not touched
            return "store", f"the write could not be run: {exc}", ""

    # ----------------------------------------------------------------- loop

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        shutil.rmtree(self._snapshots, ignore_errors=True)  # left by a server that was killed
        self._snapshots.mkdir(parents=True)
        try:
            make_snapshot(self.settings.store_path, self._current, start_method="forkserver")
            self._serve()
        finally:
            self._writer.shutdown(wait=True)
            shutil.rmtree(self._snapshots, ignore_errors=True)

    def _serve(self) -> None:
        self._fill()
        while not self._stopping:
            self._step(0.5 if self._write is None else _WRITE_POLL)
            self._advance_write()
            if self._write is None and self._writes:
                self._start_write(*self._writes.popleft())
            self._fill()
        for worker in self.workers:
            if worker.process.pid is not None:
                os.kill(worker.process.pid, signal.SIGTERM)
        for worker in self.workers:
            worker.process.join(self.settings.limits.query_time + 5)
            if worker.process.is_alive():
                worker.process.kill()


def serve(settings: Settings, workers: int) -> None:
    """Serve the store at ``settings.store`` until SIGTERM or SIGINT."""
    with listening_socket(settings.host, settings.port) as sock, serving_lock(settings.store_path):
        Supervisor(settings, max(1, workers), sock).run()
