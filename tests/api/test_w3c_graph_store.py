"""The W3C Graph Store HTTP Protocol manifest (w3c/rdf-tests,
sparql/sparql11/graph-store-protocol/manifest-indirect.ttl), entry by entry, against a real
`kg serve` on a store of its own. The manifest's endpoint ``/gsp`` is kg's ``/store``; each
request carries the update token; response bodies are compared as graphs that entail each
other (a POST of a blank-node description merges a second, equivalent blank node).

kg identifies graphs indirectly (``?graph=IRI``), so the direct-identification manifest
(``manifest.ttl``, where the graph IRI is the request URL) does not apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest
from rdflib import BNode, Graph

from .conftest import TOKEN

PREFIXES = "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n@prefix v: <http://www.w3.org/2006/vcard/ns#> .\n"
PERSON_1 = "?graph=http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F1.ttl"
PERSON_2 = "?graph=http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F2.ttl"
TURTLE = {"content-type": "text/turtle; charset=utf-8"}
ACCEPT = {"accept": "text/turtle"}


def card(name: str, subject: str = "<http://www.example/gsp/person/1>", field_name: str = "fn") -> str:
    return f'{PREFIXES}{subject} a foaf:Person; foaf:businessCard [ a v:VCard; v:{field_name} "{name}" ] .'


ALICE = card("Alice", "[]", "given-name")
BOUNDARY = "a6fe4cd636164618814be9f8d3d1a0de"
MULTIPART = (
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="lastName.ttl"; filename="lastName.ttl"\r\n'
    "Content-Type: text/turtle; charset=utf-8\r\n\r\n"
    '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\r\n<http://www.example/gsp/person/1> foaf:familyName "Doe" .\r\n\r\n'
    f"--{BOUNDARY}\r\n"
    'Content-Disposition: form-data; name="firstName.ttl"; filename="firstName.ttl"\r\n'
    "Content-Type: text/turtle; charset=utf-8\r\n\r\n"
    '@prefix foaf: <http://xmlns.com/foaf/0.1/> .\r\n<http://www.example/gsp/person/1> foaf:givenName "Jane" .\r\n\r\n'
    f"--{BOUNDARY}--\r\n"
)


@dataclass(frozen=True)
class Step:
    method: str
    query_string: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    status: tuple[int, ...] = (200,)
    content_type: str | None = None  # expected Content-Type header
    graph: str | None = None  # expected body, as Turtle


MANIFEST: dict[str, list[Step]] = {
    "put_get_repeat_indirect": [
        Step("PUT", PERSON_1, TURTLE, card("John Doe"), (201,)),
        Step("GET", PERSON_1, ACCEPT, content_type="text/turtle; charset=utf-8", graph=card("John Doe")),
        Step("PUT", PERSON_1, TURTLE, card("Jane Doe"), (200, 204)),
        Step("GET", PERSON_1, ACCEPT, content_type="text/turtle; charset=utf-8", graph=card("Jane Doe")),
    ],
    "put_get_default": [
        Step("PUT", "?default", TURTLE, ALICE, (200, 201, 204)),
        Step("GET", "?default", ACCEPT, content_type="text/turtle; charset=utf-8", graph=ALICE),
    ],
    "put_delete_get_delete_indirect": [
        Step("PUT", PERSON_2, TURTLE, ALICE, (201, 200, 204)),
        Step("DELETE", PERSON_2, status=(200, 204)),
        Step("GET", PERSON_2, status=(404,)),
        Step("DELETE", PERSON_2, status=(404, 200, 204)),
    ],
    "post_get_post_get_indirect": [
        Step("POST", PERSON_1, TURTLE, card("Jane Doe"), (200, 201, 204)),
        Step("GET", PERSON_1, ACCEPT, content_type="text/turtle; charset=utf-8", graph=card("Jane Doe")),
        Step(
            "POST",
            PERSON_1,
            {"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
            MULTIPART,
            (200, 204),
        ),
        Step(
            "GET",
            PERSON_1,
            ACCEPT,
            content_type="text/turtle; charset=utf-8",
            graph=f"""{PREFIXES}<http://www.example/gsp/person/1> a foaf:Person;
                foaf:givenName "Jane"; foaf:familyName "Doe";
                foaf:businessCard [ a v:VCard; v:fn "Jane Doe" ] .""",
        ),
    ],
    "post_get_new_graph": [
        Step("POST", "", TURTLE, ALICE, (201,)),
        Step("GET", "?graph=$LOCATION$", ACCEPT, content_type="text/turtle; charset=utf-8", graph=ALICE),
    ],
    "head_existing_indirect": [
        Step("PUT", PERSON_1, TURTLE, card("John Doe"), (200, 201, 204)),
        Step(
            "HEAD",
            PERSON_1,
            {"accept": "text/turtle; charset=utf-8"},
            content_type="text/turtle; charset=utf-8",
        ),
    ],
    "head_non_existing_indirect": [
        Step(
            "HEAD",
            "?graph=http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F4.ttl",
            {"accept": "text/turtle"},
            status=(404,),
        )
    ],
    "put_get_uri_pct_encoded_indirect": [
        Step("PUT", PERSON_1, TURTLE, card("John Doe"), (201,)),
        Step(
            "GET",
            "?graph=http://www.example/gsp/person/1.ttl",
            ACCEPT,
            content_type="text/turtle; charset=utf-8",
            graph=card("John Doe"),
        ),
    ],
    "put_get_uri_pct_encoded_twice": [
        Step("PUT", "?graph=http://www.example/gsp/person/1.ttl", TURTLE, card("John Doe"), (201,)),
        Step(
            "GET",
            "?graph=http://www.example/gsp/person/%31.ttl",
            ACCEPT,
            content_type="text/turtle; charset=utf-8",
            graph=card("John Doe"),
        ),
        Step("GET", "?graph=http://www.example/gsp/person/%2531.ttl", ACCEPT, status=(404,)),
    ],
}

# Entries that start by creating person/1 expect 201: the manifest runs each on a fresh store.
FRESH = {"put_get_repeat_indirect", "put_get_uri_pct_encoded_indirect", "put_get_uri_pct_encoded_twice"}


def _entails(graph: Graph, pattern: Graph) -> bool:
    """Whether ``graph`` has every triple of ``pattern``, reading its blank nodes as variables."""

    def term(node: object) -> str:
        return f"?b{node}" if isinstance(node, BNode) else node.n3()  # type: ignore[attr-defined]

    where = " ".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in pattern)
    return bool(graph.query(f"ASK {{ {where} }}").askAnswer)


def equivalent(a: Graph, b: Graph) -> bool:
    return _entails(a, b) and _entails(b, a)


@pytest.mark.parametrize("name", list(MANIFEST))
def test_graph_store_manifest_entry(blank_server: str, name: str) -> None:
    auth = {"authorization": f"Bearer {TOKEN}"}
    if name in FRESH:
        httpx.delete(blank_server + "/store" + PERSON_1, headers=auth)
    location = ""
    for step in MANIFEST[name]:
        url = blank_server + "/store" + step.query_string.replace("$LOCATION$", location)
        response = httpx.request(
            step.method, url, headers={**auth, **step.headers}, content=step.body.encode()
        )
        assert response.status_code in step.status, (step, response.status_code, response.text)
        if response.status_code == 201 and step.query_string == "":
            location = response.headers["location"]
        if step.content_type is not None:
            assert response.headers["content-type"] == step.content_type
        if step.graph is not None:
            expected = Graph().parse(data=step.graph, format="turtle")
            assert equivalent(Graph().parse(data=response.text, format="turtle"), expected), response.text


def test_the_manifest_is_complete() -> None:
    assert len(MANIFEST) == 9  # mf:entries lists 8; put_get_uri_pct_encoded_twice is defined after them
