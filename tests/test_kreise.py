"""German districts (Landkreise) as the units their NUTS 3 regions are, and German names with a
river or region after a preposition, on the bundled NUTS table and LAU list.

The fixture ``tests/data/sources/wikipedia_germany_sample.csv`` holds real rows of
``../shared/data/wikipedia_twin_towns_raw.csv`` naming German districts ("Lahn-Dill
(district)", "Märkischer Kreis", "Wesermarsch") and towns whose names Eurostat abbreviates
("Gundelfingen an der Donau", Eurostat's "Gundelfingen a.d.Donau").
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store

from graph.core import iris
from graph.core.namespaces import OWL, RDF, SKOS, TKG
from graph.gazetteer.kreise import kreis_units
from graph.gazetteer.place_table import Place
from graph.gazetteer.registers import RegisterIndex, RegisterLink, merge_units
from graph.ingest.bundled import DATA_DIR
from graph.ingest.sources import lau, nuts
from graph.pipeline.build import BuildResult, build

REGISTERS = DATA_DIR / "registers"
NUTS = REGISTERS / "nuts2024.csv.xz"
LAU = REGISTERS / "eu_lau_2020.csv.xz"
LISTED = Path(__file__).parent / "data" / "sources" / "wikipedia_germany_sample.csv"
FREYUNG = Place(2924915, "Freyung", 48.80952, 13.54768, "DE", "02", 7180)
SOEST = Place(2831580, "Soest", 51.57558, 8.10619, "DE", "07", 48304)


@pytest.fixture(scope="module")
def index() -> RegisterIndex:
    germany = [u for u in lau.read_linked(LAU).units if u.country in ("DE", "AT")]
    return RegisterIndex(merge_units([*germany, *kreis_units(nuts.read(NUTS).regions)]))


def test_districts_are_the_german_nuts3_regions_that_are_no_city() -> None:
    units = kreis_units(nuts.read(NUTS).regions)
    # 401 German NUTS 3 regions: 95 kreisfreie cities, the city states Berlin and Hamburg.
    assert len(units) == 304
    by_code = {u.code: u for u in units}
    assert not {"DEA52", "DE300", "DE600"} & set(by_code)  # Dortmund, Berlin, Hamburg
    assert by_code["DE929"].name == "Region Hannover"
    assert (by_code["DE71C"].name, by_code["DE71C"].other_names) == (
        "Landkreis Offenbach", ("Offenbach, Landkreis",))
    assert all(u.level == "County" and u.codes == (("nuts", u.code),) for u in units)
    assert {u.kinds for u in units} == {("landkreis",)}


@pytest.mark.parametrize(("name", "place", "unit"), [
    ("Lahn-Dill (district)", None, "de/kreis/DE722"),
    ("Hochsauerland (district)", None, "de/kreis/DEA57"),
    ("Märkischer Kreis", None, "de/kreis/DEA58"),
    ("Märkischer (district)", None, "de/kreis/DEA58"),
    ("Landkreis Märkisch-Oderland", None, "de/kreis/DE409"),
    ("Offenbach (district)", None, "de/kreis/DE71C"),  # not the city of Offenbach am Main
    ("Rostock (district)", None, "de/kreis/DE80K"),
    ("Karlsruhe (district)", None, "de/kreis/DE123"),  # not the city, its seat
    ("Roth (district)", None, "de/kreis/DE25B"),
    ("Saarbrücken (district)", None, "de/kreis/DEC01"),  # Regionalverband Saarbrücken
    ("Wesermarsch", None, "de/kreis/DE94G"),  # no municipality or place has the name
    ("Soest", SOEST, "de/lau/05974040"),  # the town, not the district of Soest
    ("Soest", None, "de/lau/05974040"),
    # Prepositions written out in the list, abbreviated by Eurostat.
    ("Frankenberg an der Eder", None, "de/lau/06635011"),
    ("Gundelfingen an der Donau", None, "de/lau/09773136"),  # not Gundelfingen (Breisgau)
    ("Gars am Inn", None, "de/lau/09183118"),
    ("Waren an der Müritz", None, "de/lau/13071156"),
])
def test_names_find_their_district_or_town(index: RegisterIndex, name: str,
                                           place: Place | None, unit: str) -> None:
    found = index.find(name, "DE", place=place)
    assert isinstance(found, RegisterLink), found
    assert found.unit_key == unit


def test_a_name_two_districts_share_or_none_has_stays_unlinked(index: RegisterIndex) -> None:
    # Neustadt a. d. Aisch-Bad Windsheim and Neustadt a. d. Waldnaab.
    assert not isinstance(index.find("Neustadt (district)", "DE"), RegisterLink)
    # Müritz was merged into Mecklenburgische Seenplatte in 2011: no region has the name.
    assert not isinstance(index.find("Müritz (district)", "DE"), RegisterLink)
    # Nor is a district its seat's municipality (Röbel/Müritz; Kufstein, a Bezirk's seat).
    assert "not its seat's unit" in str(index.find("Müritz (district)", "DE"))
    assert "not its seat's unit" in str(index.find("Kufstein (district)", "AT"))
    # A town GeoNames found is not the district: no owl:sameAs to it.
    found = index.find("Freyung-Grafenau (district)", "DE", place=FREYUNG)
    assert isinstance(found, RegisterLink) and (found.unit_key, found.geonames) == (
        "de/kreis/DE225", False)
    # A town "im Innkreis" (a quarter of Upper Austria) does not say it is a district.
    ried = index.find("Ried im Innkreis", "AT")
    assert isinstance(ried, RegisterLink) and ried.unit_key == "at/lau/41225"
    # Austria's NUTS 3 regions group several Bezirke: none is a district unit.
    assert not isinstance(index.find("Kufstein (district)", "AT"), RegisterLink)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("kreise")
    return build(folder / "store", ["curated", f"nuts:{NUTS}", f"lau-linked:{LAU}",
                                    f"wikipedia:{LISTED}"], open_data=False)


def test_listed_districts_become_their_unit_in_their_nuts_region(built: BuildResult) -> None:
    store = Store.read_only(str(built.build.oxigraph))
    kreis = NamedNode(iris.register_unit_iri("DE", "kreis", "DE722"))

    def objects(node: NamedNode, predicate: object) -> set[object]:
        return {q.object for q in store.quads_for_pattern(node, NamedNode(str(predicate)),
                                                          None)}

    listed = NamedNode(iris.authority_iri("DE", "Lahn-Dill (district)"))
    assert objects(listed, OWL.sameAs) == {kreis}
    assert objects(kreis, RDF.type) == {NamedNode(str(TKG.County))}
    # Its kind is a concept of the unit-kind vocabulary, labelled in the project's languages.
    kind = NamedNode(iris.concept_iri("unit-kind", "landkreis"))
    assert objects(kreis, TKG.unitKind) == {kind}
    assert {label.language for label in objects(kind, SKOS.prefLabel)  # type: ignore[attr-defined]
            } == {"en", "pl", "cs"}
    assert Literal("Landkreis", language="de") in objects(kind, SKOS.altLabel)
    assert objects(kreis, TKG.nutsRegion) == {NamedNode(iris.nuts_iri("DE722"))}
    assert Literal("Lahn-Dill-Kreis", language="de") in objects(kreis, SKOS.prefLabel)
    assert len(objects(kreis, TKG.twinnedWith)) == 1  # Osmangazi
    # Only the districts a list names are published.
    published = {q.subject.value for q in store.quads_for_pattern(
        None, NamedNode(str(TKG.nuts)), None) if "/kreis/" in q.subject.value}
    assert len(published) == 6
    assert built.summary["rows_rejected_by_shapes"] == 0
    assert built.summary["register_units_rejected_by_shapes"] == 0


def test_the_report_names_the_district_and_how(built: BuildResult) -> None:
    with (built.build.reports / "reconciliation.csv").open(encoding="utf-8") as handle:
        report = {row["name"]: row for row in csv.DictReader(handle)}
    row = report["Märkischer Kreis"]
    assert row["register_unit"] == iris.register_unit_iri("DE", "kreis", "DEA58")
    assert row["register_method_or_reason"] == "register:nuts3-district"
    assert report["Gundelfingen an der Donau"]["register_unit"] == iris.register_unit_iri(
        "DE", "lau", "09773136")
    unlinked = [r["name"] for r in report.values() if r["country"] == "DE"
                and r["status"] == "unmatched" and not r["register_unit"]]
    assert unlinked == []
