"""Findings 8-11 and 14 of the security review (issue 13), each a regression test.

The web findings are checked over HTTP against one real ``twinkg serve`` process for the
module, serving the service fixture plus ``tests/data/service/hostile.trig`` (a label written
as HTML, IRIs with ``javascript:``, ``data:`` and ``vbscript:`` schemes); the map is looked at
in Debian's Chromium. The build findings are checked on a real small build.

* 8: request parameters named like ``url_for``'s own (``_anchor``, ``_method``, ``endpoint``)
  or like a view argument (``key``) were passed to ``url_for`` as keywords: a 500.
* 9: only ``http(s)`` IRIs become links; a CSV's ``source_url`` must be ``http(s)``.
* 10: map tooltips and popups show labels as text, never as HTML.
* 11: absolute URLs come from ``PUBLIC_BASE`` (default: the address served), never ``Host``.
* 14: summary.json publishes no absolute path of the build machine.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pyoxigraph
import pytest
import requests
from click.testing import CliRunner
from flask.testing import FlaskClient

from graph.pipeline.build import build
from graph.query.embedded import EmbeddedBackend
from service import create_app, open_data
from service.cli import main
from tests.conftest import SERVICE_DATA, build_store
from tests.servers import Server, start_twinkg

HOSTILE = SERVICE_DATA / "hostile.trig"
LABEL = "<img src=x onerror=document.title='pwned'>"
"""The label of ``authority/cz/hostile`` in hostile.trig: HTML, to be shown as text."""
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
SOURCES = Path(__file__).resolve().parent / "data" / "sources"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``twinkg serve`` (one worker) on the service fixture plus the hostile data."""
    folder = tmp_path_factory.mktemp("hardening")
    store = build_store(folder / "store", SERVICE_DATA / "fixture.trig", HOSTILE)
    served = start_twinkg(folder, store=store, workers=1)
    yield served
    served.stop()


def _get(server: Server, path: str, **headers: str) -> requests.Response:
    return requests.get(server.url + path, headers=headers, timeout=60,
                        allow_redirects=False)


class _Links(HTMLParser):
    """Every URL-valued attribute of a page (``href``, ``src``, ``action``, ...) and its
    text."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href",
                                "poster", "data"})

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [(tag, name, value or "") for name, value in attrs
                      if name in self.URL_ATTRIBUTES]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _links(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser


def _scheme_as_browsers_read_it(url: str) -> str:
    """Browsers drop ASCII whitespace and controls before reading a URL's scheme."""
    return "".join(c for c in url if ord(c) > 0x20).lower()


# --- 8: request parameters never become url_for keywords ------------------------------------

PARAMETER_URLS = {
    "/?_anchor=x": 200,
    "/?_method=x": 200,
    "/theme/culture?key=x": 200,
    "/search?q=a&endpoint=x": 200,
    # the fixture store has no recommender data: the form answers 503 with a sentence
    "/find-partner?_anchor=x&authority=a": 503,
}


@pytest.mark.parametrize("url", list(PARAMETER_URLS))
def test_parameters_named_like_url_for_arguments_are_kept_not_a_500(
        server: Server, url: str) -> None:
    response = _get(server, url, Accept="text/html")
    assert response.status_code == PARAMETER_URLS[url], response.text[:500]
    assert response.headers["Content-Type"].startswith("text/html")
    asked = parse_qsl(urlsplit(url).query)
    # The language switcher links to the same page with every parameter kept, encoded.
    switcher = [value for tag, name, value in _links(response.text).urls
                if tag == "a" and name == "href" and "lang=" in value]
    assert {dict(parse_qsl(urlsplit(link).query))["lang"] for link in switcher} == \
        {"en", "pl", "cs"}
    for link in switcher:
        assert urlsplit(link).path == urlsplit(url).path
        kept = parse_qsl(urlsplit(link).query)
        assert [pair for pair in kept if pair[0] != "lang"] == asked


