"""Poland's TERYT register: ``twinkg build --source teryt:FILE``.

FILE is either of the two tables behind Poland's units (``../shared/data/registers``):

* the **TERC** register as GUS publishes it (``WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA``,
  ``;``-separated): every voivodeship, powiat and gmina, the kind of each (urban, rural,
  urban-rural gmina; city with powiat rights) and their hierarchy;
* the **gmina table** (``teryt7,name,rodz,...,population_lau2020,lat_popweighted,...``): the
  same gminas with their Eurostat LAU code, NUTS 3 region, LAU 2020 population and a
  population-weighted point, and their powiats and voivodeships.

The layout is told from the header. Both name a unit by its TERYT code, so both files give one
resource per unit; the build merges what each says (:func:`graph.gazetteer.registers.merge_units`).
Powiats
and voivodeships get the summed population of their gminas from the gmina table.

Rows of TERC that are no unit of local government are rejected with their reason: the town
and the rural area of an urban-rural gmina (RODZ 4 and 5) and the delegations of Kraków, Łódź,
Poznań and Wrocław (RODZ 9, statistical units without a council). The districts (dzielnice,
RODZ 8) of Warsaw are auxiliary units with councils of their own that twin with foreign
districts: they become local authorities within the city.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from graph.core.subdivisions import listed_subdivision
from graph.ingest.records import RegisterUnit, SourceBatch
from graph.ingest.sources.register_table import (
    POPULATION_YEAR,
    coordinate,
    header_of,
    parsed_rows,
    population,
)

KIND = "teryt"
TERC_COLUMNS = ("WOJ", "POW", "GMI", "RODZ", "NAZWA")
"""The TERC columns read (the register also has NAZWA_DOD and STAN_NA; the kind of a unit
follows from its codes, so a copy trimmed to these columns reads the same)."""
GMINA_COLUMNS = ("teryt7", "name", "powiat_teryt4", "powiat_name", "woj_teryt2",
                 "woj_name", "nuts3_2021", "eurostat_lau_id_2020", "population_lau2020",
                 "lat_popweighted", "lon_popweighted")
FORMER_NAME_COLUMN = "lau_name_2020"
"""The gmina table's column with Eurostat's LAU 2020 name: where it differs from the name, the
gmina was renamed since (Redzikowo was "Słupsk", Nowiny "Sitkówka-Nowiny"). Optional: a table
without it reads the same, without former names."""
GMINA_KINDS = {"1": "urban-gmina", "2": "rural-gmina", "3": "urban-rural-gmina"}
_NOT_UNITS = {"4": "the town of urban-rural gmina {gmina}, a part of it and not a unit of "
                   "local government",
              "5": "the rural area of urban-rural gmina {gmina}, a part of it and not a unit "
                   "of local government",
              "9": "a delegation of city {city}: a statistical unit without a council, not a "
                   "unit of local government"}
CITY_POWIAT_FROM = 61
"""Powiat numbers from 61 up are cities with powiat rights (TERYT's numbering rule)."""


def read(path: Path) -> SourceBatch:
    """Read a TERC register or the gmina table (told apart by the header).

    Every data row becomes a unit or a reject naming file, row and reason. Raises
    :class:`graph.ingest.records.SourceError` when the file is missing or its header is neither.
    """
    if ";" in header_of(path):
        return _read_terc(path)
    return _read_gminy(path)


def _voivodeship(batch: SourceBatch, row: int, code: str, name: str,
                 people: int | None = None) -> RegisterUnit:
    return RegisterUnit(
        source=KIND, file=batch.file, row=row, country="PL", level="Region", scheme="teryt",
        code=code, name=f"województwo {name.lower()}", language="pl", kinds=("voivodeship",),
        codes=(("teryt", code),), subdivision=listed_subdivision(f"PL-{code}"),
        population=people, population_year=POPULATION_YEAR if people is not None else "")


def _powiat(batch: SourceBatch, row: int, code: str, name: str,
            people: int | None = None) -> RegisterUnit:
    city = int(code[2:]) >= CITY_POWIAT_FROM
    return RegisterUnit(
        source=KIND, file=batch.file, row=row, country="PL", level="County", scheme="teryt",
        code=code, name=name if city else f"powiat {name}", language="pl",
        kinds=("city-with-powiat-rights",) if city else ("powiat",),
        codes=(("teryt", code),), parent=("teryt", code[:2]), population=people,
        population_year=POPULATION_YEAR if people is not None else "")


def _gmina_kinds(code: str) -> tuple[str, ...]:
    kind = GMINA_KINDS[code[6]]
    return (kind, "city-with-powiat-rights") if int(code[2:4]) >= CITY_POWIAT_FROM else (kind,)


def _read_terc(path: Path) -> SourceBatch:
    batch = SourceBatch(KIND, str(path))
    gminas: dict[str, str] = {}  # TERYT6 -> name, for the reasons of their parts' rows
    def terc_unit(batch: SourceBatch, row: int, cells: dict[str, str]) -> RegisterUnit:
        return _terc_unit(batch, row, cells, gminas)

    batch.units.extend(unit for _, _, unit in parsed_rows(batch, path, TERC_COLUMNS,
                                                          terc_unit, delimiter=";"))
    return batch


def _terc_unit(batch: SourceBatch, row: int, cells: dict[str, str],
               gminas: dict[str, str]) -> RegisterUnit:
    """One TERC row as a unit; raises :class:`ValueError` with the reason it is none."""
    if "" in cells:
        raise ValueError(cells[""])
    woj, pow_, gmi, rodz, name = (cells[c] for c in ("WOJ", "POW", "GMI", "RODZ", "NAZWA"))
    if not name:
        raise ValueError("empty NAZWA (name)")
    digits = woj + pow_ + gmi + rodz
    if not digits.isdigit() or len(woj) != 2 or len(pow_) not in (0, 2) or \
            len(gmi) not in (0, 2) or len(rodz) not in (0, 1) or (gmi and not pow_) or \
            (bool(gmi) != bool(rodz)):
        raise ValueError(f"code {woj}|{pow_}|{gmi}|{rodz} is not a TERC code (WOJ 2 digits, "
                         "POW 2, GMI 2 and RODZ 1, each empty for a higher level)")
    if not pow_:
        return _voivodeship(batch, row, woj, name)
    if not gmi:
        return _powiat(batch, row, woj + pow_, name)
    code = digits
    if rodz in GMINA_KINDS:
        gminas[code[:6]] = name
        return RegisterUnit(
            source=KIND, file=batch.file, row=row, country="PL", level="Municipality",
            scheme="teryt", code=code, name=name, language="pl", kinds=_gmina_kinds(code),
            codes=(("teryt", code),), parent=("teryt", code[:4]))
    city = gminas.get(code[:4] + "01", name)
    if rodz == "8":
        # A district of Warsaw: within the city's gmina (GMI 01, RODZ 1 of its powiat).
        return RegisterUnit(
            source=KIND, file=batch.file, row=row, country="PL", level="LocalAuthority",
            scheme="teryt", code=code, name=name, language="pl", kinds=("city-district",),
            codes=(("teryt", code),), parent=("teryt", code[:4] + "011"))
    if rodz in _NOT_UNITS:
        raise ValueError(f"TERYT {code} ({name}): " + _NOT_UNITS[rodz].format(
            gmina=gminas.get(code[:6], code[:6]), city=city))
    raise ValueError(f"RODZ {rodz!r} is not a TERC unit type (1-5, 8, 9)")


def _read_gminy(path: Path) -> SourceBatch:
    batch = SourceBatch(KIND, str(path))
    powiats: dict[str, tuple[int, str]] = {}  # code -> (first row, name)
    voivodeships: dict[str, tuple[int, str]] = {}
    people: dict[str, int] = defaultdict(int)
    for row, cells, unit in parsed_rows(batch, path, GMINA_COLUMNS, _gmina):
        batch.units.append(unit)
        powiats.setdefault(cells["powiat_teryt4"], (row, cells["powiat_name"]))
        voivodeships.setdefault(cells["woj_teryt2"], (row, cells["woj_name"]))
        for higher in (unit.code[:4], unit.code[:2]):
            people[higher] += unit.population or 0
    for code, (row, name) in sorted(voivodeships.items()):
        batch.units.append(_voivodeship(batch, row, code, name, people[code]))
    for code, (row, name) in sorted(powiats.items()):
        batch.units.append(_powiat(batch, row, code, name, people[code]))
    return batch


def _gmina(batch: SourceBatch, row: int, cells: dict[str, str]) -> RegisterUnit:
    """One gmina-table row as a unit; raises :class:`ValueError` with the reason it is none."""
    if "" in cells:
        raise ValueError(cells[""])
    code = cells["teryt7"]
    if len(code) != 7 or not code.isdigit() or code[6] not in GMINA_KINDS:
        raise ValueError(f"teryt7 {code!r} is not a gmina's 7-digit TERYT code ending in its "
                         "type (1 urban, 2 rural, 3 urban-rural)")
    if cells["powiat_teryt4"] != code[:4] or cells["woj_teryt2"] != code[:2]:
        raise ValueError(f"teryt7 {code} does not start with its powiat "
                         f"{cells['powiat_teryt4']!r} and voivodeship {cells['woj_teryt2']!r}")
    if not cells["name"]:
        raise ValueError("empty name")
    people = population(cells["population_lau2020"])
    former = cells.get(FORMER_NAME_COLUMN, "")
    codes = [("teryt", code)]
    if cells["eurostat_lau_id_2020"]:
        codes.append(("lau", cells["eurostat_lau_id_2020"]))
    if cells["nuts3_2021"]:
        codes.append(("nuts", cells["nuts3_2021"]))
    return RegisterUnit(
        source=KIND, file=batch.file, row=row, country="PL", level="Municipality",
        scheme="teryt", code=code, name=cells["name"], language="pl", kinds=_gmina_kinds(code),
        former_names=(former,) if former and former != cells["name"] else (),
        codes=tuple(codes), parent=("teryt", code[:4]), population=people,
        population_year=POPULATION_YEAR if people is not None else "",
        lat=coordinate(cells["lat_popweighted"], -90, 90, "latitude"),
        long=coordinate(cells["lon_popweighted"], -180, 180, "longitude"))
