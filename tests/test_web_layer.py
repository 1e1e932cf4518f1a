"""The app-wide web layer: headers every blueprint's responses get from ``create_app``, and
the one way validators (ETag, Last-Modified, 304) and ``Link`` headers are made
(:mod:`service.http`)."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from graph.core.iris import authority_iri, data_base
from graph.query.backend import Backend
from service import create_app
from service.sparql import AnswerCache
from tests.open_data_support import make_app, publish_sample

ASK = {"query": "ASK { ?s ?p ?o }"}
JSON_RESULTS = "application/sparql-results+json"


def _has_app_headers(headers: object, where: str) -> None:
    policy = headers.get("Content-Security-Policy", "")  # type: ignore[attr-defined]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, where
    assert headers.get("X-Content-Type-Options") == "nosniff", where  # type: ignore[attr-defined]
    assert headers.get("Access-Control-Allow-Origin") == "*", where  # type: ignore[attr-defined]


def test_sparql_alone_keeps_policy_cors_and_answer_cache(
        store_dir: Path, embedded_backend: Backend) -> None:
    """Built without the browsing blueprint (which used to set the CSP), /sparql keeps it."""
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend,
                      "BLUEPRINTS": ("service.sparql:bp",)})
    assert "browse.home" not in app.view_functions
    assert isinstance(app.wsgi_app, AnswerCache)
    client = app.test_client()
    answer = client.get("/sparql", query_string=ASK, headers={"Accept": JSON_RESULTS})
    assert answer.status_code == 200 and answer.json == {"head": {}, "boolean": True}
    _has_app_headers(answer.headers, "/sparql")
    preflight = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    missing = client.get("/", headers={"Accept": "application/json"})
    assert missing.status_code == 404
    _has_app_headers(missing.headers, "/ (not served)")


def test_every_blueprint_answers_with_the_app_headers(client: FlaskClient) -> None:
    town = quote(authority_iri("PL", "Swarzędz")[len(data_base()):])
    for url in ("/sparql?query=ASK%20%7B%7D", f"/doc/{town}.ttl", "/search?q=a",
                "/find-partner", "/no-such-page"):
        _has_app_headers(client.get(url).headers, url)


def test_language_cookie_on_pages_of_any_blueprint(client: FlaskClient) -> None:
    town = quote(authority_iri("PL", "Swarzędz")[len(data_base()):])
    page = client.get(f"/doc/{town}?lang=pl", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html"
    assert "lang=pl" in page.headers.get("Set-Cookie", "")


def test_linked_data_revalidates_by_date(client: FlaskClient) -> None:
    town = quote(authority_iri("PL", "Swarzędz")[len(data_base()):])
    first = client.get(f"/doc/{town}.ttl")
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(f"/doc/{town}.ttl",
                       headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]


@pytest.fixture
def open_data(tmp_path: Path) -> FlaskClient:
    publish_sample(tmp_path)
    return make_app(tmp_path).test_client()


def test_compressed_catalogue_revalidates(open_data: FlaskClient) -> None:
    """The weak ETag names the answer however it is encoded: a copy fetched gzipped
    revalidates without gzip too (a strong tag gets ``:gzip`` appended by Flask-Compress)."""
    asked = {"Accept": "text/turtle", "Accept-Encoding": "gzip"}
    first = open_data.get("/catalog", headers=asked)
    assert first.headers["Content-Encoding"] == "gzip"
    catalogue = Graph().parse(data=gzip.decompress(first.data), format="turtle")
    assert (None, RDF.type, DCAT.Catalog) in catalogue
    assert first.headers["ETag"].startswith('W/"')
    again = open_data.get("/catalog", headers={**asked, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    plain = open_data.get("/catalog", headers={"Accept": "text/turtle",
                                               "If-None-Match": first.headers["ETag"]})
    assert plain.status_code == 304
    other_form = open_data.get("/catalog", headers={"Accept": "application/ld+json",
                                                    "If-None-Match": first.headers["ETag"]})
    assert other_form.status_code == 200


def test_links_only_where_there_are_some(open_data: FlaskClient) -> None:
    catalogue = open_data.get("/catalog", headers={"Accept": "text/turtle"})
    assert 'rel="alternate"; type="application/ld+json"' in catalogue.headers["Link"]
    sitemap = open_data.get("/sitemap.xml")
    assert sitemap.status_code == 200 and "Link" not in sitemap.headers
