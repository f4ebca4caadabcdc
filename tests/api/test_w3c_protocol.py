"""The W3C SPARQL 1.1 Protocol test manifest (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl),
entry by entry, against a real `kg serve` on a store of its own (the update entries DROP ALL).

Each entry keeps the manifest's name, requests and expectations; the manifest's endpoint
``/sparql/`` is kg's ``/sparql``, and each request carries the update token (the
manifest assumes an open endpoint).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
import pytest

from .conftest import TOKEN

D = "http://kasei.us/2009/09/sparql/data/"
FORM = {"content-type": "application/x-www-form-urlencoded"}
QUERY = {"content-type": "application/sparql-query"}
UPDATE = {"content-type": "application/sparql-update"}
SELECT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
BOOLEAN_TYPES = SELECT_TYPES[:2]
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


def q(**params: str | list[str]) -> str:
    """A query string, each value percent-encoded as in the manifest."""
    items = [
        (k.replace("_", "-"), v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)
    ]
    return "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in items)


@dataclass(frozen=True)
class Step:
    method: str
    query_string: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    status: str = "2xx"  # or "4xx"
    boolean: bool | None = None
    result: str | None = None  # "boolean", "tabular" or "RDF": what the media type must be


# The manifest's data files, and the graph update_base_uri clears: Oxigraph refuses CLEAR
# GRAPH (without SILENT) on a graph it has never held, and the manifest assumes it exists.
PREPARE = f"""PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DROP ALL ;
INSERT DATA {{
  GRAPH <{D}data1.rdf> {{ <{D}data1.rdf> a foaf:Document }}
  GRAPH <{D}data2.rdf> {{ <{D}data2.rdf> a foaf:Document }}
  GRAPH <{D}data3.rdf> {{ <{D}data3.rdf> a foaf:Document }}
}} ;
CREATE SILENT GRAPH <http://example.org/protocol-base-test/>"""

ASK_1_2 = f"ASK {{ <{D}data1.rdf> a ?type . <{D}data2.rdf> a ?type . }}"
ASK_NAMED = f"ASK {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
ASK_FULL = f"""ASK {{
  <{D}data3.rdf> a ?type
  GRAPH ?g1 {{ <{D}data1.rdf> a ?type }}
  GRAPH ?g2 {{ <{D}data2.rdf> a ?type }}
}}"""


def _update_then_ask(using: str, target: str, where: str, ask: str) -> list[Step]:
    update = f"""PREFIX dc: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
{PREPARE.split(chr(10), 1)[1].rsplit(" ;", 1)[0]} ;
INSERT {{ GRAPH <{target}> {{ {"?s <http://example.org/in> ?in" if "?in" in where else "?s a dc:BibliographicResource"} }} }}
WHERE {{ {where} }}"""
    return [
        Step("POST", using, UPDATE, update.encode()),
        Step("POST", "", QUERY, ask.encode(), boolean=True, result="boolean"),
    ]


def _in_graph(
    target: str,
    present: list[str],
    absent: str,
    predicate: str = "a <http://purl.org/dc/terms/BibliographicResource>",
) -> str:
    triples = " ".join(f"<{D}{name}> {predicate} ." for name in present)
    return f"ASK {{ GRAPH <{target}> {{ {triples} }} FILTER NOT EXISTS {{ GRAPH <{target}> {{ <{D}{absent}> ?p ?o }} }} }}"


