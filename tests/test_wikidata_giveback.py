"""Giving back to Wikidata, on a small published graph (tests/data/wikidata/ours.trig) and the
harvest fixture: which partnerships Wikidata lacks, their QuickStatements line by line, and
the reverse report."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

from graph.ingest.harvest_cache import Harvest, read_cache
from graph.wikidata.giveback import (
    missing_on_wikidata,
    partnerships_in_store,
    quickstatements,
    unlinked_on_our_side,
    wikidata_links_in_store,
)
from tests.wikidata_support import DATA

BASE = "http://127.0.0.1:8080/"
ID = "https://w3id.org/twinning-kg/id/"
STATEMENT = "http://www.wikidata.org/entity/statement/"


@pytest.fixture(scope="module")
def harvest() -> Harvest:
    return read_cache(DATA / "harvest.json")


@pytest.fixture(scope="module")
def store() -> Store:
    store = Store()
    store.bulk_load(path=str(DATA / "ours.trig"))
    return store


def test_quickstatements_line_by_line(store: Store, harvest: Harvest) -> None:
    qids = wikidata_links_in_store(store, BASE)
    missing, uncovered = missing_on_wikidata(partnerships_in_store(store, BASE), qids, harvest)
    assert uncovered == 1, "Leipzig-Lyon: neither item is in a harvested country"
    retrieved = "S813\t+2026-01-15T00:00:00Z/11"
    brno_lviv = f'S854\t"{ID}partnership/cz-brno--ua-lviv"\t{retrieved}'
    kolin_lviv = f'S854\t"{ID}partnership/cz-kol%C3%ADn--ua-lviv"\t{retrieved}'
    poznan = f'S854\t"https://www.poznan.pl/partners"\t{retrieved}'
    assert quickstatements(missing, date(2026, 1, 15)).splitlines() == [
        f"Q9100012\tP190\tQ9100008\tP580\t+2004-05-00T00:00:00Z/10\t"
        f"P582\t+2012-03-01T00:00:00Z/11\t{brno_lviv}",
        f"Q9100008\tP190\tQ9100012\tP580\t+2004-05-00T00:00:00Z/10\t"
        f"P582\t+2012-03-01T00:00:00Z/11\t{brno_lviv}",
        f"Q9100003\tP190\tQ9100006\tP580\t+1999-00-00T00:00:00Z/9\t{poznan}",
        f"Q9100006\tP190\tQ9100003\tP580\t+1999-00-00T00:00:00Z/9\t{poznan}",
        f"Q9100003\tP190\tQ9100008\tP582\tsomevalue\t{kolin_lviv}",
        f"Q9100008\tP190\tQ9100003\tP582\tsomevalue\t{kolin_lviv}",
    ]


def test_a_deprecated_statement_still_counts_as_present(store: Store,
                                                        harvest: Harvest) -> None:
    """Hranice-Poznań is on Wikidata only as a deprecated statement: not proposed again."""
    qids = {ID + "authority/cz/hranice": "Q9100004", ID + "authority/pl/poznań": "Q9100006"}
    from graph.wikidata.giveback import OurPartnership

    ours = [OurPartnership(ID + "partnership/cz-hranice--pl-poznań", "", ID +
                           "authority/cz/hranice", ID + "authority/pl/poznań")]
    assert missing_on_wikidata(ours, qids, harvest) == ([], 0)


def test_reverse_report_lists_statements_we_could_not_link(store: Store,
                                                           harvest: Harvest) -> None:
    linked = wikidata_links_in_store(store, BASE).values()
    rows = {r.statement.removeprefix(STATEMENT): r.unlinked
            for r in unlinked_on_our_side(harvest, linked)}
    assert rows == {
        "Q9100003-s03": ("Q9100005",), "Q9100004-s04": ("Q9100004",),
        "Q9100006-s05": ("Q9100007",), "Q9100006-s07": ("Q9100009",),
        "Q9100006-s08": ("Q9100010",), "Q9100006-s09": ("Q9100011",),
        "Q9100012-s12": ("Q9100013",), "Q9100010-s13": ("Q9100010",),
        "Q9100009-s15": ("Q9100009",), "Q9100016-s17": ("Q9100016",),
    }


def test_partnerships_are_read_with_persistent_iris(store: Store) -> None:
    found = {p.iri: p for p in partnerships_in_store(store, BASE)}
    assert ID + "partnership/cz-brno--cz-kolín--pl-poznań" not in found
    brno_lviv = found[ID + "partnership/cz-brno--ua-lviv"]
    assert (brno_lviv.a, brno_lviv.b) == (ID + "authority/cz/brno", ID + "authority/ua/lviv")
    assert (brno_lviv.start, brno_lviv.end, brno_lviv.ended) == ("2004-05", "2012-03-01", True)


def test_report_command_on_a_published_store(tmp_path: Path) -> None:
    from graph.cli import main
    from graph.core import store_layout

    store_dir = tmp_path / "store"
    target = store_layout.new_build(store_dir)
    published = Store(str(target.oxigraph))
    published.bulk_load(path=str(DATA / "ours.trig"))
    published.flush()
    del published
    store_layout.write_summary(target, {"base_iri": BASE})
    store_layout.switch(store_dir, target)
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["wikidata", "report", "--store", str(store_dir),
                                       "--harvest", str(DATA / "harvest.json"),
                                       "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "missing.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["item_a"], r["label_a"], r["item_b"], r["label_b"], r["start"], r["ended"])
            for r in rows] == [
        ("Q9100012", "Brno", "Q9100008", "Lviv", "2004-05", "yes"),
        ("Q9100003", "Kolín", "Q9100006", "Poznań", "1999", ""),
        ("Q9100003", "Kolín", "Q9100008", "Lviv", "", "yes"),
    ]
    assert len((out / "missing.qs").read_text(encoding="utf-8").splitlines()) == 6


def test_report_command_without_a_store_is_one_sentence(tmp_path: Path) -> None:
    from graph.cli import main

    result = CliRunner().invoke(main, ["wikidata", "report", "--store", str(tmp_path),
                                       "--harvest", str(DATA / "harvest.json"),
                                       "--out-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no published graph in" in result.output and "Traceback" not in result.output
