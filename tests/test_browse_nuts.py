"""NUTS region pages and the register page's map (issue 15, part 5).

One real published store: the register-like graph of the register page tests
(tests/data/browse/registers.trig: a voivodeship, a powiat and three gminas) with NUTS regions
and a Czech kraj, okres and obec (tests/data/browse/nuts.trig) and the unit-kind vocabulary.
The view layer is asked directly through the embedded backend; the pages through Flask's
client. The same pages on a build of the registers' real files are in
tests/test_browse_registers.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.query.embedded import EmbeddedBackend
from graph.query.errors import NotFound
from graph.views.nuts_pages import nuts_page, smallest_common_region
from graph.views.register_pages import register_page, unit_page
from service import create_app
from tests.browse_support import ID, read_page

BROWSE = Path(__file__).resolve().parent / "data" / "browse"
UNIT_KINDS = Path(__file__).resolve().parents[1] / "ontology" / "vocabularies" / "unit-kinds.ttl"
NUTS = "http://data.europa.eu/nuts/code/"
AUTHORITY = ID + "authority/"
SWARZEDZ, KOSTRZYN, LUBON = (AUTHORITY + f"pl/teryt/{code}"
                             for code in ("3021163", "3021043", "3021011"))
BRNO = AUTHORITY + "cz/obec/582786"
EN = ["en", "pl", "cs"]


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory,
            store_builder: Callable[..., Path]) -> Iterator[EmbeddedBackend]:
    store = store_builder(tmp_path_factory.mktemp("nuts-store"), BROWSE / "registers.trig",
                          BROWSE / "nuts.trig", UNIT_KINDS,
                          graphs={UNIT_KINDS: ID + "graph/vocabularies"})
    found = EmbeddedBackend(store, processes=2, timeout=20.0)
    yield found
    found.close()


@pytest.fixture(scope="module")
def app(backend: EmbeddedBackend) -> Flask:
    return create_app({"TESTING": True, "BACKEND": backend})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A fresh client per test: the language cookie of one test never reaches another."""
    return app.test_client()


# -------------------------------------------------------------------------------------------
# The view layer


def test_nuts3_region_lists_its_units_their_figures_and_partnerships(
        backend: EmbeddedBackend) -> None:
    page = nuts_page(backend, "PL418", EN)
    assert (page.iri, page.name, page.level, page.country) == (NUTS + "PL418", "Poznański", 3,
                                                              "PL")
    assert page.broader == (NUTS + "PL41", "Wielkopolskie")
    assert page.narrower == []
    units = {unit.place.iri: (unit.place.name, unit.partnerships, unit.foreign_partnerships)
             for unit in page.units}
    # Swarzędz: Ronnenberg (through its name-based IRI) and Kostrzyn; Kostrzyn: Swarzędz and
    # Brno; Luboń none, and named natively although an English list names it "Lubon".
    assert units == {SWARZEDZ: ("Swarzędz", 2, 1), KOSTRZYN: ("Kostrzyn", 2, 1),
                     LUBON: ("Luboń", 0, 0)}
    assert [unit.place.iri for unit in page.units][-1] == LUBON  # most partnerships first
    total = page.total
    assert (total.municipalities, total.with_foreign_partner, total.population,
            total.partnerships) == (3, 2, 100_000, 4)
    assert total.partnerships_per_100k == pytest.approx(4.0)
    pairs = {(row.unit.name, row.partner.name) for row in page.partnerships}
    assert pairs == {("Swarzędz", "Ronnenberg"), ("Swarzędz", "Kostrzyn"),
                     ("Kostrzyn", "Swarzędz"), ("Kostrzyn", "Brno")}
    assert {row.partner.country for row in page.partnerships} == {"DE", "PL", "CZ"}


def test_nuts2_region_sums_the_regions_below(backend: EmbeddedBackend) -> None:
    page = nuts_page(backend, "PL41", ["pl"])
    assert page.broader == (NUTS + "PL4", "Makroregion północno-zachodni")
    below = {region.iri: (region.name, region.municipalities, region.with_foreign_partner,
                          region.partnerships) for region in page.narrower}
    assert below == {NUTS + "PL415": ("Miasto Poznań", 0, 0, 0),
                     NUTS + "PL418": ("Poznański", 3, 2, 4)}
    assert {unit.nuts for unit in page.units} == {"PL418"}
    assert page.total.municipalities == 3
    top = nuts_page(backend, "PL4", ["pl"])
    assert top.broader is None and top.level == 1
    assert [(r.name, r.municipalities) for r in top.narrower] == [("Wielkopolskie", 3)]


