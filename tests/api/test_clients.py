"""The clients analysts use, against a real server: every query form in every result format
SPARQLWrapper offers, by GET and POST; rdflib's SPARQLStore; pandas; curl's defaults."""

from __future__ import annotations

import io
import json
import subprocess
import urllib.parse
import warnings

import pandas as pd
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from .conftest import Server

ORGAN = "<https://w3id.org/cpv-kg/ontology#Organ>"
FORMS = {
    "SELECT": f"SELECT ?o WHERE {{ ?o a {ORGAN} }} LIMIT 3",
    "ASK": f"ASK {{ ?o a {ORGAN} }}",
    "CONSTRUCT": f"CONSTRUCT {{ ?o a {ORGAN} }} WHERE {{ ?o a {ORGAN} }} LIMIT 3",
    "DESCRIBE": "DESCRIBE <https://w3id.org/cpv-kg/ontology#Person>",
}
# What each return format gives for solutions (SELECT, ASK) and for graphs (CONSTRUCT, DESCRIBE).
FORMATS = {
    None: ("application/sparql-results+xml", "application/rdf+xml"),  # SPARQLWrapper's default, XML
    XML: ("application/sparql-results+xml", "application/rdf+xml"),
    JSON: ("application/sparql-results+json", "application/ld+json"),
    CSV: ("text/csv", "text/turtle"),
    TSV: ("text/tab-separated-values", "text/turtle"),
    TURTLE: (None, "text/turtle"),
    N3: (None, "text/turtle"),
    RDFXML: (None, "application/rdf+xml"),
    JSONLD: (None, "application/ld+json"),
}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("return_format", FORMATS, ids=[str(f) for f in FORMATS])
@pytest.mark.parametrize("form", FORMS)
def test_sparqlwrapper_gets_every_form_in_every_format(
    server: Server, form: str, return_format: str | None, method: str
) -> None:
    solutions, graphs = FORMATS[return_format]
    expected = graphs if form in ("CONSTRUCT", "DESCRIBE") else solutions
    endpoint = SPARQLWrapper(server.url + "/sparql")
    endpoint.setQuery(FORMS[form])
    endpoint.setMethod(method)
    if return_format is not None:
        endpoint.setReturnFormat(return_format)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SPARQLWrapper warns of the formats a form does not have
        result = endpoint.query()
        converted = result.convert()
    media = result.info()["content-type"].split(";")[0]
    if expected is not None:
        assert media == expected
    assert converted  # parsed by SPARQLWrapper itself: a result set, a graph, or the text


@pytest.mark.parametrize("form", FORMS)
def test_rdflib_sparqlstore_runs_every_form(server: Server, form: str) -> None:
    graph = Graph(SPARQLStore(server.url + "/sparql", returnFormat="json"))
    result = graph.query(FORMS[form])
    if form == "ASK":
        assert result.askAnswer is True
    else:
        assert len(list(result)) > 0


@pytest.mark.parametrize(
    ("fmt", "read"),
    [
        ("csv", lambda body: pd.read_csv(io.StringIO(body))),
        ("tsv", lambda body: pd.read_csv(io.StringIO(body), sep="\t")),
        ("json", lambda body: pd.json_normalize(json.loads(body)["results"]["bindings"])),
    ],
)
def test_pandas_reads_every_solution_format(server: Server, fmt: str, read: object) -> None:
    query = urllib.parse.quote(FORMS["SELECT"])
    body = pd.io.common.urlopen(f"{server.url}/sparql?query={query}&format={fmt}").read().decode()
    frame = read(body)  # type: ignore[operator]
    assert len(frame) == 3


@pytest.mark.parametrize(
    ("form", "accept", "parse"),
    [
        ("SELECT", None, lambda b: json.loads(b)["results"]["bindings"]),
        ("ASK", None, lambda b: [json.loads(b)["boolean"]]),
        ("CONSTRUCT", None, lambda b: list(ox.parse(b, format=ox.RdfFormat.TURTLE))),
        ("DESCRIBE", "application/n-triples", lambda b: list(ox.parse(b, format=ox.RdfFormat.N_TRIPLES))),
        ("CONSTRUCT", "application/ld+json", lambda b: list(ox.parse(b, format=ox.RdfFormat.JSON_LD))),
        ("SELECT", "text/csv", lambda b: b.decode().splitlines()[1:]),
    ],
)
def test_curl_with_its_defaults_and_an_accept_header(
    server: Server, form: str, accept: str | None, parse: object
) -> None:
    command = ["curl", "-sS", "--fail", "--data-urlencode", f"query={FORMS[form]}", server.url + "/sparql"]
    if accept:
        command[1:1] = ["-H", f"Accept: {accept}"]
    body = subprocess.run(command, capture_output=True, check=True, timeout=30).stdout
    assert parse(body)  # type: ignore[operator]


def test_the_openapi_description_names_every_operation_once(server: Server) -> None:
    """Client generators key operations by their ids: duplicates break them."""
    spec = json.loads(
        subprocess.run(["curl", "-sS", server.url + "/openapi.json"], capture_output=True, check=True).stdout
    )
    ids = [operation["operationId"] for path in spec["paths"].values() for operation in path.values()]
    assert len(ids) == len(set(ids)) >= 15
