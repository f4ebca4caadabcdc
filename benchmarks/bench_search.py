"""Search latency and the index's build time on a generated store.

    .venv/bin/python benchmarks/bench_search.py [--articles 20000] [--repeats 50]

Generates the store of bench_server.py (about 330 quads per article: 30 holdings, 2
meetings; 20,000 people all named "Nguyễn Văn N", 1,600 organs, 400 places), builds
the SQLite FTS5 index (``kg.store.search``) and times queries from the narrowest to
the broadest (every person matches "nguyen"). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from bench_server import generate

from kg.store.search import SearchIndex, union_query

QUERIES = ["Nguyễn Văn 12345", "nguyen van 1234", "co quan 12", "phuong 57", "bai 1999", "nguyen", "van", "xyz"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=50)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        store = ox.Store(str(Path(folder) / "store"))
        store.bulk_extend(generate(options.articles))
        print(f"store: {len(store):,} quads, {options.articles:,} articles in {time.perf_counter() - started:.0f} s")
        index = SearchIndex(Path(folder) / "store.search.sqlite")
        started = time.perf_counter()
        entries = index.rebuild(union_query(store))
        built = time.perf_counter() - started
        size = (Path(folder) / "store.search.sqlite").stat().st_size
        print(f"index: {entries:,} entries built in {built:.1f} s, {size / 2**20:.0f} MiB")
        reader = SearchIndex(Path(folder) / "store.search.sqlite", read_only=True)
        print(f"{'query':<20} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for query in QUERIES:
            times = []
            for _ in range(options.repeats):
                started = time.perf_counter()
                result = reader.search(query, limit=20)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"{query:<20} {result.total:>7,} {statistics.median(times):>8.2f} {p95:>8.2f} {times[-1]:>8.2f}")


if __name__ == "__main__":
    main()
