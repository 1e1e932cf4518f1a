"""Reading the official registers' CSV tables: one row loop, typed cells.

The register sources (:mod:`graph.ingest.sources.teryt`, :mod:`graph.ingest.sources.cz_obce`,
:mod:`graph.ingest.sources.lau`) share how a row is read and how a cell becomes a number; how
a file is opened and its header checked is every CSV source's (:mod:`.csv_files`), and what a
row means stays in each source's module.
"""

from __future__ import annotations

import gzip
import lzma
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from graph.ingest.records import Reject, SourceBatch, SourceError
from graph.ingest.sources.csv_files import csv_table, open_text

__all__ = ["POPULATION_YEAR", "coordinate", "header_of", "open_text", "parsed_rows", "population",
           "rows"]

Parsed = TypeVar("Parsed")

POPULATION_YEAR = "2020"
"""The reference year of the LAU 2020 population figures every register file carries."""


def rows(path: Path, required: Sequence[str], delimiter: str = ",") -> \
        Iterator[tuple[int, dict[str, str]]]:
    """Every data row of a register table as ``(line number, {column: stripped cell})``.

    Column names are matched as written (registers spell them in a fixed case). A row whose
    cell count differs from the header's is yielded with the key ``""`` holding the reason,
    so the caller rejects it with its line number.

    Raises :class:`SourceError` when the file cannot be read or its header lacks a column.
    """
    with csv_table(path, required, delimiter=delimiter) as (reader, header):
        try:
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue  # blank lines are layout, not rows
                if len(cells) != len(header):
                    yield reader.line_num, {"": f"expected {len(header)} columns, found "
                                                f"{len(cells)}"}
                    continue
                yield reader.line_num, dict(zip(header, (c.strip() for c in cells),
                                                strict=True))
        except UnicodeDecodeError as error:
            raise SourceError(path, f"not UTF-8 text ({error.reason})") from None
        except (lzma.LZMAError, gzip.BadGzipFile, EOFError) as error:
            raise SourceError(path, f"not a readable compressed file ({error})") from None


def parsed_rows(batch: SourceBatch, path: Path, required: Sequence[str],
                parse: Callable[[SourceBatch, int, dict[str, str]], Parsed],
                delimiter: str = ",") -> Iterator[tuple[int, dict[str, str], Parsed]]:
    """Every row of a register table that ``parse`` makes something of, as ``(line number,
    cells, what it made)``; each row it refuses (``ValueError``) goes into the batch's rejects
    with file, row and reason, so no row is lost. Every row is counted in ``rows_read``.

    Raises :class:`SourceError` as :func:`rows` does.
    """
    for row, cells in rows(path, required, delimiter):
        batch.rows_read += 1
        try:
            made = parse(batch, row, cells)
        except ValueError as error:
            batch.rejects.append(Reject(str(path), row, str(error)))
            continue
        yield row, cells, made


def header_of(path: Path) -> str:
    """The first line of a file (to tell two layouts of one register apart).

    Raises :class:`SourceError` when the file cannot be read.
    """
    try:
        with open_text(path) as handle:
            return handle.readline().strip()
    except (OSError, UnicodeDecodeError, lzma.LZMAError, EOFError) as error:
        raise SourceError(path, f"cannot read the file ({error})") from None


def population(text: str) -> int | None:
    """A population cell as a non-negative integer, ``None`` when empty.

    >>> population("38872"), population(""), population("38872.0")
    (38872, None, 38872)
    >>> population("-5")
    Traceback (most recent call last):
    ...
    ValueError: population '-5' is not a non-negative whole number

    Raises :class:`ValueError` naming the cell for anything else.
    """
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if value < 0 or value != int(value):
        raise ValueError(f"population {text!r} is not a non-negative whole number")
    return int(value)


def coordinate(text: str, low: float, high: float, what: str) -> float | None:
    """A latitude or longitude cell within its range, ``None`` when empty.

    >>> coordinate("51.26", -90, 90, "latitude"), coordinate("", -90, 90, "latitude")
    (51.26, None)
    >>> coordinate("191", -180, 180, "longitude")
    Traceback (most recent call last):
    ...
    ValueError: longitude '191' is not a number between -180 and 180

    Raises :class:`ValueError` naming the cell for anything else.
    """
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise ValueError(f"{what} {text!r} is not a number between {low:g} and {high:g}")
    return value
