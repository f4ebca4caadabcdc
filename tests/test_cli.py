"""The kg command line, through typer's runner and as a real subprocess."""

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import open_store

runner = CliRunner()


def kg(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def ingested(tmp_path, corpus) -> Path:
    path = tmp_path / "store"
    result = kg("ingest", str(corpus), "--store", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_every_command_has_help():
    for command in ("ingest", "export", "query", "stats", "validate"):
        result = kg(command, "--help")
        assert result.exit_code == 0
        assert "--store" in result.output


def test_ingest_then_stats_shows_five_articles(ingested):
    result = kg("stats", "--store", str(ingested), "--json")
    numbers = json.loads(result.output)
    assert numbers["classes"]["https://w3id.org/cpv-kg/ontology#Article"] == 5
    assert "https://w3id.org/cpv-kg/graph/ontology" in numbers["graphs"]


def test_reingest_changes_nothing(ingested, corpus):
    before = kg("export", "--store", str(ingested), "--format", "nquads").output
    assert kg("ingest", str(corpus), "--store", str(ingested)).exit_code == 0
    after = kg("export", "--store", str(ingested), "--format", "nquads").output
    assert sorted(before.splitlines()) == sorted(after.splitlines())


def test_validate_is_clean(ingested):
    result = kg("validate", "--store", str(ingested))
    assert result.exit_code == 0
    assert "conforms" in result.output


def test_broken_article_is_reported_and_the_rest_ingested(tmp_path, corpus):
    folder = tmp_path / "articles"
    shutil.copytree(corpus, folder)
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00\x01binary")
    (folder / "empty.txt").write_text("")
    store = tmp_path / "store"
    result = kg("ingest", str(folder), "--store", str(store))
    assert result.exit_code == 1
    assert "broken.txt" in result.output and "empty.txt" in result.output
    assert "ingested 5 article(s), skipped 2" in result.output
    numbers = json.loads(kg("stats", "--store", str(store), "--json").output)
    assert numbers["classes"]["https://w3id.org/cpv-kg/ontology#Article"] == 5


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG), ("turtle", ox.RdfFormat.TURTLE)],
)
def test_export_to_file(ingested, tmp_path, fmt, rdf_format):
    output = tmp_path / f"graph.{fmt}"
    assert kg("export", "--store", str(ingested), "--format", fmt, "--output", str(output)).exit_code == 0
    assert len(list(ox.parse(path=str(output), format=rdf_format))) > 800


def test_query_formats(ingested, tmp_path):
    sparql = "SELECT ?id WHERE { ?a a cpv:Article ; dcterms:identifier ?id } ORDER BY ?id"
    table = kg("query", sparql, "--store", str(ingested))
    assert "000_4c83d0c81348116c.txt" in table.output and "5 row(s)" in table.output
    rows = list(
        csv.reader(io.StringIO(kg("query", sparql, "--store", str(ingested), "--format", "csv").output))
    )
    assert rows[0] == ["id"] and len(rows) == 6
    data = json.loads(kg("query", sparql, "--store", str(ingested), "--format", "json").output)
    assert len(data["results"]["bindings"]) == 5
    query_file = tmp_path / "ask.rq"
    query_file.write_text("ASK { ?a a cpv:Article }")
    assert kg("query", "-f", str(query_file), "--store", str(ingested)).output.strip() == "true"


def test_malformed_query_exits_non_zero_with_the_parser_message(ingested):
    result = kg("query", "SELECT ?x WHERE { ?x }", "--store", str(ingested))
    assert result.exit_code == 2
    assert "error at" in result.output


