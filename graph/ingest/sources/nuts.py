"""Eurostat's NUTS classification: ``twinkg build --source nuts:FILE``.

FILE is the NUTS 2024 table (``Country code,NUTS Code,NUTS label,NUTS level``, 1,582 regions
of the EU-27). Every region becomes a ``tkg:NutsRegion`` under the EU Publications Office's own
IRI (``http://data.europa.eu/nuts/code/PL213``), with its code, name, level and the region one
level up (``skos:broader``); the build then places every register unit carrying a NUTS code
of the file in its region (``tkg:nutsRegion``), so that a gmina lies in its NUTS 3 region, in
its NUTS 2 region.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.ingest.records import NutsRegion, SourceBatch
from graph.ingest.sources.register_table import parsed_rows

KIND = "nuts"
COLUMNS = ("Country code", "NUTS Code", "NUTS label", "NUTS level")
_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{1,3}$")


def read(path: Path) -> SourceBatch:
    """Read the NUTS table; every row becomes a region or a reject naming file, row and reason.

    Raises :class:`graph.ingest.records.SourceError` when the file is missing or its header lacks a
    column.
    """
    batch = SourceBatch(KIND, str(path))
    batch.regions.extend(region for _, _, region in parsed_rows(batch, path, COLUMNS, _region))
    return batch


def _region(batch: SourceBatch, row: int, cells: dict[str, str]) -> NutsRegion:
    """One row as a region; raises :class:`ValueError` with the reason it is none."""
    if "" in cells:
        raise ValueError(cells[""])
    code, country, level = cells["NUTS Code"], cells["Country code"], cells["NUTS level"]
    if not _CODE.match(code) or not code.startswith(country):
        raise ValueError(f"NUTS Code {code!r} is not a NUTS code of country {country!r}")
    if level not in ("1", "2", "3") or len(code) != 2 + int(level):
        raise ValueError(f"NUTS level {level!r} does not fit code {code} (1 to 3, one "
                         "character per level after the country)")
    if not cells["NUTS label"]:
        raise ValueError("empty NUTS label")
    return NutsRegion(KIND, batch.file, row, code, cells["NUTS label"], int(level), country)
