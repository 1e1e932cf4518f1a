"""The Wikipedia twin-town list format: records, and the exact rejects for malformed rows."""

from pathlib import Path

import pytest

from graph.ingest.records import Reject, SourceError
from graph.ingest.sources import read_source
from graph.ingest.sources.wikipedia import read

DATA = Path(__file__).parent / "data" / "sources"
SAMPLE = DATA / "wikipedia_sample.csv"


def test_every_row_is_a_record_or_a_reject() -> None:
    batch = read(SAMPLE)
    assert batch.rows_read == 12
    assert len(batch.records) + len(batch.rejects) == batch.rows_read
    assert batch.rejects == [
        Reject(str(SAMPLE), 6, "self-partnership: Łódź twinned with itself"),
        Reject(str(SAMPLE), 7, "expected 4 columns, found 2"),
        Reject(str(SAMPLE), 8, "empty place name"),
    ]


def test_records_keep_names_countries_and_rows() -> None:
    records = read(SAMPLE).records
    first = records[0]
    assert (first.row, first.source, first.type) == (2, "wikipedia", "twinning")
    assert [(p.name, p.country) for p in first.participants] == [
        ("Swarzędz", "Poland"), ("Ronnenberg", "Germany")]
    # A country written into the place name is left for the build to resolve.
    ningbo = next(r for r in records if r.participants[0].name == "Ningbo")
    assert (ningbo.participants[1].name, ningbo.participants[1].country) == (
        "Varna, Bulgaria", "")


def test_geocoded_variant_reads_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "geo.csv"
    path.write_text("city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
                    "Berat,Albania,40.7022,19.9583,Fermo,Italy,43.1608,13.7158\n",
                    encoding="utf-8")
    participant = read(path).records[0].participants[1]
    assert (participant.name, participant.lat, participant.long) == ("Fermo", 43.1608, 13.7158)


def test_missing_column_is_a_source_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("city1,country1,city2\nA,B,C\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad\.csv, row 1: header lacks column\(s\) country2"):
        read(path)


def test_registry_picks_the_adapter_by_kind() -> None:
    assert read_source(f"wikipedia:{SAMPLE}").rows_read == 12
    with pytest.raises(SourceError, match="needs a path"):
        read_source("wikipedia")


def test_a_file_saved_with_a_byte_order_mark_reads_like_one_without(tmp_path: Path) -> None:
    # Spreadsheet exports ("CSV UTF-8" in Excel) start with a BOM; it must not become part
    # of the first column's name and fail the header check.
    path = tmp_path / "bom.csv"
    path.write_text("City1,Country1,City2,Country2\nSwarzędz,Poland,Ronnenberg,Germany\n",
                    encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    batch = read(path)
    assert batch.rejects == []
    assert [(p.name, p.country) for p in batch.records[0].participants] == [
        ("Swarzędz", "Poland"), ("Ronnenberg", "Germany")]


def test_a_wrong_header_names_the_file_the_missing_and_the_found_columns(
        tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("\ufefftown,country1,city2\nA,B,C\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"wrong\.csv, row 1: header lacks column\(s\) "
                                          r"city1, country2 \(found: town, country1, city2\)"):
        read(path)