def test_find_partner_links_its_json_with_the_parameters_encoded(server: Server) -> None:
    response = _get(server, "/find-partner?_anchor=x&authority=a%26b&country=PL&country=CZ")
    link = response.headers["Link"]
    assert link.startswith("</api/suggest?") and 'rel="alternate"' in link
    target = link[1:link.index(">")]
    assert parse_qsl(urlsplit(target).query) == [
        ("_anchor", "x"), ("authority", "a&b"), ("country", "PL"), ("country", "CZ")]
    answer = _get(server, target)
    # the API reads the same parameters; without recommender data it says so, in JSON
    assert answer.status_code == 503
    assert "suggestions are not available" in answer.json()["error"]["message"]


# --- 9: only http(s) IRIs become links -------------------------------------------------------

JAVASCRIPT_QUERY = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(1)//") AS ?x) }'
PAGES_WITH_HOSTILE_IRIS = {
    # path: (an unsafe IRI the page shows as text, a safe link from data it still has)
    "/query?query=" + quote(JAVASCRIPT_QUERY): ("javascript:alert(1)//", None),
    "/authority/cz/hostile": ("javascript:alert(1)//", "/authority/pl/swarz"),
    "/partnership/" + quote("cz-hostile--pl-swarzędz"): (
        "javascript:alert(5)", "https://www.example.org/twinning"),
    "/doc/authority/cz/hostile": ("javascript:alert(1)//", "/id/authority/pl/swarz"),
    "/theme/culture": ("", "/partnership/cz-hostile--pl-swarz"),
    "/": ("", None),
}


@pytest.mark.parametrize("path", list(PAGES_WITH_HOSTILE_IRIS))
def test_no_page_links_an_iri_that_is_not_http(server: Server, path: str) -> None:
    response = _get(server, path, Accept="text/html")
    assert response.status_code == 200, response.text[:500]
    page = _links(response.text)
    unsafe = [(tag, name, value) for tag, name, value in page.urls
              if _scheme_as_browsers_read_it(value).startswith(UNSAFE_SCHEMES)]
    assert unsafe == []
    shown, linked = PAGES_WITH_HOSTILE_IRIS[path]
    assert shown in "".join(page.text)  # the IRI is still there for the reader, as text
    if linked is not None:  # pages and http(s) IRIs still are links
        assert any(tag == "a" and name == "href" and value.startswith(linked)
                   for tag, name, value in page.urls)


def test_partnership_page_links_its_http_source_only(server: Server) -> None:
    page = _links(_get(server, "/partnership/" + quote("cz-hostile--pl-swarzędz")).text)
    hrefs = {value for tag, name, value in page.urls if tag == "a" and name == "href"}
    assert "https://www.example.org/twinning" in hrefs
    assert not any("alert" in href for href in hrefs)


# --- 10: map labels are text -----------------------------------------------------------------

def test_map_shows_a_label_written_as_html_as_text(server: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    try:
        tab.goto(server.url + "/authority/cz/hostile")
        tab.wait_for_selector("#map[data-lines-drawn]")
        assert tab.get_attribute("#map", "data-lines-drawn") == "1"
        markers = tab.locator("#map path.leaflet-interactive")
        assert markers.count() == 2
        tooltips, popups = set(), set()
        for i in range(markers.count()):
            markers.nth(i).hover()
            tab.wait_for_selector(".leaflet-tooltip")
            tooltips.update(tab.locator(".leaflet-tooltip").all_text_contents())
            markers.nth(i).click()
            tab.wait_for_selector(".leaflet-popup-content a")
            link = tab.locator(".leaflet-popup-content a")
            popups.add(link.text_content() or "")
            assert (link.get_attribute("href") or "").startswith("/authority/")
            assert tab.locator(".leaflet-pane img").count() == 0
            tab.locator(".leaflet-popup-close-button").click()
            tab.wait_for_selector(".leaflet-popup", state="detached")
            tab.mouse.move(0, 0)
            tab.wait_for_selector(".leaflet-tooltip", state="detached")
        assert tooltips == popups == {f"{LABEL} (CZ)", "Swarzędz (PL)"}
        assert tab.locator("#map img[src='x']").count() == 0
        assert tab.title() != "pwned"
    finally:
        context.close()


# --- 11: absolute URLs never come from the Host header ---------------------------------------

HOST_PAGES = [
    ("/robots.txt", {}),
    ("/sitemap.xml", {}),
    ("/sparql", {"Accept": "text/turtle"}),
    ("/sparql", {"Accept": "text/html"}),
    ("/query?query=" + quote("ASK {}"), {"Accept": "text/html"}),
    ("/", {"Accept": "text/html"}),
]


def _meaning(response: requests.Response) -> object:
    """The body; for RDF the triples, blank nodes unnamed (their labels change per answer)."""
    if response.headers["Content-Type"].startswith("text/turtle"):
        def term(t: Any) -> str:
            return "_:b" if isinstance(t, pyoxigraph.BlankNode) else str(t)

        return sorted((term(t.subject), term(t.predicate), term(t.object)) for t in
                      pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.TURTLE))
    return response.content


