"""Ingest at scale, side by side in one run, on generated articles (``generate_articles.py``):

    .venv/bin/python benchmarks/bench_ingest_scale.py [--articles 20000] [--reingest 1000]

1. extraction alone, in one process (the first 2,000 articles); then the writer alone: 5,000
   articles read, extracted and mapped beforehand (as the extraction processes or Dask workers
   do), then resolved and written into a new on-disk store by the writer, in this process: the
   rate one writer can take, however many workers extract;
2. ``kg ingest`` with its defaults (every core) of the first half into a new on-disk store;
3. ``kg ingest`` of the second half into the same store;
4. ``kg ingest`` again of ``--reingest`` articles already in the store (each replaced);
5. ``kg ingest --bulk`` (pyoxigraph's bulk loader, no transaction) of the first half, then
   of the second half, into another new store.

Rates are articles a second of wall time, from each command's ``--report``, its start-up
(loading the pipelines) and the search index's rebuild included. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from generate_articles import write_articles

from kg.articles import Article, read_articles
from kg.config import DEFAULT_BASE_IRI
from kg.ingest import BatchWriter, Extracted, premap
from kg.nlp.pipeline import extract_all, load_pipeline
from kg.ontology import ontology_quads
from kg.records import Extraction
from kg.store import open_store

KG = Path(sys.executable).with_name("kg")


def extraction_alone(folder: Path, count: int) -> float:
    articles = [a for a in read_articles(sorted(folder.iterdir())[:count]) if isinstance(a, Article)]
    nlp = load_pipeline()
    started = time.perf_counter()
    for _ in extract_all(articles, nlp):
        pass
    return len(articles) / (time.perf_counter() - started)


def writer_alone(folder: Path, count: int, store: Path) -> float:
    """Articles a second the writer takes (resolution, the premapped graphs, the store's
    transactions), given what the extraction processes send it."""
    articles = [a for a in read_articles(sorted(folder.iterdir())[:count]) if isinstance(a, Article)]
    extracted: list[Extracted] = [
        premap(a, e, DEFAULT_BASE_IRI) for a, e in extract_all(articles, load_pipeline())
    ]
    target = open_store(store)
    target.load_ontology(ontology_quads())
    started = time.perf_counter()
    with ThreadPoolExecutor(1) as thread:
        batches = BatchWriter(target, DEFAULT_BASE_IRI, None, 64, False, thread)
        for article, extraction, premapped in extracted:
            assert isinstance(article, Article)
            assert isinstance(extraction, Extraction)
            batches.add(article, extraction, premapped)
        batches.finish()
    target.flush()
    seconds = time.perf_counter() - started
    target.close()
    return len(extracted) / seconds


def kg_ingest(folder: Path, store: Path, report: Path, *options: str) -> dict[str, float]:
    subprocess.run(
        [str(KG), "ingest", str(folder), "--store", str(store), "--report", str(report), *options], check=True
    )
    data: dict[str, float] = json.loads(report.read_text(encoding="utf-8"))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--reingest", type=int, default=1_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        paths = write_articles(options.articles, tmp / "all")
        half = len(paths) // 2
        parts = {"first": paths[:half], "second": paths[half:], "again": paths[: options.reingest]}
        for part, files in parts.items():
            (tmp / part).mkdir()
            for path in files:
                shutil.copy(path, tmp / part / path.name)
        rows = [("extraction alone, 1 process", extraction_alone(tmp / "all", 2_000), 2_000)]
        rows.append(
            ("the writer alone, into a new store", writer_alone(tmp / "all", 5_000, tmp / "writer"), 5_000)
        )
        store = tmp / "store"
        for part, label in (
            ("first", f"kg ingest, articles 1-{half:,}"),
            ("second", f"kg ingest, articles {half + 1:,}-{len(paths):,}"),
            ("again", f"kg ingest again, {options.reingest:,} already stored"),
        ):
            report = kg_ingest(tmp / part, store, tmp / f"{part}.json")
            rows.append((label, report["articles_per_second"], int(report["ingested"])))
        for part, label in (
            ("first", f"kg ingest --bulk, articles 1-{half:,}"),
            ("second", f"kg ingest --bulk, articles {half + 1:,}-{len(paths):,}"),
        ):
            report = kg_ingest(tmp / part, tmp / "bulk", tmp / f"bulk-{part}.json", "--bulk")
            rows.append((label, report["articles_per_second"], int(report["ingested"])))
        print(f"{'':44} {'articles/s':>11} {'articles':>9}")
        for label, rate, count in rows:
            print(f"{label:44} {rate:11.1f} {count:9,}")
        first, second, again, bulk_first, bulk_second = (row[1] for row in rows[2:7])
        print(f"second half / first half: {second / first:.2f}x; re-ingest / fresh: {again / first:.2f}x")
        print(
            f"bulk: second half / first half {bulk_second / bulk_first:.2f}x; bulk / defaults {bulk_first / first:.2f}x"
        )


if __name__ == "__main__":
    main()