MANIFEST: dict[str, list[Step]] = {
    "query_post_form": [
        Step(
            "POST",
            q(default_graph_uri=D + "data0.rdf"),
            FORM,
            b"query=ASK%20%7B%7D",
            boolean=True,
            result="boolean",
        )
    ],
    "query_dataset_default_graphs_get": [
        Step("GET", q(query=ASK_1_2, default_graph_uri=[D + "data1.rdf", D + "data2.rdf"]), boolean=True)
    ],
    "query_dataset_default_graphs_post": [
        Step(
            "POST",
            q(default_graph_uri=[D + "data1.rdf", D + "data2.rdf"]),
            QUERY,
            ASK_1_2.encode(),
            boolean=True,
        )
    ],
    "query_dataset_named_graphs_post": [
        Step(
            "POST",
            q(named_graph_uri=[D + "data1.rdf", D + "data2.rdf"]),
            QUERY,
            ASK_NAMED.encode(),
            boolean=True,
        )
    ],
    "query_dataset_named_graphs_get": [
        Step("GET", q(query=ASK_NAMED, named_graph_uri=[D + "data1.rdf", D + "data2.rdf"]), boolean=True)
    ],
    "query_dataset_full": [
        Step(
            "POST",
            q(default_graph_uri=D + "data3.rdf", named_graph_uri=[D + "data1.rdf", D + "data2.rdf"]),
            QUERY,
            ASK_FULL.encode(),
            boolean=True,
        )
    ],
    "query_multiple_dataset": [
        Step(
            "POST",
            q(named_graph_uri=[D + "data1.rdf", D + "data2.rdf"]),
            QUERY,
            f"ASK FROM <{D}data3.rdf> {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}".encode(),
            boolean=True,
        )
    ],
    "query_get": [
        Step("GET", q(query="ASK {}", default_graph_uri=D + "data0.rdf"), boolean=True, result="boolean")
    ],
    "query_content_type_select": [
        Step(
            "POST", q(default_graph_uri=D + "data0.rdf"), QUERY, b"SELECT (1 AS ?value) {}", result="tabular"
        )
    ],
    "query_content_type_ask": [
        Step("POST", q(default_graph_uri=D + "data0.rdf"), QUERY, b"ASK {}", result="boolean")
    ],
    "query_content_type_describe": [
        Step(
            "POST",
            q(default_graph_uri=D + "data0.rdf"),
            QUERY,
            b"DESCRIBE <http://example.org/>",
            result="RDF",
        )
    ],
    "query_content_type_construct": [
        Step(
            "POST",
            q(default_graph_uri=D + "data0.rdf"),
            QUERY,
            b"CONSTRUCT { <s> <p> 1 } WHERE {}",
            result="RDF",
        )
    ],
    "update_dataset_default_graph": _update_then_ask(
        q(using_graph_uri=D + "data1.rdf"),
        "http://example.org/protocol-update-dataset-test/",
        "?s a foaf:Document",
        _in_graph("http://example.org/protocol-update-dataset-test/", ["data1.rdf"], "data2.rdf"),
    ),
    "update_dataset_default_graphs": _update_then_ask(
        q(using_graph_uri=[D + "data1.rdf", D + "data2.rdf"]),
        "http://example.org/protocol-update-dataset-graphs-test/",
        "?s a foaf:Document",
        _in_graph(
            "http://example.org/protocol-update-dataset-graphs-test/", ["data1.rdf", "data2.rdf"], "data3.rdf"
        ),
    ),
    "update_dataset_named_graphs": _update_then_ask(
        q(using_named_graph_uri=[D + "data1.rdf", D + "data2.rdf"]),
        "http://example.org/protocol-update-dataset-named-graphs-test/",
        "GRAPH ?g { ?s a foaf:Document }",
        _in_graph(
            "http://example.org/protocol-update-dataset-named-graphs-test/",
            ["data1.rdf", "data2.rdf"],
            "data3.rdf",
        ),
    ),
    "update_dataset_full": _update_then_ask(
        q(using_graph_uri=D + "data1.rdf", using_named_graph_uri=D + "data2.rdf"),
        "http://example.org/protocol-update-dataset-full-test/",
        '{ GRAPH ?g { ?s a foaf:Document } BIND(?g AS ?in) } UNION { ?s a foaf:Document . BIND("default" AS ?in) }',
        f"""ASK {{
  GRAPH <http://example.org/protocol-update-dataset-full-test/> {{
    <{D}data1.rdf> <http://example.org/in> "default" .
    <{D}data2.rdf> <http://example.org/in> <{D}data2.rdf> .
  }}
  FILTER NOT EXISTS {{ GRAPH <http://example.org/protocol-update-dataset-full-test/> {{ <{D}data3.rdf> ?p ?o }} }}
}}""",
    ),
    "update_post_form": [Step("POST", "", FORM, b"update=CLEAR%20ALL")],
    "update_post_direct": [Step("POST", "", UPDATE, b"CLEAR ALL")],
    "update_base_uri": [
        Step(
            "POST",
            "",
            UPDATE,
            b"CLEAR GRAPH <http://example.org/protocol-base-test/> ;\n"
            b"INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
            b"{ <http://example.org/s> <http://example.org/p> <test> } }",
        ),
        Step(
            "POST",
            "",
            {**QUERY, "accept": "application/sparql-results+json"},
            b"SELECT ?o WHERE { GRAPH <http://example.org/protocol-base-test/> "
            b"{ <http://example.org/s> <http://example.org/p> ?o } }",
            result="tabular",
        ),
    ],
    "query_post_direct": [Step("POST", "", QUERY, b"ASK {}", boolean=True, result="boolean")],
    "bad_query_method": [
        Step("PUT", q(query="ASK {}", default_graph_uri=D + "data0.rdf"), FORM, status="4xx")
    ],
    "bad_multiple_queries": [Step("GET", "?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", status="4xx")],
    "bad_query_wrong_media_type": [Step("POST", "", {"content-type": "text/plain"}, b"ASK {}", status="4xx")],
    "bad_query_missing_form_type": [Step("POST", "", {}, b"query=ASK%20%7B%7D", status="4xx")],
    "bad_query_missing_direct_type": [Step("POST", "", {}, b"ASK {}", status="4xx")],
    "bad_query_non_utf8": [
        Step(
            "POST",
            "",
            {"content-type": "application/sparql-query; charset=UTF-16"},
            "ASK {}".encode("utf-16"),
            status="4xx",
        )
    ],
    "bad_query_syntax": [Step("GET", "?query=ASK%20%7B", status="4xx")],
    "bad_update_get": [Step("GET", "?update=CLEAR%20ALL", status="4xx")],
    "bad_multiple_updates": [
        Step("POST", "", FORM, b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", status="4xx")
    ],
    "bad_update_wrong_media_type": [
        Step("POST", "", {"content-type": "text/plain"}, b"CLEAR NAMED", status="4xx")
    ],
    "bad_update_missing_form_type": [Step("POST", "", {}, b"update=CLEAR%20NAMED", status="4xx")],
    "bad_update_non_utf8": [
        Step(
            "POST",
            "",
            {"content-type": "application/sparql-update; charset=UTF-16"},
            "CLEAR NAMED".encode("utf-16"),
            status="4xx",
        )
    ],
    "bad_update_syntax": [Step("POST", "", FORM, b"update=CLEAR%20XYZ", status="4xx")],
    "bad_update_dataset_conflict": [
        Step(
            "POST",
            q(using_named_graph_uri="http://example/people"),
            UPDATE,
            b"PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
            b"DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
            b"WHERE { ?person foaf:givenName 'Bill' }",
            status="4xx",
        )
    ],
}


@pytest.fixture
def endpoint(blank_server: str) -> str:
    return blank_server + "/sparql"


def _send(endpoint: str, step: Step) -> httpx.Response:
    headers = {"authorization": f"Bearer {TOKEN}", **step.headers}
    return httpx.request(step.method, endpoint + step.query_string, headers=headers, content=step.body)


@pytest.mark.parametrize("name", list(MANIFEST))
def test_protocol_manifest_entry(endpoint: str, name: str) -> None:
    prepared = _send(endpoint, Step("POST", "", UPDATE, PREPARE.encode()))
    assert prepared.status_code == 204, prepared.text
    for step in MANIFEST[name]:
        response = _send(endpoint, step)
        assert str(response.status_code)[0] == step.status[0], (response.status_code, response.text)
        media = response.headers.get("content-type", "").split(";")[0]
        if step.result == "tabular":
            assert media in SELECT_TYPES
        elif step.result == "boolean":
            assert media in BOOLEAN_TYPES
        elif step.result == "RDF":
            assert media in RDF_TYPES
        if step.boolean is not None:
            assert response.json()["boolean"] is step.boolean
        if name == "update_base_uri" and step.result == "tabular":
            [row] = response.json()["results"]["bindings"]
            assert row["o"]["type"] == "uri"
            assert row["o"]["value"] != "test"
            assert row["o"]["value"].startswith("http")


def test_the_manifest_is_complete() -> None:
    assert len(MANIFEST) == 34  # the manifest's mf:entries
