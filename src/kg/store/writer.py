"""Writes to the on-disk store, each in a child process that can be killed.

pyoxigraph cannot cancel an update and a thread cannot be stopped, so a write
runs in a process of its own that opens the store read-write, applies the one
request in one transaction and exits. Past the time limit the process is
killed; RocksDB then recovers the store as it was before the write.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg.store.operations import WRITE_KINDS, Answer, Args, answer

__all__ = ["run_write"]


def _write_once(path: str, kind: str, args: Args, connection: Connection) -> None:
    store = ox.Store(path)
    result = answer(store, kind, args)
    store.flush()
    del store  # closes RocksDB before the server lets its readers reopen
    connection.send(result)


def run_write(
    path: Path,
    kind: str,
    args: Args,
    timeout: float,
    *,
    start_method: Literal["spawn", "forkserver"] = "spawn",
) -> Answer:
    """Apply one write request to the store at ``path``; ("timeout", message, "") past ``timeout``.

    A fresh interpreter takes a second to import kg; the server passes "forkserver",
    whose children start in a few milliseconds from a clean process with kg imported.
    (Plain "fork" is no option once RocksDB has run in the parent: its background
    threads do not survive a fork, and the child's flush would wait for them forever.)
    """
    if kind not in WRITE_KINDS:
        raise ValueError(f"{kind} is not a write")
    context: SpawnContext | ForkServerContext
    if start_method == "forkserver":
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
    else:
        context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_write_once, args=(str(path), kind, args, sending), daemon=True)
    process.start()
    sending.close()
    try:
        if not receiving.poll(timeout):
            process.kill()
            return "timeout", f"the write ran longer than {timeout:g} s and was stopped", ""
        try:
            result: Answer = receiving.recv()
        except EOFError:
            return "store", f"the writer process died (exit code {process.exitcode})", ""
        return result
    finally:
        process.join()
        receiving.close()
