"""The partnership CSV format that municipalities, associations and regional offices submit.

One row per partnership, seen from the submitting authority (documented in the README)::

    authority,country,official_code,partner,partner_country,since,until,type,status,themes,
    programme,notes,source_url

``authority``, ``country``, ``partner`` and ``partner_country`` are required; ``since`` and
``until`` are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``themes`` are separated by ``;``;
``official_code`` is the TERYT code (Poland) or the Czech municipality code. Type, status and
theme names are checked against the vocabularies by the build (pl, cs or en labels).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from graph.core.names import fold
from graph.ingest.records import (
    Participant,
    PartnershipRecord,
    Reject,
    SourceBatch,
    parse_date,
)
from graph.ingest.sources.csv_files import csv_table, lowered

KIND = "partnerships"
COLUMNS = ("authority", "country", "official_code", "partner", "partner_country", "since",
           "until", "type", "status", "themes", "programme", "notes", "source_url")
REQUIRED = ("authority", "country", "partner", "partner_country")


def read(path: Path) -> SourceBatch:
    """Read a partnership CSV; every data row becomes a record or a reject with its reason.

    Raises :class:`SourceError` when the file is missing or the header lacks a required
    column or has one this format does not know.
    """
    batch = SourceBatch(KIND, str(path))
    with csv_table(path, REQUIRED, known=COLUMNS, normalise=lowered) as (reader, header):
        for cells in reader:
            row_number = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines are layout, not rows
            batch.rows_read += 1
            try:
                batch.records.append(_record(path, row_number, header, cells))
            except ValueError as error:
                batch.rejects.append(Reject(str(path), row_number, str(error)))
    return batch


def _record(path: Path, row_number: int, header: list[str], cells: list[str]) -> \
        PartnershipRecord:
    """One row as a record; raises :class:`ValueError` with the reason it cannot be one."""
    if len(cells) != len(header):
        raise ValueError(f"expected {len(header)} columns, found {len(cells)}")
    row = {c: "" for c in COLUMNS} | dict(zip(header, (c.strip() for c in cells), strict=True))
    for column in REQUIRED:
        if not row[column]:
            raise ValueError(f"empty {column.replace('_', ' ')}")
    if fold(row["authority"]) == fold(row["partner"]) and (
            fold(row["country"]) == fold(row["partner_country"])):
        raise ValueError(f"self-partnership: {row['authority']} twinned with itself")
    if row["source_url"]:
        _check_source_url(row["source_url"])
    since = parse_date(row["since"]) if row["since"] else ""
    until = parse_date(row["until"]) if row["until"] else ""
    if since and until and until < since:
        raise ValueError(f"until {until} is before since {since}")
    return PartnershipRecord(
        source=KIND, file=str(path), row=row_number,
        participants=(Participant(row["authority"], row["country"], row["official_code"]),
                      Participant(row["partner"], row["partner_country"])),
        since=since, until=until, type=row["type"], status=row["status"],
        themes=tuple(t.strip() for t in row["themes"].split(";") if t.strip()),
        programme=row["programme"], notes=row["notes"], source_url=row["source_url"])


def _check_source_url(url: str) -> None:
    """Raise :class:`ValueError` with the reason unless ``url`` is an ``http(s)`` URL.

    The URL becomes the partnership's ``dct:source`` and a link on its page: a
    ``javascript:`` or ``data:`` URL there would run in readers' browsers.

    >>> _check_source_url("https://www.swarzedz.pl/partnerzy")
    >>> _check_source_url("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    ValueError: source_url 'javascript:alert(1)' is not an http(s) URL
    """
    try:
        parts = urlsplit(url)
    except ValueError as error:  # a broken IPv6 host: "http://[::1"
        raise ValueError(f"source_url {url!r} is not a URL ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError(f"source_url {url!r} is not an http(s) URL")
    if not parts.hostname:
        raise ValueError(f"source_url {url!r} has no host")
    if any(c.isspace() or not c.isprintable() or c in '<>"{}|\\^`' for c in url):
        raise ValueError(f"source_url {url!r} holds characters a URL cannot have "
                         "(percent-encode them)")
