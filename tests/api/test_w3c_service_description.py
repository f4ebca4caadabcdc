"""The W3C Service Description manifest (w3c/rdf-tests, sparql/sparql11/service-description):
its three entries, in each RDF format the endpoint offers, against a real `kg serve`."""

from __future__ import annotations

import httpx
import pytest
from rdflib import RDF, Graph, Namespace, URIRef

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
FEATURES = {
    SD.DereferencesURIs,
    SD.UnionDefaultGraph,
    SD.RequiresDataset,
    SD.EmptyGraphs,
    SD.BasicFederatedQuery,
}
FORMATS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}


@pytest.fixture(scope="module", params=list(FORMATS))
def description(request: pytest.FixtureRequest, server) -> tuple[str, httpx.Response]:
    endpoint = server.url + "/sparql"
    return endpoint, httpx.get(endpoint, headers={"Accept": request.param})


def _graph(response: httpx.Response) -> Graph:
    media = response.headers["content-type"].split(";")[0]
    return Graph().parse(data=response.content, format=FORMATS[media])


def test_returns_rdf(description):
    """GET on endpoint returns RDF."""
    _, response = description
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in FORMATS
    assert len(_graph(response)) > 0


def test_has_endpoint_triple(description):
    """Service description contains a matching sd:endpoint triple."""
    endpoint, response = description
    assert (None, SD.endpoint, URIRef(endpoint)) in _graph(response)


def test_conforms_to_schema(description):
    """Service description conforms to schema: one sd:Service, and its terms from the vocabulary."""
    _, response = description
    graph = _graph(response)
    [service] = list(graph.subjects(RDF.type, SD.Service))
    assert len(list(graph.objects(service, SD.endpoint))) == 1
    languages = set(graph.objects(service, SD.supportedLanguage))
    assert languages
    assert languages <= LANGUAGES
    assert set(graph.objects(service, SD.feature)) <= FEATURES
    assert all(isinstance(f, URIRef) for f in graph.objects(service, SD.resultFormat))