def test_czech_region_lists_kraj_okres_and_obec_and_counts_the_obec(
        backend: EmbeddedBackend) -> None:
    page = nuts_page(backend, "CZ064", ["cs"])
    kinds = {unit.place.name: [page.kind_labels[kind] for kind in unit.kinds]
             for unit in page.units}
    assert set(kinds) == {"Jihomoravský kraj", "okres Brno-město", "Brno"}
    assert {len(k) for k in kinds.values()} == {1}
    # The figures are the municipalities': Brno's population, not its kraj's.
    assert (page.total.municipalities, page.total.population, page.total.partnerships,
            page.total.with_foreign_partner) == (1, 380_000, 2, 1)
    assert page.total.centroid == (49.19516, 16.60694)


@pytest.mark.parametrize(("languages", "name"), [
    (["en", "pl", "cs"], "Czechia"), (["pl", "en", "cs"], "Czechy"),
    (["cs", "en", "pl"], "Česko")])
def test_region_heads_with_the_readers_name(backend: EmbeddedBackend, languages: list[str],
                                            name: str) -> None:
    assert nuts_page(backend, "CZ0", languages).name == name


@pytest.mark.parametrize("code", ["PL9", "pl418", "PL4189", "X", "PL41/../PL4"])
def test_region_not_in_the_graph_or_no_code(backend: EmbeddedBackend, code: str) -> None:
    with pytest.raises(NotFound):
        nuts_page(backend, code, EN)


def test_authority_pages_name_the_smallest_region_holding_them(
        backend: EmbeddedBackend) -> None:
    # A gmina its own NUTS 3 region; the powiat and voivodeship the one all their gminas share.
    for iri in (SWARZEDZ, AUTHORITY + "pl/teryt/3021", AUTHORITY + "pl/teryt/30"):
        assert unit_page(backend, iri, EN).nuts_region == (NUTS + "PL418", "Poznański")
    assert unit_page(backend, AUTHORITY + "de/stuttgart", EN).nuts_region is None
    assert smallest_common_region(["PL418", "PL415", "PL411"]) == "PL41"
    assert smallest_common_region(["PL418", "CZ064"]) is None


def test_register_figures_and_centroid_per_region(backend: EmbeddedBackend) -> None:
    page = register_page(backend, "PL", EN)
    (region,) = page.regions
    assert (region.municipalities, region.with_foreign_partner, region.population,
            region.partnerships) == (3, 2, 100_000, 4)
    assert region.centroid == pytest.approx(((52.4122 + 52.3967 + 52.3472) / 3,
                                             (17.0786 + 17.2258 + 16.8764) / 3), abs=1e-5)
    czech = register_page(backend, "CZ", EN)
    assert [(r.name, r.municipalities, r.population) for r in czech.regions] == [
        ("Jihomoravský kraj", 1, 380_000)]


# -------------------------------------------------------------------------------------------
# The pages


def _json_block(html: str, block_id: str) -> Any:
    return json.loads(html.split(f'id="{block_id}">', 1)[1].split("</script>", 1)[0])


def _paths(html: str) -> dict[str, str]:
    return {unquote(urlsplit(href).path): text for href, text in read_page(html).links}


def test_nuts_page_links_its_iri_the_region_above_and_its_units(client: FlaskClient) -> None:
    response = client.get("/nuts/PL418")
    assert response.status_code == 200
    page = read_page(response.text)
    assert "Poznański" in " ".join(page.text)
    links = dict(page.links)
    assert links[NUTS + "PL418"] == NUTS + "PL418"  # the EU Publications Office's IRI
    paths = _paths(response.text)
    assert paths["/nuts/PL41"] == "Wielkopolskie"
    assert paths["/authority/pl/teryt/3021011"] == "Luboń"
    assert paths["/country/PL"]
    rows = response.text.split('id="units-table"', 1)[1].split("</table>", 1)[0]
    assert rows.count("<tr>") == 4  # the head and three gminas
    assert response.text.count('href="/partnership/') == 4
    points = {point["name"]: point for point in _json_block(response.text, "points-data")}
    assert {name: point["tone"] for name, point in points.items()} == {
        "Swarzędz": "foreign", "Kostrzyn": "foreign", "Luboń": "none"}
    assert points["Kostrzyn"]["label"] == "Kostrzyn: 2 partnerships (1 foreign)"
    assert unquote(points["Luboń"]["page"]) == "/authority/pl/teryt/3021011"
    assert "map" in page.ids and "map-legend" in page.ids


