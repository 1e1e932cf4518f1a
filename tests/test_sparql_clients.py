"""Real clients against real server processes on 127.0.0.1, in every backend mode.

``twinkg serve`` (Granian) runs as a separate process over (1) the embedded published store,
(2) a remote ``oxigraph serve`` and (3) a remote OpenLink Virtuoso, each loaded with the same
data: the service fixture and the W3C protocol manifest's graphs. The same tests run in all
three modes: the W3C SPARQL 1.1 Protocol manifest's query tests (its update tests must be
refused, the endpoint is read-only), SPARQLWrapper and plain ``requests``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib
import requests
from rdflib.collection import Collection
from rdflib.namespace import Namespace
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from tests.conftest import SERVICE_DATA, build_store, require_binary
from tests.servers import (
    OXIGRAPH,
    VIRTUOSO,
    Server,
    start_oxigraph,
    start_twinkg,
    start_virtuoso,
)

PROTOCOL = Path(__file__).resolve().parents[2] / "shared" / "vendor" / "w3c-rdf-tests" / \
    "sparql11" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TKG = "https://w3id.org/twinning-kg/def#"
SWARZEDZ = "https://w3id.org/twinning-kg/id/authority/pl/swarzędz"


def _manifest() -> rdflib.Graph:
    return rdflib.Graph().parse(PROTOCOL / "manifest.ttl", format="turtle")


def _dataset_quads() -> list[pyoxigraph.Quad]:
    """The service fixture plus every ``ut:graphData`` of the manifest, in its named graph."""
    quads = list(pyoxigraph.parse(path=str(SERVICE_DATA / "fixture.trig")))
    graphs = {str(g.value(node, UT.graph)): str(g.value(node, rdflib.RDFS.label))
              for g in [_manifest()] for node in g.objects(None, UT.graphData)}
    for file, name in graphs.items():
        for quad in pyoxigraph.parse(path=str(PROTOCOL / Path(file).name)):
            quads.append(pyoxigraph.Quad(quad.subject, quad.predicate, quad.object,
                                         pyoxigraph.NamedNode(name)))
    return quads


@dataclass
class Mode:
    name: str
    service: Server
    upstream: Server | None


@pytest.fixture(scope="module", params=["embedded", "oxigraph", "virtuoso"])
def mode(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         ) -> Iterator[Mode]:
    workdir = tmp_path_factory.mktemp(request.param)
    quads = _dataset_quads()
    upstream: Server | None = None
    if request.param == "embedded":
        trig = workdir / "data.nq"
        pyoxigraph.serialize(quads, output=str(trig), format=pyoxigraph.RdfFormat.N_QUADS)
        service = start_twinkg(workdir, store=build_store(workdir / "store", trig))
    else:
        if request.param == "oxigraph":
            require_binary(OXIGRAPH)
            upstream = start_oxigraph(quads, workdir)
        else:
            require_binary(VIRTUOSO)
            upstream = start_virtuoso(quads, workdir)
        service = start_twinkg(workdir, endpoint=upstream.sparql)
    yield Mode(request.param, service, upstream)
    service.stop()
    if upstream is not None:
        upstream.stop()


def _tests() -> list[tuple[str, Any]]:
    graph = _manifest()
    (head,) = graph.objects(None, MF.entries)
    return [(str(t).rsplit("#", 1)[1], t) for t in Collection(graph, head)]


MANIFEST_TESTS = _tests()


@pytest.mark.parametrize("test_id", [name for name, _ in MANIFEST_TESTS])
def test_w3c_protocol_manifest(mode: Mode, test_id: str) -> None:
    graph = _manifest()
    node = rdflib.URIRef(dict(MANIFEST_TESTS)[test_id])
    action = graph.value(node, MF.action)
    requests_list = list(Collection(graph, graph.value(action, HT.requests)))
    is_update = test_id.startswith("update_")
    for step in requests_list:
        response = _send(graph, step, mode.service.url)
        expected = graph.value(step, HT.resp)
        if is_update:
            # a read-only endpoint: the manifest's update must be refused, not performed
            assert response.status_code == 403, response.text
            assert response.json()["error"]["type"] == "query-refused"
            return
        statuses = {str(s).removeprefix(HTS) for s in graph.objects(expected, MF.expectedStatus)}
        assert f"{response.status_code // 100}xx" in statuses, (response.status_code,
                                                                 response.text)
        _check_format(graph, expected, response)


def _send(graph: rdflib.Graph, step: Any, base: str) -> requests.Response:
    path = str(graph.value(step, HT.absolutePath))
    method = str(graph.value(step, HT.methodName))
    headers = {}
    header_list = graph.value(step, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = \
                str(graph.value(header, HT.fieldValue))
    body = graph.value(step, HT.body)
    data = None
    if body is not None:
        encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
        data = str(graph.value(body, CNT.chars)).encode(encoding)
    return requests.request(method, base + path, data=data, headers=headers, timeout=60)


def _check_format(graph: rdflib.Graph, expected: Any, response: requests.Response) -> None:
    kind = graph.value(expected, MF.expectedFormat)
    media_type = response.headers.get("Content-Type", "").split(";")[0]
    if kind is None:
        return
    if str(kind) == "RDF":
        rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type)
        assert rdf_format is not None, media_type
        list(pyoxigraph.parse(response.content, format=rdf_format))
        return
    results_format = pyoxigraph.QueryResultsFormat.from_media_type(media_type)
    assert results_format is not None, media_type
    parsed = pyoxigraph.parse_query_results(response.content, format=results_format)
    if str(kind) == "boolean":
        assert isinstance(parsed, pyoxigraph.QueryBoolean)
        boolean = graph.value(expected, MF.expectedBoolean)
        if boolean is not None:
            assert bool(parsed) == boolean.toPython()
    else:
        assert isinstance(parsed, pyoxigraph.QuerySolutions)
        assert [str(v) for v in parsed.variables] == ["?value"]
        assert [s["value"].value for s in parsed] == ["1"]


def test_sparqlwrapper_select_ask_construct(mode: Mode) -> None:
    client = SPARQLWrapper(mode.service.sparql)
    client.setQuery(f"SELECT ?partner WHERE {{ <{SWARZEDZ}> <{TKG}twinnedWith> ?partner }} "
                    "ORDER BY ?partner")
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [r["partner"]["value"] for r in rows] == [
        "https://w3id.org/twinning-kg/id/authority/de/ronnenberg",
        "https://w3id.org/twinning-kg/id/authority/se/järfälla"]

    client.setQuery(f"ASK {{ <{SWARZEDZ}> <{TKG}twinnedWith> ?partner }}")
    client.setReturnFormat(XML)
    answer = client.queryAndConvert()
    assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore

    client.setQuery(f"CONSTRUCT {{ ?p <{TKG}participant> <{SWARZEDZ}> }} WHERE "
                    f"{{ ?p <{TKG}participant> <{SWARZEDZ}> }}")
    client.setReturnFormat(TURTLE)
    turtle = client.queryAndConvert()
    constructed = rdflib.Graph().parse(data=turtle, format="turtle")
    assert set(constructed.subjects()) == {
        rdflib.URIRef("https://w3id.org/twinning-kg/id/partnership/de-ronnenberg--pl-swarzędz"),
        rdflib.URIRef("https://w3id.org/twinning-kg/id/partnership/pl-swarzędz--se-järfälla")}


def test_requests_get_post_and_errors(mode: Mode) -> None:
    query = f"SELECT (COUNT(?p) AS ?n) WHERE {{ <{SWARZEDZ}> <{TKG}twinnedWith> ?p }}"
    for response in (
        requests.get(mode.service.sparql, params={"query": query}, timeout=30,
                     headers={"Accept": "application/sparql-results+json"}),
        requests.post(mode.service.sparql, data={"query": query}, timeout=30),
        requests.post(mode.service.sparql, data=query.encode(), timeout=30,
                      headers={"Content-Type": "application/sparql-query"}),
    ):
        assert response.status_code == 200, response.text
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == 2
    tsv = requests.get(mode.service.sparql, params={"query": query, "format": "tsv"},
                       timeout=30)
    assert tsv.headers["Content-Type"].startswith("text/tab-separated-values")
    bad = requests.get(mode.service.sparql, params={"query": "SELECT * {"}, timeout=30)
    assert bad.status_code == 400 and bad.json()["error"]["type"] == "query-syntax"
    refused = requests.get(mode.service.sparql, timeout=30, params={
        "query": "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"})
    assert refused.status_code == 403


def test_linked_data_over_every_backend(mode: Mode) -> None:
    response = requests.get(f"{mode.service.url}/id/authority/pl/swarzędz", timeout=30,
                            headers={"Accept": "text/turtle"})
    assert response.history[0].status_code == 303
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    partnership = rdflib.URIRef(
        "https://w3id.org/twinning-kg/id/partnership/de-ronnenberg--pl-swarzędz")
    assert (partnership, rdflib.URIRef(TKG + "participant"), rdflib.URIRef(SWARZEDZ)) in graph


def test_query_time_limit_over_http(tmp_path: Path) -> None:
    store = build_store(tmp_path / "store", SERVICE_DATA / "fixture.trig")
    service = start_twinkg(tmp_path, store=store, workers=1,
                           extra_env={"TWINKG_QUERY_TIMEOUT": "1", **os.environ})
    try:
        explosive = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                     "?j ?k ?l . ?m ?n2 ?o }")
        cut = requests.get(service.sparql, params={"query": explosive}, timeout=60)
        assert cut.status_code == 403
        assert cut.json()["error"]["type"] == "limit-exceeded"
        assert cut.json()["error"]["limit"] == "QUERY_TIMEOUT"
        after = requests.get(service.sparql, params={"query": f"ASK {{ <{SWARZEDZ}> ?p ?o }}"},
                             timeout=60)
        assert after.status_code == 200 and after.json()["boolean"] is True
    finally:
        service.stop()
