"""Linking register units to Q-ids by TERYT, kód obce and LAU, against the Wikidata stand-in
(a real ``oxigraph serve`` holding tests/data/wikidata/wikidata.ttl): every unit whose code the
harvest holds is linked by that code, whatever its name says; the share is reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store

from graph.ingest.harvest_cache import Harvest, Item, write_cache
from graph.wikidata.harvest import Harvester
from graph.wikidata.link_summary import summarise
from graph.wikidata.reconcile import (
    AuthorityFacts,
    ItemIndex,
    authorities_in_store,
    link_all,
    link_authority,
)
from tests.wikidata_support import DATA, oxigraph_server

UNITS = "https://w3id.org/twinning-kg/id/authority/"


@pytest.fixture(scope="module")
def harvest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harvest]:
    with oxigraph_server(tmp_path_factory.mktemp("wikidata")) as url:
        yield Harvester(url).harvest(["PL", "CZ"])


@pytest.fixture(scope="module")
def units() -> list[AuthorityFacts]:
    store = Store()
    store.load(path=str(DATA / "registers.trig"), format=RdfFormat.TRIG)
    return authorities_in_store(store)


def test_the_harvest_fetches_the_codes(harvest: Harvest) -> None:
    assert harvest.items["Q9100006"].teryt == ["3064011"]
    assert harvest.items["Q9100012"].czech_code == ["582786"]
    assert harvest.items["Q9100001"].lau == ["3021054"]


def test_every_unit_whose_code_the_harvest_holds_is_linked_by_it(
    harvest: Harvest, units: list[AuthorityFacts]
) -> None:
    links = {link.authority.removeprefix(UNITS): (link.qid, link.method)
             for link in link_all(units, harvest)}
    assert links == {
        "pl/teryt/3064011": ("Q9100006", "wikidata:teryt"),
        # The code, not the name: the stand-in's item for this code is labelled otherwise.
        "pl/teryt/0201011": ("Q9100016", "wikidata:teryt"),
        "cz/obec/582786": ("Q9100012", "wikidata:czech_code"),
        "cz/obec/533165": ("Q9100003", "wikidata:czech_code"),
        # Two namesakes and no point: only the code tells them apart.
        "cz/obec/513750": ("Q9100004", "wikidata:czech_code"),
        "cz/obec/554545": ("Q9100017", "wikidata:czech_code"),
        # Codes the harvest does not hold: the name and the point decide, or nothing does.
        "pl/teryt/3021163": ("Q9100001", "wikidata:name+country+distance"),
        "pl/teryt/0201022": ("", ""),
        "cz/obec/554782": ("", ""),
    }


def test_the_share_linked_by_code_is_reported(
    harvest: Harvest, units: list[AuthorityFacts]
) -> None:
    summary = summarise(units, link_all(units, harvest), harvest)
    assert (summary.coded, summary.known, summary.by_code) == (9, 6, 6)
    assert round(summary.share_by_code, 3) == 0.667
    assert summary.by_method == {"wikidata:czech_code": 4,
                                 "wikidata:name+country+distance": 1, "wikidata:teryt": 2}


def test_code_forms_agree() -> None:
    """Six-digit TERYT (without the type digit), spaces, Eurostat's CC_ prefix on LAU."""
    index = ItemIndex([Item("Q1", {"pl": "Poznań"}, "PL", teryt=["306401"]),
                       Item("Q2", {"cs": "Brno"}, "CZ", lau=["CZ_582786"]),
                       Item("Q3", {"pl": "Swarzędz"}, "PL", teryt=["30 21 163"])])
    cases = [("Poznań", "PL", "teryt", "3064011", "Q1"), ("Brno", "CZ", "lau", "582786", "Q2"),
             ("Swarzędz", "PL", "teryt", "3021163", "Q3")]
    for name, country, kind, code, qid in cases:
        facts = AuthorityFacts("urn:x", name, country)
        facts.codes[kind].add(code)
        link = link_authority(facts, index)
        assert (link.qid, link.method) == (qid, f"wikidata:{kind}")


def test_twinkg_wikidata_link_prints_the_share(
    harvest: Harvest, tmp_path: Path
) -> None:
    from graph.cli import main
    from graph.core import store_layout
    from graph.pipeline.dumps import write_dumps_and_store

    build = store_layout.new_build(tmp_path / "store")
    store = Store()
    store.load(path=str(DATA / "registers.trig"), format=RdfFormat.TRIG)
    write_dumps_and_store(store, build)
    store_layout.write_summary(build, {})
    store_layout.switch(tmp_path / "store", build)
    cache = tmp_path / "harvest.json"
    write_cache(harvest, cache)
    result = CliRunner().invoke(main, ["wikidata", "link", "--store", str(tmp_path / "store"),
                                      "--harvest", str(cache)])
    assert result.exit_code == 0, result.output
    assert ("Linked by official code (TERYT, kód obce, LAU): 6 of 9 authorities with a code "
            "(66.7%); 6 of the 6 whose code the harvest holds.") in result.output
