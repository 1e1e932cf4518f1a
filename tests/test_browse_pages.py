"""Route tests of the browsing front end with Flask's test client, on a real published store
(tests/data/browse/graph.trig) served by a real embedded backend."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient

from graph.query.embedded import EmbeddedBackend
from service import create_app
from tests.browse_support import BROWSE_DATA, ID, read_page

SWARZEDZ = ID + "authority/pl/swarzędz"


@pytest.fixture(scope="module")
def browse_backend(tmp_path_factory: pytest.TempPathFactory,
                   store_builder: Callable[..., Path]) -> Iterator[EmbeddedBackend]:
    store = store_builder(tmp_path_factory.mktemp("browse-store"), BROWSE_DATA)
    backend = EmbeddedBackend(store, processes=2, timeout=20.0)
    yield backend
    backend.close()


@pytest.fixture
def browse_app(browse_backend: EmbeddedBackend) -> Flask:
    return create_app({"TESTING": True, "BACKEND": browse_backend})


@pytest.fixture
def browse(browse_app: Flask) -> FlaskClient:
    return browse_app.test_client()


def _paths(links: list[tuple[str, str]]) -> list[str]:
    return [unquote(urlsplit(href).path) for href, _ in links]


def test_home_counts_search_box_map_and_ways_in(browse: FlaskClient) -> None:
    response = browse.get("/")
    assert response.status_code == 200
    page = read_page(response.text)
    assert "q" in page.ids and "map" in page.ids and "lines-data" in page.ids
    text = " ".join(page.text)
    assert re.search(r"\b6\s+local authorities", text)
    assert re.search(r"\b4\s+partnerships", text)
    assert "/query" in _paths(page.links) and "/sparql" in _paths(page.links)


def test_authority_page_lists_partners_links_rdf_and_shows_sparql(browse: FlaskClient) -> None:
    response = browse.get("/authority/pl/swarzędz")
    assert response.status_code == 200
    page = read_page(response.text)
    partner_links = {text for href, text in page.links if "/authority/" in href}
    assert {"Ronnenberg", "Duclair", "Järfälla"} <= partner_links
    assert "1998" in page.cells and "2004-05" in page.cells
    assert "TERYT 3021094" in " ".join(page.text)
    assert "http://www.wikidata.org/entity/Q1002393" in [href for href, _ in page.links]
    assert any(text == "culture" for _, text in page.links)  # theme label, English
    assert "SELECT ?partnership ?partner" in response.text  # the page's own SPARQL
    # Each name once, although the data gives "Swarzędz" in Polish, English and as a label.
    names = re.search(r"<dt>Names</dt><dd>(.*?)</dd>", response.text)
    assert names is not None
    assert re.findall(r'<span lang="\w+">([^<]+)</span>', names.group(1)) == [
        "Swarzędz", "Gmina Swarzędz"]
    # Link: rel=alternate to Turtle, and the Turtle really describes the town.
    links = response.headers["Link"]
    turtle = re.search(r'<([^>]+)>; rel="alternate"; type="text/turtle"', links)
    assert turtle is not None
    rdf = browse.get(turtle.group(1))
    assert rdf.status_code == 200
    graph = rdflib.Graph().parse(data=rdf.data, format="turtle")
    assert (rdflib.URIRef(SWARZEDZ), rdflib.RDFS.label, rdflib.Literal("Swarzędz")) in graph


def test_authority_page_names_the_town_it_is_seated_in(browse: FlaskClient) -> None:
    # Not the authority itself (no "Elsewhere" link to it): another feature, by its name.
    response = browse.get("/authority/se/järfälla")
    seat = re.search(r"<dt>Seat</dt><dd>(.*?)</dd>", response.text)
    assert seat is not None
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', seat.group(1)) == [
        ("https://sws.geonames.org/2703396/", "Jakobsberg")]
    assert "<dt>Elsewhere</dt>" not in response.text
    polish = browse.get("/authority/se/järfälla", headers={"Accept-Language": "pl"})
    assert "<dt>Siedziba</dt>" in polish.text


def test_partnership_page_participants_themes_programme_legal_and_provenance(
        browse: FlaskClient) -> None:
    response = browse.get("/partnership/de-ronnenberg--pl-swarzędz")
    assert response.status_code == 200
    page = read_page(response.text)
    texts = page.link_texts()
    for expected in ("Swarzędz", "Ronnenberg", "culture", "youth exchange", "twinning",
                     "Citizens, Equality, Rights and Values", "Act on municipal self-government",
                     "https://www.swarzedz.pl/miasta-partnerskie"):
        assert expected in texts, expected
    assert "curated" in page.cells  # the source graph of its statements
    assert 'rel="alternate"' in response.headers["Link"]


@pytest.mark.parametrize(("path", "expected_partner"), [
    ("/theme/youth", "Wałbrzych"), ("/theme/culture", "Duclair"),
    ("/programme/cerv", "Ronnenberg"), ("/legal/pl-ustawa-o-samorzadzie-gminnym", "Ronnenberg"),
])
def test_concept_pages_list_their_partnerships(browse: FlaskClient, path: str,
                                               expected_partner: str) -> None:
    response = browse.get(path)
    assert response.status_code == 200
    assert expected_partner in read_page(response.text).link_texts()
    assert "text/turtle" in response.headers["Link"]


def test_country_page_counts_partner_countries(browse: FlaskClient) -> None:
    response = browse.get("/country/PL")
    assert response.status_code == 200
    page = read_page(response.text)
    assert {"Swarzędz", "Wałbrzych"} <= set(page.link_texts())
    assert {"Germany", "France", "Sweden", "Czechia"} <= set(page.link_texts())
    assert browse.get("/country/pl").status_code == 301


@pytest.mark.parametrize(("language", "population", "country", "partner_country"), [
    ("en", "51,000", "Poland", "Germany"),
    ("pl", "51\u00a0000", "Polska", "Niemcy"),
    ("cs", "51\u00a0000", "Polsko", "Německo"),
])
def test_numbers_and_countries_are_written_for_the_reader(
        browse: FlaskClient, language: str, population: str, country: str,
        partner_country: str) -> None:
    authority = read_page(browse.get("/authority/pl/swarz%C4%99dz",
                                     query_string={"lang": language}).text)
    assert population in authority.text
    assert ("/country/PL", country) in authority.links
    # Partner countries stay short codes in the table, with the name for those who hover.
    assert ("/country/DE", "DE") in authority.links
    listing = read_page(browse.get("/country/PL", query_string={"lang": language}).text)
    assert ("/country/DE", partner_country) in listing.links


@pytest.mark.parametrize("path", [
    "/authority/pl/nowhere", "/partnership/a--b", "/theme/nothing", "/programme/none",
    "/country/XX", "/country/P1", "/country/%3Cscript%3E", "/authority/pl/%3E%20%7D%20DROP",
    "/assets/vendor/nopackage/x.js", "/assets/vendor/leaflet/../../package.json",
])
def test_unknown_resources_are_404(browse: FlaskClient, path: str) -> None:
    assert browse.get(path).status_code == 404


def test_search_html_and_json(browse: FlaskClient) -> None:
    response = browse.get("/search?q=swarzedz")
    assert response.status_code == 200
    page = read_page(response.text)
    assert ("/authority/pl/swarzędz", "Swarzędz") in [(unquote(h), t) for h, t in page.links]
    data = browse.get("/search?q=3021094&format=json").get_json()
    assert data["results"][0]["iri"] == SWARZEDZ
    hits = browse.get("/autocomplete?q=ronn").get_json()
    assert [hit["label"] for hit in hits] == ["Ronnenberg"]
    assert unquote(hits[0]["url"]) == "/authority/de/ronnenberg"


@pytest.mark.parametrize("hostile", ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                                     "</textarea><script>x()</script>"])
def test_hostile_search_text_is_never_reflected_unescaped(browse: FlaskClient,
                                                          hostile: str) -> None:
    for url in (f"/search?q={hostile}", f"/query?query={hostile}"):
        response = browse.get(url, query_string=None)
        body = response.text
        assert hostile not in body
        assert "<script>alert" not in body and "<img src=x" not in body
        scripts = read_page(body).scripts
        assert all(s.get("src") or s.get("type") == "application/json" for s in scripts)


def test_csp_and_no_inline_scripts_on_every_page(browse: FlaskClient) -> None:
    for url in ("/", "/search?q=a", "/authority/pl/swarzędz",
                "/partnership/fr-duclair--pl-swarzędz", "/theme/culture", "/country/CZ",
                "/query?example=themes-by-frequency"):
        response = browse.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        for script in read_page(response.text).scripts:
            assert script.get("src") or script.get("type") == "application/json", url


def test_tile_url_setting_reaches_map_and_policy(browse_backend: EmbeddedBackend) -> None:
    app = create_app({"TESTING": True, "BACKEND": browse_backend,
                      "TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png"})
    response = app.test_client().get("/authority/pl/swarzędz")
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in response.text
    assert "img-src 'self' data: https://tiles.example.org" in \
        response.headers["Content-Security-Policy"]


def test_language_by_header_switcher_and_cookie(browse: FlaskClient) -> None:
    polish = browse.get("/partnership/de-ronnenberg--pl-swarzędz",
                        headers={"Accept-Language": "pl,en;q=0.5"})
    page = read_page(polish.text)
    assert page.html_lang == "pl"
    assert "Szukaj" in page.link_texts()
    assert "wymiana młodzieży" in page.link_texts()  # data label in Polish
    czech = browse.get("/theme/youth?lang=cs")
    assert read_page(czech.text).html_lang == "cs"
    assert "lang=cs" in czech.headers["Set-Cookie"]
    # The cookie now wins over Accept-Language.
    again = browse.get("/", headers={"Accept-Language": "pl"})
    assert read_page(again.text).html_lang == "cs"
    # A label missing in the chosen language falls back (no Czech name for the programme).
    programme = read_page(browse.get("/programme/cerv?lang=cs").text)
    assert "Citizens, Equality, Rights and Values" in " ".join(programme.text)


def test_gallery_offers_wikidata_examples_refused_without_allow_list(
        browse: FlaskClient) -> None:
    from graph.views.wikidata_examples import examples as wikidata_examples

    page = read_page(browse.get("/query").text)
    linked = {dict(parse_qsl(urlsplit(href).query)).get("example")
              for href, _ in page.links}
    slugs = {e.slug for e in wikidata_examples()}
    assert slugs <= linked
    # Federation is off by default: the example is shown with the refusal, not run.
    response = browse.get("/query?example=" + sorted(slugs)[0])
    assert response.status_code == 403
    assert "SERVICE" in response.text or "federation" in response.text.lower()
