"""Each country's Wikipedia list of twin towns as a source of its own (graph.pipeline.listings)
and the cross-source evaluation on the pairs one list alone holds (issue 16, protocol (d)).

A small graph is built by the project's build from a Wikipedia-format file written here (the
first participant of a row is the side whose country's page lists it) and a partnerships CSV.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.core.iris import authority_iri
from graph.core.store_layout import published
from graph.ingest.records import Reject
from graph.pipeline.build import build
from graph.pipeline.listings import Listings, listing_sides, register_units
from tests.recommend_support import evaluation_benchmark

ROOT = Path(__file__).resolve().parent.parent
LISTED = """city1,country1,city2,country2
Swarzędz,Poland,Ronnenberg,Germany
Ronnenberg,Germany,Swarzędz,Poland
Gniezno,Poland,Kutná Hora,Czech Republic
Gniezno,Poland,Falun,Sweden
Gniezno,Poland,Speyer,Germany
Kutná Hora,Czech Republic,Eger,Hungary
Kutná Hora,Czech Republic,Ronnenberg,Germany
Speyer,Germany,Eger,Hungary
Speyer,Germany,Falun,Sweden
Ronnenberg,Germany,Duclair,France
Falun,Sweden,Duclair,France
Eger,Hungary,Duclair,France
Swarzędz,Poland,Eger,Hungary
Eger,Hungary,Swarzędz,Poland
Falun,Sweden,Kutná Hora,Czech Republic
Atlantis City,Atlantis,Gniezno,Poland
Gniezno,Poland,Gniezno,Poland
"""
"""Rows 2-16 are partnerships; row 17 names no country, row 18 twins Gniezno with itself."""
PARTNERSHIPS = """authority,country,partner,partner_country
Gniezno,PL,Falun,Sweden
Swarzędz,PL,Duclair,France
"""
"""Gniezno-Falun, on Poland's list alone, is stated by another source graph too."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The built store and the Wikipedia file it was built from."""
    folder = tmp_path_factory.mktemp("listings")
    listed, partnerships = folder / "listed.csv", folder / "partnerships.csv"
    listed.write_text(LISTED, encoding="utf-8")
    partnerships.write_text(PARTNERSHIPS, encoding="utf-8")
    build(folder / "store", [f"wikipedia:{listed}", f"partnerships:{partnerships}"],
          open_data=False)
    return folder / "store", listed


def _pair(index: dict[str, int], a: str, b: str) -> tuple[int, int]:
    ends = sorted(index[authority_iri(c, n)] for c, n in (a.split(":"), b.split(":")))
    return ends[0], ends[1]


def _listings(built: tuple[Path, Path], path: Path) -> tuple[Listings, dict[str, int],
                                                             list[str]]:
    graph, _ = evaluation_benchmark().source_pairs(built[0])
    units = register_units(published(built[0]).reports / "reconciliation.csv")
    return (listing_sides(path, graph.index, units), graph.index,
            [str(c) for c in graph.countries])


def test_a_pair_listed_from_both_sides_is_no_single_lists(built: tuple[Path, Path]) -> None:
    listings, index, countries = _listings(built, built[1])
    both = _pair(index, "PL:Swarzędz", "DE:Ronnenberg")
    assert listings.sides[both] == set(both)
    assert listings.pages(both, countries) == {"PL", "DE"}
    assert both not in listings.held_only_by("PL", countries)
    assert both not in listings.held_only_by("DE", countries)


def test_a_pair_only_polands_list_holds_is_polands_alone(built: tuple[Path, Path]) -> None:
    listings, index, countries = _listings(built, built[1])
    gniezno = index[authority_iri("PL", "Gniezno")]
    only_poland = {_pair(index, "PL:Gniezno", f"{c}:{n}") for c, n in
                   (("CZ", "Kutná Hora"), ("SE", "Falun"), ("DE", "Speyer"))}
    assert listings.held_only_by("PL", countries) == only_poland
    assert all(listings.sides[p] == {gniezno} for p in only_poland)
    assert listings.held_only_by("CZ", countries) == {
        _pair(index, "CZ:Kutná Hora", "HU:Eger"), _pair(index, "CZ:Kutná Hora", "DE:Ronnenberg")}
    assert listings.rows_read == 17 and len(listings.sides) == 13


