"""The register sources (teryt, cz-obce, lau) on the registers' real files, and their rejects.

The real files live under the SHARED_DATA_DIR setting (``../shared/data/registers``); the
expected counts are those of its SOURCES.md: Poland 16 / 380 / 2,477, Czechia 14 / 77 / 6,258.
The districts of Prague and Brno are the project's own table (``data/registers``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graph.core.settings import setting
from graph.gazetteer.registers import merge_units, unit_key
from graph.ingest.bundled import DATA_DIR
from graph.ingest.records import Reject, SourceError
from graph.ingest.sources import cz_obce, lau, nuts, read_source, teryt

REGISTERS = Path(setting("SHARED_DATA_DIR")) / "registers"
TERC = REGISTERS / "pl_terc_2024-01-01.csv"
GMINY = REGISTERS / "pl_gminy_2024.csv"
OBCE = REGISTERS / "cz_obce_2021.csv"


def _levels(units: object) -> Counter[str]:
    return Counter(u.level for u in units)  # type: ignore[attr-defined]


def test_terc_gives_every_voivodeship_powiat_and_gmina() -> None:
    batch = teryt.read(TERC)
    assert batch.rows_read == 4332
    assert _levels(batch.units) == {"Region": 16, "County": 380, "Municipality": 2477,
                                    "LocalAuthority": 18}
    kinds = Counter(k for u in batch.units for k in u.kinds)
    assert kinds["city-with-powiat-rights"] == 66 * 2  # the powiat and its gmina
    assert (kinds["urban-gmina"], kinds["rural-gmina"], kinds["urban-rural-gmina"]) == (
        302, 1464, 711)
    # Parts of urban-rural gminas and the delegations are no units: rejected, with why.
    assert len(batch.rejects) == 1422 + 19
    assert len(batch.units) + len(batch.rejects) == batch.rows_read
    assert Reject(str(TERC), 8, "TERYT 0201044 (Nowogrodziec): the town of urban-rural gmina "
                  "Nowogrodziec, a part of it and not a unit of local government") \
        in batch.rejects


def test_terc_names_kinds_and_hierarchy() -> None:
    units = {unit_key(u): u for u in teryt.read(TERC).units}
    warsaw = units["pl/teryt/1465011"]
    assert (warsaw.name, warsaw.language, warsaw.parent) == ("Warszawa", "pl", ("teryt", "1465"))
    assert warsaw.kinds == ("urban-gmina", "city-with-powiat-rights")
    assert units["pl/teryt/1465"].name == "Warszawa"
    assert units["pl/teryt/1465"].parent == ("teryt", "14")
    assert units["pl/teryt/14"].name == "województwo mazowieckie"
    assert units["pl/teryt/14"].subdivision == "PL-14"
    assert units["pl/teryt/0201"].name == "powiat bolesławiecki"
    # Two gminas named Bolesławiec: the urban one and the rural one, told apart by code.
    assert units["pl/teryt/0201011"].kinds == ("urban-gmina",)
    assert units["pl/teryt/0201022"].kinds == ("rural-gmina",)
    mokotow = units["pl/teryt/1465058"]
    assert (mokotow.name, mokotow.level, mokotow.parent) == ("Mokotów", "LocalAuthority",
                                                             ("teryt", "1465011"))


def test_gmina_table_adds_population_codes_and_points() -> None:
    batch = teryt.read(GMINY)
    assert batch.rows_read == 2477 and not batch.rejects
    assert _levels(batch.units) == {"Region": 16, "County": 380, "Municipality": 2477}
    units = {unit_key(u): u for u in batch.units}
    gmina = units["pl/teryt/0201011"]
    assert gmina.population == 38872 and gmina.population_year == "2020"
    assert dict(gmina.codes) == {"teryt": "0201011", "lau": "1003021010101", "nuts": "PL515"}
    assert gmina.lat == pytest.approx(51.26, abs=0.01)
    assert gmina.long == pytest.approx(15.57, abs=0.01)
    # Powiats and voivodeships carry the sum of their gminas (LAU 2020: 38.38 M in all).
    total = sum(u.population or 0 for u in batch.units if u.level == "Region")
    assert 38_300_000 < total < 38_450_000
    assert units["pl/teryt/1465"].population == units["pl/teryt/1465011"].population


def test_two_polish_files_merge_into_one_unit_each() -> None:
    merged = merge_units([*teryt.read(TERC).units, *teryt.read(GMINY).units])
    assert merged.counts()["PL"] == {"County": 380, "LocalAuthority": 18, "Municipality": 2477,
                                     "Region": 16}
    warsaw = merged.units["pl/teryt/1465011"]
    assert warsaw.kinds == ("urban-gmina", "city-with-powiat-rights")
    assert warsaw.population is not None and warsaw.population > 1_700_000
    assert merged.rows["pl/teryt/1465011"][0][0] == str(TERC)
    # A renamed gmina keeps its code: the register's current name wins.
    assert merged.units["pl/teryt/2604172"].name == "Nowiny"


def test_czech_obce_okresy_and_kraje() -> None:
    batch = cz_obce.read(OBCE)
    assert batch.rows_read == 6258 and not batch.rejects
    assert _levels(batch.units) == {"Region": 14, "County": 77, "Municipality": 6258}
    units = {unit_key(u): u for u in batch.units}
    prague = units["cz/obec/554782"]
    assert (prague.name, prague.language, prague.parent) == ("Praha", "cs", ("okres", "CZ0100"))
    assert dict(prague.codes)["czechMunicipalityCode"] == "554782"
    assert prague.population == 1324277
    assert units["cz/okres/CZ0100"].parent == ("kraj", "CZ010")
    assert units["cz/kraj/CZ010"].subdivision == "CZ-10"
    olomouc = units["cz/okres/CZ0712"]
    assert (olomouc.name, olomouc.subdivision) == ("okres Olomouc", "CZ-712")
    assert units["cz/kraj/CZ071"].name == "Olomoucký kraj"
    assert sum(u.population or 0 for u in batch.units if u.level == "Region") == sum(
        u.population or 0 for u in batch.units if u.level == "Municipality")


DISTRICTS = DATA_DIR / "registers" / "cz_city_districts_2021.csv.xz"


def test_prague_and_brno_districts_lie_in_their_city() -> None:
    batch = read_source(f"cz-obce:{DISTRICTS}")
    assert batch.rows_read == 86 and not batch.rejects
    cities = Counter(u.parent for u in batch.units)
    assert cities == {("obec", "554782"): 57, ("obec", "582786"): 29}  # Praha, Brno
    obce = {unit_key(u) for u in cz_obce.read(OBCE).units}
    assert all(f"cz/obec/{u.parent[1]}" in obce for u in batch.units if u.parent)
    units = {unit_key(u): u for u in batch.units}
    six = units["cz/momc/500178"]
    assert (six.name, six.language, six.level, six.kinds) == (
        "Praha 6", "cs", "LocalAuthority", ("city-district",))
    assert dict(six.codes) == {"czechDistrictCode": "500178"}
    names = {u.name for u in batch.units}
    assert {f"Praha {n}" for n in range(1, 23)} <= names
    assert {"Praha-Řeporyje", "Brno-Vinohrady", "Brno-Bosonohy", "Brno-střed"} <= names
    assert len({u.code for u in batch.units}) == 86


def test_bad_district_rows_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "districts.csv"
    path.write_text("kod_momc,nazev_momc,kod_obce,nazev_obce\n500178,Praha 6,554782,Praha\n"
                    "50017,Praha 6,554782,Praha\n500186,Praha 7,55478,Praha\n", encoding="utf-8")
    batch = cz_obce.read(path)
    assert [u.code for u in batch.units] == ["500178"]
    assert batch.rejects == [
        Reject(str(path), 3, "kod_momc '50017' is not a six-digit RÚIAN district code"),
        Reject(str(path), 4, "kod_obce '55478' is not the six-digit code of the district's "
                             "city")]


def test_bad_rows_are_rejected_with_file_row_and_reason(tmp_path: Path) -> None:
    header = OBCE.read_text(encoding="utf-8").splitlines()[0]
    good = OBCE.read_text(encoding="utf-8").splitlines()[1]
    path = tmp_path / "obce.csv"
    path.write_text("\ufeff" + "\n".join([
        header, good, "12345," + good.split(",", 1)[1], good.replace(",1869,", ",-3,"),
        good.replace("CZ0724", "CZ0614"), "500011,Zlín"]) + "\n", encoding="utf-8")
    batch = cz_obce.read(path)
    assert batch.rows_read == 5 and len(batch.units) - 2 == 1  # one obec, its okres and kraj
    assert batch.rejects == [
        Reject(str(path), 3, "kod_obce '12345' is not a six-digit municipality code"),
        Reject(str(path), 4, "population '-3' is not a non-negative whole number"),
        Reject(str(path), 5, "kraj_nuts3 'CZ072' is not the NUTS 3 code its okres CZ0614 "
                             "starts with"),
        Reject(str(path), 6, "expected 15 columns, found 2"),
    ]


def test_bad_terc_rows_and_headers(tmp_path: Path) -> None:
    path = tmp_path / "terc.csv"
    path.write_text("WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n"
                    "02;;;;DOLNOŚLĄSKIE;województwo;2024-01-01\r\n"
                    "02;1;;;x;powiat;2024-01-01\r\n"
                    "02;01;01;7;x;gmina;2024-01-01\r\n", encoding="utf-8-sig")
    batch = teryt.read(path)
    assert [u.name for u in batch.units] == ["województwo dolnośląskie"]
    assert [(r.row, r.reason) for r in batch.rejects] == [
        (3, "code 02|1|| is not a TERC code (WOJ 2 digits, POW 2, GMI 2 and RODZ 1, each "
            "empty for a higher level)"),
        (4, "RODZ '7' is not a TERC unit type (1-5, 8, 9)")]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("teryt7,name\n0201011,Bolesławiec\n", encoding="utf-8")
    with pytest.raises(SourceError,
                       match=r"wrong\.csv, row 1: header lacks column\(s\) powiat_teryt4"):
        teryt.read(wrong)
    with pytest.raises(SourceError, match="needs a path"):
        read_source("cz-obce")


LAU = REGISTERS / "eu_lau_2020.csv"


def test_lau_gives_every_municipality_of_34_countries() -> None:
    batch = lau.read(LAU)
    assert batch.rows_read == 63645 and not batch.rejects
    units = {unit_key(u): u for u in batch.units}
    munich = units["de/lau/09162000"]
    assert (munich.name, munich.language, munich.population, munich.population_year) == (
        "München", "de", 1484226, "2020")
    assert munich.other_names == ("München, Landeshauptstadt",)  # as Eurostat writes it
    assert dict(munich.codes) == {"lau": "09162000", "nuts": "DE212"}
    assert (units["at/lau/90001"].name, units["at/lau/90001"].language) == ("Wien", "de")
    assert units["es/lau/15030"].name == "A Coruña"  # "Coruña, A"
    assert units["it/lau/021008"].other_names == ("Bolzano", "Bozen")
    assert not [u for u in batch.units if u.country == "DE" and "," in u.name]
    assert {u.country for u in batch.units} >= {"GR", "GB", "CZ", "PL", "NO", "CH"}
    assert "EL" not in {u.country for u in batch.units}
    # Population "NA" in the file: a unit without a population, not a reject.
    assert sum(1 for u in batch.units if u.population is None) == 129


def test_lau_linked_reads_the_same_units_as_candidates() -> None:
    linked = read_source(f"lau-linked:{LAU}")
    assert linked.reference and linked.source == "lau"  # the units' graph is lau's
    assert linked.rows_read == 63645
    # Every unit but those below the municipalities: Portugal's parishes (Maia in the Azores
    # is no city of Maia), Ireland's electoral divisions, Greek and Cypriot communities.
    assert [unit_key(u) for u in linked.units] == [
        unit_key(u) for u in lau.read(LAU).units if u.country not in {"PT", "IE", "GR", "CY"}]
    assert {u.country for u in linked.units} & lau.BELOW_MUNICIPALITIES == set()


def test_lau_rows_of_a_register_country_are_the_register_unit() -> None:
    merged = merge_units([*teryt.read(GMINY).units, *cz_obce.read(OBCE).units,
                          *lau.read(LAU).units])
    assert not [k for k in merged.units if k.startswith(("pl/lau/", "cz/lau/"))]
    prague = merged.units["cz/obec/554782"]
    assert prague.kinds == ("obec", "local-administrative-unit")
    assert [file for file, _ in merged.rows["cz/obec/554782"]] == [str(OBCE), str(LAU)]
    assert merged.counts()["PL"]["Municipality"] == 2477
    assert merged.counts()["DE"] == {"Municipality": 11007}


def test_bad_lau_rows_are_rejected(tmp_path: Path) -> None:
    lines = LAU.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "lau.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[1].replace(",AL111,", ",AL 111,"),
                               lines[1].replace(",AL011,", ",DE011,")]) + "\n",
                    encoding="utf-8")
    batch = lau.read(path)
    assert [u.code for u in batch.units] == ["AL111"]
    assert batch.rejects == [
        Reject(str(path), 3, "lau_id 'AL 111' is not a LAU code (letters and digits)"),
        Reject(str(path), 4, "nuts_3 'DE011' is not a NUTS 3 code of AL")]


NUTS = REGISTERS / "nuts2024.csv"


def test_nuts_regions_of_the_eu(tmp_path: Path) -> None:
    batch = nuts.read(NUTS)
    assert batch.rows_read == 1582 and not batch.rejects
    assert Counter(r.level for r in batch.regions) == {1: 119, 2: 271, 3: 1192}
    warsaw = next(r for r in batch.regions if r.code == "PL911")
    assert (warsaw.name, warsaw.level, warsaw.country) == ("Miasto Warszawa", 3, "PL")
    bad = tmp_path / "nuts.csv"
    bad.write_text("Country code,NUTS Code,NUTS label,NUTS level\nPL,PL911,Miasto Warszawa,2\n"
                   "PL,CZ071,Olomoucký kraj,3\n", encoding="utf-8")
    assert [(r.row, r.reason) for r in nuts.read(bad).rejects] == [
        (2, "NUTS level '2' does not fit code PL911 (1 to 3, one character per level after "
            "the country)"),
        (3, "NUTS Code 'CZ071' is not a NUTS code of country 'PL'")]
