"""France's communes through the lau source: Eurostat's French LAU file has no point, so its
units carry everything but coordinates, and listed French towns are linked to them by name
where the name is unambiguous, or where a town of note shares it only with communes a tenth
of its size (La Rochelle and the village of La Rochelle, Haute-Saône).

The fixture ``tests/data/sources/fr_lau_sample.csv`` holds real rows of
``../shared/data/registers/fr_lau_2020.csv`` (BOM-less France header): Saint-Étienne, Besançon,
Châteauroux, Le Havre (written "Havre": the file drops leading articles), the two communes
written "Rochelle", four communes called Saint-Denis, and Saint-Martin without a population.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store

from graph.core import iris
from graph.core.namespaces import GEO, OWL, SKOS, TKG, WGS, XSD
from graph.core.settings import setting
from graph.gazetteer.place_table import Place
from graph.gazetteer.registers import RegisterIndex, merge_units, unit_key
from graph.ingest.bundled import DATA_DIR
from graph.ingest.records import SourceError
from graph.ingest.sources import lau, read_source
from graph.pipeline.build import BuildResult, build

DATA = Path(__file__).parent / "data" / "sources"
SAMPLE = DATA / "fr_lau_sample.csv"
LISTED = DATA / "wikipedia_france_sample.csv"
REGISTERS = Path(setting("SHARED_DATA_DIR")) / "registers"
SAINT_DENIS = Place(2980916, "Saint-Denis", 48.93564, 2.35387, "FR", "11", 110733)
LA_ROCHELLE = Place(3006787, "La Rochelle", 46.16667, -1.15, "FR", "75", 77196)


def test_the_france_layout_gives_units_without_a_point() -> None:
    assert not SAMPLE.read_bytes().startswith(b"\xef\xbb\xbf")
    batch = lau.read(SAMPLE)
    assert batch.rows_read == 11 and not batch.rejects
    units = {unit_key(u): u for u in batch.units}
    assert len(units) == 11
    etienne = units["fr/lau/42218"]
    assert (etienne.name, etienne.language, etienne.level, etienne.kinds) == (
        "Saint-Étienne", "fr", "Municipality", ("local-administrative-unit",))
    assert dict(etienne.codes) == {"lau": "42218", "nuts": "FRK25"}
    assert (etienne.population, etienne.population_year) == (172565, "2020")
    assert all(u.lat is None and u.long is None for u in batch.units)
    # Population "NA": a unit without a population (nor its year), not a reject.
    martin = units["fr/lau/97801"]
    assert (martin.population, martin.population_year) == (None, "")


def test_the_real_france_file() -> None:
    batch = lau.read(REGISTERS / "fr_lau_2020.csv")
    assert batch.rows_read == len(batch.units) == 34968 and not batch.rejects
    assert {u.country for u in batch.units} == {"FR"}
    assert not [u for u in batch.units if u.lat is not None or u.long is not None]
    assert len({unit_key(u) for u in batch.units}) == 34968


@pytest.mark.parametrize(("name", "place", "code"), [
    ("Valence", Place(2971053, "Valence", 44.92560, 4.90956, "FR", "84", 66568), "26362"),
    ("Saint-Nazaire", Place(2977921, "Saint-Nazaire", 47.27956, -2.20993, "FR", "52", 69784),
     "44184"),
    ("La Rochelle", LA_ROCHELLE, "17300"),
    ("Saint-Denis", SAINT_DENIS, None),
    # No namesake at all: found by its name alone.
    ("Vienne", Place(2969679, "Vienne", 45.52569, 4.87484, "FR", "84", 29306), "38544"),
])
def test_namesakes_of_the_real_file_by_population(name: str, place: Place,
                                                  code: str | None) -> None:
    index = RegisterIndex(merge_units(lau.read(REGISTERS / "fr_lau_2020.csv").units))
    link = index.link(name, "FR", place=place)
    assert (link.unit_key if link else None) == (f"fr/lau/{code}" if code else None), link


def test_a_wrong_header_names_the_file_and_the_missing_columns(tmp_path: Path) -> None:
    header, row = SAMPLE.read_text(encoding="utf-8").splitlines()[:2]
    no_code = tmp_path / "fr_no_code.csv"
    no_code.write_text(header.replace(",lau_id,", ",code,") + "\n" + row + "\n",
                       encoding="utf-8")
    with pytest.raises(SourceError, match=r"fr_no_code\.csv, row 1: header lacks column\(s\) "
                                          r"lau_id \(found: gisco_id, country"):
        lau.read(no_code)
    # One of the point's columns without the other is a wrong header, not a unit without one.
    half = tmp_path / "fr_half_point.csv"
    half.write_text("latitude," + header + "\n46.1," + row + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"fr_half_point\.csv, row 1: header lacks "
                                          r"column\(s\) longitude \(found: latitude, "):
        lau.read(half)


@pytest.fixture(scope="module")
def index() -> RegisterIndex:
    return RegisterIndex(merge_units(lau.read(SAMPLE).units))


@pytest.mark.parametrize(("name", "place", "unit"), [
    ("Saint-Étienne", None, "fr/lau/42218"),
    ("Besançon", None, "fr/lau/25056"),
    ("Châteauroux", None, "fr/lau/36044"),
    ("Le Havre", None, "fr/lau/76351"),  # the file's "Havre"
    # Namesakes without a point: the GeoNames point cannot say which. Saint-Denis (Seine-
    # Saint-Denis, 111,135) and Saint-Denis (Réunion, 147,931) are of a size: neither is taken.
    ("Saint-Denis", SAINT_DENIS, None),
    ("Saint-Denis", None, None),
    # La Rochelle (75,735) and La Rochelle, Haute-Saône (39): the town of note is the large one.
    ("La Rochelle", LA_ROCHELLE, "fr/lau/17300"),
    ("La Rochelle", None, None),  # no GeoNames place: nothing says a town of note is meant
])
def test_french_names_find_their_commune(index: RegisterIndex, name: str, place: Place | None,
                                         unit: str | None) -> None:
    link = index.link(name, "FR", place=place)
    assert (link.unit_key if link else None) == unit, link


def test_namesakes_without_a_point_say_why(index: RegisterIndex) -> None:
    assert index.find("Saint-Denis", "FR", place=SAINT_DENIS) == (
        "4 municipalities of that name (11339, 30247, 93066, 97411), 4 without a point to "
        "tell them apart, and none of the GeoNames place's size ten times larger than the "
        "others")
    rochelle = index.find("La Rochelle", "FR", place=LA_ROCHELLE)
    assert not isinstance(rochelle, str)
    assert (rochelle.unit_key, rochelle.method, rochelle.why) == (
        "fr/lau/17300", "register:name+population", "the largest of 2 municipalities of that "
        "name (75,735 people, the next 39), the size of the GeoNames place (77,196)")
    # A village the list names (under 10,000 people) is no town of note: no choice by size.
    hamlet = Place(1, "La Rochelle", 47.75, 6.23, "FR", "27", 40)
    assert index.link("La Rochelle", "FR", place=hamlet) is None
    assert index.near_partners("Saint-Denis", "FR", [(48.9, 2.35)]) is None
    # A large GeoNames place finds no commune by its point either: none has one.
    assert index.find("Lutèce", "FR", place=SAINT_DENIS) == (
        "no municipality of that name, nor one near the GeoNames place of its size")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The curated data, the French sample, NUTS and a Wikipedia sample naming French towns."""
    return build(tmp_path_factory.mktemp("france") / "store", [
        "curated", f"lau:{SAMPLE}", f"nuts:{REGISTERS / 'nuts2024.csv'}",
        f"wikipedia:{LISTED}"], open_data=False)


