"""The fast lane to ``/sparql`` (:mod:`service.sparql_lane`) answers the commonest requests
exactly as the app does (status, every header, body), errors included, and leaves every other
request to the app."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.query.backend import Backend
from service import create_app
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


def _post(client: FlaskClient, form: dict[str, str] | list[tuple[str, str]],
          **headers: str) -> tuple[int, dict[str, str], bytes]:
    answer = client.post("/sparql", data=urlencode(form), content_type=FORM,
                         headers=headers)
    return answer.status_code, dict(answer.headers), answer.data


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


def _get(client: FlaskClient, form: dict[str, str],
         **headers: str) -> tuple[int, dict[str, str], bytes]:
    answer = client.get("/sparql?" + urlencode(form), headers=headers)
    return answer.status_code, dict(answer.headers), answer.data


def test_the_lane_leaves_other_requests_to_the_app(store_dir: Path,
                                                   embedded_backend: Backend) -> None:
    app = _app(store_dir, embedded_backend, lane=True)
    client = app.test_client()
    query = {"query": SELECT}
    assert _post(client, query, Accept=JSON)[0] == 200
    _teapot_view(app)
    assert _post(client, query, Accept=JSON)[0] == 200  # the lane
    others = [
        _post(client, query, Accept=JSON, **{"Accept-Encoding": "gzip"}),
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
