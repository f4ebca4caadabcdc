"""The ``kg`` command line: thin commands over the library functions.

Every command accepts ``--store`` (default: ``$KG_STORE`` or ``data/store``),
exits non-zero on failure, and prints errors as one line on standard error.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from kg.api.results import NATIVE_SOLUTION_FORMATS
from kg.articles import expand_paths
from kg.config import get_settings
from kg.errors import KGError
from kg.queries import query_parameters
from kg.store import ExportFormat, OxigraphStore
from kg.store.bindings import parse_parameter
from kg.store.guard import is_update, on_deep_stack
from kg.store.remote import is_remote
from kg.store.search import SearchIndex

if TYPE_CHECKING:
    from kg.evaluation.scoring import ScoreReport
    from kg.ingest import IngestReport

# spaCy, rdflib and pySHACL take a second to import: the commands that need them
# import them, so that `kg serve` (whose workers re-import this module) and
# `kg query` start quickly.

__all__ = ["app"]

app = typer.Typer(
    help="Build and query the knowledge graph of Vietnamese Party-affairs news.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)  # messages carry paths: never wrap them
out = Console()

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        help="Store folder, or a SPARQL server's URL (http://127.0.0.1:7878 for an Oxigraph server)",
        show_default="$KG_STORE or data/store",
    ),
]


@contextmanager
def _edge(store: str | None = None, *, create: bool = False) -> Iterator[OxigraphStore]:
    """Open the store, close it afterwards, and turn kg's errors into a message and exit status 2."""
    try:
        opened = get_settings().open_store(store, create=create)
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    try:
        yield opened
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    finally:
        opened.close()


class RateColumn(ProgressColumn):
    """Articles a second over the last few seconds."""

    def render(self, task: Task) -> Text:
        return Text("" if task.speed is None else f"{task.speed:.0f} articles/s")


