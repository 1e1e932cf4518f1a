"""The fast lane to ``/sparql`` (:mod:`service.sparql_lane`) answers the commonest requests
exactly as the app does (status, every header in order, body), errors and compression included,
and leaves every other request to the app."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.query.backend import Backend
from service import create_app
from service.compression import MIN_BYTES
from service.sparql_lane import FastLane

JSON = "application/sparql-results+json"
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 3"
FORM = "application/x-www-form-urlencoded"
TEAPOT = 418


def _app(store_dir: Path, backend: Backend, lane: bool, **config: object) -> Flask:
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": backend,
                      "CACHE_MB": 0, **config})
    if not lane:
        _lane_of(app).enabled = False
    return app


def _lane_of(app: Flask) -> FastLane:
    lane = app.wsgi_app.wrapped  # type: ignore[attr-defined]  # inside the AnswerCache
    assert isinstance(lane, FastLane)
    return lane


Answer = tuple[int, list[tuple[str, str]], bytes]


def _post(client: FlaskClient, form: dict[str, str] | list[tuple[str, str]],
          **headers: str) -> Answer:
    answer = client.post("/sparql", data=urlencode(form), content_type=FORM,
                         headers=headers)
    return answer.status_code, list(answer.headers), answer.data


def _teapot_view(app: Flask) -> None:
    """After it has been primed, the app's own view answers 418: a 200 then comes from the
    lane, a 418 from the app."""
    app.view_functions["sparql.endpoint"] = lambda: ("the app answered", TEAPOT)


REQUESTS: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"query": SELECT}, {"Accept": JSON}),
    ({"query": SELECT}, {"Accept": "text/csv"}),
    ({"query": SELECT, "format": "xml"}, {}),
    ({"query": "ASK { ?s ?p ?o }"}, {"Accept": "*/*"}),
    ({"query": CONSTRUCT}, {"Accept": "text/turtle"}),
    ({"query": CONSTRUCT}, {"Accept": "application/n-triples, */*;q=0.1"}),
    ({"query": SELECT, "default-graph-uri": "http://example.org/none"}, {"Accept": JSON}),
    ({"query": "SELECT * WHERE { ?s ?p }"}, {"Accept": JSON}),  # a syntax error: 400
    ({"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}, {"Accept": JSON}),  # 406
    ({"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, {"Accept": JSON}),
]


@pytest.mark.parametrize(("form", "headers"), REQUESTS)
def test_the_lane_answers_as_the_app_does(store_dir: Path, embedded_backend: Backend,
                                          form: dict[str, str], headers: dict[str, str],
                                          ) -> None:
    plain = _app(store_dir, embedded_backend, lane=False).test_client()
    laned_app = _app(store_dir, embedded_backend, lane=True)
    laned = laned_app.test_client()
    expected = _post(plain, form, **headers)
    expected_get = _get(plain, form, **headers)
    assert _post(laned, form, **headers) == expected  # the first one primes the lane
    if expected[0] == 200:
        _teapot_view(laned_app)
    assert _post(laned, form, **headers) == expected
    assert _get(laned, form, **headers) == expected_get


def _get(client: FlaskClient, form: dict[str, str], **headers: str) -> Answer:
    answer = client.get("/sparql?" + urlencode(form), headers=headers)
    return answer.status_code, list(answer.headers), answer.data


LARGE = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 30"  # 7 kB of JSON
SMALL = "ASK { ?s ?p ?o }"  # 26 bytes of JSON, below MIN_BYTES
ENCODINGS: list[tuple[str, str | None]] = [
    ("gzip", "gzip"),
    ("gzip, deflate", "gzip"),  # python-requests, urllib3
    ("gzip, deflate, br, zstd", "gzip"),  # browsers
    ("br;q=1.0, gzip;q=0.8, *;q=0.1", "gzip"),
    ("deflate", "deflate"),
    ("gzip;q=0", None),
    ("gzip; q=0, deflate;q=0", None),
    ("identity", None),
    ("br", None),
    ("gzip;q=0.5, identity", None),
]


@pytest.mark.parametrize(("accept_encoding", "coding"), ENCODINGS)
def test_the_lane_compresses_as_the_app_does(store_dir: Path, embedded_backend: Backend,
                                             accept_encoding: str, coding: str | None) -> None:
    """Every header in order and the very bytes (gzip carries no timestamp), by GET and POST,
    above and below the smallest size compressed; the app's own view answers 418 once the
    lane is primed, so the 200s come from the lane."""
    headers = {"Accept": JSON, "Accept-Encoding": accept_encoding}
    plain = _app(store_dir, embedded_backend, lane=False).test_client()
    laned_app = _app(store_dir, embedded_backend, lane=True)
    laned = laned_app.test_client()

    def answers(client: FlaskClient) -> list[Answer]:
        return [ask(client, {"query": query}, **headers)
                for query in (LARGE, SMALL) for ask in (_post, _get)]

    expected = answers(plain)
    assert _post(laned, {"query": LARGE}, **headers) == expected[0]  # primes the lane
    _teapot_view(laned_app)
    assert answers(laned) == expected
    (_, large_headers, large), _, (_, small_headers, small), _ = expected
    identity = _post(plain, {"query": LARGE}, Accept=JSON)[2]
    assert len(identity) >= MIN_BYTES > len(small)
    assert dict(large_headers).get("Content-Encoding") == coding
    assert json.loads(_decoded(large, coding)) == json.loads(identity)
    assert "Content-Encoding" not in dict(small_headers)
    assert json.loads(small) == {"head": {}, "boolean": True}


def _decoded(body: bytes, coding: str | None) -> bytes:
    if coding == "gzip":
        return gzip.decompress(body)
    return zlib.decompress(body) if coding == "deflate" else body


def test_the_lane_leaves_other_requests_to_the_app(store_dir: Path,
                                                   embedded_backend: Backend) -> None:
    app = _app(store_dir, embedded_backend, lane=True)
    client = app.test_client()
    query = {"query": SELECT}
    assert _post(client, query, Accept=JSON)[0] == 200
    _teapot_view(app)
    assert _post(client, query, Accept=JSON)[0] == 200  # the lane
    assert _post(client, query, Accept=JSON, **{"Accept-Encoding": "gzip"})[0] == 200  # lane
    others = [
        _post(client, query, Accept=JSON, **{"If-None-Match": 'W/"x"'}),
        _post(client, query, Accept="application/sparql-results+json;q=0.9"),  # not seen yet
        _post(client, [("query", SELECT), ("query", SELECT)], Accept=JSON),
        _post(client, {"query": SELECT, "update": "CLEAR ALL"}, Accept=JSON),
        _post(client, {"query": "x" * 200_000}, Accept=JSON),
    ]
    assert [status for status, _, _ in others] == [TEAPOT] * len(others)
    assert client.get("/sparql", query_string=query, headers={"Accept": JSON}).status_code \
        == 200  # the lane
    assert client.get("/sparql", headers={"Accept": "text/html"}).status_code == TEAPOT
    assert client.get("/sparql?format=json").status_code == TEAPOT  # no query: the app's 400
    assert client.head("/sparql", query_string=query, headers={"Accept": JSON}).status_code \
        == TEAPOT
    assert client.get("/sparql?query=" + quote(SELECT) + "%zz",
                      headers={"Accept": JSON}).status_code == TEAPOT
    stray = "query=" + quote(SELECT) + "+%23+100%"  # a % that starts no escape: Werkzeug's
    assert client.post("/sparql", data=stray, content_type=FORM,
                       headers={"Accept": JSON}).status_code == TEAPOT
    assert client.post("/sparql?x=1", data=urlencode(query), content_type=FORM,
                       headers={"Accept": JSON}).status_code == TEAPOT


def test_the_lane_stays_off_when_the_app_has_other_hooks(
        store_dir: Path, embedded_backend: Backend) -> None:
    app = _app(store_dir, embedded_backend, lane=True)
    app.after_request(lambda response: response)
    client = app.test_client()
    assert _post(client, {"query": SELECT}, Accept=JSON)[0] == 200
    _teapot_view(app)
    assert _post(client, {"query": SELECT}, Accept=JSON)[0] == TEAPOT
    assert _lane_of(app).enabled is False
