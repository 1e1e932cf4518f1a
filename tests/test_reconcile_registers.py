"""Listed authorities reconciled to their register unit first, on the registers' real files and
the real Wikipedia list: Polish and Czech units and the districts of Warsaw, Prague and Brno
(within their city), and, through Eurostat's LAU list, the municipalities of 30 other
countries under their native names ("München"@de)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Store

from graph.core import iris
from graph.core.names import fold
from graph.core.namespaces import GEO, OWL, SKOS, TKG, XSD
from graph.core.settings import setting
from graph.gazetteer.place_table import Place
from graph.gazetteer.registers import RegisterIndex, merge_units
from graph.ingest.bundled import DATA_DIR, DEFAULT
from graph.ingest.sources import cz_obce, teryt
from graph.pipeline.build import BuildResult, build
from graph.views.search import SearchIndex, StoreSource, build_index

SHARED = Path(setting("SHARED_DATA_DIR"))
REGISTERS = SHARED / "registers"


@pytest.fixture(scope="module")
def index() -> RegisterIndex:
    return RegisterIndex(merge_units([
        *teryt.read(REGISTERS / "pl_terc_2024-01-01.csv").units,
        *teryt.read(REGISTERS / "pl_gminy_2024.csv").units,
        *cz_obce.read(REGISTERS / "cz_obce_2021.csv").units,
        *cz_obce.read(DATA_DIR / "registers" / "cz_city_districts_2021.csv.xz").units]))


BOLESLAWIEC = Place(3102677, "Bolesławiec", 51.26418, 15.56970, "PL", "72", 39603)


@pytest.mark.parametrize(("name", "country", "place", "unit"), [
    ("Bolesławiec", "PL", None, "pl/teryt/0201011"),  # the town: the urban gmina
    # Two rural gminas are called Bolesławiec: the point settles which.
    ("Bolesławiec (rural gmina)", "PL", BOLESLAWIEC, "pl/teryt/0201022"),
    ("Gmina Bolesławiec", "PL", BOLESLAWIEC, "pl/teryt/0201022"),
    ("Bolesławiec (rural gmina)", "PL", None, None),
    ("Swarzędz", "PL", None, "pl/teryt/3021163"),
    ("Mokotów (Warsaw)", "PL", None, "pl/teryt/1465058"),
    ("Ústí nad Labem", "CZ", None, "cz/obec/554804"),
    ("Praha", "CZ", None, "cz/obec/554782"),
    # Districts by the city's native name (English names need the gazetteer: the build's).
    ("Praha 6", "CZ", None, "cz/momc/500178"),
    ("Brno-Vinohrady", "CZ", None, "cz/momc/551279"),
    ("Vinohrady (Brno)", "CZ", None, "cz/momc/551279"),
    ("Praha 16 \u2013 Radotín", "CZ", None, "cz/momc/539601"),  # not the village Radotín
])
def test_names_find_their_unit(index: RegisterIndex, name: str, country: str,
                               place: Place | None, unit: str | None) -> None:
    link = index.link(name, country, place=place)
    assert (link.unit_key if link else None) == unit, link


def test_codes_subdivisions_and_divisions_find_their_unit(index: RegisterIndex) -> None:
    assert index.link("x", "PL", "3021163").unit_key == "pl/teryt/3021163"  # type: ignore[union-attr]
    assert index.link("x", "PL", "302116").unit_key == "pl/teryt/3021163"  # type: ignore[union-attr]
    assert index.link("x", "CZ", "554782").method == "register:code"  # type: ignore[union-attr]
    voivodeship = index.link("Masovian Voivodeship", "PL", subdivision="PL-14")
    assert voivodeship is not None and voivodeship.unit_key == "pl/teryt/14"
    county = index.link("Zawiercie County", "PL", division="Powiat zawierciański")
    assert county is not None and county.unit_key == "pl/teryt/2416"
    # A county's name is never taken for the town's gmina.
    assert index.link("Zawiercie County", "PL") is None
    # ... nor a gmina's for the powiat of the same name, the division GeoNames found for it
    tarnow = Place(770380, "Tarnów", 50.01381, 20.98698, "PL", "77", 110412)
    rural = index.link("Tarnów (rural gmina)", "PL", place=tarnow, division="Tarnów")
    assert rural is not None and rural.unit_key == "pl/teryt/1216092", rural


def test_namesakes_need_a_point_and_large_places_are_found_by_it(index: RegisterIndex) -> None:
    assert len(index.by_name[("CZ", "lhota")]) == 4
    assert index.link("Lhota", "CZ") is None  # which of them, no point says
    assert index.find("Lhota", "CZ") == ("4 municipalities of that name (513041, 514497, "
                                         "534986, 573434) and no point to choose")
    warsaw = Place(756135, "Warsaw", 52.22977, 21.01178, "PL", "78", 1702139)
    link = index.link("Warsaw", "PL", place=warsaw)
    assert link is not None
    assert (link.unit_key, link.method) == ("pl/teryt/1465011", "register:point+population")
    pienks = (51.180, 15.045)
    near = index.near_partners("Heřmanice", "CZ", [pienks])
    assert near is not None and near.unit_key == "cz/obec/544353"
    assert index.near_partners("Heřmanice", "CZ", [(50.08, 14.42)]) is None  # Prague: far
    village = Place(1, "Nowhere", 52.22977, 21.01178, "PL", "78", 800)
    assert index.link("Nowhere", "PL", place=village) is None
    assert index.link("Berlin", "DE") is None  # no register for Germany here


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The default build (curated data and registers) plus the Wikipedia rows naming a Polish
    or Czech place (~20 s)."""
    folder = tmp_path_factory.mktemp("registers")
    rows = folder / "polish-and-czech.csv"
    with (SHARED / "wikipedia_twin_towns_raw.csv").open(encoding="utf-8", newline="") as raw, \
            rows.open("w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(raw), csv.writer(out)
        writer.writerow(next(reader))
        writer.writerows(r for r in reader
                         if {"Poland", "Czech Republic", "Czechia"} & set(r[1::2]))
    return build(folder / "store", [DEFAULT, f"wikipedia:{rows}"], open_data=False)


def test_registers_build_into_one_resource_per_unit(built: BuildResult) -> None:
    units = built.summary["register_units"]
    assert units["CZ"] == {"County": 77, "LocalAuthority": 86, "Municipality": 6258,
                           "Region": 14}
    assert units["PL"] == {"County": 380, "LocalAuthority": 18, "Municipality": 2477,
                           "Region": 16}
    # The LAUs the list names, and no others (Germany has 11,007): published with the list.
    assert 1000 < units["DE"]["Municipality"] < 2000 and "PT" not in units
    store = Store.read_only(str(built.build.oxigraph))
    warsaw = NamedNode(iris.register_unit_iri("PL", "teryt", "1465011"))
    prague = NamedNode(iris.register_unit_iri("CZ", "obec", "554782"))

    def objects(node: NamedNode, predicate: object) -> set[object]:
        return {q.object for q in store.quads_for_pattern(node, NamedNode(str(predicate)),
                                                          None)}

    assert Literal("Warszawa", language="pl") in objects(warsaw, SKOS.prefLabel)
    assert Literal("Praha", language="cs") in objects(prague, SKOS.prefLabel)
    assert objects(warsaw, TKG.partOf) == {NamedNode(iris.register_unit_iri("PL", "teryt",
                                                                            "1465"))}
    assert objects(NamedNode(iris.register_unit_iri("PL", "teryt", "14")),
                   TKG.subdivisionCode) == {Literal("PL-14")}
    assert Literal("554782") in objects(prague, TKG.czechMunicipalityCode)
    assert NamedNode(iris.concept_iri("unit-kind", "obec")) in objects(prague, TKG.unitKind)
    assert Literal("2020", datatype=NamedNode(str(XSD.gYear))) in objects(
        prague, TKG.populationYear)
    # In its NUTS 3 region, under the EU Publications Office's IRI, in NUTS 2 and 1.
    region = NamedNode(iris.nuts_iri("PL911"))
    assert objects(warsaw, TKG.nutsRegion) == {region}
    assert objects(region, SKOS.broader) == {NamedNode(iris.nuts_iri("PL91"))}
    assert objects(NamedNode(iris.nuts_iri("PL91")), SKOS.broader) == {
        NamedNode(iris.nuts_iri("PL9"))}


def test_listed_authorities_become_their_register_unit(built: BuildResult) -> None:
    store = Store.read_only(str(built.build.oxigraph))
    warsaw = NamedNode(iris.register_unit_iri("PL", "teryt", "1465011"))
    listed = NamedNode(iris.authority_iri("PL", "Warsaw"))
    # The name-based IRI keeps resolving: it is the unit.
    assert {q.object for q in store.quads_for_pattern(listed, NamedNode(str(OWL.sameAs)),
                                                      None)} == {warsaw}
    partners = {q.object for q in store.quads_for_pattern(warsaw, NamedNode(str(
        TKG.twinnedWith)), None)}
    assert len(partners) > 10
    assert built.summary["rows_rejected_by_shapes"] == 0
    assert built.summary["register_units_rejected_by_shapes"] == 0


def test_districts_are_one_unit_within_their_city(built: BuildResult) -> None:
    store = Store.read_only(str(built.build.oxigraph))
    prague = NamedNode(iris.register_unit_iri("CZ", "obec", "554782"))
    six = NamedNode(iris.register_unit_iri("CZ", "momc", "500178"))

    def objects(node: NamedNode, predicate: object) -> set[object]:
        return {q.object for q in store.quads_for_pattern(node, NamedNode(str(predicate)),
                                                          None)}

    assert objects(six, SKOS.prefLabel) == {Literal("Praha 6", language="cs")}
    assert {Literal("Prague 6", language="en"), Literal("Prague 6 (Prague)", language="en")} <= \
        objects(six, SKOS.altLabel)
    assert objects(six, TKG.partOf) == objects(six, GEO.sfWithin) == {prague}
    assert objects(six, TKG.czechDistrictCode) == {Literal("500178")}
    # Both names the list gives it keep resolving: each is the one district.
    for listed in ("Prague 6", "Prague 6 (Prague)"):
        assert objects(NamedNode(iris.authority_iri("CZ", listed)), OWL.sameAs) == {six}
    warsaw = NamedNode(iris.register_unit_iri("PL", "teryt", "1465011"))
    mokotow = NamedNode(iris.register_unit_iri("PL", "teryt", "1465058"))
    assert objects(mokotow, TKG.partOf) == objects(mokotow, GEO.sfWithin) == {warsaw}
    with (built.build.reports / "reconciliation.csv").open(encoding="utf-8") as handle:
        report = {row["name"]: row for row in csv.DictReader(handle)}
    for listed, code in (("Prague 16 \u2013 Radotín", "539601"), ("Řeporyje (Prague)", "539635"),
                         ("Prague \u2013 Řeporyje", "539635"), ("Brno-Vinohrady (Brno)", "551279"),
                         ("Prague 20 \u2013 Horní Počernice", "538213")):
        assert report[listed]["register_unit"] == iris.register_unit_iri("CZ", "momc", code)
        assert report[listed]["register_method_or_reason"] == "register:district"


def test_a_renamed_gmina_carries_its_former_name_with_a_history_note(
        built: BuildResult) -> None:
    store = Store.read_only(str(built.build.oxigraph))
    redzikowo = NamedNode(iris.data_base() + "authority/pl/teryt/2212082")

    def objects(prop: object) -> set[object]:
        return {q.object for q in store.quads_for_pattern(redzikowo, NamedNode(str(prop)), None)}

    assert Literal("Redzikowo", language="pl") in objects(SKOS.prefLabel)
    assert Literal("Słupsk", language="pl") in objects(SKOS.altLabel)
    notes = [str(n.value) for n in objects(SKOS.historyNote)]  # type: ignore[attr-defined]
    assert len(notes) == 1 and "Słupsk" in notes[0] and "2020" in notes[0]
    # The city keeps its name alone.
    city = NamedNode(iris.data_base() + "authority/pl/teryt/2263011")
    assert not list(store.quads_for_pattern(city, NamedNode(str(SKOS.historyNote)), None))


def test_municipalities_abroad_take_their_native_name(built: BuildResult) -> None:
    store = Store.read_only(str(built.build.oxigraph))
    for listed, country, key, native in (
            ("Munich", "DE", "de/lau/09162000", Literal("München", language="de")),
            ("Hanover", "DE", "de/lau/03241001", Literal("Hannover", language="de"))):
        unit = NamedNode(iris.data_base() + "authority/" + key)
        assert {q.object for q in store.quads_for_pattern(
            NamedNode(iris.authority_iri(country, listed)), NamedNode(str(OWL.sameAs)),
            None)} == {unit}, listed
        assert [q.object for q in store.quads_for_pattern(
            unit, NamedNode(str(SKOS.prefLabel)), None)] == [native]
        assert Literal(listed, language="en") in {q.object for q in store.quads_for_pattern(
            unit, NamedNode(str(SKOS.altLabel)), None)}
    # The LAU list's own form of the name is another name of the unit.
    munich = NamedNode(iris.data_base() + "authority/de/lau/09162000")
    assert Literal("München, Landeshauptstadt") in {q.object for q in store.quads_for_pattern(
        munich, NamedNode(str(SKOS.altLabel)), None)}
    reference = [s for s in built.summary["sources"] if s.get("reference")]
    assert [(s["kind"], s["rows_read"]) for s in reference] == [("lau", 63645), ("lau", 34968)]
    assert 5000 < reference[0]["units_published"] < 10000
    assert 1000 < reference[1]["units_published"] < 2000  # France's communes a list names
    # No list names Vienna, but its districts lie within it: Wien is in the graph for them.
    wien = NamedNode(iris.data_base() + "authority/at/lau/90001")
    liesing = NamedNode(iris.authority_iri("AT", "Vienna 23 \u2013 Liesing"))
    assert wien in {q.object for q in store.quads_for_pattern(
        liesing, NamedNode(str(GEO.sfWithin)), None)}
    assert [q.object for q in store.quads_for_pattern(
        wien, NamedNode(str(SKOS.prefLabel)), None)] == [Literal("Wien", language="de")]


def test_reconciliation_report_names_the_unit_or_why_not(built: BuildResult) -> None:
    with (built.build.reports / "reconciliation.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    report = {row["name"]: row for row in rows}
    in_poland = {row["name"]: row for row in rows if row["country"] == "PL"}
    assert report["Warsaw"]["register_unit"] == iris.register_unit_iri("PL", "teryt", "1465011")
    assert report["Warsaw"]["register_method_or_reason"] == "register:point+population"
    # Namesakes without a GeoNames point: the one near its partner (Pieńsk, across the
    # border), or none when no namesake is near a partner.
    assert report["Heřmanice"]["register_unit"] == iris.register_unit_iri("CZ", "obec",
                                                                          "544353")
    assert report["Heřmanice"]["register_method_or_reason"] == "register:name+partner"
    assert report["Králova Lhota"]["register_unit"] == ""
    assert report["Králova Lhota"]["register_method_or_reason"].endswith(
        "and no point to choose")
    assert report["Ronnenberg"]["register_unit"] == iris.data_base() + \
        "authority/de/lau/03241014"  # through Eurostat's LAU list
    # A village GeoNames chose by size among namesakes is not gmina Brody, the authority.
    assert in_poland["Brody"]["register_unit"] == iris.register_unit_iri("PL", "teryt",
                                                                         "0811033")
    assert in_poland["Brody"]["register_method_or_reason"].startswith(
        "register:name (not the GeoNames place chosen among")
    # A county qualifier picks the namesake of that okres.
    assert report["Doksy (Kladno District)"]["register_unit"] == iris.register_unit_iri(
        "CZ", "obec", "532223")
    assert report["Doksy (Kladno District)"]["register_method_or_reason"] == \
        "register:name+county"
    # GeoNames took Prague's quarter of Kunratice; the village twinned with Pieńsk is the
    # Kunratice near it (okres Liberec), and not that GeoNames place.
    assert report["Kunratice"]["register_unit"] == iris.register_unit_iri("CZ", "obec",
                                                                          "530433")
    assert report["Kunratice"]["register_method_or_reason"] == (
        "register:name+partner (none of them is the GeoNames place of that name)")
    # A district of a city no register has is not the city, nor a namesake 25 km away.
    assert report["Vaihingen (Stuttgart)"]["register_unit"] == ""
    assert report["Győrszentiván (Győr)"]["register_method_or_reason"].startswith(
        "a district of Győr the register has no unit for")


def test_share_of_listed_authorities_in_a_register(built: BuildResult) -> None:
    counted: Counter[tuple[str, bool]] = Counter()
    linked = _register_linked(built)
    for key, (authority, _) in built.matches.items():
        if authority.country.alpha2 in ("PL", "CZ"):
            counted[(authority.country.alpha2, key in linked)] += 1
    for country, floor in (("PL", 0.97), ("CZ", 0.97)):
        share = counted[(country, True)] / (counted[(country, True)] + counted[(country, False)])
        assert share >= floor, (country, share)


def _register_linked(built: BuildResult) -> set[str]:
    store = Store.read_only(str(built.build.oxigraph))
    unit_base = iris.data_base() + "authority/"
    return {q.subject.value[len(unit_base):]
            for q in store.quads_for_pattern(None, NamedNode(str(OWL.sameAs)), None)
            if isinstance(q.object, NamedNode) and q.object.value.startswith(unit_base)}


@pytest.fixture(scope="module")
def search_index(built: BuildResult) -> SearchIndex:
    return build_index(StoreSource(Store.read_only(str(built.build.oxigraph))))


@pytest.mark.parametrize(("text", "unit"), [
    ("warszawa", "pl/teryt/1465011"), ("Warszawa", "pl/teryt/1465011"),
    ("Praha", "cz/obec/554782"), ("wroclaw", "pl/teryt/0264011"),
    ("krakow", "pl/teryt/1261011"), ("plzen", "cz/obec/554791"),
    ("usti nad labem", "cz/obec/554804"), ("Warsaw", "pl/teryt/1465011"),
    ("Munchen", "de/lau/09162000"), ("München", "de/lau/09162000"),
    ("Wien", "at/lau/90001"), ("Vienna", "at/lau/90001"), ("praha 6", "cz/momc/500178"),
    # GeoNames' other names of the place the unit is.
    ("Varsovie", "pl/teryt/1465011"), ("Warschau", "pl/teryt/1465011"),
    ("Prag", "cz/obec/554782"), ("Breslau", "pl/teryt/0264011"), ("Krakau", "pl/teryt/1261011"),
    ("500178", "cz/momc/500178"),
])
def test_search_finds_the_register_unit_first(search_index: SearchIndex, text: str,
                                              unit: str) -> None:
    found = search_index.search(text, limit=1)
    assert found and found[0].entry.iri == iris.data_base() + "authority/" + unit


def test_units_carry_the_geonames_names_of_their_place(built: BuildResult) -> None:
    store = Store.read_only(str(built.build.oxigraph))
    geonames = NamedNode(iris.source_graph_iri("geonames"))

    def names(node: NamedNode, predicate: object) -> set[Literal]:
        return {q.object for q in store.quads_for_pattern(node, NamedNode(str(predicate)),
                                                          None) if isinstance(q.object, Literal)}

    warsaw = NamedNode(iris.register_unit_iri("PL", "teryt", "1465011"))
    prague = NamedNode(iris.register_unit_iri("CZ", "obec", "554782"))
    alternates = {q.object for q in store.quads_for_pattern(
        warsaw, NamedNode(str(SKOS.altLabel)), None, geonames)}
    # Untagged: GeoNames' names come without their language.
    assert {Literal("Varsovie"), Literal("Warschau"), Literal("Varsavia")} <= alternates
    for missing in ("WAW", "wrshw", "Warszawa", "Варшава"):
        assert Literal(missing) not in alternates, missing
    assert Literal("Prag") in names(prague, SKOS.altLabel)
    # The unit's own names are never repeated, whatever their language.
    spellings = [name.value.casefold() for name in alternates]
    assert len(spellings) == len(set(spellings))
    folded = [fold(name.value) for name in alternates]
    # "Warsaw" once: GeoNames' own name for the city its listed districts lie within.
    assert "warszawa" not in folded and folded.count("warsaw") == 1
    # A district GeoNames lacks, within a city it has: the city's names go on the city's unit.
    wien = NamedNode(iris.data_base() + "authority/at/lau/90001")
    assert {Literal("Vídeň"), Literal("Wiedeń")} <= names(wien, SKOS.altLabel)
    # A listed authority no register has, that is a GeoNames place, carries them too.
    moscow = NamedNode(iris.authority_iri("RU", "Moscow"))
    assert {Literal("Москва"), Literal("Moskau")} <= names(moscow, SKOS.altLabel)
