"""``wikidata:FILE`` as a build source, then linking and giving back, on a real build:
curated vocabulary + a Wikipedia-format list + the harvest cache, linked, then rebuilt with the
links (the cycle scripts/run performs)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, Store

from graph.core.namespaces import DCTERMS, OWL, PROV, TKG, WD
from graph.ingest.harvest_cache import read_cache
from graph.ingest.records import SourceError
from graph.ingest.sources import read_source
from graph.ingest.sources.wikidata import links_path, read
from graph.pipeline.build import build
from graph.wikidata.reconcile import authorities_in_store, link_all, write_links, write_unlinked
from tests.wikidata_support import DATA

SOURCES_DATA = Path(__file__).parent / "data" / "sources"
SHAPES = [SOURCES_DATA / "shapes.ttl"]
VOCABULARY = f"curated:{SOURCES_DATA / 'curated' / 'vocabulary.ttl'}"
ID = "https://w3id.org/twinning-kg/id/"
GRAPH = NamedNode(ID + "graph/wikidata")
XSD = "http://www.w3.org/2001/XMLSchema#"
STATEMENT = "http://www.wikidata.org/entity/statement/"


def test_every_statement_is_a_record_or_a_reject() -> None:
    batch = read(DATA / "harvest.json")
    assert (batch.rows_read, len(batch.records), len(batch.rejects)) == (15, 14, 1)
    reject = batch.rejects[0]
    assert (Path(reject.file).name, reject.row) == ("harvest.json", 14)
    assert reject.reason == (f"statement {STATEMENT}Q9100012-s12: Q9100013 has no label in "
                             "pl, cs, en, de or mul")
    assert batch.rdf_files == [], "no links file next to the fixture"


def test_ended_statements_are_kept_with_status_ended() -> None:
    records = {r.row: r for r in read(DATA / "harvest.json").records}
    kolin_vienne = records[3]
    assert [p.name for p in kolin_vienne.participants] == ["Kolín", "Vienne"]
    assert (kolin_vienne.status, kolin_vienne.since, kolin_vienne.until) == (
        "ended", "1995-05", "2010-06-15")
    deprecated = records[4]
    assert [p.name for p in deprecated.participants] == ["Hranice", "Poznań"]
    assert deprecated.status == "ended" and "deprecated" in deprecated.notes
    assert records[1].status == "" and records[1].since == "1991"
    # The reverse statement of the same pair carries the pair's facts too.
    assert (records[2].since, records[2].status) == ("1991", "")
    assert records[1].source_url == str(WD) + "Q9100001"


def test_names_and_codes_of_participants() -> None:
    records = read(DATA / "harvest.json").records
    people = {p.name: p for r in records for p in r.participants}
    assert {"Swarzędz", "Poznań", "Hranice", "Nowa Wieś", "Lviv", "Hanover", "Košice"} <= \
        set(people), "own-language names for PL/CZ, English for others, then mul"
    assert (people["Swarzędz"].country, people["Swarzędz"].official_code) == ("PL", "3021054")
    assert people["Kolín"].official_code == "533165"
    assert people["Lviv"].official_code == ""
    assert (people["Poznań"].lat, people["Poznań"].long) == (52.408, 16.933)


def test_bad_cache_is_a_source_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"missing\.json: cannot read the harvest cache"):
        read_source(f"wikidata:{tmp_path / 'missing.json'}")
    with pytest.raises(SourceError, match="needs a path"):
        read_source("wikidata")


@pytest.fixture(scope="module")
def cycle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """build → link → build again with the links, as scripts/run does on a first run."""
    folder = tmp_path_factory.mktemp("cycle")
    harvest = folder / "harvest.json"
    shutil.copy(DATA / "harvest.json", harvest)
    sources = [VOCABULARY, f"wikipedia:{DATA / 'list.csv'}", f"wikidata:{harvest}"]
    store_dir = folder / "store"
    build(store_dir, sources, shapes=SHAPES)
    first = Store.read_only(str(store_dir / "current" / "oxigraph"))
    links = link_all(authorities_in_store(first), read_cache(harvest))
    del first
    write_links(links, "https://w3id.org/twinning-kg/", links_path(harvest))
    write_unlinked(links, folder / "unlinked.csv")
    build(store_dir, sources, shapes=SHAPES)
    return store_dir, harvest


def quads(store_dir: Path, s: str | None, p: str, o: object = None) -> set[Quad]:
    store = Store.read_only(str(store_dir / "current" / "oxigraph"))
    return set(store.quads_for_pattern(NamedNode(s) if s else None, NamedNode(p),
                                       o if o is None or not isinstance(o, str)
                                       else NamedNode(o)))


def test_wikidata_partnerships_in_their_own_graph_with_provenance(
        cycle: tuple[Path, Path]) -> None:
    store_dir, _ = cycle
    pair = ID + "partnership/cz-kolín--fr-vienne"
    status = quads(store_dir, pair, str(TKG.status))
    assert {(q.object.value, q.graph_name) for q in status} == {(ID + "status/ended", GRAPH)}
    end = quads(store_dir, pair, str(TKG.endDate))
    assert {q.object for q in end} == {Literal("2010-06-15", datatype=NamedNode(XSD + "date"))}
    start = quads(store_dir, pair, str(TKG.startDate))
    assert {q.object for q in start} == {Literal("1995-05",
                                                 datatype=NamedNode(XSD + "gYearMonth"))}
    # The Wikipedia-format list names the pair too: one resource, two provenance records.
    assert {q.object for q in quads(store_dir, pair, str(PROV.wasDerivedFrom))} == {
        GRAPH, NamedNode(ID + "graph/wikipedia")}
    assert {q.object.value for q in quads(store_dir, pair, str(DCTERMS.source))
            if q.graph_name == GRAPH} == {str(WD) + "Q9100003"}
    deprecated = ID + "partnership/cz-hranice--pl-poznań"
    assert {q.object.value for q in quads(store_dir, deprecated, str(TKG.status))} == {
        ID + "status/ended"}


def test_links_are_loaded_with_their_method(cycle: tuple[Path, Path]) -> None:
    store_dir, _ = cycle

    def linked(key: str) -> tuple[set[str], set[str]]:
        iri = ID + "authority/" + key
        same = {q.object.value for q in quads(store_dir, iri, str(OWL.sameAs))
                if q.graph_name == GRAPH}
        methods = {q.object.value for q in quads(store_dir, iri, str(TKG.matchMethod))
                   if q.graph_name == GRAPH}
        return same, methods

    # The Wikipedia list named Swarzędz first (no code): its GeoNames link decides.
    assert linked("pl/swarzędz") == ({str(WD) + "Q9100001"}, {"wikidata:geonames"})
    assert linked("pl/poznan") == ({str(WD) + "Q9100006"}, {"wikidata:geonames"})
    assert linked("pl/poznań") == ({str(WD) + "Q9100006"}, {"wikidata:teryt"})
    # Wikidata's GeoNames id for Kolín is wrong on purpose: name, country and distance decide.
    assert linked("cz/kolín") == ({str(WD) + "Q9100003"}, {"wikidata:name+country+distance"})
    # Two spellings from two sources land on one item, which shows they are one town.
    assert linked("de/hannover")[0] == linked("de/hanover")[0] == {str(WD) + "Q9100007"}
    # Two Hranice on Wikidata: the gazetteer placed ours at Hranice na Moravě.
    assert linked("cz/hranice") == ({str(WD) + "Q9100004"}, {"wikidata:name+country+distance"})
    assert linked("de/leipzig") == (set(), set())


def test_unlinked_report_lists_reasons(cycle: tuple[Path, Path]) -> None:
    store_dir, _ = cycle
    with (store_dir.parent / "unlinked.csv").open(encoding="utf-8") as handle:
        rows = {r["name"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {"Leipzig", "Lyon"}
    assert rows["Leipzig"]["reason"] == "no item of this country has this name or code"


def test_report_command_gives_back_what_wikidata_lacks(cycle: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    from graph.cli import main

    store_dir, harvest = cycle
    result = CliRunner().invoke(main, ["wikidata", "report", "--store", str(store_dir),
                                       "--harvest", str(harvest), "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "3 of our partnerships are missing on Wikidata" in result.output
    assert "1 linked pairs lie outside the harvested countries" in result.output
    with (tmp_path / "missing.csv").open(encoding="utf-8") as handle:
        missing = {(r["item_a"], r["item_b"]) for r in csv.DictReader(handle)}
    assert {frozenset(pair) for pair in missing} == {
        frozenset({"Q9100006", "Q9100003"}), frozenset({"Q9100012", "Q9100008"}),
        frozenset({"Q9100004", "Q9100009"})}
    lines = (tmp_path / "missing.qs").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6
    assert all(line.split("\t")[1] == "P190" for line in lines)
    with (tmp_path / "unlinked-statements.csv").open(encoding="utf-8") as handle:
        reverse = list(csv.DictReader(handle))
    assert [(r["statement"], r["unlinked"]) for r in reverse] == [
        (STATEMENT + "Q9100012-s12", "Q9100013")]


def test_link_command_writes_links_next_to_the_harvest(cycle: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    from graph.cli import main

    store_dir, harvest = cycle
    copy = tmp_path / "h.json"
    shutil.copy(harvest, copy)
    result = CliRunner().invoke(main, ["wikidata", "link", "--store", str(store_dir),
                                       "--harvest", str(copy)])
    assert result.exit_code == 0, result.output
    assert links_path(copy).read_text(encoding="utf-8") == links_path(harvest).read_text(
        encoding="utf-8"), "linking twice gives the same links (no self-confirmation)"
    assert (tmp_path / "h.unlinked.csv").exists()
    assert read(copy).rdf_files == [links_path(copy)]