@pytest.mark.parametrize(("path", "headers"), HOST_PAGES)
@pytest.mark.parametrize("forged", [{"Host": "evil.example"},
                                    {"Host": "evil.example:8080"},
                                    {"X-Forwarded-Host": "evil.example"}])
def test_a_forged_host_changes_no_url_in_cacheable_answers(
        server: Server, path: str, headers: dict[str, str], forged: dict[str, str]) -> None:
    honest = _get(server, path, **headers)
    forged_response = _get(server, path, **headers, **forged)
    assert honest.status_code == forged_response.status_code == 200
    assert _meaning(forged_response) == _meaning(honest)
    assert forged_response.headers.get("Link") == honest.headers.get("Link")
    assert b"evil.example" not in forged_response.content
    assert "evil.example" not in forged_response.headers.get("Link", "")


def test_default_public_base_is_the_address_served(server: Server) -> None:
    robots = _get(server, "/robots.txt", Host="evil.example").text.splitlines()
    assert f"Sitemap: {server.url}/sitemap.xml" in robots
    description = _get(server, "/sparql", Accept="text/turtle", Host="evil.example")
    assert f"<{server.url}/sparql#service>" in description.text
    assert description.headers["Link"] == f'<{server.url}/.well-known/void>; rel="describedby"'
    sitemap = _get(server, "/sitemap.xml", Host="evil.example").text
    assert f"<loc>{server.url}/id/authority/cz/hostile</loc>" in sitemap


@pytest.fixture
def public_client(store_dir: Path, embedded_backend: EmbeddedBackend) -> FlaskClient:
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend,
                      "PUBLIC_BASE": "https://twinning.example/kg"})
    return app.test_client()


def test_configured_public_base_makes_every_absolute_url(public_client: FlaskClient) -> None:
    evil = {"Host": "evil.example"}
    robots = public_client.get("/robots.txt", headers=evil).get_data(as_text=True)
    assert "Sitemap: https://twinning.example/kg/sitemap.xml" in robots.splitlines()
    sitemap = public_client.get("/sitemap.xml", headers=evil).get_data(as_text=True)
    assert "<loc>https://twinning.example/kg/catalog</loc>" in sitemap
    assert "<loc>https://twinning.example/kg/id/authority/pl/swarz%C4%99dz</loc>" in sitemap
    assert "evil.example" not in sitemap and "localhost" not in sitemap
    description = public_client.get("/sparql", headers={**evil, "Accept": "text/turtle"})
    assert "<https://twinning.example/kg/sparql#service>" in description.get_data(as_text=True)
    assert description.headers["Link"] == \
        '<https://twinning.example/kg/.well-known/void>; rel="describedby"'
    editor = public_client.get("/query", query_string={"query": "ASK {}"}, headers=evil)
    assert "https://twinning.example/kg/query?query=ASK" in editor.get_data(as_text=True)


