"""The register unit a listed authority is (:class:`RegisterIndex`).

Units come merged, one per real unit (:mod:`graph.gazetteer.units`, whose names this module
also offers to its callers); the index finds the one a name in a partnership list denotes.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from graph.core import iris
from graph.core.names import fold
from graph.gazetteer.districts import DistrictIndex, city_hint
from graph.gazetteer.kreise import SCHEME as KREIS
from graph.gazetteer.kreise import SEAT_NAMED, KreisIndex, says_district
from graph.gazetteer.place_table import Place, distance_km
from graph.gazetteer.units import (
    MergedUnits,
    merge_units,
    register_variants,
    unit_key,
    unit_names,
)
from graph.ingest.records import RegisterUnit

__all__ = ["MergedUnits", "PlaceNames", "RegisterIndex", "RegisterLink", "merge_units",
           "unit_key", "unit_names"]


@dataclass(frozen=True, slots=True)
class RegisterLink:
    """A listed authority found in a register: the unit's key, how, and how surely; ``why``
    says what settled a choice the method alone does not explain."""

    unit_key: str
    method: str
    confidence: float
    why: str = ""
    geonames: bool = True
    """Whether the GeoNames feature reconciliation matched the name to is this unit too."""


class PlaceNames(Protocol):
    """What the registers ask of the gazetteer (:class:`graph.gazetteer.match.Gazetteer`)."""

    def is_named(self, place: Place, name: str) -> bool:
        """Whether ``name`` is one of the GeoNames place's names."""

    def city(self, country: str, name: str) -> Place | None:
        """The city of a country a name denotes, if it is one."""


_ADMINISTRATIVE = re.compile(r"\b(?:county|powiat|district|okres|region|voivodeship|"
                             r"province|kraj|oblast|land)\b")
_RURAL = re.compile(r"\b(?:rural|wiejska)\b|^gmina\b")
_QUALIFIER = re.compile(r"\s*\(([^()]*)\)\s*$")
_RURAL_KINDS = frozenset({"rural-gmina", "urban-rural-gmina"})
_NEAR_KM = 20.0
_CITY_KM = 15.0
_PARTNER_KM = 60.0
_FAR_KM = 50.0
"""A unit this far from the GeoNames place its listed name was matched to is another place of
the same name ("Radotín", a district of Prague, is not the village of Radotín in Moravia)."""
_NOTE_POPULATION = 10_000
_CITY_POPULATION = 100_000
_DISTRICT_KM = 20.0
_LARGER = 10
_SIZE_FACTOR = 3
_CELL = 0.25  # degrees: the grid the point look-up files municipalities under


