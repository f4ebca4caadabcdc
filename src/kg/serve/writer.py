"""Writes to the on-disk store, each in a child process that can be killed.

pyoxigraph cannot cancel an update and a thread cannot be stopped, so a write
runs in a process of its own that opens the store read-write, applies the one
request in one transaction and exits. Past the time limit the process is
killed; RocksDB then recovers the store as it was before the write, or after
it, if the write committed just before the kill.

So that the answer always says which, every write carries a mark (a fresh
``urn:uuid:``) that the same transaction records as the store's last write
(:func:`~kg.serve.operations.write_applied`). A writer that was killed or died
is followed by a second child that reads the mark back: the write is then
answered as applied, or as stopped with nothing of it applied.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import shutil
import signal
import uuid
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg.api.engine import Answer, Args
from kg.errors import StoreError
from kg.serve.operations import WRITE_KINDS, answer, write_applied, written_graph
from kg.store.guard import DEFAULT_POLICY, QueryPolicy, on_deep_stack
from kg.store.search import follow_write, graph_iris, index_path, union_query

__all__ = ["make_snapshot", "run_write"]

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_READ_BACK_LIMIT = 60.0  # seconds to open the store and read one triple, however large the store


def _snapshot(store: ox.Store, target: str) -> None:
    """A checkpoint of ``store`` at ``target`` (hard links to its files: milliseconds, whatever its size).

    RocksDB builds it in ``target.tmp`` and renames it at the end: ``target`` exists only whole.
    """
    shutil.rmtree(target + ".tmp", ignore_errors=True)  # left by a writer killed while linking
    if not Path(target).exists():
        store.backup(target)


def _apply(path: str, kind: str, args: Args, policy: QueryPolicy, snapshot: str | None) -> Answer:
    store = ox.Store(path)
    graph = written_graph(kind, args)
    before = graph_iris(union_query(store), graph)
    result = answer(store, kind, args, policy=policy)
    store.flush()
    if result[0] == "ok":
        _update_search(store, path, graph, before)
        if snapshot:
            _snapshot(store, snapshot)
    return result  # dropping the store closes RocksDB


def _update_search(store: ox.Store, path: str, graph: str | None, before: set[str]) -> None:
    follow_write(index_path(Path(path)), union_query(store), graph, before)


def _die_with_parent() -> None:
    """Have Linux kill this process when its parent dies (PR_SET_PDEATHSIG): a writer whose
    server was killed must not run on unsupervised, past its limit, holding the store."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _write_once(
    path: str, kind: str, args: Args, policy: QueryPolicy, snapshot: str | None, connection: Connection
) -> None:
    _die_with_parent()
    # Off the main thread: an update the guard lets through may recurse deeper than its stack.
    connection.send(on_deep_stack(lambda: _apply(path, kind, args, policy, snapshot)))


def run_write(
    path: Path,
    kind: str,
    args: Args,
    timeout: float,
    *,
    start_method: Literal["spawn", "forkserver"] = "spawn",
    policy: QueryPolicy = DEFAULT_POLICY,
    snapshot: Path | None = None,
) -> Answer:
    """Apply one write request to the store at ``path``; ("timeout", message, "") past ``timeout``.

    With ``snapshot``, a write that was applied leaves a checkpoint of the new state there.

    A fresh interpreter takes a second to import kg; the server passes "forkserver",
    whose children start in a few milliseconds from a clean process with kg imported.
    (Plain "fork" is no option once RocksDB has run in the parent: its background
    threads do not survive a fork, and the child's flush would wait for them forever.)
    """
    if kind not in WRITE_KINDS:
        raise ValueError(f"{kind} is not a write")
    context = _context(start_method)
    mark = f"urn:uuid:{uuid.uuid4()}"
    target = str(snapshot) if snapshot else None
    answered = _in_child(
        context, _write_once, (str(path), kind, {**args, "mark": mark}, policy, target), timeout
    )
    if answered is not None:
        return answered
    # Killed at the limit, or died: the write may have committed just before. Its mark says.
    applied = _in_child(context, _read_mark, (str(path), mark, target), _READ_BACK_LIMIT)
    if applied == ("ok", b"applied", ""):
        return "ok", b"updated", "text/plain"
    if applied == ("ok", b"not applied", ""):
        return (
            "timeout",
            f"the write ran longer than {timeout:g} s and was stopped; nothing of it was applied",
            "",
        )
    return "store", "the writer process died and what it did could not be read back", ""


def _in_child(
    context: SpawnContext | ForkServerContext,
    target: Callable[..., None],
    args: tuple[object, ...],
    timeout: float,
) -> Answer | None:
    """Run ``target(*args, connection)`` in a child process; what it sent, or None if it sent
    nothing within ``timeout`` (it is then killed) or died first."""
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(*args, sending), daemon=True)
    process.start()
    sending.close()
    try:
        if not receiving.poll(timeout):
            process.kill()
        process.join()
        # What it sent before it was killed counts: the answer may have crossed the deadline.
        if receiving.poll(0):
            with contextlib.suppress(EOFError):
                answer: Answer = receiving.recv()
                return answer
        return None
    finally:
        process.join()
        receiving.close()


def _read_mark(path: str, mark: str, snapshot: str | None, connection: Connection) -> None:
    store = ox.Store(path)  # read-write: opening replays what the killed writer committed
    applied = write_applied(store, mark)
    if applied:  # the killed writer may not have reached the index
        _update_search(store, path, None, set())
    if applied and snapshot:
        _snapshot(store, snapshot)
    connection.send(("ok", b"applied" if applied else b"not applied", ""))


def _snapshot_once(path: str, target: str, connection: Connection) -> None:
    store = ox.Store(path)
    _snapshot(store, target)
    if not index_path(Path(path)).exists():  # a store ingested before search existed
        _update_search(store, path, None, set())
    connection.send(("ok", b"", ""))


def make_snapshot(
    path: Path, target: Path, *, start_method: Literal["spawn", "forkserver"] = "spawn"
) -> None:
    """Checkpoint the store at ``path`` into ``target``, in a child process (RocksDB stays out of
    the caller, which forks)."""
    answered = _in_child(_context(start_method), _snapshot_once, (str(path), str(target)), _READ_BACK_LIMIT)
    if answered is None:
        raise StoreError(f"could not checkpoint the store at {path} into {target}")


def _context(start_method: Literal["spawn", "forkserver"]) -> SpawnContext | ForkServerContext:
    if start_method == "forkserver":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")
