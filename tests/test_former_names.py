"""Former names of Polish gminas (Poland's gmina table keeps Eurostat's LAU 2020 name): the
two gminas renamed since 2020 keep their old name, by which lists may still name them, without
taking the name away from the town that has it now."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.core.settings import setting
from graph.gazetteer.registers import RegisterIndex, merge_units
from graph.ingest.bundled import DATA_DIR
from graph.ingest.sources import teryt

TERC = Path(setting("SHARED_DATA_DIR")) / "registers" / "pl_terc_2024-01-01.csv"
GMINY = DATA_DIR / "registers" / "pl_gminy_2024.csv.xz"


@pytest.fixture(scope="module")
def index() -> RegisterIndex:
    return RegisterIndex(merge_units([*teryt.read(TERC).units, *teryt.read(GMINY).units]))


def test_the_renamed_gminas_keep_their_former_name() -> None:
    renamed = {u.code: (u.name, u.former_names) for u in teryt.read(GMINY).units
               if u.former_names}
    assert renamed == {"2212082": ("Redzikowo", ("Słupsk",)),
                       "2604172": ("Nowiny", ("Sitkówka-Nowiny",))}


def test_a_table_without_the_column_reads_without_former_names(tmp_path: Path) -> None:
    table = tmp_path / "gminy.csv"
    table.write_text(",".join(teryt.GMINA_COLUMNS) + "\n2212082,Redzikowo,2212,słupski,22,"
                     "POMORSKIE,PL636,1004221411208,18206,54.49,17.07\n", encoding="utf-8")
    units = [u for u in teryt.read(table).units if u.code == "2212082"]
    assert [(u.name, u.former_names) for u in units] == [("Redzikowo", ())]


@pytest.mark.parametrize(("name", "unit"), [
    ("Gmina Słupsk", "pl/teryt/2212082"),  # the rural gmina, renamed Redzikowo
    ("Słupsk (rural gmina)", "pl/teryt/2212082"),
    ("Słupsk", "pl/teryt/2263011"),  # the city keeps its name
    ("Sitkówka-Nowiny", "pl/teryt/2604172"),
    ("Redzikowo", "pl/teryt/2212082"),
])
def test_former_names_find_the_unit(index: RegisterIndex, name: str, unit: str) -> None:
    link = index.link(name, "PL")
    assert link is not None and link.unit_key == unit, link
