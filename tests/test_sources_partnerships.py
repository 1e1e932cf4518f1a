"""The partnership CSV format submitted by municipalities: records and exact rejects."""

from pathlib import Path

import pytest

from graph.ingest.records import Reject, SourceError
from graph.ingest.sources.partnerships import read

SAMPLE = Path(__file__).parent / "data" / "sources" / "partnerships_sample.csv"


def test_malformed_rows_are_rejected_with_file_row_and_reason() -> None:
    batch = read(SAMPLE)
    assert batch.rows_read == 7
    assert batch.rejects == [
        Reject(str(SAMPLE), 3, "bad date '2010-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
        Reject(str(SAMPLE), 6, "empty partner"),
        Reject(str(SAMPLE), 7, "expected 13 columns, found 4"),
    ]
    # Themes are checked by the build against the vocabulary, so row 4 is still a record;
    # row 5 names one town with two country forms ("CZ", "Czech Republic"): the build, which
    # resolves countries, rejects it (tests/test_build.py).
    assert [r.row for r in batch.records] == [2, 4, 5, 8]


def test_a_full_row_keeps_every_field() -> None:
    record = read(SAMPLE).records[0]
    assert record.participants[0].official_code == "3021092"
    assert (record.since, record.until, record.type, record.status) == (
        "1998", "", "twinning", "active")
    assert record.themes == ("kultura", "Youth exchange")
    assert (record.programme, record.notes, record.source_url) == (
        "Europe for Citizens", "Signed in Ronnenberg.", "https://www.swarzedz.pl/partnerzy")


def test_until_before_since_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("authority,country,partner,partner_country,since,until\n"
                    "Kolín,CZ,Brest,FR,2010,2001\n", encoding="utf-8")
    assert read(path).rejects == [Reject(str(path), 2, "until 2001 is before since 2010")]


def test_unknown_column_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("authority,country,partner,partner_country,colour\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"unknown column\(s\) colour"):
        read(path)


def test_a_file_saved_with_a_byte_order_mark_reads_like_one_without(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("authority,country,partner,partner_country,since\n"
                    "Kolín,CZ,Brest,FR,2001\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    batch = read(path)
    assert batch.rejects == []
    record = batch.records[0]
    assert [(p.name, p.country) for p in record.participants] == [
        ("Kolín", "CZ"), ("Brest", "FR")]
    assert record.since == "2001"


def test_a_missing_column_is_a_source_error_naming_the_file_and_the_columns(
        tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("\ufeffauthority,partner\nKolín,Brest\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"short\.csv, row 1: header lacks column\(s\) "
                                          r"country, partner_country \(found: authority, "
                                          r"partner\)"):
        read(path)
