"""Articles per second for extraction alone and for ingest into an on-disk store.

    .venv/bin/python benchmarks/bench_ingest.py [--articles 1000]
    .venv/bin/python benchmarks/bench_ingest.py --compare aa7d30a [--rounds 3]

The corpus is repeated (each copy a new article identifier) until there are
``--articles`` articles. Prints figures; asserts nothing.

``--compare REV`` measures extraction alone for this checkout and for commit
REV (checked out into a temporary git worktree), alternating the two in fresh
processes round after round, so that a noisy shared machine slows both alike;
it prints each round and the best of each side.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from kg.articles import Article, read_articles
from kg.config import DEFAULT_BASE_IRI
from kg.ingest import build_article_graph
from kg.nlp.pipeline import extract, load_pipeline
from kg.ontology import ontology_quads
from kg.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"

# Run in a child process against either checkout's sources: only APIs every revision has.
_EXTRACTION_ONLY = """
import sys, time
from dataclasses import replace
from pathlib import Path
from kg.articles import Article, read_articles
from kg.nlp.pipeline import extract, load_pipeline
count, corpus = int(sys.argv[1]), Path(sys.argv[2])
originals = [a for a in read_articles([corpus]) if isinstance(a, Article)]
batch = [replace(originals[i % len(originals)], identifier=f"{i:05d}") for i in range(count)]
load_pipeline()
extract(batch[0])
start = time.perf_counter()
for article in batch:
    extract(article)
print(count / (time.perf_counter() - start))
"""


def articles(count: int) -> list[Article]:
    originals = [a for a in read_articles([CORPUS]) if isinstance(a, Article)]
    return [
        replace(
            originals[i % len(originals)], identifier=f"{i:05d}_{originals[i % len(originals)].identifier}"
        )
        for i in range(count)
    ]


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:8.1f} articles/s  ({seconds * 1000 / count:.2f} ms each, {count} articles)"


def extraction_rate(sources: Path, count: int) -> float:
    """Articles per second of extraction alone with the ``kg`` package found under ``sources``."""
    env = {**os.environ, "PYTHONPATH": str(sources)}
    done = subprocess.run(
        [sys.executable, "-c", _EXTRACTION_ONLY, str(count), str(CORPUS)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def compare(revision: str, count: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "other"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(other), revision],
            check=True,
        )
        try:
            here, there = [], []
            for n in range(1, rounds + 1):
                there.append(extraction_rate(other / "src", count))
                here.append(extraction_rate(ROOT / "src", count))
                print(f"round {n}: {revision} {there[-1]:7.1f}   this checkout {here[-1]:7.1f} articles/s")
            print(
                f"extraction (1 core), best of {rounds}: {revision} {max(there):.1f}, "
                f"this checkout {max(here):.1f} articles/s ({max(here) / max(there):.2f}x)"
            )
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--compare", metavar="REV", help="compare extraction with this git revision")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args.articles, args.rounds)
        return
    batch = articles(args.articles)
    load_pipeline()
    extract(batch[0])  # warm caches (lexicon, gazetteer)

    start = time.perf_counter()
    for article in batch:
        extract(article)
    print("extraction (1 core)        ", rate(len(batch), time.perf_counter() - start))

    start = time.perf_counter()
    graphs = [build_article_graph(article, DEFAULT_BASE_IRI) for article in batch]
    print("extraction + RDF mapping   ", rate(len(batch), time.perf_counter() - start))

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store")
        store.load_ontology(ontology_quads())
        start = time.perf_counter()
        for graph in graphs:
            store.replace_article(graph)
        store.flush()
        print("store writes (on disk)     ", rate(len(batch), time.perf_counter() - start))

        store.close()
        store = open_store(Path(tmp) / "store2")
        store.load_ontology(ontology_quads())
        start = time.perf_counter()
        for article in batch:
            store.replace_article(build_article_graph(article, DEFAULT_BASE_IRI))
        store.flush()
        print("full ingest (on disk)      ", rate(len(batch), time.perf_counter() - start))
        print(f"store: {len(store)} quads")
        store.close()


if __name__ == "__main__":
    main()
