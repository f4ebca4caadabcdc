"""`kg serve` against `oxigraph serve` (the same engine's Rust server), driven by wrk.

    .venv/bin/python benchmarks/bench_server.py [--articles 3000] [--seconds 10] [--rounds 3]

Generates one graph of about a million quads in a few thousand article graphs
(shaped like kg's data: articles, holdings, meetings, shared organs and
people), loads it into two copies of one store, serves one with each server,
and runs the same queries at concurrency 1, 8 and 32, after two seconds of
unmeasured load on each server, in alternating rounds. Prints the medians over
the rounds of requests per second, p50 and p99 latency, and of kg's throughput
as a fraction of Oxigraph's, with the lowest and highest fraction of a round.
Needs `wrk` (Debian package) and the PyPI package `oxigraph` (dev extras).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.ontology import ontology_quads
from kg.vocabulary import CPV, DCTERMS, ENTITY_GRAPH, FOAF, ORG, PROV, RDF, RDFS, XSD, code

BASE = "https://w3id.org/cpv-kg/id/"
Figures = tuple[float, float, float]  # requests per second, p50 and p99 latency in ms
ROLES = ["secretary", "deputy-secretary", "member", "chair", "vice-chair", "head"]
TYPES = ["party-committee", "peoples-council", "peoples-committee", "propaganda-department"]


def generate(articles: int) -> list[ox.Quad]:
    """About 330 quads per article: the article, 30 holdings, 2 meetings; shared entities once.

    With the ontology and its code lists, as `kg ingest` loads them: the REST queries need them.
    """
    quads: list[ox.Quad] = list(ontology_quads())
    organs = [ox.NamedNode(f"{BASE}organ/{t}-{i}") for i in range(400) for t in TYPES]
    people = [ox.NamedNode(f"{BASE}person/p{i}") for i in range(20_000)]
    for n, organ in enumerate(organs):
        unit = ox.NamedNode(f"{BASE}unit/u{n // 4}")
        quads += [
            ox.Quad(organ, RDF.type, CPV.Organ, ENTITY_GRAPH),
            ox.Quad(organ, CPV.organType, code("organ-type", TYPES[n % 4]), ENTITY_GRAPH),
            ox.Quad(organ, CPV.jurisdiction, unit, ENTITY_GRAPH),
            ox.Quad(organ, RDFS.label, ox.Literal(f"Cơ quan {n}", language="vi"), ENTITY_GRAPH),
            ox.Quad(unit, RDF.type, CPV.AdministrativeUnit, ENTITY_GRAPH),
            ox.Quad(unit, CPV.placeName, ox.Literal(f"Phường {n // 4}"), ENTITY_GRAPH),
        ]
    for n, person in enumerate(people):
        quads += [
            ox.Quad(person, RDF.type, CPV.Person, ENTITY_GRAPH),
            ox.Quad(person, FOAF.name, ox.Literal(f"Nguyễn Văn {n}"), ENTITY_GRAPH),
        ]
    for a in range(articles):
        article = ox.NamedNode(f"{BASE}article/a{a}")
        quads += [
            ox.Quad(article, RDF.type, CPV.Article, article),
            ox.Quad(article, DCTERMS.identifier, ox.Literal(f"a{a}.txt"), article),
            ox.Quad(article, DCTERMS.title, ox.Literal(f"Bài {a}", language="vi"), article),
        ]
        for h in range(30):
            holding = ox.NamedNode(f"{article.value}/holding/{h}")
            person, organ = people[(a * 30 + h) % len(people)], organs[(a + h) % len(organs)]
            quads += [
                ox.Quad(holding, RDF.type, CPV.PositionHolding, article),
                ox.Quad(holding, ORG.member, person, article),
                ox.Quad(holding, ORG.organization, organ, article),
                ox.Quad(holding, ORG.role, code("role", ROLES[h % len(ROLES)]), article),
                ox.Quad(holding, PROV.wasDerivedFrom, article, article),
                ox.Quad(holding, CPV.evidence, ox.Literal(f"Câu {a}-{h}.", language="vi"), article),
                ox.Quad(article, ox.NamedNode("http://schema.org/mentions"), person, article),
                ox.Quad(article, ox.NamedNode("http://schema.org/mentions"), organ, article),
            ]
        for m in range(2):
            meeting = ox.NamedNode(f"{article.value}/meeting/{m}")
            quads += [
                ox.Quad(meeting, RDF.type, CPV.Meeting, article),
                ox.Quad(meeting, CPV.date, ox.Literal(f"2021-0{1 + m}-1{a % 9}", datatype=XSD.date), article),
                ox.Quad(meeting, CPV.organizer, organs[a % len(organs)], article),
                ox.Quad(meeting, CPV.meetingKind, code("meeting-kind", "review"), article),
            ]
    return quads


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, connections: int, seconds: int, headers: tuple[str, ...] = ()) -> Figures:
    """Requests per second, p50 and p99 latency in ms. A URL ending in ``#fresh`` is driven by
    ``fresh_lookup.lua`` (a random person each request) on the path before the ``#``."""
    return _figures(_wrk(url, connections, seconds, headers), url, revalidating=bool(headers))