def test_a_missing_query_file_is_one_line(tmp_path):
    result = kg("query", "-f", str(tmp_path / "absent.rq"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: cannot read the query file {tmp_path / 'absent.rq'}: No such file or directory"
    ]


def test_an_unknown_parameter_lists_the_query_parameters(ingested, tmp_path):
    named = tmp_path / "by_organ.rq"
    named.write_text("# Parameters: ?organ (IRI), ?year.\nSELECT * WHERE { ?organ ?p ?year }")
    result = kg("query", "-f", str(named), "-p", "organs=<http://e/x>", "--store", str(ingested))
    assert result.exit_code == 2
    assert "no parameter organs; its parameters: ?organ, ?year" in result.output
    # Without a header, every variable of the query is a parameter.
    result = kg("query", "SELECT ?s WHERE { ?s ?p ?o }", "-p", "x=1", "--store", str(ingested))
    assert "its parameters: ?o, ?p, ?s" in result.output


def test_an_undeclared_prefix_is_named_shortly(ingested):
    result = kg("query", "SELECT * WHERE { ?s geo:lat ?o }", "--store", str(ingested))
    assert result.exit_code == 2
    assert "undeclared prefix geo: at 1:" in result.output
    assert "\\u{" not in result.output and len(result.output.splitlines()) == 1
    # The vocabulary's own prefixes need no declaration.
    assert kg("query", "ASK { ?a a cpv:Article }", "--store", str(ingested)).output.strip() == "true"


def test_an_update_is_refused_with_where_to_send_it(ingested):
    result = kg("query", "PREFIX e: <http://e/>\nDELETE WHERE { ?s ?p ?o }", "--store", str(ingested))
    assert result.exit_code == 2
    assert "runs queries, not updates" in result.output
    assert kg("query", "ASK { ?s ?p ?o }", "--store", str(ingested)).output.strip() == "true"


@pytest.mark.parametrize("command", [["export"], ["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"]])
def test_output_into_a_closed_pipe_ends_quietly(ingested, command):
    kg_command = [sys.executable, "-m", "kg.cli", *command, "--store", str(ingested)]
    with subprocess.Popen(kg_command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # as `| head -1` does
        errors = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0, errors
    assert errors == ""


def test_help_shows_defaults():
    assert "[default: ($KG_STORE or data/store)]" in kg("stats", "--help").output
    serve_help = kg("serve", "--help").output
    assert "$KG_PORT or 8000" in serve_help and "$KG_HOST or 127.0.0.1" in serve_help


def test_missing_store_exits_non_zero(tmp_path):
    for command in ("stats", "validate", "export"):
        result = kg(command, "--store", str(tmp_path / "nothing"))
        assert result.exit_code == 2
        assert "no store at" in result.output


def test_missing_input_exits_non_zero(tmp_path):
    result = kg("ingest", str(tmp_path / "absent"), "--store", str(tmp_path / "store"))
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_store_from_environment(tmp_path, corpus, monkeypatch):
    from kg.config import get_settings

    monkeypatch.setenv("KG_STORE", str(tmp_path / "env-store"))
    get_settings.cache_clear()
    try:
        assert kg("ingest", str(corpus)).exit_code == 0
        assert (tmp_path / "env-store" / "CURRENT").exists()
    finally:
        get_settings.cache_clear()


@pytest.mark.slow
def test_killed_ingest_leaves_every_article_whole(tmp_path, corpus):
    """SIGKILL in the middle of re-ingesting: each article keeps its old graph or gets its new one."""
    folder = tmp_path / "many"
    folder.mkdir()
    sources = sorted(corpus.glob("*.txt"))
    for i in range(400):
        (folder / f"{i:04d}_{sources[i % 5].name}").write_bytes(sources[i % 5].read_bytes())
    store = tmp_path / "store"
    command = [sys.executable, "-m", "kg.cli", "ingest", str(folder), "--store", str(store)]
    subprocess.run(command, check=True, capture_output=True)
    for path in folder.iterdir():  # version 2 of every article: a new title line
        path.write_text("Bản mới: " + path.read_text(encoding="utf-8"), encoding="utf-8")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    reopened = open_store(store, create=False)
    rows = reopened.query(
        "SELECT ?a (COUNT(?t) AS ?n) (SAMPLE(?t) AS ?title) "
        "WHERE { ?a a cpv:Article ; dcterms:title ?t } GROUP BY ?a"
    )
    titles = [(int(row["n"].value), row["title"].value) for row in rows]
    assert len(titles) == 400
    assert all(n == 1 for n, _ in titles)
    new = sum(title.startswith("Bản mới") for _, title in titles)
    print(f"{new} of 400 articles rewritten before the kill")


def test_a_later_ingest_keeps_the_search_index_in_step(ingested, tmp_path):
    from kg.store.search import SearchIndex, index_path

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "moi.txt").write_text(
        "Huyện ủy Sơn Dương tổ chức hội nghị\n05/03/2024 08:00\n"
        "Ngày 4/3/2024, Huyện ủy Sơn Dương tổ chức hội nghị học tập nghị quyết. Dự hội nghị có "
        "đồng chí Âu Thị Quỳnh Nga - Bí thư Huyện ủy.",
        encoding="utf-8",
    )
    result = kg("ingest", str(extra), "--store", str(ingested))
    assert result.exit_code == 0, result.output
    index = SearchIndex(index_path(ingested), read_only=True)
    hits = index.search("au thi quynh nga").hits
    assert hits[0].label == "Âu Thị Quỳnh Nga" and hits[0].kind == "person"
    assert index.search("dong da").total > 0  # what was there stays
