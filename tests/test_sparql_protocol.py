"""The SPARQL 1.1 Protocol at /sparql through Flask's test client: every answer parsed back."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pyoxigraph
import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from graph.query.embedded import EmbeddedBackend
from service import create_app
from service.sparql import AnswerCache

TKG = "https://w3id.org/twinning-kg/def#"
SWARZEDZ = "https://w3id.org/twinning-kg/id/authority/pl/swarzędz"
PARTNERS = ("SELECT ?p WHERE { <https://w3id.org/twinning-kg/id/authority/pl/swarzędz> "
            f"<{TKG}twinnedWith> ?p }} ORDER BY ?p")
EXPECTED_PARTNERS = ["https://w3id.org/twinning-kg/id/authority/de/ronnenberg",
                     "https://w3id.org/twinning-kg/id/authority/se/järfälla"]
CONSTRUCT = (f"CONSTRUCT {{ ?p <{TKG}participant> ?a }} WHERE {{ ?p <{TKG}participant> ?a . "
             f"FILTER(?a = <{SWARZEDZ}>) }}")

RESULTS = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
GRAPHS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/n-quads": pyoxigraph.RdfFormat.N_QUADS,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
}


def partners(body: bytes, media_type: str) -> list[str]:
    if media_type == "text/csv":  # lossy, so pyoxigraph does not parse it
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["p"]
        return [row[0] for row in rows[1:]]
    parsed = pyoxigraph.parse_query_results(body, format=RESULTS[media_type])
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    return [s["p"].value for s in parsed]


def triples(body: bytes, media_type: str) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in pyoxigraph.parse(body, format=GRAPHS[media_type])}


EXPECTED_TRIPLES = {
    ("https://w3id.org/twinning-kg/id/partnership/de-ronnenberg--pl-swarzędz",
     TKG + "participant", SWARZEDZ),
    ("https://w3id.org/twinning-kg/id/partnership/pl-swarzędz--se-järfälla",
     TKG + "participant", SWARZEDZ),
}


@pytest.mark.parametrize("media_type", list(RESULTS))
def test_select_by_get_in_every_results_format(client: FlaskClient, media_type: str) -> None:
    response = client.get("/sparql", query_string={"query": PARTNERS},
                          headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert partners(response.data, media_type) == EXPECTED_PARTNERS
    assert "Accept" in response.vary


def test_select_by_post_form_and_by_post_direct(client: FlaskClient) -> None:
    form = client.post("/sparql", data={"query": PARTNERS})
    direct = client.post("/sparql", data=PARTNERS.encode(),
                         content_type="application/sparql-query; charset=utf-8")
    for response in (form, direct):
        assert response.status_code == 200
        assert partners(response.data, response.mimetype) == EXPECTED_PARTNERS


@pytest.mark.parametrize("media_type", list(GRAPHS))
def test_construct_in_every_rdf_format(client: FlaskClient, media_type: str) -> None:
    response = client.post("/sparql", data={"query": CONSTRUCT},
                           headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert triples(response.data, media_type) == EXPECTED_TRIPLES


def test_describe_returns_rdf(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{SWARZEDZ}>"},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert (SWARZEDZ, "http://www.w3.org/2000/01/rdf-schema#label", "Swarzędz") in triples(
        response.data, "application/n-triples")


def test_ask_answers_a_boolean(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": f"ASK {{ <{SWARZEDZ}> ?p ?o }}"})
    assert response.status_code == 200
    assert json.loads(response.data) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*;q=0.8, application/sparql-results+json;q=0.2", "text/csv"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/tab-separated-values, */*;q=0.1", "text/tab-separated-values"),
])
def test_accept_with_q_values_and_wildcards(client: FlaskClient, accept: str,
                                            expected: str) -> None:
    response = client.get("/sparql", query_string={"query": PARTNERS}, headers={"Accept": accept})
    assert response.mimetype == expected
    assert partners(response.data, expected) == EXPECTED_PARTNERS


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": PARTNERS, "format": "tsv"},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.mimetype == "text/tab-separated-values"
    construct = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "jsonld"})
    assert triples(construct.data, "application/ld+json") == EXPECTED_TRIPLES


def test_nothing_acceptable_is_406(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": PARTNERS},
                          headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.json is not None and response.json["error"]["type"] == "not-acceptable"
    construct = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    assert construct.status_code == 406


def test_syntax_error_is_400_with_message_and_position(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p "})
    assert response.status_code == 400
    error = response.json["error"]  # type: ignore[index]
    assert error["type"] == "query-syntax" and error["line"] == 1 and error["column"] > 20
    assert error["message"]


def test_syntax_error_page_for_people(client: FlaskClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", query_string={"query": "SELECT"},
                          headers={"Accept": browser})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert b"400 Bad Request" in response.data


@pytest.mark.parametrize(("kwargs", "status"), [
    ({"method": "GET", "query_string": {"default-graph-uri": "http://g"}}, 400),
    ({"method": "GET", "query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ({"method": "POST", "data": b"ASK {}", "content_type": "text/plain"}, 415),
    ({"method": "POST", "data": "ASK {}".encode("utf-16"),
      "content_type": "application/sparql-query; charset=UTF-16"}, 415),
    ({"method": "PUT", "query_string": {"query": "ASK {}"}}, 405),
    ({"method": "GET", "query_string": {"update": "CLEAR ALL"}}, 403),
    ({"method": "POST", "data": {"update": "LOAD <http://example.org/>"}}, 403),
    ({"method": "POST", "data": b"DROP ALL", "content_type": "application/sparql-update"}, 403),
    ({"method": "GET", "query_string": {"query": "DELETE WHERE { ?s ?p ?o }"}}, 403),
])
def test_bad_requests_and_updates_are_refused(client: FlaskClient, kwargs: dict[str, object],
                                              status: int) -> None:
    response = client.open("/sparql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.json is not None
    assert set(response.json["error"]) >= {"status", "title", "type", "message"}
    assert response.json["error"]["status"] == status


def test_still_answers_after_refusing_an_update(client: FlaskClient) -> None:
    client.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update")
    response = client.get("/sparql", query_string={"query": PARTNERS})
    assert partners(response.data, response.mimetype) == EXPECTED_PARTNERS


def test_service_description(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = {(q.subject.value, q.predicate.value, q.object.value)
             for q in pyoxigraph.parse(response.data, format=pyoxigraph.RdfFormat.TURTLE)}
    sd = "http://www.w3.org/ns/sparql-service-description#"
    from graph.core.settings import setting
    from service.public_url import served_base

    # without PUBLIC_BASE, the address served (HOST and PORT), whatever Host was sent
    base = served_base(setting("HOST"), int(setting("PORT")))
    service = f"{base}sparql#service"
    assert (service, sd + "endpoint", f"{base}sparql") in graph
    assert (service, sd + "supportedLanguage", sd + "SPARQL11Query") in graph
    assert (service, sd + "resultFormat", "http://www.w3.org/ns/formats/SPARQL_Results_JSON") \
        in graph
    assert (service, "http://www.w3.org/2000/01/rdf-schema#seeAlso",
            f"{base}.well-known/void") in graph
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html" and b"<form" in page.data


def test_service_description_forms_and_languages_by_parameter(client: FlaskClient) -> None:
    """The description page links its forms (``?format=turtle``) and its language switcher
    (``?lang=pl``): both are the description, while ``?format=json`` alone (a results format)
    is a protocol request without a query."""
    turtle = client.get("/sparql", query_string={"format": "turtle"})
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    polish = client.get("/sparql", query_string={"lang": "pl"}, headers={"Accept": "text/html"})
    assert polish.status_code == 200 and b'<html lang="pl">' in polish.data
    results_only = client.get("/sparql", query_string={"format": "json"})
    assert results_only.status_code == 400
    assert results_only.json is not None and "missing query" in \
        results_only.json["error"]["message"]


def test_etag_and_last_modified_follow_the_published_version(client: FlaskClient) -> None:
    first = client.get("/sparql", query_string={"query": PARTNERS})
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Last-Modified"] == "Tue, 24 Nov 2026 10:30:00 GMT"
    again = client.get("/sparql", query_string={"query": PARTNERS},
                       headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/sparql", query_string={"query": PARTNERS, "format": "csv"},
                       headers={"If-None-Match": first.headers["ETag"]})
    assert other.status_code == 200


def test_cors_headers_and_preflight(client: FlaskClient) -> None:
    response = client.get("/sparql", query_string={"query": PARTNERS},
                          headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]


def test_compression(client: FlaskClient) -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    response = client.get("/sparql", query_string={"query": query},
                          headers={"Accept-Encoding": "gzip", "Accept": "text/turtle"})
    assert response.headers["Content-Encoding"] == "gzip"
    plain = gzip.decompress(response.data)
    assert len(triples(plain, "text/turtle")) > 50


def test_request_body_limit(embedded_backend: EmbeddedBackend) -> None:
    app = create_app({"TESTING": True, "BACKEND": embedded_backend, "MAX_BODY_BYTES": 100})
    response = app.test_client().post("/sparql", data=b"ASK {}" + b" " * 200,
                                      content_type="application/sparql-query")
    assert response.status_code == 413
    assert response.json["error"]["type"] == "too-large"  # type: ignore[index]


def test_result_limit_is_403_with_advice(store_dir: str) -> None:
    backend = EmbeddedBackend(store_dir, processes=1, result_limit=3)  # type: ignore[arg-type]
    try:
        app = create_app({"TESTING": True, "BACKEND": backend})
        response = app.test_client().get("/sparql",
                                         query_string={"query": "SELECT * { ?s ?p ?o }"})
        assert response.status_code == 403
        assert "LIMIT" in response.json["error"]["message"]  # type: ignore[index]
    finally:
        backend.close()


def test_our_own_failure_is_500_not_400(store_dir: str) -> None:
    backend = EmbeddedBackend(store_dir, processes=1)  # type: ignore[arg-type]
    backend.runner.close()  # a backend whose workers are gone: our fault, not the client's
    app = create_app({"TESTING": True, "BACKEND": backend})
    response = app.test_client().get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 500
    assert response.json["error"]["type"] == "internal"  # type: ignore[index]


def test_repeated_requests_are_answered_in_front_of_flask(
        store_dir: str, embedded_backend: EmbeddedBackend) -> None:
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend})
    reached = _count_requests(app)
    client = app.test_client()
    json_type = "application/sparql-results+json"

    def ask(**headers: str) -> TestResponse:
        return client.post("/sparql", data={"query": PARTNERS}, headers=headers)

    first = ask(Accept=json_type)
    again = ask(Accept=json_type)
    assert len(reached) == 1  # the repeat never reached the app
    assert again.data == first.data and again.headers == first.headers
    assert partners(again.data, json_type) == EXPECTED_PARTNERS
    # another negotiation, another query, a revalidation: all go to the app
    as_csv = ask(Accept="text/csv")
    assert partners(as_csv.data, "text/csv") == EXPECTED_PARTNERS
    client.post("/sparql", data={"query": PARTNERS + " LIMIT 1"}, headers={"Accept": json_type})
    revalidated = ask(Accept=json_type, **{"If-None-Match": first.headers["ETag"]})
    assert revalidated.status_code == 304
    assert len(reached) == 4
    # refusals and errors are not kept
    for _ in range(2):
        assert client.get("/sparql", query_string={"query": "SELECT * {"}).status_code == 400
    assert len(reached) == 6


def test_caches_keep_digests_not_query_texts(store_dir: str,
                                             embedded_backend: EmbeddedBackend) -> None:
    """Large distinct queries cost the caches 16 bytes of key each, not their text."""
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend})
    client = app.test_client()
    cache = app.wsgi_app
    assert isinstance(cache, AnswerCache)
    generation = embedded_backend._live()
    kept_before = list(generation.answers()._items)  # other tests share the backend
    padding = "#" + "x" * 40_000 + "\n"
    for n in range(3):
        query = f"{padding}SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(?o != {n}) }}"
        response = client.post("/sparql", data={"query": query},
                               headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200
    keys = list(cache.answers(embedded_backend.published)._items)
    assert len(keys) == 3 and all(isinstance(k, bytes) and len(k) == 16 for k in keys)
    # the endpoint's answers are kept once, as whole responses, not again by the backend
    assert list(generation.answers()._items) == kept_before
    embedded_backend.query(query)  # pages ask the backend directly: their answers are kept
    added = [k for k in generation.answers()._items if k not in kept_before]
    assert [len(k) for k in added] == [16]


def test_both_paths_of_the_endpoint_leave_the_backend_cache_alone(
        store_dir: str, embedded_backend: EmbeddedBackend) -> None:
    """The fast lane (a form POST whose Accept was negotiated before) and the view (a
    application/sparql-query body, which the lane hands to the app) both ask the backend not
    to keep the answer: the answer cache in front of the app keeps it."""
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend})
    client = app.test_client()
    generation = embedded_backend._live()
    kept_before = list(generation.answers()._items)  # other tests share the backend
    json_type = "application/sparql-results+json"
    for n in range(3):  # the first negotiates Accept in the view, the others take the lane
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(?o != {n + 100}) }}"
        assert client.post("/sparql", data={"query": query},
                           headers={"Accept": json_type}).status_code == 200
        assert client.post("/sparql", data=query + " # as a body", headers={
            "Accept": json_type, "Content-Type": "application/sparql-query"}
        ).status_code == 200
    assert list(generation.answers()._items) == kept_before


def test_country_look_up_caches_no_long_user_text() -> None:
    from graph.core.countries import UnknownCountry, _resolve_country, resolve_country

    before = _resolve_country.cache_info().currsize
    for n in range(50):
        with pytest.raises(UnknownCountry):
            resolve_country(f"{n} " + "Atlantis " * 100)
    assert _resolve_country.cache_info().currsize == before
    assert _resolve_country.cache_info().maxsize is not None


def test_answer_cache_can_be_turned_off(store_dir: str,
                                        embedded_backend: EmbeddedBackend) -> None:
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend,
                      "CACHE_MB": 0})
    reached = _count_requests(app)
    client = app.test_client()
    for _ in range(3):
        response = client.get("/sparql", query_string={"query": PARTNERS})
        assert partners(response.data, "application/sparql-results+json") == EXPECTED_PARTNERS
    assert len(reached) == 3


def _count_requests(app: Flask) -> list[str]:
    """The methods of the requests that reach the app's views (a real before_request hook)."""
    reached: list[str] = []

    def count() -> None:
        reached.append(request.method)

    app.before_request(count)
    return reached
