"""The Wikipedia twin-town list format: ``city1,country1,city2,country2``.

The geocoded variant adds ``lat1,lng1`` and ``lat2,lng2``; columns are found by header name so
both files read the same way. Coordinates are kept on the participants but the build never
uses them for reconciliation (they are the yardstick of the accuracy benchmark).
"""

from __future__ import annotations

from pathlib import Path

from graph.core.names import fold
from graph.ingest.records import Participant, PartnershipRecord, Reject, SourceBatch
from graph.ingest.sources.csv_files import csv_table, lowered

KIND = "wikipedia"
REQUIRED = ("city1", "country1", "city2", "country2")


def _coordinate(row: dict[str, str], column: str) -> float | None:
    text = (row.get(column) or "").strip()
    try:
        return float(text) if text else None
    except ValueError:
        return None


def read(path: Path) -> SourceBatch:
    """Read a Wikipedia twin-town CSV; every data row becomes a record or a reject.

    Raises :class:`graph.ingest.records.SourceError` when the file is missing or its header
    lacks a column.
    """
    batch = SourceBatch(KIND, str(path))
    # Plain, or .xz/.gz as the project bundles it; column names in any case.
    with csv_table(path, REQUIRED, normalise=lowered) as (reader, header):
        for cells in reader:
            row_number = reader.line_num
            batch.rows_read += 1
            if len(cells) != len(header):
                batch.rejects.append(Reject(str(path), row_number,
                                            f"expected {len(header)} columns, found "
                                            f"{len(cells)}"))
                continue
            row = dict(zip(header, (c.strip() for c in cells), strict=True))
            if not row["city1"] or not row["city2"]:
                batch.rejects.append(Reject(str(path), row_number, "empty place name"))
                continue
            if fold(row["city1"]) == fold(row["city2"]) and (
                    fold(row["country1"]) == fold(row["country2"])):
                batch.rejects.append(Reject(str(path), row_number,
                                            f"self-partnership: {row['city1']} twinned with "
                                            "itself"))
                continue
            batch.records.append(PartnershipRecord(
                source=KIND, file=str(path), row=row_number,
                participants=(
                    Participant(row["city1"], row["country1"], lat=_coordinate(row, "lat1"),
                                long=_coordinate(row, "lng1")),
                    Participant(row["city2"], row["country2"], lat=_coordinate(row, "lat2"),
                                long=_coordinate(row, "lng2")),
                ),
                type="twinning"))
    return batch
