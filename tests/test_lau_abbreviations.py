"""German and Austrian municipalities whose official names abbreviate ("Weiden i.d.OPf.",
"St. Pölten") are found by the names people write ("Weiden in der Oberpfalz", "Sankt
Pölten"), which twinning lists use: the rows are Eurostat's own (LAU 2020)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.gazetteer.registers import RegisterIndex, merge_units
from graph.ingest.sources import lau

ROWS = """longitude,latitude,country,nuts_3,lau_id,lau_name,population,year
12.155403020217879,49.67863136265497,DE,DE233,09363000,Weiden i.d.OPf.,42743,2020
7.2976900236284825,49.80586455640016,DE,DEB15,07134091,Weiden,87,2020
16.86947488064245,47.92444777395269,AT,AT112,10722,Weiden am See,2480,2020
6.2455,50.7727,DE,DEA2D,05334032,"Stolberg (Rhld.), Kupferstadt",56466,2020
15.6256,48.2047,AT,AT123,30201,St. Pölten,55514,2020
8.6821,50.1109,DE,DE712,06412000,"Frankfurt am Main, Stadt",753056,2020
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> RegisterIndex:
    table: Path = tmp_path_factory.mktemp("lau") / "lau.csv"
    table.write_text(ROWS, encoding="utf-8")
    return RegisterIndex(merge_units(lau.read(table).units))


@pytest.mark.parametrize(("name", "country", "unit"), [
    ("Weiden in der Oberpfalz", "DE", "de/lau/09363000"),
    ("Weiden i.d.OPf.", "DE", "de/lau/09363000"),
    ("Stolberg (Rheinland)", "DE", "de/lau/05334032"),
    ("Sankt Pölten", "AT", "at/lau/30201"),
    ("St. Pölten", "AT", "at/lau/30201"),
    ("Weiden am See", "AT", "at/lau/10722"),
])
def test_spelled_out_names_find_the_unit(index: RegisterIndex, name: str, country: str,
                                         unit: str) -> None:
    link = index.link(name, country)
    assert link is not None and link.unit_key == unit, link


def test_the_official_form_stays_the_name(tmp_path: Path) -> None:
    table = tmp_path / "lau.csv"
    table.write_text(ROWS, encoding="utf-8")
    weiden = next(u for u in lau.read(table).units if u.code == "09363000")
    assert weiden.name == "Weiden i.d.OPf."
    assert "Weiden in der Oberpfalz" in weiden.other_names
    frankfurt = next(u for u in lau.read(table).units if u.code == "06412000")
    assert frankfurt.other_names == ("Frankfurt am Main, Stadt",)  # nothing to spell out
