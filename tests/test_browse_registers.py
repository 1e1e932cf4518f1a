"""Register pages (issue 15, part 5) and the links to Find a partner (issue 16, part 5).

Two real published stores: a small register-like graph (tests/data/browse/registers.trig, a
voivodeship, a powiat and three gminas with known populations and partnerships, and the
unit-kind vocabulary), on which every figure is checked exactly; and a build of the registers'
real files (TERYT, Czech obce, NUTS) with the sample Wikipedia list, on which the register pages
must agree with the files themselves.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.core.settings import setting
from graph.ingest.sources import cz_obce, teryt
from graph.pipeline.build import build
from graph.query.embedded import EmbeddedBackend
from service import create_app
from tests.browse_support import ID, read_page

DATA = Path(__file__).resolve().parent / "data"
REGISTERS_TRIG = DATA / "browse" / "registers.trig"
UNIT_KINDS = Path(__file__).resolve().parents[1] / "ontology" / "vocabularies" / "unit-kinds.ttl"
AUTHORITY = ID + "authority/"
SWARZEDZ = AUTHORITY + "pl/teryt/3021163"
POWIAT = AUTHORITY + "pl/teryt/3021"
VOIVODESHIP = AUTHORITY + "pl/teryt/30"


@pytest.fixture(scope="module")
def registers_app(tmp_path_factory: pytest.TempPathFactory,
                  store_builder: Callable[..., Path]) -> Iterator[Flask]:
    store = store_builder(tmp_path_factory.mktemp("registers-store"), REGISTERS_TRIG,
                          UNIT_KINDS, graphs={UNIT_KINDS: ID + "graph/vocabularies"})
    backend = EmbeddedBackend(store, processes=2, timeout=20.0)
    yield create_app({"TESTING": True, "BACKEND": backend})
    backend.close()


@pytest.fixture
def registers_client(registers_app: Flask) -> FlaskClient:
    """A fresh client per test: the language cookie of one test never reaches another."""
    return registers_app.test_client()


def _text(html: str) -> str:
    return " ".join(" ".join(read_page(html).text).split())


def _rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of the table with ``table_id``, as cell texts."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [read_page(f"<table><tr>{row}</tr></table>").cells
            for row in body.split("<tr>")[1:]]


def _alternates(response: object) -> dict[str, str]:
    header = response.headers.get("Link", "")  # type: ignore[attr-defined]
    return {kind: url for url, kind in re.findall(r'<([^>]+)>; rel="alternate"; type="([^"]+)"',
                                                  header)}


def test_register_page_counts_municipalities_with_a_foreign_partner(
        registers_client: FlaskClient) -> None:
    response = registers_client.get("/register/PL")
    assert response.status_code == 200
    text = _text(response.text)
    # Swarzędz has a German partner (through its name-based IRI, owl:sameAs the unit);
    # Kostrzyn only a Polish one; Luboń none.
    assert "3 gminas, 1 with at least one foreign partner" in text
    rows = _rows(response.text, "regions-table")
    assert len(rows) == 1
    region, municipalities, foreign, share, population, partnerships, per_100k = rows[0]
    assert (region, municipalities, foreign) == ("województwo wielkopolskie", "3", "1")
    assert share.startswith("33.3")
    # Swarzędz takes part in two partnerships, Kostrzyn in one: 3 per 100,000 inhabitants.
    assert (population, partnerships, per_100k) == ("100,000", "3", "3")
    links = dict(read_page(response.text).links)
    assert any(unquote(urlsplit(href).path) == "/authority/pl/teryt/30" for href in links)


def test_register_json_twin_has_the_same_figures(registers_client: FlaskClient) -> None:
    page = registers_client.get("/register/PL")
    json_url = _alternates(page)["application/json"]
    assert f'href="{json_url}"'.replace("&", "&amp;") in page.text
    answer = registers_client.get(json_url)
    assert answer.mimetype == "application/json"
    data = json.loads(answer.text)
    assert data["country"] == "PL"
    (region,) = data["regions"]
    assert region["iri"] == VOIVODESHIP
    for figures in (data["total"], region):
        assert figures["municipalities"] == 3
        assert figures["with_foreign_partner"] == 1
        assert figures["share_with_foreign_partner"] == pytest.approx(1 / 3, abs=1e-4)
        assert figures["population"] == 100_000
        assert figures["partnerships"] == 3
        assert figures["partnerships_per_100k"] == pytest.approx(3.0)
    by_accept = registers_client.get("/register/PL", headers={"Accept": "application/json"})
    assert json.loads(by_accept.text) == data


def test_register_page_in_polish_and_czech(registers_client: FlaskClient) -> None:
    polish = _text(registers_client.get("/register/PL?lang=pl").text)
    assert "3 gminy, w tym 1 z co najmniej jednym partnerem zagranicznym" in polish
    assert "Partnerstwa na 100 000 mieszkańców" in polish
    czech = _text(registers_client.get("/register/PL?lang=cs").text)
    assert "3 gminy, z toho 1 s alespoň jedním zahraničním partnerem" in czech
    assert "Podíl se zahraničním partnerem" in czech


def test_register_page_of_a_country_without_register_or_code(
        registers_client: FlaskClient) -> None:
    assert registers_client.get("/register/CZ").status_code == 404
    assert registers_client.get("/register/POL").status_code == 404
    lower = registers_client.get("/register/pl?lang=cs")
    assert lower.status_code == 301
    assert lower.headers["Location"].endswith("/register/PL?lang=cs")


def test_powiat_page_lists_its_gminas_with_kind_population_and_partnerships(
        registers_client: FlaskClient) -> None:
    response = registers_client.get("/authority/pl/teryt/3021")
    assert response.status_code == 200
    rows = {row[0]: row[1:] for row in _rows(response.text, "units-table")}
    assert rows == {"Swarzędz": ["urban-rural gmina", "50,000", "2"],
                    "Kostrzyn": ["urban-rural gmina", "10,000", "1"],
                    "Luboń": ["urban gmina", "40,000", "0"]}
    page = read_page(response.text)
    text = _text(response.text)
    assert "Units (3)" in text and "2 with at least one partnership" in text
    paths = {unquote(urlsplit(href).path): label for href, label in page.links}
    assert paths["/authority/pl/teryt/3021163"] == "Swarzędz"
    assert paths["/authority/pl/teryt/30"] == "województwo wielkopolskie"  # part of
    # The map of its units' partnerships: Swarzędz to Ronnenberg (through owl:sameAs) and to
    # Kostrzyn, drawn by the shared map component.
    assert "map" in page.ids and any((s.get("src") or "").endswith("/js/map.js")
                                     for s in page.scripts)
    block = response.text.split('id="lines-data">', 1)[1].split("</script>", 1)[0]
    pairs = {(line["from"]["name"], line["to"]["name"]) for line in json.loads(block)}
    assert ("Swarzędz", "Ronnenberg") in pairs and ("Swarzędz", "Kostrzyn") in pairs
    assert not any("Luboń" in pair for pair in pairs)
    assert "application/sparql-results+json" in _alternates(response)


def test_voivodeship_page_lists_its_powiat_and_maps_partnerships_below(
        registers_client: FlaskClient) -> None:
    response = registers_client.get("/authority/pl/teryt/30?lang=pl")
    rows = _rows(response.text, "units-table")
    assert rows == [["powiat poznański", "powiat ziemski", "", "0"]]
    block = response.text.split('id="lines-data">', 1)[1].split("</script>", 1)[0]
    assert ("Swarzędz", "Ronnenberg") in {(line["from"]["name"], line["to"]["name"])
                                          for line in json.loads(block)}
    assert "Jednostki (1)" in _text(response.text)


@pytest.mark.parametrize(("lang", "sentence"), [
    ("en", "Find a partner for Swarzędz"),
    ("pl", "Znajdź partnera dla: Swarzędz"),
    ("cs", "Najít partnera pro: Swarzędz")])
def test_unit_page_links_to_find_a_partner_for_it(registers_client: FlaskClient, lang: str,
                                                   sentence: str) -> None:
    response = registers_client.get(f"/authority/pl/teryt/3021163?lang={lang}")
    assert response.status_code == 200
    found = [href for href, label in read_page(response.text).links if label == sentence]
    assert len(found) == 1
    parts = urlsplit(found[0])
    assert parts.path == "/find-partner"
    assert parse_qs(parts.query)["authority"] == [SWARZEDZ]
    assert "units-table" not in response.text  # a gmina has no units of its own


def test_home_counts_authorities_with_partnerships(registers_client: FlaskClient) -> None:
    text = _text(registers_client.get("/").text)
    # Swarzędz (once, though named by two IRIs), Kostrzyn and Ronnenberg.
    assert re.search(r"\b3 authorities with partnerships", text)
    polish = _text(registers_client.get("/?lang=pl").text)
    assert re.search(r"\b3 samorządy z partnerstwami", polish)  # "few" form, not "many"
    czech = _text(registers_client.get("/?lang=cs").text)
    assert re.search(r"\b3 samosprávy s partnerstvími", czech)


# -------------------------------------------------------------------------------------------
# The registers' real files

SHARED_REGISTERS = Path(setting("SHARED_DATA_DIR")) / "registers"
TERC = SHARED_REGISTERS / "pl_terc_2024-01-01.csv"
OBCE = SHARED_REGISTERS / "cz_obce_2021.csv"


@pytest.fixture(scope="module")
def real_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """The curated data, TERYT, the Czech obce, NUTS and the sample Wikipedia list (~25 s)."""
    target = tmp_path_factory.mktemp("real-registers") / "store"
    build(target, ["curated", f"teryt:{TERC}",
                   f"teryt:{SHARED_REGISTERS / 'pl_gminy_2024.csv'}", f"cz-obce:{OBCE}",
                   f"nuts:{SHARED_REGISTERS / 'nuts2024.csv'}",
                   f"wikipedia:{DATA / 'sources' / 'wikipedia_sample.csv'}"], open_data=False)
    return create_app({"TESTING": True, "STORE": str(target)}).test_client()


def test_real_registers_pages_agree_with_the_files(real_client: FlaskClient) -> None:
    gminas = Counter(u.code[:2] for u in teryt.read(TERC).units if u.level == "Municipality")
    data = json.loads(real_client.get("/register/PL?format=json").text)
    assert data["total"]["municipalities"] == sum(gminas.values()) == 2477
    assert {r["iri"].rsplit("/", 1)[-1]: r["municipalities"] for r in data["regions"]} == gminas
    # Swarzędz (curated, twinned with Ronnenberg and others) is the one Polish gmina with a
    # foreign partner in this build; Mrągowo County's partner is the powiat's, not a gmina's.
    foreign = {r["iri"]: r["with_foreign_partner"] for r in data["regions"]
               if r["with_foreign_partner"]}
    assert foreign == {AUTHORITY + "pl/teryt/30": 1}

    obce = cz_obce.read(OBCE).units
    czech = json.loads(real_client.get("/register/CZ?format=json").text)
    assert czech["total"]["municipalities"] == sum(u.level == "Municipality" for u in obce)
    assert len(czech["regions"]) == 14
    # Hlučín (Moravskoslezský kraj) and Ústí nad Labem (Ústecký kraj) have foreign partners.
    assert czech["total"]["with_foreign_partner"] == 2

    html = real_client.get("/register/PL?lang=pl")
    # Babel groups Polish thousands with a no-break space (which _text reads as a space).
    assert "2 477 gmin, w tym 1 z co najmniej jednym partnerem" in _text(html.text)
    powiat = real_client.get("/authority/pl/teryt/3021")  # powiat poznański
    names = {row[0] for row in _rows(powiat.text, "units-table")}
    expected = {u.name for u in teryt.read(TERC).units if u.parent == ("teryt", "3021")}
    assert names == expected and "Swarzędz" in names


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_real_nuts_pages_agree_with_the_files(real_client: FlaskClient) -> None:
    """The NUTS region pages (issue 15, part 5) of Małopolskie and Jihomoravský kraj count the
    gminas and obce the registers place in them, below the regions Eurostat's file lists."""
    nuts = _csv_rows(SHARED_REGISTERS / "nuts2024.csv")
    gminas = Counter(row["nuts3_2021"] for row in
                     _csv_rows(SHARED_REGISTERS / "pl_gminy_2024.csv"))
    below = {row["NUTS Code"] for row in nuts
             if row["NUTS Code"].startswith("PL21") and row["NUTS level"] == "3"}
    data = json.loads(real_client.get("/nuts/PL21?format=json").text)
    assert (data["name"], data["level"], data["broader"]["code"]) == ("Małopolskie", 2, "PL2")
    assert {r["code"]: r["municipalities"] for r in data["narrower"]} == {
        code: gminas[code] for code in below}
    assert data["total"]["municipalities"] == sum(gminas[code] for code in below) == 182
    assert {u["iri"].rsplit("/", 1)[-1] for u in data["units"]} == {
        row["teryt7"] for row in _csv_rows(SHARED_REGISTERS / "pl_gminy_2024.csv")
        if row["nuts3_2021"] in below}

    obce = Counter(row["kraj_nuts3"] for row in _csv_rows(OBCE))
    czech = json.loads(real_client.get("/nuts/CZ064?format=json").text)
    assert czech["total"]["municipalities"] == obce["CZ064"]
    kinds = Counter(kind.rsplit("/", 1)[-1] for u in czech["units"] for kind in u["kinds"])
    assert kinds["kraj"] == 1 and kinds["obec"] == obce["CZ064"] and kinds["okres"] == 7

    krakow = real_client.get("/authority/pl/teryt/1261011")  # Kraków, its own NUTS 3 region
    paths = {unquote(urlsplit(href).path): text for href, text in read_page(krakow.text).links}
    assert paths["/nuts/PL213"] == "Miasto Kraków"
    page = real_client.get("/nuts/PL213")
    assert page.status_code == 200 and "/authority/pl/teryt/1261011" in page.text
