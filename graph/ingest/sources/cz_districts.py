"""The districts of Czech statutory cities, read by the ``cz-obce`` source kind from a table
of their own (``kod_momc,nazev_momc,kod_obce,nazev_obce``; the layout is told from the header).

Prague's 57 městské části and Brno's 29 have councils of their own and twin with foreign
towns and districts ("Prague 6 (Prague)", "Brno-Vinohrady"); an obec is the whole city. Each
district becomes a local authority named by its RÚIAN code (``id/authority/cz/momc/500178``,
Praha 6: a code list of its own, ``tkg:czechDistrictCode``, not a kód obce) that is part of
its city's obec and lies within it, as Warsaw's dzielnice are and do.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.ingest.records import RegisterUnit, SourceBatch
from graph.ingest.sources.register_table import parsed_rows

COLUMNS = ("kod_momc", "nazev_momc", "kod_obce", "nazev_obce")
SCHEME = "momc"
_CODE = re.compile(r"^[0-9]{6}$")


def is_districts_table(header: str) -> bool:
    """Whether a header line is the districts table's.

    >>> is_districts_table("kod_momc,nazev_momc,kod_obce,nazev_obce")
    True
    >>> is_districts_table("kod_obce,nazev,okres_lau1")
    False
    """
    return "kod_momc" in header.split(",")


def read(path: Path, kind: str) -> SourceBatch:
    """Every row as a city district or a reject naming file, row and reason.

    Raises :class:`graph.ingest.records.SourceError` when the file is missing or its header
    lacks a column.
    """
    batch = SourceBatch(kind, str(path))
    batch.units.extend(unit for _, _, unit in parsed_rows(batch, path, COLUMNS, _district))
    return batch


def _district(batch: SourceBatch, row: int, cells: dict[str, str]) -> RegisterUnit:
    """One row as a district; raises :class:`ValueError` with the reason it is none."""
    if "" in cells:
        raise ValueError(cells[""])
    code, city = cells["kod_momc"], cells["kod_obce"]
    if not _CODE.match(code):
        raise ValueError(f"kod_momc {code!r} is not a six-digit RÚIAN district code")
    if not _CODE.match(city):
        raise ValueError(f"kod_obce {city!r} is not the six-digit code of the district's city")
    if not cells["nazev_momc"]:
        raise ValueError("empty nazev_momc (name)")
    return RegisterUnit(
        source=batch.source, file=batch.file, row=row, country="CZ", level="LocalAuthority",
        scheme=SCHEME, code=code, name=cells["nazev_momc"], language="cs",
        kinds=("city-district",), codes=(("czechDistrictCode", code),),
        parent=("obec", city))