class RegisterIndex:
    """The register units a listed authority (a name in a partnership list) may be.

    Why registers first: they hold every gmina and obec by its native name and official code,
    while GeoNames' ``cities500`` lacks small places and names the large ones in English
    ("Warsaw"). A listed authority of a register country is found, in this order, by

    1. its official code (a partnership file's TERYT or kód obce; 6-digit TERYT too);
    2. the ISO 3166-2 subdivision reconciliation found ("Masovian Voivodeship" is PL-14);
    3. the name of the GeoNames division reconciliation found, among the register's powiats,
       voivodeships, okresy and kraje ("Zawiercie County" is GeoNames' "Powiat zawierciański",
       the register's "powiat zawierciański");
    4. a German Landkreis the name says it is, by the name of its NUTS 3 region ("Lahn-Dill
       (district)" is the Lahn-Dill-Kreis, :mod:`graph.gazetteer.kreise`), where one region
       has it; then a city district the name gives with its city ("Prague 6 (Prague)",
       "Brno-Vinohrady", :mod:`graph.gazetteer.districts`);
    5. its name among the register's gminas, obce and city districts, a qualifier choosing
       between namesakes ("Bolesławiec" is the urban gmina, "Bolesławiec (rural gmina)" or
       "Gmina Bolesławiec" the rural one, "Doksy (Kladno District)" the one in okres
       Kladno) and the GeoNames point between the rest (the nearest within 20 km; without a
       point, or with none near it, the one near the authority's partners);
       namesakes of which any lacks a point (France's communes: Eurostat's list gives them
       none) are not told apart by points: a town of note (10,000 people) takes the one
       namesake ten times larger than any other and of about its size, and otherwise stays
       unlinked with why; a single unit of the name 50 km or more from the GeoNames place is
       another place, unless GeoNames chose that place by size among namesakes and it is no
       city (the village of Brody is not gmina Brody, which is the authority);
    6. a Landkreis of that name, for a name no municipality or GeoNames place has
       ("Wesermarsch"); else the GeoNames place reconciliation found, when no unit has the
       name ("Warsaw", "Prague"): the municipality whose centre lies within 15 km, whose
       population is within a factor of two of the place's (5,000 people or more) and whose
       name is one of the place's GeoNames names ("Warszawa" is Warsaw's; Letňany's
       neighbour is not).

    Names that say they are a county or region are not looked up among the municipalities; a
    name listed as a district of a city no district of the register has ("Vaihingen
    (Stuttgart)") is no unit 20 km or more from the city, nor the city itself.
    ``names`` (the gazetteer) checks the last step's names and finds a district's city by
    its English name; without it, neither check is made.
    """

    def __init__(self, merged: MergedUnits, names: PlaceNames | None = None) -> None:
        self.units = merged.units
        self.names = names
        self.districts = DistrictIndex(merged.units)
        self.kreise = KreisIndex()
        self._cities: dict[tuple[str, str], str | None] = {}
        self.by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.by_code: dict[tuple[str, str], str] = {}
        self.by_subdivision: dict[str, str] = {}
        self.by_division: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.grid: dict[tuple[str, int, int], list[str]] = defaultdict(list)
        for key, unit in merged.units.items():
            if unit.subdivision:
                self.by_subdivision.setdefault(unit.subdivision, key)
            for prop, code in unit.codes:
                if prop in ("teryt", "czechMunicipalityCode"):
                    self.by_code.setdefault((unit.country, code), key)
                    if prop == "teryt" and len(code) == 7 and unit.level == "Municipality":
                        self.by_code.setdefault((unit.country, code[:6]), key)
            if unit.scheme == KREIS:
                self.kreise.add(key, unit)
                continue
            if unit.level in ("County", "Region"):
                self.by_division[(unit.country, fold(unit.name))].append(key)
                continue
            for folded in unit_names(unit):
                self.by_name[(unit.country, folded)].append(key)
            if unit.lat is not None and unit.long is not None and unit.level == "Municipality":
                self.grid[(unit.country, int(unit.lat // _CELL), int(unit.long // _CELL))] \
                    .append(key)
        self.countries = frozenset(u.country for u in merged.units.values())

    def link(self, name: str, country: str, official_code: str = "",
             place: Place | None = None, subdivision: str | None = None,
             division: str | None = None) -> RegisterLink | None:
        """The unit a listed authority is, or ``None`` when the registers cannot say which.

        ``place`` is the GeoNames place reconciliation found the authority to be (not a seat
        or a city it lies in), ``subdivision`` the ISO 3166-2 code it found, ``division`` the
        name of the GeoNames division it found ("Powiat zawierciański" for "Zawiercie
        County", "Okres Zlín"): the register names powiats and okresy the same way.
        """
        found = self.find(name, country, official_code, place, subdivision, division)
        return found if isinstance(found, RegisterLink) else None

    def find(self, name: str, country: str, official_code: str = "",
             place: Place | None = None, subdivision: str | None = None,
             division: str | None = None, *, place_candidates: int = 1) -> RegisterLink | str:
        """What :meth:`link` finds, or the reason the registers cannot say which unit it is.

        ``place_candidates`` counts the GeoNames places of the name reconciliation chose
        ``place`` from: a place chosen among several by population proves less than the one
        unit of the register that has the name.

        >>> RegisterIndex(MergedUnits()).find("Praha", "CZ")
        'no register of CZ in this build'
        """
        if country not in self.countries:
            return f"no register of {country} in this build"
        code = official_code.strip()
        if code and (country, code) in self.by_code:
            return RegisterLink(self.by_code[(country, code)], "register:code", 1.0)
        if subdivision and subdivision in self.by_subdivision:
            return RegisterLink(self.by_subdivision[subdivision], "register:subdivision", 0.9)
        folded = fold(name)
        # "Tarnów (rural gmina)", "Gmina Tarnów" name a gmina: the GeoNames division of that
        # name is the city's powiat, never the gmina around the town.
        names_a_gmina = bool(_RURAL.search(folded))
        named = self.by_division.get((country, fold(division))) \
            if division and not names_a_gmina else None
        if named and len(named) == 1:
            return RegisterLink(named[0], "register:division-name", 0.85)
        kreis = self.kreise.find(name, country)
        if kreis is not None:
            return RegisterLink(kreis, "register:nuts3-district", 0.85, "" if place is None
                                else "the GeoNames place is a town", geonames=place is None)
        if country in SEAT_NAMED and says_district(name):  # the district, not its seat
            return "a district no NUTS 3 region of that name matched (not its seat's unit)"
        if _ADMINISTRATIVE.search(fold(_QUALIFIER.sub("", name))):
            return "a county or region no subdivision or division of the register matched"
        district = self.districts.find(name, country, self._city_key)
        if district is not None:
            return RegisterLink(district, "register:district", 0.9)
        return self._in_its_city(name, country, self._by_name(name, country, folded, place,
                                                              place_candidates))

    def _by_name(self, name: str, country: str, folded: str, place: Place | None,
                 place_candidates: int) -> RegisterLink | str:
        """Steps 5 and 6: the unit by its name, or by the GeoNames place's point and size."""
        for variant in register_variants(name, country):
            candidates = self.by_name.get((country, variant.key))
            if candidates:
                return self._in_county(name, candidates) or self._among(
                    candidates, folded, place, place_candidates)
        kreis = self.kreise.find(name, country, said=False) if place is None else None
        if kreis is not None:  # "Wesermarsch": no municipality or place, one district
            return RegisterLink(kreis, "register:nuts3-district", 0.8)
        if place is not None and place.population >= 5000:
            return self._by_point(country, place) or (
                "no municipality of that name, nor one near the GeoNames place of its size")
        return "no municipality of that name" + (
            "" if place is None else " (the GeoNames place has under 5,000 people)")

    def _in_its_city(self, name: str, country: str, found: RegisterLink | str) -> \
            RegisterLink | str:
        """A name listed as a district of a city ("Vaihingen (Stuttgart)", "Győrszentiván
        (Győr)") that no district of the register has is not a municipality elsewhere, nor
        the city itself: the unit found must lie within 20 km of the city and not be it."""
        hint = city_hint(name)
        if not isinstance(found, RegisterLink) or hint is None or self.names is None:
            return found
        city = self.names.city(country, hint)
        if city is None:
            return found
        unit = self.units[found.unit_key]
        if self._named(city, unit) or self._distance(found.unit_key, city) > _DISTRICT_KM:
            return (f"a district of {city.name} the register has no unit for "
                    f"({unit.name} is {'the city' if self._named(city, unit) else 'elsewhere'})")
        return found

    def _preferred(self, candidates: list[str], folded: str) -> list[str]:
        """The units of a name the qualifier's kind points to ("(rural gmina)", a town)."""
        rural = bool(_RURAL.search(folded))
        preferred = [k for k in candidates
                     if bool(_RURAL_KINDS & set(self.units[k].kinds)) == rural
                     or "urban-rural-gmina" in self.units[k].kinds]
        chosen = preferred or candidates
        if len(chosen) > 1 and not rural:
            # A town's name: the urban gmina before the urban-rural one of the same name.
            urban = [k for k in chosen if "urban-gmina" in self.units[k].kinds]
            chosen = urban or chosen
        return chosen

    def near_partners(self, name: str, country: str,
                      partners: list[tuple[float, float]]) -> RegisterLink | None:
        """Of the municipalities sharing a name, the one near the authority's partners.

        Twinned villages with no GeoNames point are mostly neighbours across a border
        ("Heřmanice" and Pieńsk, "Vlčice" and Biała): the namesake within 60 km of a partner
        is taken when every other one is at least half as far again.
        """
        folded = fold(name)
        for variant in register_variants(name, country):
            candidates = self.by_name.get((country, variant.key))
            if not candidates:
                continue
            near = sorted((min((distance_km(u.lat, u.long, lat, long) for lat, long in partners),
                               default=math.inf), k)
                          for k in self._preferred(candidates, folded)
                          for u in [self.units[k]] if u.lat is not None and u.long is not None)
            if near and near[0][0] <= _PARTNER_KM and (
                    len(near) == 1 or near[1][0] >= 1.5 * near[0][0]):
                return RegisterLink(near[0][1], "register:name+partner", 0.7)
            return None
        return None

    def city_unit(self, country: str, city: Place) -> str | None:
        """The unit of a GeoNames city a district no register has lies within ("Vienna 23 -
        Liesing" within Wien): the municipality at its point, of its size and name."""
        if country not in self.countries:
            return None
        found = self._by_point(country, city)
        return found.unit_key if found is not None else None

    def _city_key(self, country: str, text: str) -> str | None:
        """The unit of the city a text names by its GeoNames name ("Prague" is Praha)."""
        if (country, text) not in self._cities:
            city = self.names.city(country, text) if self.names is not None else None
            found = self._by_point(country, city) if city is not None else None
            self._cities[(country, text)] = found.unit_key if found is not None else None
        return self._cities[(country, text)]

    def _among(self, candidates: list[str], folded: str, place: Place | None,
               place_candidates: int = 1) -> RegisterLink | str:
        """One of the units sharing a name: the qualifier's kind, then the nearest."""
        chosen = self._preferred(candidates, folded)
        if len(chosen) == 1:
            return self._only(chosen[0], place, place_candidates)
        codes = ", ".join(self.units[k].code for k in chosen)
        if place is None:
            return f"{len(chosen)} municipalities of that name ({codes}) and no point to choose"
        pointless = sum(1 for k in chosen if self.units[k].lat is None
                        or self.units[k].long is None)
        if pointless:
            # The nearest of those with a point could be the wrong one: any namesake
            # without a point (France's communes have none) may be the place itself.
            return self._largest(chosen, place) or (
                f"{len(chosen)} municipalities of that name ({codes}), {pointless} without a "
                "point to tell them apart, and none of the GeoNames place's size ten times "
                "larger than the others")
        near = sorted((self._distance(k, place), k) for k in chosen)
        if near and near[0][0] <= _NEAR_KM and (len(near) == 1 or near[1][0] > near[0][0]):
            return RegisterLink(near[0][1], "register:name+point", 0.9)
        return (f"{len(chosen)} municipalities of that name, none within {_NEAR_KM:.0f} km of "
                "the GeoNames place")

    def _in_county(self, name: str, candidates: list[str]) -> RegisterLink | None:
        """Of namesakes, the one in the county a qualifier names ("Doksy (Kladno District)"
        is the Doksy of okres Kladno)."""
        qualifier = _QUALIFIER.search(name)
        county = fold(qualifier.group(1)) if qualifier else ""
        if len(candidates) < 2 or not _ADMINISTRATIVE.search(county):
            return None
        county = _ADMINISTRATIVE.sub("", county).strip()
        inside = [key for key in candidates if county in self._parent_name(key)]
        return RegisterLink(inside[0], "register:name+county", 0.9) if len(inside) == 1 \
            else None

    def _parent_name(self, key: str) -> str:
        """The folded name of the unit a unit is part of ("okres kladno"), or ""."""
        unit = self.units[key]
        parent = self.units.get(iris.register_unit_key(unit.country, *unit.parent)) \
            if unit.parent is not None else None
        return fold(parent.name) if parent is not None else ""

    def _only(self, key: str, place: Place | None, place_candidates: int) -> \
            RegisterLink | str:
        """The one unit of a name, unless it lies 50 km or more from the GeoNames place."""
        far = self._distance(key, place) if place is not None else 0.0
        if place is None or far < _FAR_KM or math.isinf(far):
            return RegisterLink(key, "register:name", 0.95)
        if place_candidates <= 1 or place.population >= _CITY_POPULATION:
            return (f"the one municipality of that name ({self.units[key].code}) lies "
                    f"{far:.0f} km from the GeoNames place: another place")
        # GeoNames chose among namesakes by size (villages called Brody); the register's one
        # unit of the name is the authority, and that village is not it.
        return RegisterLink(key, "register:name", 0.9,
                            f"not the GeoNames place chosen among {place_candidates} of that "
                            f"name, {far:.0f} km away", geonames=False)

    def _largest(self, chosen: list[str], place: Place) -> RegisterLink | None:
        """Of namesakes no point tells apart, the one a town of note is: ten times larger
        than any other and within a factor of three of the GeoNames place's population
        ("Saint-Étienne" is the city of 170,000, not the villages of that name)."""
        if place.population < _NOTE_POPULATION:
            return None
        ranked = sorted(((self.units[k].population or 0, k) for k in chosen), reverse=True)
        (people, key), (next_people, _) = ranked[0], ranked[1]
        if people < _LARGER * max(next_people, 1) or not (
                place.population / _SIZE_FACTOR <= people <= place.population * _SIZE_FACTOR):
            return None
        return RegisterLink(key, "register:name+population", 0.8,
                            f"the largest of {len(chosen)} municipalities of that name "
                            f"({people:,} people, the next {next_people:,}), the size of the "
                            f"GeoNames place ({place.population:,})")

    def _distance(self, key: str, place: Place) -> float:
        unit = self.units[key]
        if unit.lat is None or unit.long is None:
            return math.inf
        return distance_km(unit.lat, unit.long, place.lat, place.long)

    def _by_point(self, country: str, place: Place) -> RegisterLink | None:
        """The municipality a large place is, by its point and population."""
        row, column = int(place.lat // _CELL), int(place.long // _CELL)
        best: tuple[float, str] | None = None
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for key in self.grid.get((country, row + dr, column + dc), ()):
                    unit = self.units[key]
                    people = unit.population or 0
                    if not place.population / 2 <= people <= place.population * 2:
                        continue
                    distance = self._distance(key, place)
                    if distance <= _CITY_KM and (best is None or distance < best[0]) and \
                            self._named(place, unit):
                        best = (distance, key)
        return RegisterLink(best[1], "register:point+population", 0.8) if best else None

    def _named(self, place: Place, unit: RegisterUnit) -> bool:
        """Whether the unit's name is one of the place's GeoNames names (unchecked without the
        gazetteer)."""
        return self.names is None or any(self.names.is_named(place, name)
                                         for name in (unit.name, *unit.other_names))
