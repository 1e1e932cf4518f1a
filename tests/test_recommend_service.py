"""The "Find a partner" page and the /api/suggest JSON API, on the real app factory.

The app serves a real published store built from tests/data/recommend/; answers are parsed
(JSON, and the HTML with the standard library's parser) and compared with the recommender.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from graph.recommend import recommender_for
from service import create_app
from service.i18n import LANGUAGES, translate
from tests.browse_support import read_page
from tests.recommend_support import BASE, partners, publish_fixture

KUTNA_HORA = BASE + "cz/kutná-hora"


@pytest.fixture(scope="module")
def recommend_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_fixture(tmp_path_factory.mktemp("find-partner-store"))


@pytest.fixture
def client(recommend_store: Path) -> FlaskClient:
    return create_app({"TESTING": True, "STORE": str(recommend_store)}).test_client()


class Page(HTMLParser):
    """The parts of the page the tests read: ranked names, reasons, the problem, map data."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.reasons: list[str] = []
        self.problem = ""
        self.map_data = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("class") == "name":
            self._in = "name"
        elif tag == "li" and "data-kind" in found:
            self._in = "reason"
        elif found.get("id") == "problem":
            self._in = "problem"
        elif tag == "script" and found.get("id") == "lines-data":
            self._in = "map"

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "name":
            self.names.append(data)
        elif self._in == "reason":
            self.reasons.append(data)
        elif self._in == "problem":
            self.problem += data
        elif self._in == "map":
            self.map_data += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_api_answers_for_an_authority_with_no_partners(client: FlaskClient,
                                                       recommend_store: Path) -> None:
    assert partners(recommend_store, KUTNA_HORA) == set()
    response = client.get("/api/suggest", query_string={"authority": "Kutná Hora, CZ", "n": 5})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert body["authority"]["iri"] == KUTNA_HORA and body["authority"]["partners"] == 0
    assert len(body["suggestions"]) == 5
    expected = recommender_for(recommend_store).suggest(KUTNA_HORA, n=5)
    assert [s["iri"] for s in body["suggestions"]] == [s.iri for s in expected.suggestions]
    for suggestion in body["suggestions"]:
        assert {"iri", "label", "country", "score", "reasons"} <= suggestion.keys()
        assert suggestion["reasons"]


def test_api_honours_a_country_filter(client: FlaskClient) -> None:
    response = client.get("/api/suggest?authority=Swarz%C4%99dz,%20PL&country=CZ,SK&n=50")
    body = response.get_json()
    assert body["suggestions"]
    assert {s["country"] for s in body["suggestions"]} <= {"CZ", "SK"}
    assert body["preferences"]["countries"] == ["CZ", "SK"]


@pytest.mark.parametrize(("query", "status", "message"), [
    ({"authority": "Atlantis, PL"}, 404, "no authority named 'Atlantis' in Poland"),
    ({"authority": "https://example.org/x"}, 404, "no authority with the IRI"),
    ({}, 400, "say which authority"),
    ({"authority": "Swarzędz, PL", "n": "many"}, 400, "n must be a number"),
    ({"authority": "Swarzędz, PL", "country": "Atlantis"}, 400, "unknown country 'Atlantis'"),
])
def test_api_errors_are_clear(client: FlaskClient, query: dict[str, str], status: int,
                              message: str) -> None:
    response = client.get("/api/suggest", query_string=query)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status and message in error["message"]


def test_page_lists_ranked_suggestions_with_reasons_and_map(client: FlaskClient,
                                                            recommend_store: Path) -> None:
    response = client.get("/find-partner", query_string={"authority": "Kutná Hora, CZ",
                                                         "n": 4})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = parse(response.get_data(as_text=True))
    expected = recommender_for(recommend_store).suggest(KUTNA_HORA, n=4).suggestions
    assert page.names == [s.label for s in expected]
    assert page.reasons == [r.text for s in expected for r in s.reasons]
    assert 'rel="alternate"' in response.headers["Link"]
    # The map (the browsing UI's map.js) draws a line to every suggestion with a place.
    lines = json.loads(page.map_data)
    assert [line["to"]["iri"] for line in lines] == [s.iri for s in expected if s.lat]
    assert all(line["from"]["iri"] == KUTNA_HORA for line in lines)


def test_page_says_clearly_when_the_authority_is_unknown(client: FlaskClient) -> None:
    response = client.get("/find-partner", query_string={"authority": "Atlantis, PL"})
    assert response.status_code == 404
    page = parse(response.get_data(as_text=True))
    assert page.problem.strip() == "no authority named 'Atlantis' in Poland in the graph"


def test_page_without_an_authority_is_the_form(client: FlaskClient) -> None:
    response = client.get("/find-partner")
    assert response.status_code == 200
    assert parse(response.get_data(as_text=True)).names == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_page_and_navigation_speak_the_chosen_language(client: FlaskClient,
                                                       language: str) -> None:
    response = client.get("/find-partner", query_string={"authority": "Swarzędz, PL",
                                                         "lang": language})
    assert response.status_code == 200
    page = read_page(response.get_data(as_text=True))
    assert page.html_lang == language
    # Every page's navigation links here, in the reader's language.
    assert ("/find-partner", translate("nav.find_partner", language)) in page.links
    text = " ".join(" ".join(page.text).split())
    for key in ("find.title", "find.authority", "find.preferences", "find.submit",
                "find.results_for", "find.candidates"):
        assert translate(key, language) in text, key
    others = [code for code in LANGUAGES if code != language]
    assert not any(translate("find.submit", other) in text for other in others)
    home = read_page(client.get("/", query_string={"lang": language}).get_data(as_text=True))
    assert ("/find-partner", translate("nav.find_partner", language)) in home.links
