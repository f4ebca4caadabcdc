"""Named queries, list pages and detail views on a large generated store, in one table:

    .venv/bin/python benchmarks/bench_named_queries.py [--articles 20000] [--store data/bench-20k]

1. generates ``--articles`` articles (``generate_articles.py``) and ingests them into
   ``--store``, unless the store is there already;
2. runs every named query of ``queries/`` with ``kg query -f`` unbound, and bound to one
   subject where it has parameters (the most-named person, organ, document...), each stopped
   past ``--limit`` seconds;
3. starts ``kg serve`` on the store and reads every REST list's first page, and the detail
   (REST and HTML) of the most-named organ and person.

Times are wall seconds, the command's start-up included for ``kg query`` (printed apart).
Targets (issue 14): a bound named query under 0.5 s, an unbound one under 10 s, a list page
or a detail under 0.5 s and 1 MB. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from generate_articles import write_articles

ROOT = Path(__file__).resolve().parents[1]
KG = Path(sys.executable).with_name("kg")
LISTS = ("organs", "people", "congresses", "documents", "meetings", "articles")

# How to find, in the store, the value a parameter is bound to: the subject most named.
SAMPLES = {
    "person": "SELECT ?v WHERE { ?h org:member ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) LIMIT 1",
    "organ": "SELECT ?v WHERE { ?h org:organization ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) LIMIT 1",
    "subject": "SELECT ?v WHERE { ?h org:organization ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) LIMIT 1",
    "parent": "SELECT ?v WHERE { ?c org:subOrganizationOf ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) LIMIT 1",
    "issuer": "SELECT ?v WHERE { ?d cpv:issuedBy ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) LIMIT 1",
    "document": "SELECT ?v WHERE { ?m cpv:concerns ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) LIMIT 1",
    "placeName": "SELECT ?v WHERE { ?u a cpv:AdministrativeUnit ; rdfs:label ?v } LIMIT 1",
    "identifier": "SELECT ?v WHERE { ?a a cpv:Article ; dcterms:identifier ?v } LIMIT 1",
    "text": 'SELECT ("nguyen" AS ?v) WHERE {}',
    "role": 'SELECT ("secretary" AS ?v) WHERE {}',
    "type": 'SELECT ("party-committee" AS ?v) WHERE {}',
}


def run(*args: str, limit: float) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        done = subprocess.run([str(KG), *args], capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return limit, "stopped"
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return seconds, "failed: " + done.stderr.strip().splitlines()[-1]
    return seconds, f"{max(len(done.stdout.splitlines()) - 1, 0)} rows"


def sample(store: Path, parameter: str) -> str | None:
    text = SAMPLES.get(parameter)
    if text is None:
        return None
    done = subprocess.run(
        [str(KG), "query", text, "--store", str(store), "--format", "csv"], capture_output=True, text=True
    )
    lines = done.stdout.splitlines()
    if done.returncode != 0 or len(lines) < 2:
        return None
    value = lines[1]
    return f"<{value}>" if value.startswith("http") else value


def named_queries(store: Path, limit: float) -> None:
    from kg.queries import query_parameters

    started = time.perf_counter()
    subprocess.run([str(KG), "query", "ASK {}", "--store", str(store)], capture_output=True, check=True)
    print(f"\n`kg query` start-up: {time.perf_counter() - started:.2f} s (in every figure below)")
    print("\n| named query | unbound (s) | rows | bound to | bound (s) | rows |\n|---|---|---|---|---|---|")
    for path in sorted((ROOT / "queries").glob("*.rq")):
        unbound, rows = run("query", "-f", str(path), "--store", str(store), "--format", "csv", limit=limit)
        cells = [path.stem, f"{unbound:.2f}", rows, "", "", ""]
        for parameter in query_parameters(path.read_text(encoding="utf-8")):
            value = sample(store, parameter)
            if value is None:
                continue
            bound, bound_rows = run(
                "query", "-f", str(path), "-p", f"{parameter}={value}", "--store", str(store),
                "--format", "csv", limit=limit,
            )  # fmt: skip
            cells[3:] = [f"?{parameter}", f"{bound:.2f}", bound_rows]
            break
        print("| " + " | ".join(cells) + " |")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pages(store: Path) -> None:
    organ, person = sample(store, "organ"), sample(store, "person")  # before the server locks the store
    port = _free_port()
    server = subprocess.Popen(
        [str(KG), "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "KG_QUERY_TIMEOUT": "120"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        targets = [f"/api/v1/{name}?limit=50" for name in LISTS]
        for iri in (organ, person):
            if iri:
                path = iri.strip("<>").split("/id/", 1)[1]
                targets += [f"/api/v1/{path}", f"/id/{path}"]
        print("\n| page | first read (s) | again (s) | size (KB) |\n|---|---|---|---|")
        with httpx.Client(base_url=base, timeout=180) as client:
            for target in targets:
                headers = {"Accept": "text/html"} if target.startswith("/id/") else {}
                started = time.perf_counter()
                response = client.get(target, headers=headers)
                first = time.perf_counter() - started
                started = time.perf_counter()
                client.get(target, headers=headers)
                again = time.perf_counter() - started
                status = "" if response.status_code == 200 else f" ({response.status_code})"
                print(
                    f"| {target}{status} | {first:.3f} | {again:.3f} | {len(response.content) / 1024:.0f} |"
                )
    finally:
        server.terminate()
        server.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "bench-20k")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a query is stopped")
    args = parser.parse_args()
    if not (args.store / "CURRENT").exists():
        with tempfile.TemporaryDirectory() as folder:
            print(f"generating {args.articles} articles and ingesting them into {args.store} ...", flush=True)
            write_articles(args.articles, Path(folder))
            subprocess.run([str(KG), "ingest", folder, "--store", str(args.store)], check=True)
    named_queries(args.store, args.limit)
    pages(args.store)


if __name__ == "__main__":
    main()
