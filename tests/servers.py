"""Real SPARQL servers for the tests: an Oxigraph server and Virtuoso, on 127.0.0.1.

Each starts once per test session in a temporary folder and stops at its end. The Oxigraph
server comes with the PyPI package ``oxigraph`` (a dev dependency); Virtuoso is Debian's
``virtuoso-opensource``, which ``.ci/run`` installs. Without it the Virtuoso tests are
skipped on a developer's machine, and fail in CI.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.store.oxigraph import drop_graph
from kg.store.remote import Dialect, Endpoint, RemoteDataset, endpoint_for

VIRTUOSO_USER = "dba"  # the account a new Virtuoso database has
VIRTUOSO_PASSWORD = "dba"

_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 8
ServerThreads = 8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited ({process.returncode}): {log.read_text(errors='replace')[-2000:]}"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {seconds:g} s")


@contextlib.contextmanager
def _running(command: list[str], url: str, log: Path) -> Iterator[None]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, cwd=log.parent)
        try:
            _wait_until_up(url, process, log)
            yield
        finally:
            stop_server(process, patience=30)


def stop_server(process: subprocess.Popen[bytes], patience: float = 15) -> None:
    """Stop a server: asked to, then killed past ``patience`` seconds."""
    process.terminate()
    try:
        process.wait(patience)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _oxigraph_command() -> str:
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.fail("no `oxigraph` command: install the dev dependencies (make setup)")
    return found


@contextlib.contextmanager
def oxigraph_server(folder: Path) -> Iterator[Endpoint]:
    """``oxigraph serve`` on a free port, storing in ``folder``."""
    port = free_port()
    command = [
        _oxigraph_command(),
        "serve",
        "--location",
        str(folder / "data"),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    with _running(command, f"http://127.0.0.1:{port}/query", folder / "oxigraph.log"):
        yield endpoint_for(f"http://127.0.0.1:{port}", dialect=Dialect.oxigraph)


@contextlib.contextmanager
def virtuoso_server(folder: Path) -> Iterator[Endpoint]:
    """Virtuoso on free ports, its database in ``folder``."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        message = "Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(folder=folder, sql_port=free_port(), http_port=http_port))
    command = [binary, "+configfile", str(ini), "+foreground"]
    with _running(command, f"http://127.0.0.1:{http_port}/sparql", folder / "virtuoso.out"):
        yield endpoint_for(
            f"http://127.0.0.1:{http_port}/sparql",
            dialect=Dialect.virtuoso,
            user=VIRTUOSO_USER,
            password=VIRTUOSO_PASSWORD,
        )


def empty(endpoint: Endpoint) -> None:
    """Drop every graph kg may have written (a server's own graphs stay)."""
    dataset = RemoteDataset(endpoint)
    try:
        graphs = dataset.named_graphs()
        if graphs:
            dataset.update(" ;\n".join(drop_graph(g) for g in graphs))
    finally:
        dataset.close()


@pytest.fixture(scope="session")
def oxigraph_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def virtuoso_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as endpoint:
        yield endpoint
