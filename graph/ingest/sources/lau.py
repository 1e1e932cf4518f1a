"""Eurostat's list of local administrative units: ``twinkg build --source lau:FILE``.

FILE is the LAU 2020 table (``gisco_id,longitude,latitude,country,nuts_2,nuts_3,lau_id,
lau_name,population,area_km2,year,...``): 63,645 municipalities of 34 European countries, each
with its LAU code, NUTS 3 region, population (with its year) and a population-weighted point.

Every row becomes a unit named by its LAU code (``id/authority/de/lau/09162000``, Munich).
A municipality a national register already names is the same unit: a Czech LAU code *is* the
kód obce and Poland's gmina table gives each gmina its LAU code, so
:func:`graph.gazetteer.registers.
merge_units` files such a row under the register's unit (``cz/obec/554782``), adding what it
says there. Countries use Eurostat's codes in the file (``EL`` Greece, ``UK`` United Kingdom);
units get ISO 3166-1 ones. The native name is a ``skos:prefLabel`` in the country's language
where the country has one official language the names are written in; in Belgium,
Switzerland, Finland, Spain and other countries with several, the name stays a plain label.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.ingest.records import RegisterUnit, Reject, SourceBatch
from graph.ingest.sources.register_table import coordinate, population, rows

KIND = "lau"
COLUMNS = ("longitude", "latitude", "country", "nuts_3", "lau_id", "lau_name", "population",
           "year")
EUROSTAT_COUNTRIES = {"EL": "GR", "UK": "GB"}
"""Eurostat country codes that differ from ISO 3166-1."""
LANGUAGES = {
    "AT": "de", "DE": "de", "LI": "de", "IT": "it", "PT": "pt", "CZ": "cs", "SK": "sk",
    "PL": "pl", "HU": "hu", "RO": "ro", "BG": "bg", "HR": "hr", "SI": "sl", "GR": "el",
    "NL": "nl", "SE": "sv", "DK": "da", "IS": "is", "EE": "et", "LV": "lv", "LT": "lt",
    "GB": "en", "RS": "sr", "MK": "mk", "AL": "sq", "FR": "fr",
}
"""Countries whose LAU names are written in one official language, and its tag."""
_LAU = re.compile(r"^[0-9A-Z]{1,16}$")
_NUTS3 = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$")
_YEAR = re.compile(r"^[0-9]{4}$")


def read(path: Path) -> SourceBatch:
    """Read the LAU table; every row becomes a unit or a reject naming file, row and reason.

    Raises :class:`graph.ingest.records.SourceError` when the file is missing or its header lacks a
    column.
    """
    batch = SourceBatch(KIND, str(path))
    for row, cells in rows(path, COLUMNS):
        batch.rows_read += 1
        try:
            batch.units.append(_unit(batch, row, cells))
        except ValueError as error:
            batch.rejects.append(Reject(str(path), row, str(error)))
    return batch


def _unit(batch: SourceBatch, row: int, cells: dict[str, str]) -> RegisterUnit:
    """One row as a unit; raises :class:`ValueError` with the reason it is none."""
    if "" in cells:
        raise ValueError(cells[""])
    code, country, nuts = cells["lau_id"], cells["country"], cells["nuts_3"]
    if not re.match(r"^[A-Z]{2}$", country):
        raise ValueError(f"country {country!r} is not a two-letter country code")
    if not _LAU.match(code):
        raise ValueError(f"lau_id {code!r} is not a LAU code (letters and digits)")
    if nuts and (not _NUTS3.match(nuts) or not nuts.startswith(country)):
        raise ValueError(f"nuts_3 {nuts!r} is not a NUTS 3 code of {country}")
    if not cells["lau_name"]:
        raise ValueError("empty lau_name")
    people = population("" if cells["population"] == "NA" else cells["population"])
    year = cells["year"] if _YEAR.match(cells["year"]) else ""
    iso = EUROSTAT_COUNTRIES.get(country, country)
    codes = [("lau", code)] + ([("nuts", nuts)] if nuts else [])
    return RegisterUnit(
        source=KIND, file=batch.file, row=row, country=iso, level="Municipality",
        scheme="lau", code=code, name=cells["lau_name"], language=LANGUAGES.get(iso, ""),
        kinds=("local-administrative-unit",), codes=tuple(codes), population=people,
        population_year=year if people is not None else "",
        lat=coordinate(cells["latitude"], -90, 90, "latitude"),
        long=coordinate(cells["longitude"], -180, 180, "longitude"))
