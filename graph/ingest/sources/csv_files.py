"""Opening a source's CSV file and checking its header: one way for every reader.

Every CSV source (the Wikipedia lists, the partnership files authorities submit, the official
registers) is opened as ``utf-8-sig``, so that a byte-order mark a spreadsheet export writes
never ends up in the first column's name and fails the header check, and ``.xz`` or ``.gz``
files are decompressed on the fly, as the project bundles them. The header is checked once
here, so every reader reports a wrong header the same way: a :class:`SourceError` naming the
file, row 1, the missing columns and the columns found. What a row means stays in each
source's module.
"""

from __future__ import annotations

import csv
import gzip
import lzma
from _csv import Reader as CsvReader
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from graph.ingest.records import SourceError


def open_text(path: Path) -> TextIO:
    """A CSV file opened as text (``utf-8-sig``), decompressed when it ends in .xz or .gz.

    Raises :class:`OSError` when the file cannot be opened.
    """
    if path.suffix == ".xz":
        return lzma.open(path, "rt", encoding="utf-8-sig", newline="")
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def check_header(path: Path, header: Sequence[str], required: Sequence[str],
                 known: Collection[str] | None = None) -> None:
    """Raise :class:`SourceError` (file, row 1) unless ``header`` has every ``required``
    column and, when ``known`` is given, no column outside it.

    >>> check_header(Path("p.csv"), ["city1", "country1"], ["city1", "city2"])
    Traceback (most recent call last):
    ...
    graph.ingest.records.SourceError: p.csv, row 1: header lacks column(s) city2 (found: \
city1, country1)
    >>> check_header(Path("p.csv"), ["city1", "colour"], ["city1"], known=["city1"])
    Traceback (most recent call last):
    ...
    graph.ingest.records.SourceError: p.csv, row 1: unknown column(s) colour
    """
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if known is not None and c not in known]
    reasons = []
    if missing:
        reasons.append(f"header lacks column(s) {', '.join(missing)} "
                       f"(found: {', '.join(header) or 'nothing'})")
    if unknown:
        reasons.append(f"unknown column(s) {', '.join(unknown)}")
    if reasons:
        raise SourceError(path, "; ".join(reasons), 1)


@contextmanager
def csv_table(path: Path, required: Sequence[str], *, delimiter: str = ",",
              known: Collection[str] | None = None,
              normalise: Callable[[str], str] = str.strip) -> Iterator[tuple[CsvReader,
                                                                              list[str]]]:
    """Open a CSV file and check its header; yield the reader over the data rows and the
    header, each column name passed through ``normalise`` (stripped by default; a reader
    whose format ignores case passes one that lowers it too).

    Raises :class:`SourceError` when the file cannot be opened, its header cannot be read
    or fails :func:`check_header`; a decoding or decompression error in a later row is the
    caller's to report with that row.
    """
    try:
        handle = open_text(path)
    except OSError as error:
        raise SourceError(path, f"cannot read the file ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = [normalise(h) for h in next(reader, [])]
        except (csv.Error, UnicodeDecodeError, lzma.LZMAError, gzip.BadGzipFile,
                EOFError) as error:
            raise SourceError(path, f"cannot read the header ({error})", 1) from None
        check_header(path, header, required, known)
        yield reader, header


def lowered(name: str) -> str:
    """A column name as formats that ignore case compare it.

    >>> lowered(" City1 ")
    'city1'
    """
    return name.strip().lower()
