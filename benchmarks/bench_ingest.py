"""Articles per second for extraction alone and for ingest into an on-disk store.

    .venv/bin/python benchmarks/bench_ingest.py [--articles 1000]

The corpus is repeated (each copy a new article identifier) until there are
``--articles`` articles. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
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

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
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
