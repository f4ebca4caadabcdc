"""Ingest: read articles, extract their facts, map them to RDF and write them to the store.

Reading and extraction run on every core (``jobs`` processes, each with its own pipeline,
each taking whole files); one writer, this process, resolves people against the store,
maps the records to RDF and commits the articles in batches, one transaction a batch
(:meth:`~kg.store.oxigraph.OxigraphStore.replace_articles`): an interruption leaves every
article old or new, never half. An article that cannot be read or extracted is reported
in the :class:`IngestReport` with its source and skipped; the rest is ingested.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QuerySolutions

from kg.articles import (
    ARTICLE_SUFFIXES,
    HTML_SUFFIXES,
    WARC_SUFFIXES,
    Article,
    expand_paths,
    read_articles,
    read_path,
)
from kg.errors import ArticleError, ExtractionError, KGError
from kg.linking import (
    KnownPerson,
    NoPeople,
    PersonDirectory,
    Seat,
    first_keys,
    people_in,
    resolve_people,
    seats_of,
)
from kg.nlp.pipeline import extract, extract_all, load_pipeline
from kg.ontology import ontology_quads
from kg.queries import load_query
from kg.rdf.facts import map_extraction
from kg.rdf.iri import key_of
from kg.rdf.mapping import ArticleGraph, SerializedGraph, map_article
from kg.records import Extraction, PersonRef
from kg.store.base import TripleStore
from kg.store.bindings import bind_values

__all__ = [
    "BATCH_SIZE",
    "BULK_ARTICLES",
    "BatchWriter",
    "Extracted",
    "IngestPeople",
    "IngestReport",
    "Premapped",
    "StorePeople",
    "build_article_graph",
    "ingest_paths",
    "input_kind",
    "premap",
]

# Articles committed in one transaction: large enough that a commit's fixed cost is spread,
# small enough that the people of a batch are few to keep in memory.
BATCH_SIZE = 64


@dataclass(frozen=True)
class Premapped:
    """An article's graph, mapped by the process that extracted it with the keys its people get
    when the graph knows none of them (:func:`~kg.linking.first_keys`). The writer uses it when
    person resolution gives those keys, and maps the article again when it does not."""

    keys: dict[PersonRef, str]
    graph: SerializedGraph


Extracted = tuple[Article | ArticleError, Extraction | ExtractionError | None, Premapped | None]


@dataclass
class IngestReport:
    """Which articles went in and which were skipped, with why."""

    ingested: list[str] = field(default_factory=list)
    failed: list[ArticleError] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)  # IRIs whose description may have changed
    # Articles by the kind of input they came from (txt, json, jsonl, html, warc) and outcome.
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.failed


# An article's source is its file, then maybe its line (":3") or record ("#2 https://…").
_KIND = re.compile(
    "(" + "|".join(re.escape(s) for s in sorted(ARTICLE_SUFFIXES, key=len, reverse=True)) + r")(?=$|[:#\[ ])",
    re.IGNORECASE,
)
_KIND_OF_SUFFIX = {**dict.fromkeys(HTML_SUFFIXES, "html"), **dict.fromkeys(WARC_SUFFIXES, "warc")}


def input_kind(source: str) -> str:
    """The kind of input an article's source names: ``txt``, ``json``, ``jsonl``, ``html`` or
    ``warc`` (``a.jsonl:3``, ``crawl.warc.gz#2 https://…``); ``other`` for anything else.

    >>> input_kind("crawl.warc.gz#2 https://e.vn/a.html"), input_kind("b.jsonl:3"), input_kind("p.htm")
    ('warc', 'jsonl', 'html')
    """
    found = _KIND.search(source)
    if found is None:
        return "other"
    suffix = found.group(1).lower()
    return _KIND_OF_SUFFIX.get(suffix, suffix.lstrip("."))


def _day(article: Article) -> date | None:
    published = article.published
    return published.date() if isinstance(published, datetime) else published


def _map(article: Article, extraction: Extraction, keys: dict[PersonRef, str], base_iri: str) -> ArticleGraph:
    graph = map_article(article, base_iri)
    map_extraction(graph, extraction, article, base_iri, keys)
    return graph


def build_article_graph(
    article: Article,
    base_iri: str,
    people: PersonDirectory | None = None,
    extraction: Extraction | None = None,
) -> ArticleGraph:
    """Everything the store receives for one article: its node and its extracted facts (extracted
    here unless given), with each person resolved against ``people`` (who the graph holds)."""
    extraction = extraction if extraction is not None else extract(article)
    keys = dict(resolve_people(extraction, _day(article), people or NoPeople()))
    return _map(article, extraction, keys, base_iri)


class StorePeople:
    """The people a store holds, for person resolution (``queries/linking/people_named.rq``,
    then ``person_seats.rq``)."""

    def __init__(self, store: TripleStore) -> None:
        self.store = store

    def people_named(self, name: str) -> list[KnownPerson]:
        return self.people_named_any([name]).get(name, [])

    def names_in(self, articles: Iterable[NamedNode]) -> set[str]:
        """The names of the people ``articles`` name, as the store holds them."""
        wanted: list[NamedNode | Literal] = sorted(set(articles), key=str)
        if not wanted:
            return set()
        rows = self.store.query(bind_values(load_query("linking/people_of_articles"), {"article": wanted}))
        assert isinstance(rows, QuerySolutions)
        return {row["name"].value for row in rows}

    def people_named_any(self, names: Iterable[str]) -> dict[str, list[KnownPerson]]:
        """The people of each of ``names``, in two queries whatever the number of names."""
        wanted: list[NamedNode | Literal] = [Literal(name) for name in sorted(set(names))]
        if not wanted:
            return {}
        # A list of names binds one row each (kg.store.bindings).
        people = self.store.query(bind_values(load_query("linking/people_named"), {"name": wanted}))
        assert isinstance(people, QuerySolutions)
        named = [(row["name"].value, row["person"]) for row in people if isinstance(row["person"], NamedNode)]
        if not named:
            return {}
        seats: dict[str, set[Seat]] = {key_of(iri): set() for _, iri in named}
        iris: list[NamedNode | Literal] = sorted({iri for _, iri in named}, key=str)
        rows = self.store.query(bind_values(load_query("linking/person_seats"), {"person": iris}))
        assert isinstance(rows, QuerySolutions)
        for row in rows:
            role, organ_type, organ, day = row["role"], row["type"], row["organ"], row["day"]
            if isinstance(organ, NamedNode):
                year = int(day.value[:4]) if day is not None else None
                seats[key_of(row["person"])].add(Seat(role.value, organ_type.value, key_of(organ), year))
        found: dict[str, list[KnownPerson]] = {}
        for name, iri in sorted(named, key=lambda pair: (pair[0], pair[1].value)):
            found.setdefault(name, []).append(KnownPerson(key_of(iri), frozenset(seats[key_of(iri)])))
        return found


class IngestPeople:
    """The people of every name an ingest has met: read from the store the first time a batch
    names them, then kept up to date with whom the ingest resolved since. An article finds a
    person an earlier one named, as if each had been written alone, and a batch reads only the
    names no batch before it named: the reads follow the new names, not the store's size (a
    person's seats, read again for every batch naming them, grow with the archive).

    What is kept is right as long as this ingest is the store's only writer and only adds
    articles: :meth:`forget` the people of the articles a batch replaced, whose old seats leave
    the store with their old versions."""

    def __init__(self, store: StorePeople) -> None:
        self.store = store
        self.known: dict[str, dict[str, set[Seat]]] = {}  # name -> key -> seats

    def read(self, names: Iterable[str]) -> None:
        """Read from the store the people of those of ``names`` not known yet."""
        new = set(names) - self.known.keys()
        found = self.store.people_named_any(new)
        for name in new:
            self.known[name] = {k.key: set(k.seats) for k in found.get(name, [])}

    def people_named(self, name: str) -> list[KnownPerson]:
        if name not in self.known:
            self.read([name])
        return [KnownPerson(key, frozenset(seats)) for key, seats in sorted(self.known[name].items())]

    def learn(self, extraction: Extraction, day: date | None, keys: dict[PersonRef, str]) -> None:
        """Add the seats an article gives the people it names (resolved to ``keys``)."""
        for person, key in keys.items():
            if person.name not in self.known:
                self.read([person.name])
            self.known[person.name].setdefault(key, set()).update(seats_of(person, extraction, day))

    def forget(self, names: Iterable[str] | None = None) -> None:
        """Read ``names`` (every name when None) from the store again: what it holds of them
        changed in ways not learned here."""
        if names is None:
            self.known.clear()
        for name in names or ():
            self.known.pop(name, None)


# ------------------------------------------------------------------ extraction on every core

_worker_nlp = None  # each extraction process's pipeline, loaded once
# Starting a process and loading its pipeline takes about 2 s, the time to extract a few
# hundred articles: fewer files than this are extracted here.
_FILES_WORTH_A_POOL = 200


def _start_worker(gazetteer: Path | None) -> None:
    global _worker_nlp
    _worker_nlp = load_pipeline(gazetteer)


def _extract_files(paths: list[Path], base_iri: str, gazetteer: Path | None = None) -> list[Extracted]:
    """Read files, extract each of their articles and map it (in an extraction process or a
    Dask worker, which loads its pipeline on its first files)."""
    if _worker_nlp is None:
        _start_worker(gazetteer)
    items = [item for path in paths for item in read_path(path)]
    articles = [a for a in items if isinstance(a, Article)]
    extractions = iter(extract_all(articles, _worker_nlp))
    return [
        (item, None, None) if isinstance(item, ArticleError) else premap(*next(extractions), base_iri)
        for item in items
    ]


def premap(article: Article, extraction: Extraction | ExtractionError, base_iri: str) -> Extracted:
    """What an extraction process sends the writer for an article: the article, its extraction
    and its graph mapped with :func:`~kg.linking.first_keys` (:class:`Premapped`)."""
    if not isinstance(extraction, Extraction):
        return article, extraction, None
    keys = first_keys(extraction)
    try:
        graph = _map(article, extraction, keys, base_iri)
    except KGError:
        return article, extraction, None  # the writer maps it again, and reports why it cannot
    return article, extraction, Premapped(keys, SerializedGraph.of(graph))


def _extracted(
    paths: Sequence[Path], base_iri: str, gazetteer: Path | None, jobs: int, scheduler: str | None = None
) -> Iterator[Extracted]:
    """Every article of ``paths`` with its extraction (or the error), in the files' order, and,
    from other processes, its graph mapped there (which saves the writer's time; this process
    maps its own articles when it writes them)."""
    files = list(expand_paths(paths))
    if scheduler is not None:
        yield from _extracted_on_dask(files, base_iri, gazetteer, scheduler)
        return
    if jobs <= 1 or len(files) < _FILES_WORTH_A_POOL:
        unreadable: list[ArticleError] = []

        def readable() -> Iterator[Article]:
            for item in read_articles(files):
                if isinstance(item, ArticleError):
                    unreadable.append(item)
                else:
                    yield item

        for article, extraction in extract_all(readable(), load_pipeline(gazetteer)):
            yield from ((error, None, None) for error in unreadable)
            unreadable.clear()
            yield article, extraction, None
        yield from ((error, None, None) for error in unreadable)
        return
    # spawn, not fork: the writer holds the store's threads and file handles, which a forked
    # child must not share. A ProcessPoolExecutor rather than a multiprocessing.Pool, whose
    # worker-handling thread took a sixth of a core waking up for each one-article file.
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(gazetteer,),
    )
    try:
        yield from _in_order(
            lambda paths: pool.submit(_extract_files, paths, base_iri).result, files, 4 * jobs
        )
    finally:
        pool.shutdown(cancel_futures=True)


def _extracted_on_dask(
    files: list[Path], base_iri: str, gazetteer: Path | None, scheduler: str
) -> Iterator[Extracted]:
    """The files read, extracted and mapped by the workers of the Dask cluster at ``scheduler``,
    a parcel a task; the results come back in the files' order, with a bounded number of
    parcels in flight.

    The workers read the files by their paths: on a real cluster the paths must be on storage
    every worker sees, and each worker needs kg installed and the gazetteer
    (``kg gazetteer build``)."""
    from distributed import Client

    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        in_flight = max(8, 4 * sum(client.nthreads().values()))
        yield from _in_order(
            lambda paths: client.submit(_extract_files, paths, base_iri, gazetteer, pure=False).result,
            files,
            in_flight,
        )


# Files go to the extraction processes a parcel at a time: each task costs the writer's process a
# round trip (a message, a result to unpickle, the next task to send), which one-article files
# would pay for every article, leaving the processes waiting for work.
_PARCEL_FILES = 8
_PARCEL_BYTES = 256 * 1024
# How far extraction may run ahead of the writer: at least four parcels a process, and more while
# those in flight are small, so that the processes do not wait while the writer maps a whole
# batch; a folder of large JSONL files stays at four a process.
_AHEAD_PARCELS = 32
_AHEAD_BYTES = 16 * 1024 * 1024


def _parcels(files: Iterable[Path]) -> Iterator[tuple[list[Path], int]]:
    """``files`` in the order given, grouped into parcels, each with its size in bytes."""
    parcel: list[Path] = []
    size = 0
    for path in files:
        parcel.append(path)
        size += path.stat().st_size if path.is_file() else 0
        if len(parcel) >= _PARCEL_FILES or size >= _PARCEL_BYTES:
            yield parcel, size
            parcel, size = [], 0
    if parcel:
        yield parcel, size


def _in_order(
    submit: Callable[[list[Path]], Callable[[], list[Extracted]]], files: list[Path], in_flight: int
) -> Iterator[Extracted]:
    """The results of ``submit`` for each parcel of ``files``, in the files' order, with at most
    ``in_flight`` parcels submitted and not yet taken (up to ``_AHEAD_PARCELS`` while they hold
    under ``_AHEAD_BYTES``): the extractors run ahead of the writer, but only so far, and a
    million files never wait in memory."""
    pending: deque[tuple[int, Callable[[], list[Extracted]]]] = deque()
    waiting = _parcels(files)
    ahead = 0  # bytes of the parcels in flight

    def room() -> bool:
        return len(pending) < in_flight or (len(pending) < _AHEAD_PARCELS and ahead < _AHEAD_BYTES)

    following = next(waiting, None)
    while following is not None or pending:
        while following is not None and room():
            parcel, size = following
            pending.append((size, submit(parcel)))
            ahead += size
            following = next(waiting, None)
        size, results = pending.popleft()
        ahead -= size
        yield from results()


def default_jobs() -> int:
    """One extraction process per core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# ------------------------------------------------------------------ the writer


def ingest_paths(
    paths: Iterable[Path],
    store: TripleStore,
    *,
    base_iri: str,
    on_article: Callable[[str, bool], None] | None = None,
    gazetteer: Path | None = None,
    jobs: int = 1,
    batch_size: int = BATCH_SIZE,
    scheduler: str | None = None,
    bulk: bool = False,
) -> IngestReport:
    """Ingest files and folders of articles into ``store``; re-ingesting an article replaces it.

    ``jobs`` processes read and extract (1: this process alone), or, with ``scheduler`` (a
    Dask scheduler's address, ``tcp://host:8786``), the workers of that cluster; articles are
    committed ``batch_size`` at a time by this process, each batch in one transaction, or,
    with ``bulk``, by the store's bulk loader (faster, no transaction: after a crash, ingest
    the same files again). ``gazetteer`` is the gazetteer file (``$KG_GAZETTEER``; the default
    location when None).

    A batch is written on a thread while the next one is resolved and mapped: the store's
    writes release the GIL, so they take the time extraction leaves free rather than the
    writer's. At most one batch is being written at a time, in the files' order; a batch that
    replaces articles the store holds is written before the next one is resolved, which must
    not see the old versions' people (:class:`IngestPeople`)."""
    store.load_ontology(ontology_quads())
    with ThreadPoolExecutor(1, thread_name_prefix="kg-ingest-writer") as thread:
        batches = BatchWriter(store, base_iri, on_article, batch_size, bulk, thread)
        for item, extraction, premapped in _extracted(list(paths), base_iri, gazetteer, jobs, scheduler):
            if isinstance(item, ArticleError):
                batches.skip(item)
            elif not isinstance(extraction, Extraction):
                failure = extraction or ExtractionError(f"{item.source}: extraction failed")
                batches.skip(ArticleError(item.source, str(failure)))
            else:
                batches.add(item, extraction, premapped)
        return batches.finish()


# Articles the bulk loader takes at once: it writes sorted files that RocksDB then merges, and
# small loads (a batch each) left it merging for longer than the loads took.
BULK_ARTICLES = 2048


class BatchWriter:
    """The writer's side of an ingest: articles gathered into batches, each resolved against
    the people of the store and of the batches before it, mapped, and written on ``thread``
    while the next batch gathers; with ``bulk``, new articles are gathered further, into loads
    of :data:`BULK_ARTICLES` for the store's bulk loader. Give it each article with :meth:`add`
    (what could not be read with :meth:`skip`), in order, then take the report from :meth:`finish`."""

    def __init__(
        self,
        store: TripleStore,
        base_iri: str,
        on_article: Callable[[str, bool], None] | None,
        batch_size: int,
        bulk: bool,
        thread: ThreadPoolExecutor,
    ) -> None:
        self.store, self.base_iri, self.on_article = store, base_iri, on_article
        self.batch_size, self.thread = batch_size, thread
        self.bulk = bulk
        self.loading: dict[NamedNode, tuple[Article, ArticleGraph]] = {}  # new articles for the next load
        self.people = IngestPeople(StorePeople(store))
        self.report = IngestReport()
        self.extracted: list[tuple[Article, Extraction, Premapped | None]] = []
        self.writing: tuple[list[tuple[Article, ArticleGraph]], Future[set[str]]] | None = None

    def notify(self, source: str, ingested: bool) -> None:
        self.report.counts[input_kind(source), "ingested" if ingested else "skipped"] += 1
        if self.on_article is not None:
            self.on_article(source, ingested)

    def skip(self, error: ArticleError) -> None:
        self.report.failed.append(error)
        self.notify(error.source, False)

    def add(self, article: Article, extraction: Extraction, premapped: Premapped | None = None) -> None:
        self.extracted.append((article, extraction, premapped))
        if len(self.extracted) >= self.batch_size:
            self.write_batch()

    def finish(self) -> IngestReport:
        if self.extracted:
            self.write_batch()
        self.load()
        self.settle()
        return self.report

    def write_batch(self) -> None:
        people = self.people
        people.read(person.name for _, extraction, _ in self.extracted for person in people_in(extraction))
        graphs: list[tuple[Article, ArticleGraph]] = []
        for article, extraction, premapped in self.extracted:
            try:
                keys = dict(resolve_people(extraction, _day(article), people))
                if premapped is not None and premapped.keys == keys:
                    graphs.append((article, premapped.graph.graph()))
                else:
                    graphs.append((article, _map(article, extraction, keys, self.base_iri)))
                people.learn(extraction, _day(article), keys)
            except KGError as exc:
                self.skip(ArticleError(article.source, str(exc)))
        self.extracted.clear()
        written = {graph.iri for _, graph in self.writing[0]} if self.writing else set()
        if any(graph.iri in self.loading or graph.iri in written for _, graph in graphs):
            self.load()  # an article named twice: its first version goes in before the second
            self.settle()
        replaced = self.store.held_articles(graph.iri for _, graph in graphs)
        if self.bulk and not replaced:
            self.loading |= {graph.iri: (article, graph) for article, graph in graphs}
            if len(self.loading) >= BULK_ARTICLES:
                self.load()
            return
        stale = people.store.names_in(replaced)  # read before their old versions go
        self.load()
        self.submit(self.store.replace_articles, graphs)
        # The old versions' seats leave the store with this batch (unless it changed nothing, as
        # when an archive is ingested again unchanged): the next batch reads after it.
        if replaced and self.settle():
            people.forget(stale)

    def load(self) -> None:
        """Send the new articles gathered for the bulk loader."""
        if self.loading:
            self.submit(self.store.load_articles, list(self.loading.values()))
            self.loading = {}

    def submit(
        self, write: Callable[[list[ArticleGraph]], set[str]], graphs: list[tuple[Article, ArticleGraph]]
    ) -> None:
        self.settle()
        self.writing = graphs, self.thread.submit(write, [graph for _, graph in graphs])

    def settle(self) -> set[str]:
        """Wait for the batch being written, and report its articles; the IRIs it changed."""
        if self.writing is None:
            return set()
        graphs, written = self.writing
        self.writing = None
        changed, refused = set[str](), set[str]()
        try:
            changed = written.result()
            self.report.ingested += [article.identifier for article, _ in graphs]
        except KGError:
            # One article's graph the store refuses must not cost the batch: write them one by one.
            for article, graph in graphs:
                try:
                    changed |= self.store.replace_article(graph)
                    self.report.ingested.append(article.identifier)
                except KGError as exc:
                    self.report.failed.append(ArticleError(article.source, str(exc)))
                    refused.add(article.source)
            if refused:
                self.people.forget()  # what was learned of them is not in the store
        self.report.changed |= changed
        for article, _ in graphs:
            self.notify(article.source, article.source not in refused)
        return changed