def test_sitemap_index_parts_and_a_mounted_app_use_the_public_base(
        public_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(open_data, "SITEMAP_LIMIT", 2)
    index = public_client.get("/sitemap.xml", headers={"Host": "evil.example"})
    parts = re.findall(r"<loc>([^<]*)</loc>", index.get_data(as_text=True))
    assert len(parts) > 1
    assert parts == [f"https://twinning.example/kg/sitemap-{n}.xml"
                     for n in range(1, len(parts) + 1)]
    # behind a proxy that mounts the app at /kg, the prefix is written once
    mounted = public_client.get("/robots.txt", base_url="http://evil.example/kg/")
    assert "Sitemap: https://twinning.example/kg/sitemap.xml" in \
        mounted.get_data(as_text=True).splitlines()


def test_serve_refuses_a_public_base_that_is_not_an_http_url(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--store", str(tmp_path),
                                       "--public-base", "twinning.example"])
    assert result.exit_code == 1
    assert "PUBLIC_BASE must be an absolute http(s) URL" in result.output
    assert "Traceback" not in result.output


# --- 9 (CSV) and 14: a real small build ------------------------------------------------------

CSV_ROWS = [
    ["Swarzędz", "PL", "3021092", "Ronnenberg", "Germany", "1998", "", "twinning", "active",
     "", "", "", "https://www.swarzedz.pl/partnerzy"],
    ["Swarzędz", "PL", "3021092", "Brest", "France", "2003", "", "", "", "", "", "",
     "javascript:alert(1)"],
    ["Hlučín", "CZ", "599646", "Varna", "Bulgaria", "2001", "", "", "", "", "", "",
     "data:text/html,<script>alert(1)</script>"],
    ["Hlučín", "CZ", "599646", "Brest", "France", "2004", "", "", "", "", "", "",
     " VBScript:msgbox(1)"],
    ["Hlučín", "CZ", "599646", "Racibórz", "Poland", "2005", "", "", "", "", "", "",
     "https:///no-host"],
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of the curated fixture and a partnerships CSV with bad source URLs."""
    folder = tmp_path_factory.mktemp("hardening-build")
    data = folder / "data"
    shutil.copytree(SOURCES / "curated", data / "curated")
    with (data / "partnerships.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["authority", "country", "official_code", "partner", "partner_country",
                         "since", "until", "type", "status", "themes", "programme", "notes",
                         "source_url"])
        writer.writerows(CSV_ROWS)
    store = folder / "store"
    build(store, [f"curated:{data / 'curated'}", f"partnerships:{data / 'partnerships.csv'}"],
          shapes=[SOURCES / "shapes.ttl"], open_data=False)
    return store


def test_a_source_url_that_is_not_http_rejects_its_row(built: Path) -> None:
    with (built / "current" / "reports" / "rejects.csv").open(encoding="utf-8") as handle:
        rejects = [(Path(r["file"]).name, int(r["row"]), r["reason"])
                   for r in csv.DictReader(handle)]
    assert rejects == [
        ("partnerships.csv", 3, "source_url 'javascript:alert(1)' is not an http(s) URL"),
        ("partnerships.csv", 4,
         "source_url 'data:text/html,<script>alert(1)</script>' is not an http(s) URL"),
        # cells are stripped before they are read: the leading space does not hide the scheme
        ("partnerships.csv", 5, "source_url 'VBScript:msgbox(1)' is not an http(s) URL"),
        ("partnerships.csv", 6, "source_url 'https:///no-host' has no host"),
    ]
    summary = json.loads((built / "current" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["rows_read"], summary["rows_imported"], summary["rows_rejected"]) == \
        (5, 1, 4)


def test_summary_names_no_absolute_path_of_the_build_machine(built: Path) -> None:
    text = (built / "current" / "summary.json").read_text(encoding="utf-8")
    summary = json.loads(text)
    files = {(s["kind"], s["file"]) for s in summary["sources"]}
    assert files == {("curated", "curated"), ("partnerships", "partnerships.csv")}
    rdf_files = sorted(f for s in summary["sources"] for f in s["rdf_files"])
    assert rdf_files == ["curated/partnerships.ttl", "curated/vocabulary.ttl"]
    assert str(built.parent) not in text and str(Path.home()) not in text
    assert not any(Path(f).is_absolute() for f in rdf_files)
