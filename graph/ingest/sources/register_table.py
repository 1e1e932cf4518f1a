"""Reading the official registers' CSV tables: one header check, one row loop, typed cells.

The register sources (:mod:`graph.ingest.sources.teryt`, :mod:`graph.ingest.sources.cz_obce`,
:mod:`graph.ingest.sources.lau`) share how a table is opened (``utf-8-sig``, so a byte-order mark
from
a spreadsheet export never ends up in the first column's name, and ``.xz`` or ``.gz`` files
decompressed on the fly, as the project bundles them), how its header is checked and how a cell
becomes a number; what a row means stays in each source's module.
"""

from __future__ import annotations

import csv
import gzip
import lzma
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from graph.ingest.records import SourceError

POPULATION_YEAR = "2020"
"""The reference year of the LAU 2020 population figures every register file carries."""


def open_text(path: Path) -> TextIO:
    """A CSV file opened as text (``utf-8-sig``), decompressed when it ends in .xz or .gz.

    Raises :class:`OSError` when the file cannot be opened.
    """
    if path.suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8-sig", newline="")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def rows(path: Path, required: Sequence[str], delimiter: str = ",") -> \
        Iterator[tuple[int, dict[str, str]]]:
    """Every data row of a register table as ``(line number, {column: stripped cell})``.

    Column names are matched as written (registers spell them in a fixed case). A row whose
    cell count differs from the header's is yielded with the key ``""`` holding the reason,
    so the caller rejects it with its line number.

    Raises :class:`SourceError` when the file cannot be read or its header lacks a column.
    """
    try:
        handle = open_text(path)
    except OSError as error:
        raise SourceError(path, f"cannot read the file ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = [h.strip() for h in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as error:
            raise SourceError(path, f"cannot read the header ({error})", 1) from None
        missing = [c for c in required if c not in header]
        if missing:
            raise SourceError(path, f"header lacks column(s) {', '.join(missing)} (found: "
                                    f"{', '.join(header) or 'nothing'})", 1)
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
