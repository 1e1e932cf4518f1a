"""The data the project carries (data/): made from the originals, read like them, credited,
small, and built by default."""

from __future__ import annotations

from pathlib import Path

from graph.core.settings import REPO_ROOT, setting
from graph.gazetteer.registers import unit_key
from graph.ingest.bundled import (
    BUNDLE,
    DATA_DIR,
    DEFAULT,
    default_sources,
    expand_sources,
    write_bundle,
)
from graph.ingest.sources import read_source
from graph.pipeline.builder import Builder

SHARED = Path(setting("SHARED_DATA_DIR"))
LIMIT = 25 * 1024 * 1024


def test_bundled_files_are_the_originals_trimmed_and_compressed(tmp_path: Path) -> None:
    written = write_bundle(SHARED, tmp_path)
    made = [bundled for bundled in BUNDLE if bundled.original is not None]
    for bundled, path in zip(made, written, strict=True):
        committed = DATA_DIR / bundled.path
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed} is not what scripts/bundle-data makes from {bundled.original}")
        assert committed.stat().st_size < LIMIT


def test_bundled_copies_read_as_the_originals() -> None:
    for bundled in BUNDLE:
        if bundled.original is None:
            continue  # the project's own file (the districts of Prague and Brno)
        copy = read_source(f"{bundled.kind}:{DATA_DIR / bundled.path}")
        original = read_source(f"{bundled.kind}:{SHARED / bundled.original}")
        assert copy.rows_read == original.rows_read
        assert [(r.row, r.reason) for r in copy.rejects] == [
            (r.row, r.reason) for r in original.rejects]
        assert [r.participants for r in copy.records] == [r.participants for r in
                                                           original.records]
        assert {unit_key(u): u.population for u in copy.units} == {
            unit_key(u): u.population for u in original.units}


def test_the_projects_own_files_are_small_and_read_without_rejects() -> None:
    own = [bundled for bundled in BUNDLE if bundled.original is None]
    assert [b.path for b in own] == ["registers/cz_city_districts_2021.csv.xz"]
    for bundled in own:
        assert (DATA_DIR / bundled.path).stat().st_size < LIMIT
        batch = read_source(f"{bundled.kind}:{DATA_DIR / bundled.path}")
        assert batch.rows_read == len(batch.units) > 0 and not batch.rejects


def test_every_bundled_file_has_its_origin_licence_and_credit() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for bundled in BUNDLE:
        path = DATA_DIR / bundled.path
        sources = (path.parent / "SOURCES.md").read_text(encoding="utf-8")
        assert f"`{path.name}`" in sources
        for word in ("origin", "licence", "credit"):
            assert word in sources.lower(), (path.parent, word)
    for credit in ("GUS, TERYT TERC", "ČSÚ / RÚIAN", "© European Union, Eurostat", "EDJNet",
                   "CC BY-SA 4.0"):
        assert credit in readme, credit


def test_the_default_build_reads_the_curated_data_the_registers_and_the_list() -> None:
    # `twinkg build` without --source builds DEFAULT; the library's build() without sources
    # stays the curated data alone (what most tests build).
    assert Builder([DEFAULT]).sources == default_sources() == expand_sources([DEFAULT])
    assert Builder([]).sources == ["curated"]
    kinds = [spec.split(":", 1)[0] for spec in default_sources()]
    assert kinds == ["curated", "teryt", "teryt", "cz-obce", "cz-obce", "nuts", "lau-linked",
                     "lau-linked", "wikipedia"]
    assert [spec.rsplit("/", 1)[-1] for spec in default_sources()
            if spec.startswith("lau-linked:")] == ["eu_lau_2020.csv.xz", "fr_lau_2020.csv.xz"]
    with_harvest = Builder([DEFAULT, "wikidata:h.json"]).sources
    assert with_harvest == [*default_sources(), "wikidata:h.json"]