def test_nuts_page_json_twin(client: FlaskClient) -> None:
    page = client.get("/nuts/PL41")
    link = page.headers["Link"]
    assert '/nuts/PL41?format=json>; rel="alternate"; type="application/json"' in link
    data = json.loads(client.get("/nuts/PL41?format=json").text)
    assert (data["code"], data["level"], data["broader"]["code"]) == ("PL41", 2, "PL4")
    assert {r["code"]: r["municipalities"] for r in data["narrower"]} == {"PL415": 0,
                                                                         "PL418": 3}
    assert data["total"]["with_foreign_partner"] == 2
    assert {u["iri"]: u["partnerships"] for u in data["units"]} == {SWARZEDZ: 2, KOSTRZYN: 2,
                                                                    LUBON: 0}
    by_accept = client.get("/nuts/PL41", headers={"Accept": "application/json"})
    assert json.loads(by_accept.text) == data


@pytest.mark.parametrize(("lang", "heading", "words"), [
    ("en", "Czechia", "Regions below"), ("pl", "Czechy", "Regiony podrzędne"),
    ("cs", "Česko", "Podřazené regiony")])
def test_nuts_page_in_three_languages(client: FlaskClient, lang: str, heading: str,
                                      words: str) -> None:
    html = client.get(f"/nuts/CZ0?lang={lang}").text
    assert html.split("<h1>", 1)[1].startswith(heading)
    assert f"<title>{heading} (CZ0)" in html
    assert words in html


def test_nuts_urls(client: FlaskClient) -> None:
    lower = client.get("/nuts/pl418?lang=pl")
    assert lower.status_code == 301
    assert lower.headers["Location"].endswith("/nuts/PL418?lang=pl")
    assert client.get("/nuts/PL9").status_code == 404
    assert client.get("/nuts/%3Cscript%3E").status_code == 404


def test_authority_pages_link_to_their_nuts_region(client: FlaskClient) -> None:
    for path in ("/authority/pl/teryt/3021163", "/authority/pl/teryt/3021"):
        assert _paths(client.get(path).text)["/nuts/PL418"] == "Poznański"
    czech = client.get("/authority/cz/obec/582786?lang=cs").text
    assert "Region NUTS" in czech and _paths(czech)["/nuts/CZ064"] == "Jihomoravský kraj"


@pytest.mark.parametrize(("lang", "label", "legend"), [
    ("en", "województwo wielkopolskie: 66.7 % with a foreign partner; "
           "partnerships per 100,000 inhabitants: 4", "Circle size"),
    ("pl", "województwo wielkopolskie: z partnerem zagranicznym 66,7 %; "
           "partnerstwa na 100 000 mieszkańców: 4", "Wielkość koła"),
    ("cs", "województwo wielkopolskie: se zahraničním partnerem 66,7 %; "
           "partnerství na 100 000 obyvatel: 4", "Velikost kruhu")])
def test_register_page_maps_its_regions_with_a_legend(client: FlaskClient, lang: str,
                                                       label: str, legend: str) -> None:
    response = client.get(f"/register/PL?lang={lang}")
    (point,) = _json_block(response.text, "points-data")
    assert point["label"].replace("\u00a0", " ") == label
    assert point["tone"] == "4"  # two of three gminas: 40 to 100 %
    assert unquote(point["page"]) == "/authority/pl/teryt/30"
    legend_html = response.text.split('id="map-legend"', 1)[1].split("</div>", 1)[0]
    assert legend in legend_html
    shares = [" ".join(text.split()) for text in read_page(legend_html).text if "%" in text]
    assert [s.replace("\u00a0", " ") for s in shares] == [
        f"{low}\u2013{high} %" for low, high in ((0, 5), (5, 10), (10, 20), (20, 40), (40, 100))]
    assert "regions-table" in response.text  # the table stays
