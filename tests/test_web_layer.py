"""The app-wide web layer: headers every blueprint's responses get from ``create_app``, the
template helpers every page gets from it (an app without the browsing blueprint renders its
HTML pages, linking only to pages it serves), and the one way validators (ETag,
Last-Modified, 304) and ``Link`` headers are made (:mod:`service.http`)."""

from __future__ import annotations

import gzip
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from rdflib import Graph
from rdflib.namespace import DCAT, RDF, RDFS
from werkzeug.exceptions import NotFound

from graph.core.iris import NUTS_BASE, authority_iri, data_base
from graph.query.backend import Backend
from service import create_app
from service.i18n import translate
from service.public_url import public_url
from service.sparql import AnswerCache
from service.templating import page_url
from tests.browse_support import read_page
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
    revalidates without gzip too (a strong tag gets ``:gzip`` appended by service.compression)."""
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


# --- pages of an app without the browsing blueprint -----------------------------------------

ENDPOINT_AND_LINKED_DATA = ("service.sparql:bp", "service.linked_data:bp")
TOWN = quote(authority_iri("PL", "Swarzędz")[len(data_base()):])


class _Urls(HTMLParser):
    """Every URL a page points at: ``(tag, attribute, URL)`` for ``href``, ``src``, ``action``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [(tag, name, value) for name, value in attrs
                      if name in ("href", "src", "action") and value]


def _urls(html: str) -> list[tuple[str, str, str]]:
    parser = _Urls()
    parser.feed(html)
    parser.close()
    return parser.urls


def _own_urls(app: Flask, page: str, html: str) -> list[tuple[str, str]]:
    """``(method, URL)`` of every link and form of ``html`` that leads to the app itself
    (relative, or under its public base), resolved against the page's own URL."""
    with app.test_request_context():
        base = public_url("/")
    own = []
    for tag, _, url in _urls(html):
        if url.startswith("#"):
            continue
        absolute = urljoin(base + page.lstrip("/"), url)
        if absolute.startswith(base):
            own.append(("POST" if tag == "form" else "GET", "/" + absolute[len(base):]))
    return own


def _served(app: Flask, method: str, url: str) -> bool:
    parts = urlsplit(url)
    try:
        app.url_map.bind("localhost").match(parts.path, method=method)
    except NotFound:
        return False
    return True


@pytest.fixture
def partial_app(store_dir: Path, embedded_backend: Backend) -> Flask:
    """The SPARQL endpoint and Linked Data only: no browsing pages, no open data."""
    return create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend,
                       "BLUEPRINTS": ENDPOINT_AND_LINKED_DATA})


@pytest.mark.parametrize(("path", "status"), [
    ("/sparql", 200), ("/no-such-page?x=1", 404), (f"/doc/{TOWN}", 200)])
def test_pages_without_the_browsing_blueprint_link_only_to_pages_it_serves(
        partial_app: Flask, path: str, status: int) -> None:
    """The HTML service description, an HTML 404 and a Linked Data page render with the
    interface text in the reader's language and the switcher; every link and form leads to a
    page the app serves, and each link followed answers 200: no /search, /query, / or VoID, and
    the switcher's ``/sparql?lang=`` is the description, not a query without a query."""
    assert "browse.home" not in partial_app.view_functions
    client = partial_app.test_client()
    response = client.get(path, headers={"Accept": "text/html", "Accept-Language": "pl"})
    assert response.status_code == status and response.mimetype == "text/html"
    page = read_page(response.text)
    assert page.html_lang == "pl"
    assert translate("nav.sparql", "pl") in page.link_texts()
    assert translate("footer.licence", "pl") in "".join(page.text)
    switcher = [url for tag, name, url in _urls(response.text) if "lang=" in url]
    assert sorted(parse_qs(urlsplit(url).query)["lang"][0] for url in switcher) == \
        ["cs", "en", "pl"]
    own = _own_urls(partial_app, path, response.text)
    assert ("GET", "/sparql") in own
    for method, url in own:
        assert _served(partial_app, method, url), f"{path} links to {url}, which is not served"
        if method == "GET":
            with client.get(url, headers={"Accept": "text/html"},
                            follow_redirects=True) as followed:
                assert followed.status_code == 200, f"{path} links to {url}: {followed.status}"


def test_full_app_pages_link_to_every_blueprint(client: FlaskClient, app: Flask) -> None:
    """The same service description in the full app: the navigation names the browsing and
    open data pages too (and they are served), and the description links VoID."""
    page = client.get("/sparql", headers={"Accept": "text/html"})
    own = dict.fromkeys(url for _, url in _own_urls(app, "/sparql", page.text))
    assert {"/", "/search", "/query", "/find-partner", "/downloads/", "/.well-known/void"} <= \
        set(own)
    assert all(_served(app, "GET", url) for url in own)


def test_service_description_names_void_only_where_it_is_served(partial_app: Flask,
                                                                client: FlaskClient) -> None:
    partial = partial_app.test_client().get("/sparql", headers={"Accept": "text/turtle"})
    full = client.get("/sparql", headers={"Accept": "text/turtle"})
    see_also = [set(Graph().parse(data=answer.text, format="turtle").objects(None, RDFS.seeAlso))
                for answer in (partial, full)]
    assert see_also[0] == set() and len(see_also[1]) == 1
    assert "Link" not in partial.headers and 'rel="describedby"' in full.headers["Link"]


def test_links_from_iris_without_the_browsing_blueprint(partial_app: Flask, app: Flask) -> None:
    """A minted IRI leads to its Linked Data document where there is no browsing page, a NUTS
    IRI to itself; /id/ sends browsers to the /doc/ page, not to a page the app lacks."""
    town, nuts = authority_iri("PL", "Swarzędz"), f"{NUTS_BASE}PL213"
    with partial_app.test_request_context():
        assert page_url(town) == f"/id/{TOWN}"
        assert page_url(nuts) == nuts
    with app.test_request_context():
        assert page_url(town) == f"/authority/{TOWN.removeprefix('authority/')}"
        assert page_url(nuts) == "/nuts/PL213"
    seen = partial_app.test_client().get(f"/id/{TOWN}", headers={"Accept": "text/html"})
    assert seen.status_code == 303 and seen.headers["Location"] == f"/doc/{TOWN}"
