"""The seed documents' partnerships as a partnerships CSV, and the cross-source sets the
evaluation benchmark draws from it (benchmarks/data/seed_partnerships.csv, SOURCES.md there).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.core.settings import setting
from graph.ingest.sources import partnerships
from tests.recommend_support import BASE, evaluation_benchmark, publish_fixture

ROOT = Path(__file__).resolve().parent.parent
SEED_CSV = ROOT / "benchmarks" / "data" / "seed_partnerships.csv"
SEED_DIR = Path(setting("SHARED_DATA_DIR")).parent / "seeds"


def test_every_row_is_a_partnership_read_without_reject() -> None:
    batch = partnerships.read(SEED_CSV)
    assert batch.rejects == [] and batch.rows_read == 4
    pairs = {frozenset((r.participants[0].name, r.participants[1].name)) for r in batch.records}
    assert pairs == {frozenset(p) for p in (("Swarzędz", "Ronnenberg"), ("Swarzędz", "Duclair"),
                                            ("Swarzędz", "Järfälla"), ("Ronnenberg", "Duclair"))}
    for record in batch.records:
        assert re.match(r"Seed document \d{3}_[0-9a-f]{16}\.txt: \"", record.notes)


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="the seed documents are not on this machine")
def test_each_row_quotes_the_seed_document_it_names() -> None:
    for record in partnerships.read(SEED_CSV).records:
        name, quote = re.match(r"Seed document (\S+): \"(.+?)\"", record.notes).groups()
        text = " ".join((SEED_DIR / name).read_text(encoding="utf-8").split())
        assert quote in text, (name, quote)


def test_cross_source_evaluates_on_what_a_source_adds_to_the_largest(tmp_path: Path) -> None:
    # Two small sources state the same new pair (as the curated data and the seed CSV do):
    # neither holds it alone, and both add it to the largest source.
    pair = (f"{BASE}pl/gniezno", f"{BASE}cz/kutná-hora")
    extra = "".join(
        f"<https://w3id.org/twinning-kg/id/graph/{graph}> {{ <{pair[0]}> "
        f"<https://w3id.org/twinning-kg/def#twinnedWith> <{pair[1]}> . }}\n"
        for graph in ("partnerships", "wikidata"))
    publish_fixture(tmp_path, model=False, extra_trig=extra)
    graph, added = evaluation_benchmark().load(tmp_path)
    expected = {tuple(sorted((graph.index[pair[0]], graph.index[pair[1]])))}
    assert added == {"partnerships": expected, "wikidata": expected}