def test_rows_that_map_to_no_pair_are_reported_with_their_row(built: tuple[Path, Path],
                                                              tmp_path: Path) -> None:
    # One row more than the build read: its authorities are not in the graph.
    more = tmp_path / "more.csv"
    more.write_text(LISTED + "Poznań,Poland,Rennes,France\n", encoding="utf-8")
    listings, _, _ = _listings(built, more)
    assert [(r.file, r.row) for r in listings.unmapped] == [(str(more), n) for n in (17, 18, 19)]
    reasons = [r.reason for r in listings.unmapped]
    assert "Atlantis" in reasons[0]
    assert reasons[1] == "self-partnership: Gniezno twinned with itself"
    assert reasons[2] == "'Poznań' (PL) is no authority of the graph"
    assert listings.rows_read == 18 and len(listings.sides) == 13


def test_an_authority_the_graph_knows_by_its_register_unit_is_found(tmp_path: Path) -> None:
    rows, report = tmp_path / "rows.csv", tmp_path / "reconciliation.csv"
    rows.write_text("city1,country1,city2,country2\nSwarzędz,Poland,Ronnenberg,Germany\n"
                    "Duclair,France,Swarzędz,Poland\n", encoding="utf-8")
    unit = "https://w3id.org/twinning-kg/id/authority/pl/teryt/3021093"
    report.write_text(f"authority,name,register_unit\n{authority_iri('PL', 'Swarzędz')},"
                      f"Swarzędz,{unit}\n{authority_iri('DE', 'Ronnenberg')},Ronnenberg,\n",
                      encoding="utf-8")
    units = register_units(report)
    assert units == {authority_iri("PL", "Swarzędz"): unit}
    listings = listing_sides(rows, {unit: 0, authority_iri("DE", "Ronnenberg"): 1}, units)
    assert listings.sides == {(0, 1): {0}}
    assert listings.unmapped == [Reject(str(rows), 3, "'Duclair' (FR) is no authority of the "
                                                      "graph")]


def test_the_benchmark_hides_what_one_list_alone_holds(built: tuple[Path, Path],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    store, listed = built
    bench = evaluation_benchmark()
    graph, by_source = bench.source_pairs(store)
    # France's list holds nothing alone (Ronnenberg and Eger list their pairs with Duclair).
    alone = bench.listed_alone(store, graph, by_source, listed, ["PL", "CZ", "FR"])
    # Gniezno-Falun is on Poland's list alone, but the partnerships CSV states it too.
    assert alone == {"PL": {_pair(graph.index, "PL:Gniezno", "CZ:Kutná Hora"),
                            _pair(graph.index, "PL:Gniezno", "DE:Speyer")},
                     "CZ": {_pair(graph.index, "CZ:Kutná Hora", "HU:Eger"),
                            _pair(graph.index, "CZ:Kutná Hora", "DE:Ronnenberg")}}
    assert "listed.csv: 17 rows, 2 map to no pair of the graph" in capsys.readouterr().err
    assert bench.main(["--store", str(store), "--protocols", "cross-source", "--seeds", "1",
                       "--json", "--wikipedia-csv", str(listed),
                       "--listing-countries", "pl", "cz"]) == 0
    tables = json.loads(capsys.readouterr().out)
    # Beside the source graphs (the curated data, the partnerships CSV), the two lists.
    added = bench.adds_to_largest(by_source)
    assert len(added["partnerships"]) == 1
    assert set(tables) == {f"cross-source ({s} adds {len(p)} pairs)" for s, p in added.items()} | {
        "cross-source (Wikipedia's list for PL alone holds 2 pairs)",
        "cross-source (Wikipedia's list for CZ alone holds 2 pairs)"}
    for label, table in tables.items():
        assert table["all"]["recommender"]["queries"][0] > 0, label