def _objects(store: Store, node: NamedNode, predicate: object) -> set[object]:
    return {q.object for q in store.quads_for_pattern(node, NamedNode(str(predicate)), None)}


def test_communes_build_with_codes_region_population_and_no_point(built: BuildResult) -> None:
    assert built.summary["register_units"] == {"FR": {"Municipality": 11}}
    assert built.summary["register_units_rejected_by_shapes"] == 0
    assert built.summary["rows_rejected_by_shapes"] == 0
    store = Store.read_only(str(built.build.oxigraph))
    etienne = NamedNode(iris.register_unit_iri("FR", "lau", "42218"))
    assert _objects(store, etienne, TKG.lau) == {Literal("42218")}
    assert _objects(store, etienne, TKG.nuts) == {Literal("FRK25")}
    assert Literal("Saint-Étienne", language="fr") in _objects(store, etienne, SKOS.prefLabel)
    assert _objects(store, etienne, TKG.population) == {
        Literal("172565", datatype=NamedNode(str(XSD.integer)))}
    assert _objects(store, etienne, TKG.populationYear) == {
        Literal("2020", datatype=NamedNode(str(XSD.gYear)))}
    assert _objects(store, etienne, TKG.unitKind) == {
        NamedNode(iris.concept_iri("unit-kind", "local-administrative-unit"))}
    # LAU in NUTS 3 in NUTS 2.
    assert _objects(store, etienne, TKG.nutsRegion) == {NamedNode(iris.nuts_iri("FRK25"))}
    assert _objects(store, NamedNode(iris.nuts_iri("FRK25")), SKOS.broader) == {
        NamedNode(iris.nuts_iri("FRK2"))}
    units = [NamedNode(iris.register_unit_iri("FR", "lau", code)) for code in (
        "42218", "25056", "36044", "76351", "93066", "97411", "17300")]
    for unit in units:
        for predicate in (WGS.lat, WGS.long, GEO.hasGeometry):
            assert not _objects(store, unit, predicate), (unit, predicate)


