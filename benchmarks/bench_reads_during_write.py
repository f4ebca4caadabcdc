"""Latency of cheap reads on `kg serve` while nothing is written, and while a large write runs.

    .venv/bin/python benchmarks/bench_reads_during_write.py [--triples 150000] [--rounds 3]

Serves the corpus with two workers, then in each round times cheap reads (an ASK and a
REST page) one after another for a few seconds with no write, then while a Graph Store PUT
of ``--triples`` triples runs. Prints the median and 95th percentile of each side and their
ratio. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from kg.config import DEFAULT_BASE_IRI
from kg.ingest import ingest_paths
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "bench-token"
READS = [
    ("POST", "/sparql", {"query": "ASK { ?s a <https://w3id.org/cpv-kg/ontology#Person> }"}),
    ("GET", "/api/v1/people", {"limit": "5"}),
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _port()
    env = {**os.environ, "KG_UPDATE_TOKEN": TOKEN, "KG_WORKERS": "2"}
    command = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/health").status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def _read_latencies(url: str, until: threading.Event | float) -> list[float]:
    """Seconds per read, reads one after another, until the event is set or the time has passed."""
    times: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as client:
        while not (until.is_set() if isinstance(until, threading.Event) else time.monotonic() > until):
            method, path, params = READS[len(times) % len(READS)]
            started = time.perf_counter()
            answer = (
                client.request(method, path, data=params)
                if method == "POST"
                else client.get(path, params=params)
            )
            times.append(time.perf_counter() - started)
            answer.raise_for_status()
    return times


def _figures(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{len(times):5d} reads  p50 {statistics.median(times) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=150_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    body = "".join(
        f'<http://example.org/s{n}> <http://example.org/p> "value {n}" .\n' for n in range(options.triples)
    ).encode()
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        opened = open_store(store)
        ingest_paths([ROOT / "corpus"], opened, base_iri=DEFAULT_BASE_IRI)
        opened.close()
        process, url = _serve(store)
        try:
            for round_number in range(1, options.rounds + 1):
                quiet = _read_latencies(url, time.monotonic() + 3)
                done = threading.Event()
                headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/n-triples"}
                graph = f"http://example.org/bench{round_number}"

                def write(
                    graph: str = graph, headers: dict[str, str] = headers, done: threading.Event = done
                ) -> None:
                    started = time.perf_counter()
                    answer = httpx.put(
                        url + "/store", params={"graph": graph}, content=body, headers=headers, timeout=300
                    )
                    print(f"  the write: {answer.status_code} in {time.perf_counter() - started:.1f} s")
                    done.set()

                writer = threading.Thread(target=write)
                writer.start()
                during = _read_latencies(url, done)
                writer.join()
                ratio = statistics.median(during) / statistics.median(quiet)
                print(f"round {round_number}: no write {_figures(quiet)}")
                print(f"         during a write {_figures(during)}  (p50 {ratio:.2f}x)")
        finally:
            process.terminate()
            process.wait()


if __name__ == "__main__":
    main()
