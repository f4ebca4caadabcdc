"""`kg ingest` and `kg serve` killed at random moments: every article graph is, after each kill,
absent or whole (as a clean ingest makes it, or as the interrupted write made it), never a mix."""

from __future__ import annotations

import contextlib
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
import pyoxigraph as ox
import pytest

from kg.config import DEFAULT_BASE_IRI
from kg.ingest import ingest_paths
from kg.store import open_store
from kg.vocabulary import ENTITY_GRAPH, ONTOLOGY_GRAPH, STORE_GRAPH

from ..api.conftest import TOKEN, start_server
from ..conftest import CORPUS

KILLS = 3
SEED = random.randrange(1 << 30)  # printed on failure, to replay the same moments


Graphs = dict[str, frozenset[str]]


def _article_graphs(path: Path) -> Graphs:
    """The triples of every article graph of the store at ``path`` (opened read-write, as the next
    `kg` command would: RocksDB recovers what was committed before the kill)."""
    store = _open_when_free(path)
    graphs: dict[str, set[str]] = {}
    for quad in store:
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph not in (ENTITY_GRAPH, ONTOLOGY_GRAPH, STORE_GRAPH):
            graphs.setdefault(graph.value, set()).add(f"{quad.subject} {quad.predicate} {quad.object}")
    del store  # closes RocksDB
    return {name: frozenset(triples) for name, triples in graphs.items()}


def _open_when_free(path: Path) -> ox.Store:
    """The store, once no process holds it: a writer the server forked just before the kill
    outlives it (orphaned, it finishes its one transaction) and holds the lock until then."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return ox.Store(str(path))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _kill_tree(popen: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and everything it started (a server's workers, forkserver and writer)."""
    process = psutil.Process(popen.pid)
    for member in [*process.children(recursive=True), process]:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.send_signal(signal.SIGKILL)
    popen.wait()


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    sources = sorted(CORPUS.glob("*.txt"))
    for i in range(60):
        (folder / f"{i:03d}_{sources[i % len(sources)].name}").write_bytes(
            sources[i % len(sources)].read_bytes()
        )
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, articles: Path) -> Graphs:
    path = tmp_path_factory.mktemp("clean") / "store"
    store = open_store(path)
    ingest_paths([articles], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    return _article_graphs(path)


def test_a_killed_ingest_leaves_every_article_absent_or_whole(
    tmp_path: Path, articles: Path, clean: Graphs
) -> None:
    moments = random.Random(SEED)
    store = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "ingest", str(articles), "--store", str(store)]
    for kill in range(KILLS):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moments.uniform(1.0, 4.0))
        _kill_tree(process)
        found = _article_graphs(store) if (store / "CURRENT").exists() else {}
        for name, triples in found.items():
            assert triples == clean[name], f"seed {SEED}, kill {kill}: {name} is half written"
    subprocess.run(command, check=True, capture_output=True)
    assert _article_graphs(store) == clean


def test_a_killed_server_leaves_every_written_graph_old_or_new(
    tmp_path: Path, articles: Path, clean: Graphs
) -> None:
    moments = random.Random(SEED + 1)
    store = tmp_path / "store"
    opened = open_store(store)
    ingest_paths([articles], opened, base_iri=DEFAULT_BASE_IRI)
    opened.close()
    names = sorted(clean)[:12]
    # The new version of each graph: its old triples and one more, written as one Graph Store PUT.
    new = {name: clean[name] | {f'<{name}> <http://example.org/revised> "yes"'} for name in names}
    for kill in range(KILLS):
        process, url = start_server(store, update_token=TOKEN, workers="2")
        auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}

        def write_all(url: str = url, auth: dict[str, str] = auth) -> None:
            for name in names:
                body = "".join(f"{t} .\n" for t in sorted(new[name])).encode()
                try:
                    httpx.put(url + "/store", params={"graph": name}, content=body, headers=auth, timeout=30)
                except httpx.HTTPError:
                    return  # the server is gone

        writer = threading.Thread(target=write_all)
        writer.start()
        time.sleep(moments.uniform(0.05, 1.5))
        _kill_tree(process)
        writer.join()
        found = _article_graphs(store)
        for name in clean:
            assert found.get(name) in (clean[name], new.get(name)), (
                f"seed {SEED}, kill {kill}: {name} is mixed"
            )


def test_a_killed_batched_reingest_leaves_every_article_old_or_new(tmp_path: Path) -> None:
    """Enough files for extraction processes and batches of many articles a transaction; each
    article's graph after a kill is its old version or its new one."""
    moments = random.Random(SEED + 2)
    folder = tmp_path / "articles"
    folder.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))
    for i in range(240):
        (folder / f"{i:03d}_{sources[i % len(sources)].name}").write_bytes(
            sources[i % len(sources)].read_bytes()
        )
    old = _clean_graphs(tmp_path / "old", folder)
    for path in folder.iterdir():  # the new version of every article: its title changed
        path.write_text("Bản mới: " + path.read_text(encoding="utf-8"), encoding="utf-8")
    new = _clean_graphs(tmp_path / "new", folder)
    store = tmp_path / "store"
    shutil.copytree(tmp_path / "old", store)
    command = [sys.executable, "-m", "kg.cli", "ingest", str(folder), "--store", str(store), "--jobs", "2"]
    for kill in range(KILLS):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(moments.uniform(2.0, 6.0))
        _kill_tree(process)
        found = _article_graphs(store)
        for name in old:
            assert found.get(name) in (old[name], new[name]), f"seed {SEED}, kill {kill}: {name} is mixed"
    subprocess.run(command, check=True, capture_output=True)
    assert _article_graphs(store) == new


def _clean_graphs(path: Path, folder: Path) -> Graphs:
    store = open_store(path)
    ingest_paths([folder], store, base_iri=DEFAULT_BASE_IRI)
    store.close()
    return _article_graphs(path)
