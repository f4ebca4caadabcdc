"""Search latency and the index's build time on a generated store, SQLite FTS5 beside tantivy.

    .venv/bin/python benchmarks/bench_search.py [--articles 20000] [--repeats 50]

Generates the store of bench_server.py (about 330 quads per article: 30 holdings, 2
meetings; 20,000 people all named "Nguyễn Văn N", 1,600 organs, 400 places), reads the
index entries once (``kg.store.search.entries``), and builds from them both the SQLite FTS5
index kg uses (``kg.store.search``) and a tantivy index (PyPI ``tantivy``) that answers the
same question: every word as a word or a word's start, the exact name first, then the most
mentioned, with counts per kind. Times queries from the narrowest to the broadest (every
person matches "nguyen") on both, in one run. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
from bench_server import generate

from kg.store.search import SearchIndex, entries, union_query
from kg.text import search_form

QUERIES = [
    "Nguyễn Văn 12345",
    "nguyen van 1234",
    "co quan 12",
    "phuong 57",
    "bai 1999",
    "nguyen",
    "van",
    "xyz",
]
Entry = tuple[str, str, str, int, str, str]
Search = Callable[[str], tuple[int, list[str]]]  # a query -> (hits, the first 20 IRIs)


def fts5(rows: Sequence[Entry], folder: Path) -> tuple[float, int, Search]:
    path = folder / "store.search.sqlite"
    index = SearchIndex(path)
    started = time.perf_counter()
    with index._db:  # the body of SearchIndex.rebuild, from rows read once for both engines
        index._insert(rows)
    built = time.perf_counter() - started
    index.close()
    reader = SearchIndex(path, read_only=True)

    def search(query: str) -> tuple[int, list[str]]:
        result = reader.search(query, limit=20)
        return result.total, [hit.iri for hit in result.hits]

    return built, path.stat().st_size, search


def tantivy_engine(rows: Sequence[Entry], folder: Path) -> tuple[float, int, Search]:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("iri", stored=True, tokenizer_name="raw")
    builder.add_text_field("kind", stored=True, fast=True, tokenizer_name="raw")
    builder.add_integer_field("mentions", stored=True, fast=True)
    builder.add_text_field("name", tokenizer_name="default", index_option="basic")
    builder.add_text_field("text", tokenizer_name="default", index_option="basic")
    builder.add_text_field("exact", tokenizer_name="raw", index_option="basic")
    schema = builder.build()
    path = folder / "tantivy"
    path.mkdir()
    started = time.perf_counter()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=200_000_000, num_threads=1)
    for iri, kind, _label, mentions, name, text in rows:
        writer.add_document(
            tantivy.Document(iri=iri, kind=kind, mentions=mentions, name=name, text=text, exact=name)
        )
    writer.commit()
    writer.wait_merging_threads()
    built = time.perf_counter() - started
    index.reload()
    searcher = index.searcher()
    size = sum(f.stat().st_size for f in path.iterdir())

    def search(query: str) -> tuple[int, list[str]]:
        words = search_form(query).split()
        if not words:
            return 0, []
        # Every word as a word's start, in the name or the text (the default tokenizer has
        # lower-cased the search forms as they were, so the regex sees what FTS5 sees).
        must = [
            (
                tantivy.Occur.Must,
                tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Should, tantivy.Query.regex_query(schema, field, _prefix(word)))
                        for field in ("name", "text")
                    ]
                ),
            )
            for word in words
        ]
        matching = tantivy.Query.boolean_query(must)
        ranked = searcher.search(matching, 20, order_by_field="mentions")
        searcher.aggregate(matching, {"kinds": {"terms": {"field": "kind"}}})  # the facets
        exact = searcher.search(tantivy.Query.term_query(schema, "exact", " ".join(words)), 20, count=False)
        first = [searcher.doc(address)["iri"][0] for _, address in exact.hits]
        rest = [searcher.doc(address)["iri"][0] for _, address in ranked.hits]
        return ranked.count or 0, list(dict.fromkeys(first + rest))[:20]

    return built, size, search


def _prefix(word: str) -> str:
    return "".join(c if c.isalnum() else "\\" + c for c in word) + ".*"


def timed(search: Search, query: str, repeats: int) -> tuple[int, list[float]]:
    times = []
    total = 0
    for _ in range(repeats):
        started = time.perf_counter()
        total, _ = search(query)
        times.append((time.perf_counter() - started) * 1000)
    return total, sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=50)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        store = ox.Store(str(folder / "store"))
        store.bulk_extend(generate(options.articles))
        print(
            f"store: {len(store):,} quads, {options.articles:,} articles in {time.perf_counter() - started:.0f} s"
        )
        started = time.perf_counter()
        rows = list(entries(union_query(store)))
        print(
            f"entries: {len(rows):,} read from the store in {time.perf_counter() - started:.1f} s (both engines)"
        )
        engines = {"fts5": fts5(rows, folder), "tantivy": tantivy_engine(rows, folder)}
        for engine, (built, size, _) in engines.items():
            print(f"{engine:<8} index built in {built:.1f} s, {size / 2**20:.0f} MiB")
        print(
            f"{'query':<18} {'engine':<8} {'hits':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  same top 20"
        )
        for query in QUERIES:
            tops = {engine: search(query)[1] for engine, (_, _, search) in engines.items()}
            for engine, (_, _, search) in engines.items():
                total, times = timed(search, query, options.repeats)
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                same = "yes" if set(tops[engine]) == set(tops["fts5"]) else "no"
                print(
                    f"{query:<18} {engine:<8} {total:>7,} {statistics.median(times):>8.2f} {p95:>8.2f} "
                    f"{times[-1]:>8.2f}  {same}"
                )


if __name__ == "__main__":
    main()