def test_listed_french_towns_become_their_commune(built: BuildResult) -> None:
    store = Store.read_only(str(built.build.oxigraph))
    for listed, code in (("Saint-Étienne", "42218"), ("Besançon", "25056"),
                         ("Châteauroux", "36044"), ("Le Havre", "76351")):
        unit = NamedNode(iris.register_unit_iri("FR", "lau", code))
        assert _objects(store, NamedNode(iris.authority_iri("FR", listed)), OWL.sameAs) == {
            unit}, listed
        assert _objects(store, unit, TKG.twinnedWith), listed
    unit_base = iris.data_base() + "authority/fr/lau/"
    same = _objects(store, NamedNode(iris.authority_iri("FR", "Saint-Denis")), OWL.sameAs)
    assert not [o for o in same if str(getattr(o, "value", "")).startswith(unit_base)]
    assert _objects(store, NamedNode(iris.authority_iri("FR", "La Rochelle")), OWL.sameAs) == {
        NamedNode(iris.register_unit_iri("FR", "lau", "17300"))}
    with (built.build.reports / "reconciliation.csv").open(encoding="utf-8") as handle:
        report = {row["name"]: row for row in csv.DictReader(handle)}
    assert report["Le Havre"]["register_method_or_reason"] == "register:name"
    assert report["Saint-Denis"]["register_unit"] == ""
    assert report["Saint-Denis"]["register_method_or_reason"].endswith(
        "4 without a point to tell them apart, and none of the GeoNames place's size ten "
        "times larger than the others")
    assert report["La Rochelle"]["register_unit"] == iris.register_unit_iri("FR", "lau",
                                                                           "17300")
    assert report["La Rochelle"]["register_method_or_reason"].startswith(
        "register:name+population (the largest of 2 municipalities of that name")


def test_the_bundled_communes_are_candidates_for_what_geonames_lacks() -> None:
    # The default build reads the bundled copy as lau-linked: communes cities500 lacks are
    # found by name; a name four communes share stays unlinked without a point to choose by.
    batch = read_source(f"lau-linked:{DATA_DIR / 'registers' / 'fr_lau_2020.csv.xz'}")
    assert batch.reference and len(batch.units) == 34968
    index = RegisterIndex(merge_units(batch.units))
    found = {name: index.find(name, "FR") for name in (
        "Beaupréau-en-Mauges", "Bourgoin-Jallieu", "Guidel", "Orée-d'Anjou", "Saint-Denis")}
    assert {name: getattr(link, "unit_key", None) for name, link in found.items()} == {
        "Beaupréau-en-Mauges": "fr/lau/49023", "Bourgoin-Jallieu": "fr/lau/38053",
        "Guidel": "fr/lau/56078", "Orée-d'Anjou": "fr/lau/49069", "Saint-Denis": None}
    assert "4 municipalities of that name" in str(found["Saint-Denis"])
    assert "no point to choose" in str(found["Saint-Denis"])