def warm_up(url: str) -> None:
    """Unmeasured load first: each worker's first requests fill caches and start threads."""
    _wrk(url, 8, 2)


def _wrk(url: str, connections: int, seconds: int, headers: tuple[str, ...] = ()) -> str:
    extra = [flag for header in headers for flag in ("-H", header)]
    script: list[str] = []
    if url.endswith("#fresh"):
        parts = urllib.parse.urlsplit(url.removesuffix("#fresh"))
        url = f"{parts.scheme}://{parts.netloc}/"
        script = ["-s", str(Path(__file__).with_name("fresh_lookup.lua"))]
        tail = ["--", f"{parts.path}?query="]
    else:
        tail = []
    return subprocess.run(
        [
            "wrk",
            "-t",
            str(min(connections, 2)),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--latency",
            # Heavy queries at 32 connections queue for seconds: measured, not dropped at wrk's 2 s.
            "--timeout",
            "60s",
            "-H",
            "Accept: application/sparql-results+json",
            *extra,
            *script,
            url,
            *tail,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _figures(out: str, url: str, revalidating: bool = False) -> Figures:
    def latency(label: str) -> float:
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors and not revalidating:  # wrk counts the 304s a revalidation expects with the errors
        print(f"    ({errors.group(1)} error responses from {url[:60]}...)")
    failures = re.search(r"Socket errors: (.*)", out)
    if failures:
        print(f"    (socket errors: {failures.group(1)} on {url[:60]}...)")
    return float(rate.group(1)) if rate else 0.0, latency("50"), latency("99")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="alternating kg/Oxigraph runs per cell")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    oxigraph = Path(sys.executable).with_name("oxigraph")
    if not oxigraph.exists():
        sys.exit("the oxigraph server is not installed: pip install oxigraph")
    with tempfile.TemporaryDirectory() as tmp:
        quads = generate(args.articles)
        print(f"{len(quads)} quads in {args.articles} article graphs")
        kg_store, ox_store = Path(tmp) / "kg", Path(tmp) / "ox"
        store = ox.Store(str(kg_store))
        store.bulk_extend(quads)
        store.flush()
        del store
        shutil.copytree(kg_store, ox_store)
        kg_port, ox_port = free_port(), free_port()
        env = {**os.environ, "KG_QUERY_TIMEOUT": "60", "KG_MAX_ROWS": "1000000"}
        log = (Path(tmp) / "kg-serve.log").open("wb")
        servers = [
            subprocess.Popen(
                [sys.executable, "-m", "kg.cli", "serve", "--store", str(kg_store), "--port", str(kg_port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            ),
            subprocess.Popen(
                [
                    str(oxigraph),
                    "serve",
                    "--location",
                    str(ox_store),
                    "--bind",
                    f"127.0.0.1:{ox_port}",
                    "--union-default-graph",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
        ]
        try:
            kg_url, ox_url = f"http://127.0.0.1:{kg_port}", f"http://127.0.0.1:{ox_port}"
            try:
                wait_for(kg_url + "/health")
            except RuntimeError:
                sys.exit("kg serve did not come up:\n" + (Path(tmp) / "kg-serve.log").read_text())
            wait_for(ox_url + "/query")
            run(kg_url, ox_url, args.seconds, args.rounds)
        finally:
            for server in servers:
                server.terminate()
                server.wait(30)


def _medians(figures: list[Figures]) -> Figures:
    rate, p50, p99 = (statistics.median(column) for column in zip(*figures, strict=True))
    return rate, p50, p99


def _round(
    kg: str, ox: str, connections: int, seconds: int, n: int, kg_headers: tuple[str, ...] = ()
) -> tuple[Figures, Figures]:
    """One run on each server, kg first in even rounds and Oxigraph first in odd ones, so that
    neither is always the one measured right after the other's load."""
    if n % 2:
        ox_figures = wrk(ox, connections, seconds)
        return wrk(kg, connections, seconds, kg_headers), ox_figures
    kg_figures = wrk(kg, connections, seconds, kg_headers)
    return kg_figures, wrk(ox, connections, seconds)


def _etag(url: str) -> str:
    """The ETag kg gives ``url``, for a client that revalidates its copy."""
    answer = httpx.get(url, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    return answer.headers["etag"]


def run(kg_url: str, ox_url: str, seconds: int, rounds: int) -> None:
    point = f"SELECT ?p ?o WHERE {{ <{BASE}person/p123> ?p ?o }}"
    article = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{BASE}article/a42> {{ ?s ?p ?o }} }}"
    count = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
    # An analyst's aggregate over every article graph: the articles that mention the most.
    mentions = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a <http://schema.org/mentions> ?x } } "
        "GROUP BY ?g ORDER BY DESC(?n) LIMIT 10"
    )
    # The REST page evaluates the whole named query (its total and its sort need every row),
    # so Oxigraph runs that same text.
    organs = (Path(__file__).resolve().parents[1] / "queries" / "api" / "organs.rq").read_text()
    cases = [
        (
            "point lookup",
            f"/sparql?query={urllib.parse.quote(point)}",
            f"/query?query={urllib.parse.quote(point)}",
        ),
        (
            "an article's facts",
            f"/sparql?query={urllib.parse.quote(article)}",
            f"/query?query={urllib.parse.quote(article)}",
        ),
        (
            "count per type",
            f"/sparql?query={urllib.parse.quote(count)}",
            f"/query?query={urllib.parse.quote(count)}",
        ),
        (
            "top mentioning",
            f"/sparql?query={urllib.parse.quote(mentions)}",
            f"/query?query={urllib.parse.quote(mentions)}",
        ),
        ("REST list page", "/api/v1/organs?limit=50", f"/query?query={urllib.parse.quote(organs)}"),
    ]
    # Point lookups that do not repeat (a random person each request): kept answers cannot help.
    cases.append(("point lookup, fresh", "/sparql#fresh", "/query#fresh"))
    # A dashboard refreshing: kg answers its conditional GET with 304 (kg.api.conditional),
    # Oxigraph runs the query again.
    revalidated = f"/sparql?query={urllib.parse.quote(count)}"
    conditional = {"count per type, revalidated (304)": (f"If-None-Match: {_etag(kg_url + revalidated)}",)}
    cases.append(
        ("count per type, revalidated (304)", revalidated, f"/query?query={urllib.parse.quote(count)}")
    )
    print(
        f"{'query':20} {'conc':>4} | {'kg req/s':>9} {'p50 ms':>7} {'p99 ms':>7} | "
        f"{'ox req/s':>9} {'p50 ms':>7} {'p99 ms':>7} | {'ratio':>5} {'rounds':>9}"
    )
    for name, kg_path, ox_path in cases:
        warm_up(kg_url + kg_path)
        warm_up(ox_url + ox_path)
        for connections in (1, 8, 32):
            # Alternating rounds, medians: a shared machine's slow spells hit both servers alike.
            pairs = [
                _round(kg_url + kg_path, ox_url + ox_path, connections, seconds, n, conditional.get(name, ()))
                for n in range(rounds)
            ]
            k, o = _medians([kg for kg, _ in pairs]), _medians([ox for _, ox in pairs])
            ratios = [kg[0] / ox[0] if ox[0] else float("nan") for kg, ox in pairs]
            print(
                f"{name:20} {connections:4} | {k[0]:9.0f} {k[1]:7.1f} {k[2]:7.1f} | "
                f"{o[0]:9.0f} {o[1]:7.1f} {o[2]:7.1f} | {statistics.median(ratios):5.2f} "
                f"{min(ratios):4.2f}-{max(ratios):4.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
