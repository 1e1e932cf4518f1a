"""Eurostat's list of local administrative units: ``twinkg build --source lau:FILE``.

FILE is a LAU 2020 table in one of two layouts Eurostat's lists come in:

* the 34 countries' table (``gisco_id,longitude,latitude,country,nuts_2,nuts_3,lau_id,
  lau_name,population,area_km2,year,...``): 63,645 municipalities, each with its LAU code,
  NUTS 3 region, population (with its year) and a population-weighted point;
* France's communes (``gisco_id,country,nuts_2,nuts_3,lau_id,lau_name,population,area_km2,
  year,...``): the same columns without the point, the LAU code being the INSEE code. Such a
  unit has everything but coordinates; the reconciliation never uses a point it lacks.

A header with one of ``longitude`` and ``latitude`` but not the other is refused. Every row
becomes a unit named by its LAU code (``id/authority/de/lau/09162000``, Munich;
``fr/lau/42218``, Saint-Étienne). A municipality a national register already names is the
same unit: a Czech LAU code *is* the kód obce and Poland's gmina table gives each gmina its
LAU code, so :func:`graph.gazetteer.registers.merge_units` files such a row under the
register's unit (``cz/obec/554782``), adding what it says there. Countries use Eurostat's
codes in the file (``EL`` Greece, ``UK`` United Kingdom); units get ISO 3166-1 ones. The
native name is a ``skos:prefLabel`` in the country's language where the country has one
official language the names are written in; in Belgium, Switzerland, Finland, Spain and other
countries with several, the name stays a plain label.

Eurostat writes some names in a register's order: the name is the one a person writes
(:func:`clean_name`: "München" for "München, Landeshauptstadt", "A Coruña" for "Coruña, A"),
the file's form and the parts of a two-language name ("Bolzano/Bozen") are other names, and so
is a German name with its abbreviations written out ("Weiden in der Oberpfalz" for "Weiden
i.d.OPf.": :mod:`graph.ingest.sources.abbreviations`).

``lau-linked:FILE`` reads the same file as candidates only (a reference batch): the units the
listed authorities of the build's partnership lists turn out to be are published, with their
LAU code, NUTS 3, population and native name; the others are read for reconciliation alone. So
the default build names Munich "München"@de without adding 60,000 municipalities no list names.
Where a country's LAUs lie below its municipalities (Portugal's parishes, Ireland's electoral
divisions, the communities of Greece and Cyprus: :data:`BELOW_MUNICIPALITIES`), none is a
candidate: the parish of Maia in the Azores is not the city of Maia a list twins.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from graph.ingest.records import RegisterUnit, SourceBatch
from graph.ingest.sources.abbreviations import spelled_out
from graph.ingest.sources.register_table import coordinate, header_of, parsed_rows, population

KIND = "lau"
LINKED_KIND = "lau-linked"
"""The source kind that reads a LAU table as candidates for the listed authorities only."""
COLUMNS = ("country", "nuts_3", "lau_id", "lau_name", "population", "year")
"""The columns every LAU table has."""
POINT_COLUMNS = ("longitude", "latitude")
"""The point's columns: both or neither (France's communes come without)."""
EUROSTAT_COUNTRIES = {"EL": "GR", "UK": "GB"}
"""Eurostat country codes that differ from ISO 3166-1."""
LANGUAGES = {
    "AT": "de", "DE": "de", "LI": "de", "IT": "it", "PT": "pt", "CZ": "cs", "SK": "sk",
    "PL": "pl", "HU": "hu", "RO": "ro", "BG": "bg", "HR": "hr", "SI": "sl", "GR": "el",
    "NL": "nl", "SE": "sv", "DK": "da", "IS": "is", "EE": "et", "LV": "lv", "LT": "lt",
    "GB": "en", "RS": "sr", "MK": "mk", "AL": "sq", "FR": "fr",
}
"""Countries whose LAU names are written in one official language, and its tag."""
BELOW_MUNICIPALITIES = frozenset({"PT", "IE", "GR", "CY"})
"""Countries whose LAUs are parishes, electoral divisions or communities, not the
municipalities that twin (ISO codes)."""
_ARTICLES = frozenset({"A", "O", "As", "Os", "El", "La", "Los", "Las", "Les", "Els", "Es",
                       "Sa", "Ses", "L'", "el", "la", "les", "l'"})
"""Articles Eurostat writes after a comma ("Coruña, A", "Hospitalet de Llobregat, L'")."""
_TAIL_DROPPED = frozenset({"DE", "SK"})
"""Countries where what follows the comma says what the place is, not its name ("Köln,
Stadt", "Beša, okres Levice")."""
_SK_DISTRICT = re.compile(r"^(.+?) - mestská časť (.+)$")
_CITY_DISTRICTS = frozenset({"SK", "RS"})
"""Countries whose "A - B" names a district B of city A ("Belgrade - Zemun"); elsewhere the
two parts are two names ("Buje - Buie") or two places merged ("Hrpelje - Kozina")."""
_PARTS = re.compile(r"\s+-\s+|\s*/\s*")
_LAU = re.compile(r"^[0-9A-Z]{1,16}$")
_NUTS3 = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$")
_YEAR = re.compile(r"^[0-9]{4}$")


def read(path: Path) -> SourceBatch:
    """Read the LAU table; every row becomes a unit or a reject naming file, row and reason.

    Raises :class:`graph.ingest.records.SourceError` when the file is missing or its header lacks a
    column (one of the point's columns without the other counts as lacking it).
    """
    batch = SourceBatch(KIND, str(path))
    _read_into(batch, path)
    return batch


def read_linked(path: Path) -> SourceBatch:
    """Read the LAU table as candidates for the listed authorities (a reference batch): the
    units of :func:`read`, in the ``lau`` graph, but those of :data:`BELOW_MUNICIPALITIES`.

    Raises :class:`graph.ingest.records.SourceError` as :func:`read` does.
    """
    batch = SourceBatch(KIND, str(path), reference=True)
    _read_into(batch, path)
    batch.units = [u for u in batch.units if u.country not in BELOW_MUNICIPALITIES]
    return batch


def _read_into(batch: SourceBatch, path: Path) -> None:
    batch.units.extend(unit for _, _, unit in parsed_rows(batch, path, columns_of(path), _unit))


def clean_name(raw: str, country: str) -> tuple[str, tuple[str, ...]]:
    """The name a person writes for a LAU, and the other forms of it the file gives.

    >>> clean_name("München, Landeshauptstadt", "DE")
    ('München', ('München, Landeshauptstadt',))
    >>> clean_name("Coruña, A", "ES"), clean_name("Hospitalet de Llobregat, L'", "ES")[0]
    (('A Coruña', ('Coruña, A',)), "L'Hospitalet de Llobregat")
    >>> clean_name("Bristol, City of", "GB")
    ('City of Bristol', ('Bristol, City of', 'Bristol'))
    >>> clean_name("Glasgow City", "GB")
    ('Glasgow City', ('Glasgow',))
    >>> clean_name("Bratislava - mestská časť Petržalka", "SK")
    ('Bratislava-Petržalka', ('Bratislava - mestská časť Petržalka', 'Petržalka'))
    >>> clean_name("Belgrade - Zemun", "RS")
    ('Belgrade - Zemun', ('Zemun',))
    >>> clean_name("Bolzano/Bozen", "IT")
    ('Bolzano/Bozen', ('Bolzano', 'Bozen'))
    >>> clean_name("Trofa, Segadães e Lamas do Vouga", "PT")
    ('Trofa, Segadães e Lamas do Vouga', ())
    """
    name = raw.strip()
    others: list[str] = []
    head, comma, tail = name.partition(",")
    head, tail = head.strip(), tail.strip()
    if comma and country in _TAIL_DROPPED:
        name = head
    elif comma and tail in _ARTICLES:
        name = f"{tail}{head}" if tail.endswith("'") else f"{tail} {head}"
    elif comma and tail in ("City of", "County of"):
        name = f"{tail} {head}"
        others.append(head)
    if country == "GB":
        # "City of Edinburgh", "Glasgow City": the city's own name is another.
        bare = re.sub(r"^City of |^County of | City$", "", name)
        if bare != name:
            others.append(bare)
    district = _SK_DISTRICT.match(name)
    if district:
        name = f"{district.group(1)}-{district.group(2)}"
        others.append(district.group(2))
    parts = [p for p in _PARTS.split(name) if p]
    if len(parts) > 1 and not district:
        others.extend(parts[1:] if country in _CITY_DISTRICTS else parts)
    if name != raw.strip():
        others.insert(0, raw.strip())
    return name, tuple(dict.fromkeys(o for o in others if o != name))


def columns_of(path: Path) -> tuple[str, ...]:
    """The columns a LAU table must have: :data:`COLUMNS`, and the point's when its header
    names either of them.

    Raises :class:`graph.ingest.records.SourceError` when the file cannot be read.
    """
    header = {h.strip() for h in next(csv.reader([header_of(path)]), [])}
    return COLUMNS + (POINT_COLUMNS if header & set(POINT_COLUMNS) else ())


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
    name, other_names = clean_name(cells["lau_name"], iso)
    written_out = spelled_out(name, iso)
    if written_out != name:
        other_names = (written_out, *other_names)
    return RegisterUnit(
        source=KIND, file=batch.file, row=row, country=iso, level="Municipality",
        scheme="lau", code=code, name=name, other_names=other_names,
        language=LANGUAGES.get(iso, ""),
        kinds=("local-administrative-unit",), codes=tuple(codes), population=people,
        population_year=year if people is not None else "",
        lat=coordinate(cells.get("latitude", ""), -90, 90, "latitude"),
        long=coordinate(cells.get("longitude", ""), -180, 180, "longitude"))