def _count_sources(paths: list[Path]) -> int:
    return sum(1 for _ in expand_paths(paths))


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Article files (.txt, .json, .jsonl) or folders of them")
    ],
    store: StoreOption = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Extraction processes", show_default="one per core"),
    ] = None,
    report_file: Annotated[
        Path | None, typer.Option("--report", help="Also write the final report to this file, as JSON")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Extract on this Dask cluster (tcp://host:8786) instead of --jobs"),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option(
            "--bulk",
            help="Load new articles with the bulk loader: faster, no transaction (after a crash, run again)",
        ),
    ] = False,
) -> None:
    """Ingest articles; an article already in the store is replaced."""
    from kg.ingest import default_jobs, ingest_paths

    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(
            f"[red]error:[/red] no such file or folder: {', '.join(map(str, missing))}", highlight=False
        )
        raise typer.Exit(2)
    started = time.monotonic()
    with (
        _edge(store, create=True) as kg,
        Progress(
            TextColumn("ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("skipped {task.fields[skipped]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("ingest", total=_count_sources(paths), skipped=0)
        report = ingest_paths(
            paths,
            kg,
            base_iri=get_settings().base_iri,
            on_article=lambda _, ingested: (
                progress.advance(task)
                if ingested
                else progress.update(task, advance=1, skipped=progress.tasks[task].fields["skipped"] + 1)
            ),
            gazetteer=get_settings().gazetteer,
            jobs=jobs or default_jobs(),
            scheduler=scheduler,
            bulk=bulk,
        )
        kg.flush()
        _update_search_index(kg, get_settings().search_index(store), report.changed)
    for failure in report.failed:
        err.print(f"[yellow]skipped[/yellow] {failure}", highlight=False)
    _summarize(report, time.monotonic() - started, report_file)
    if not report.ok:
        raise typer.Exit(1)


def _summarize(report: IngestReport, seconds: float, report_file: Path | None) -> None:
    """The ingest's counts and rate on standard error, by kind of input when there are several,
    and as JSON in ``report_file``."""
    kinds = sorted({kind for kind, _ in report.counts})
    by_kind = {kind: {o: report.counts[kind, o] for o in ("ingested", "skipped")} for kind in kinds}
    err.print(
        f"ingested {len(report.ingested)} article(s), skipped {len(report.failed)}, "
        f"in {seconds:.1f} s ({len(report.ingested) / max(seconds, 1e-9):.0f} articles/s)"
        + (
            " - "
            + ", ".join(f"{k}: {v['ingested']} ingested, {v['skipped']} skipped" for k, v in by_kind.items())
            if len(kinds) > 1
            else ""
        ),
        highlight=False,
    )
    if report_file is not None:
        summary = {
            "ingested": len(report.ingested),
            "skipped": len(report.failed),
            "seconds": round(seconds, 3),
            "articles_per_second": round(len(report.ingested) / max(seconds, 1e-9), 1),
            "by_kind": by_kind,
            "skipped_articles": [{"source": f.source, "reason": f.reason} for f in report.failed],
        }
        report_file.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _update_search_index(kg: OxigraphStore, path: Path, changed: set[str]) -> None:
    """Re-index what the ingest changed, or the whole store when that is cheaper (re-indexing
    one IRI costs about what five cost in a rebuild, measured) or there is no index yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = not path.exists()
    index = SearchIndex(path)
    try:
        if fresh or len(changed) * 5 > len(index):
            err.print(f"search index: {index.rebuild(kg.query)} entries", highlight=False)
        elif changed:
            index.refresh(kg.query, changed)
            err.print(f"search index: {len(changed)} IRIs refreshed", highlight=False)
    finally:
        index.close()


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Serialization")] = ExportFormat.nquads,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write", show_default="standard output")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export the graph: the whole dataset (N-Quads, TriG) or the union of its graphs (Turtle)."""
    with _edge(store) as kg, _quiet_when_the_reader_leaves():
        if output is None:
            kg.export(sys.stdout.buffer, fmt)
        else:
            kg.export(output, fmt)


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query")] = None,
    file: Annotated[Path | None, typer.Option("-f", "--file", help="Read the query from a .rq file")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="NAME=VALUE bound into the query (<iri>, 2021-01-31, 42, text)"),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query over the union of all graphs; -p binds the named query's parameters."""
    if (sparql is None) == (file is None):
        err.print("[red]error:[/red] give a query or -f FILE, not both or neither", highlight=False)
        raise typer.Exit(2)
    if fmt not in ("table", "csv", "json"):
        err.print(f"[red]error:[/red] unknown format {fmt!r}: use table, csv or json", highlight=False)
        raise typer.Exit(2)
    text = _read_query(file) if file is not None else str(sparql)
    if is_update(text):
        _fail(
            "kg query runs queries, not updates: change the store with `kg ingest`, or POST the update to /sparql of `kg serve`"
        )
    try:
        bindings = dict(parse_parameter(p) for p in param or [])
    except ValueError as exc:
        _fail(str(exc))
    unknown = sorted(set(bindings) - set(query_parameters(text)))
    if unknown:
        known = ", ".join(f"?{name}" for name in query_parameters(text)) or "none"
        _fail(f"the query has no parameter {', '.join(unknown)}; its parameters: {known}")
    with _edge(store) as kg, _quiet_when_the_reader_leaves():
        kg.policy = get_settings().query_policy()
        # Parsing and evaluating recurse deeply on shapes the guard lets through: not on the main thread.
        on_deep_stack(lambda: _run_and_print(kg, text, bindings, fmt))


def _run_and_print(
    kg: OxigraphStore, text: str, bindings: dict[str, ox.NamedNode | ox.Literal], fmt: str
) -> None:
    result = kg.run_named(text, bindings) if bindings else kg.query(text)
    try:
        _print_result(result, fmt)
        return
    except BrokenPipeError:
        pass
    # Raised here, not in the handler, so that no traceback keeps pyoxigraph's results alive: they
    # must be dropped on the thread that made them.
    del result
    raise BrokenPipeError("the reader of standard output left")


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(2)


def _read_query(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        _fail(f"cannot read the query file {file}: {reason}")


@contextmanager
def _quiet_when_the_reader_leaves() -> Iterator[None]:
    """End without a traceback when standard output is a pipe closed early (`kg export | head`)."""
    try:
        yield
    except (BrokenPipeError, KGError) as exc:
        if not isinstance(exc, BrokenPipeError) and not isinstance(exc.__cause__, BrokenPipeError):
            raise
        # Python flushes stdout again at exit, which would raise once more: point it at nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None


def _cell(term: object) -> str:
    if term is None:
        return ""
    return str(getattr(term, "value", term))


def _print_result(result: object, fmt: str) -> None:
    if isinstance(result, ox.QueryBoolean):
        print("true" if bool(result) else "false")
    elif isinstance(result, ox.QueryTriples):
        sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.TURTLE) or b"")
    elif isinstance(result, ox.QuerySolutions):
        # Written by Oxigraph, not row by row in Python: 190,000 rows in 1 s rather than 5.
        if fmt in ("json", "csv"):
            sys.stdout.flush()
            sys.stdout.buffer.write(result.serialize(format=NATIVE_SOLUTION_FORMATS[fmt]) or b"")
            if fmt == "json":
                print()
            return
        names = [v.value for v in result.variables]
        rows = [[_cell(row[name]) for name in names] for row in result]
        table = Table(*names)
        for row in rows:
            table.add_row(*row)
        out.print(table)
        out.print(f"{len(rows)} row(s)", highlight=False)


@app.command()
def stats(store: StoreOption = None, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Count instances per class and triples per graph."""
    with _edge(store) as kg:
        numbers = kg.statistics()
    if as_json:
        print(json.dumps({"classes": numbers.classes, "graphs": numbers.graphs}, indent=2))
        return
    classes = Table("class", "instances", title="Instances per class")
    for name, count in numbers.classes.items():
        classes.add_row(name, str(count))
    graphs = Table("graph", "triples", title="Triples per graph")
    for name, count in numbers.graphs.items():
        graphs.add_row(name, str(count))
    out.print(classes)
    out.print(graphs)
    out.print(f"{numbers.articles} article(s), {len(numbers.graphs)} graph(s)", highlight=False)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold YAML files")],
    corpus: Annotated[
        Path | None,
        typer.Option("--corpus", help="Ingest these articles into a fresh in-memory store and score that"),
    ] = None,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="List every miss and wrong fact")] = False,
    store: StoreOption = None,
) -> None:
    """Precision, recall and F1 per fact kind against gold facts."""
    from kg.evaluation.gold import load_gold
    from kg.evaluation.scoring import score_store
    from kg.ingest import ingest_paths

    if not gold.is_dir():
        err.print(f"[red]error:[/red] no gold folder at {gold}", highlight=False)
        raise typer.Exit(2)
    if corpus is not None:
        scored = OxigraphStore()
        ingest_paths([corpus], scored, base_iri=get_settings().base_iri, gazetteer=get_settings().gazetteer)
        present = {p.name for p in corpus.iterdir()} if corpus.is_dir() else {corpus.name}
        report = score_store(scored, load_gold(gold, present))
    else:
        with _edge(store) as kg:
            report = score_store(kg, load_gold(gold))
    _print_report(report, verbose)


def _print_report(report: ScoreReport, verbose: bool) -> None:
    print(f"{'fact':22} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}")
    for kind, s in [*report.scores.items(), ("overall", report.overall)]:
        print(f"{kind:22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5} {s.fp:5} {s.fn:5}")
    for name, items in report.splits.items():
        print(f"{name}: {len(items)}" + (f"  {items[:5]}" if items else ""))
    if verbose:
        for kind, (wrong, missed) in report.misses.items():
            for fact in missed:
                print(f"  {kind} false negative: {fact}")
            for fact in wrong:
                print(f"  {kind} false positive: {fact}")
    print(f"overall F1 {report.overall.f1:.3f}")


gazetteer_app = typer.Typer(
    help="The gazetteer of administrative units (before and after the 2025 reform).", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build(
    output: Annotated[
        Path | None, typer.Option("--output", help="File", show_default="$KG_GAZETTEER")
    ] = None,
    if_missing: Annotated[bool, typer.Option("--if-missing", help="Do nothing when the file exists")] = False,
) -> None:
    """Download vietnam-provinces 0.5.0 and 2025.10.1 with pip and write the gazetteer."""
    from kg.nlp.gazetteer import build_gazetteer

    target = output or get_settings().gazetteer
    if if_missing and target.is_file():
        err.print(f"gazetteer present: {target}", highlight=False)
        return
    try:
        count = build_gazetteer(target)
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    err.print(f"wrote {count} units to {target}", highlight=False)


@app.command()
def serve(
    store: StoreOption = None,
    host: Annotated[str | None, typer.Option(help="Interface", show_default="$KG_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Port", show_default="$KG_PORT or 8000")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Server processes", show_default="$KG_WORKERS or one per core")
    ] = None,
) -> None:
    """Serve the store: SPARQL endpoint, Graph Store, linked data."""
    settings = get_settings().model_copy(
        update={
            k: v
            for k, v in {"store": store, "host": host, "port": port, "workers": workers}.items()
            if v is not None
        }
    )
    remote = is_remote(settings.store)
    count = 1 if remote else settings.workers or os.cpu_count() or 1
    try:
        settings.open_store(create=True).close()
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    err.print(
        f"serving {settings.store} with {count} {'process' if remote else 'workers'}: "
        f"the query page at http://{settings.host}:{settings.port}/ "
        f"(SPARQL endpoint /sparql, API docs /docs; another port: --port or KG_PORT)",
        highlight=False,
    )
    try:
        if remote:
            from kg.serve.direct import serve_remote

            serve_remote(settings)
        else:
            from kg.serve.supervisor import serve as run_server

            run_server(settings, count)
    except KGError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    except OSError as exc:
        err.print(
            f"[red]error:[/red] cannot listen on {settings.host}:{settings.port}: {exc}", highlight=False
        )
        raise typer.Exit(2) from exc


@app.command(name="validate")
def validate_command(store: StoreOption = None) -> None:
    """Check the store against the SHACL shapes; exit 1 when it does not conform."""
    from kg.validate import validate_store

    with _edge(store) as kg:
        report = validate_store(kg)
    if report.conforms:
        out.print("valid: the store conforms to ontology/shapes.ttl", highlight=False)
        return
    out.print(report.text, highlight=False)
    err.print(f"[red]invalid:[/red] {report.violations} violation(s)", highlight=False)
    raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
