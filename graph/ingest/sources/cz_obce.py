"""Czechia's municipalities: ``twinkg build --source cz-obce:FILE``.

FILE is the table of the 6,258 obce (``kod_obce,nazev,okres_lau1,okres_nazev,kraj_nazev,
kraj_nuts3,population_lau2020,...``): every obec with its six-digit kód obce, its okres and
kraj, its LAU 2020 population and two points. Every obec, okres and kraj becomes a unit:

* an **obec** by its kód obce (``id/authority/cz/obec/554782``, also its LAU code), with its
  own coordinates (the file's ``lat_33bcdd``; the population-weighted centre when it lacks
  them) and its NUTS 3 region;
* an **okres** by its LAU 1 code (``cz/okres/CZ0712``) and a **kraj** by its NUTS 3 code
  (``cz/kraj/CZ071``), the codes Eurostat and ISO 3166-2 (CZ-712, CZ-71) share, each with the
  summed population of its obce. Prague is one obec, one okres and one kraj.

FILE may also be the table of the districts of Prague and Brno (``kod_momc,...``, told from the
header; :mod:`graph.ingest.sources.cz_districts`): each a local authority within its city.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from graph.core.subdivisions import listed_subdivision
from graph.ingest.records import RegisterUnit, Reject, SourceBatch
from graph.ingest.sources import cz_districts
from graph.ingest.sources.register_table import (
    POPULATION_YEAR,
    coordinate,
    header_of,
    population,
    rows,
)

KIND = "cz-obce"
COLUMNS = ("kod_obce", "nazev", "okres_lau1", "okres_nazev", "kraj_nazev", "kraj_nuts3",
           "population_lau2020", "lat_popweighted", "lon_popweighted", "lat_33bcdd",
           "lon_33bcdd")
_KOD_OBCE = re.compile(r"^[0-9]{6}$")
_OKRES = re.compile(r"^CZ0[0-9]{2}[0-9A-C]$")
_KRAJ = re.compile(r"^CZ0[0-9]{2}$")
PRAGUE_OKRES = "CZ0100"


def read(path: Path) -> SourceBatch:
    """Read the obce table (or the districts table); every row becomes a unit or a reject
    naming file, row and reason.

    Raises :class:`graph.ingest.records.SourceError` when the file is missing or its header lacks a
    column.
    """
    if cz_districts.is_districts_table(header_of(path)):
        return cz_districts.read(path, KIND)
    batch = SourceBatch(KIND, str(path))
    okresy: dict[str, tuple[int, str, str]] = {}  # LAU 1 -> (first row, name, kraj NUTS 3)
    kraje: dict[str, tuple[int, str]] = {}
    people: dict[str, int] = defaultdict(int)
    for row, cells in rows(path, COLUMNS):
        batch.rows_read += 1
        try:
            unit = _obec(batch, row, cells)
            okres, kraj = cells["okres_lau1"], cells["kraj_nuts3"]
            known = okresy.setdefault(okres, (row, cells["okres_nazev"], kraj))
            if known[2] != kraj:
                raise ValueError(f"okres {okres} lies in kraj {known[2]} (row {known[0]}), "
                                 f"not in {kraj}")
        except ValueError as error:
            batch.rejects.append(Reject(str(path), row, str(error)))
            continue
        batch.units.append(unit)
        kraje.setdefault(kraj, (row, cells["kraj_nazev"]))
        for higher in (okres, kraj):
            people[higher] += unit.population or 0
    for code, (row, name) in sorted(kraje.items()):
        batch.units.append(RegisterUnit(
            source=KIND, file=batch.file, row=row, country="CZ", level="Region", scheme="kraj",
            code=code, name=name, language="cs", kinds=("kraj",), codes=(("nuts", code),),
            population=people[code], population_year=POPULATION_YEAR,
            subdivision=listed_subdivision(f"CZ-{code[3:]}")))
    for code, (row, name, kraj) in sorted(okresy.items()):
        batch.units.append(RegisterUnit(
            source=KIND, file=batch.file, row=row, country="CZ", level="County",
            scheme="okres", code=code, name=name if code == PRAGUE_OKRES else f"okres {name}",
            language="cs", kinds=("okres",), codes=(("lau", code), ("nuts", kraj)),
            parent=("kraj", kraj), population=people[code], population_year=POPULATION_YEAR,
            subdivision=listed_subdivision(f"CZ-{code[3:]}")))
    return batch


def _obec(batch: SourceBatch, row: int, cells: dict[str, str]) -> RegisterUnit:
    """One row as an obec; raises :class:`ValueError` with the reason it is none."""
    if "" in cells:
        raise ValueError(cells[""])
    code, okres, kraj = cells["kod_obce"], cells["okres_lau1"], cells["kraj_nuts3"]
    if not _KOD_OBCE.match(code):
        raise ValueError(f"kod_obce {code!r} is not a six-digit municipality code")
    if not _OKRES.match(okres):
        raise ValueError(f"okres_lau1 {okres!r} is not an okres LAU 1 code (CZ0712)")
    if not _KRAJ.match(kraj) or not okres.startswith(kraj):
        raise ValueError(f"kraj_nuts3 {kraj!r} is not the NUTS 3 code its okres {okres} "
                         "starts with")
    if not cells["nazev"]:
        raise ValueError("empty nazev (name)")
    people = population(cells["population_lau2020"])
    lat = coordinate(cells["lat_33bcdd"], -90, 90, "latitude")
    long = coordinate(cells["lon_33bcdd"], -180, 180, "longitude")
    if lat is None or long is None:
        lat = coordinate(cells["lat_popweighted"], -90, 90, "latitude")
        long = coordinate(cells["lon_popweighted"], -180, 180, "longitude")
    return RegisterUnit(
        source=KIND, file=batch.file, row=row, country="CZ", level="Municipality",
        scheme="obec", code=code, name=cells["nazev"], language="cs", kinds=("obec",),
        codes=(("czechMunicipalityCode", code), ("lau", code), ("nuts", kraj)),
        parent=("okres", okres), population=people,
        population_year=POPULATION_YEAR if people is not None else "", lat=lat, long=long)
