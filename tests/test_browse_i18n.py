"""Pages in English, Polish and Czech: counts take the plural form of their number and decades
are named as each language names them, on pages rendered from real published stores; and the
front-end assets are installed. The catalogues themselves are tested in test_translations.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.query.embedded import EmbeddedBackend
from service import create_app
from service.browse.assets import REQUIRED_FILES, VENDOR_DIR, vendor_file
from tests.browse_support import BROWSE_DATA, read_page

COUNTS = (1, 2, 4, 5, 12, 21, 22, 25, 112)
ROWS = {
    "en": ["1 row", "2 rows", "4 rows", "5 rows", "12 rows", "21 rows", "22 rows", "25 rows",
           "112 rows"],
    "pl": ["1 wiersz", "2 wiersze", "4 wiersze", "5 wierszy", "12 wierszy", "21 wierszy",
           "22 wiersze", "25 wierszy", "112 wierszy"],
    "cs": ["1 řádek", "2 řádky", "4 řádky", "5 řádků", "12 řádků", "21 řádků", "22 řádků",
           "25 řádků", "112 řádků"],
}


@pytest.fixture(scope="module")
def browse_backend(tmp_path_factory: pytest.TempPathFactory,
                   store_builder: Callable[..., Path]) -> Iterator[EmbeddedBackend]:
    store = store_builder(tmp_path_factory.mktemp("i18n-store"), BROWSE_DATA)
    backend = EmbeddedBackend(store, processes=1, timeout=20.0)
    yield backend
    backend.close()


@pytest.fixture
def browse(browse_backend: EmbeddedBackend) -> FlaskClient:
    return create_app({"TESTING": True, "BACKEND": browse_backend}).test_client()


def _text(client: FlaskClient, path: str, language: str, **params: str) -> str:
    response = client.get(path, query_string={"lang": language, **params})
    assert response.status_code == 200
    return " ".join(" ".join(read_page(response.text).text).split())


@pytest.mark.parametrize("language", ["en", "pl", "cs"])
def test_the_query_editor_counts_rows_in_the_plural_form_of_the_number(
        browse: FlaskClient, language: str) -> None:
    shown = []
    for count in COUNTS:
        values = " ".join(str(n) for n in range(count))
        query = f"SELECT ?n WHERE {{ VALUES ?n {{ {values} }} }}"
        text = _text(browse, "/query", language, query=query)
        shown += [rows for rows in ROWS[language] if f"({rows})" in text]
    assert shown == ROWS[language]


@pytest.mark.parametrize(("language", "figures"), [
    ("en", ["6 local authorities", "4 partnerships", "5 countries", "2 themes", "2 sources"]),
    ("pl", ["6 jednostek samorządu", "4 partnerstwa", "5 krajów", "2 tematy", "2 źródła"]),
    ("cs", ["6 samospráv", "4 partnerství", "5 zemí", "2 témata", "2 zdroje"]),
])
def test_the_home_page_counts_in_the_plural_form_of_the_number(
        browse: FlaskClient, language: str, figures: list[str]) -> None:
    text = _text(browse, "/", language)
    for figure in figures:
        assert figure in text, figure


@pytest.mark.parametrize(("language", "decades"), [
    ("en", ["1990s", "2000s"]),
    ("pl", ["lata 90.", "lata 2000\u20132009"]),
    ("cs", ["90. léta", "léta 2000\u20132009"]),
])
def test_the_timeline_names_decades_as_the_language_does(
        browse: FlaskClient, language: str, decades: list[str]) -> None:
    response = browse.get("/authority/pl/swarz%C4%99dz", query_string={"lang": language})
    timeline = response.text.split('<ul class="bars">', 1)[1].split("</ul>", 1)[0]
    labels = [span.split("<", 1)[0] for span in timeline.split("<li><span>")[1:]]
    assert labels == decades
    assert "1990s" not in response.text or language == "en"


def test_npm_assets_are_installed_by_setup() -> None:
    """scripts/setup runs ``npm ci`` and copies these files; the pages load them (never
    skipped)."""
    app = Flask(__name__)
    with app.app_context():
        missing = [name for name in REQUIRED_FILES if not vendor_file(name).is_file()]
    assert not missing, f"run ./scripts/setup (npm ci): missing in {VENDOR_DIR}: {missing}"
