"""Reading a name's hints to choose among namesakes: a region, a division or a nearby place.

A hint is what a list writes beside a name ("Friedberg, Bavaria", "Vernouillet, Yvelines",
"Zhongshan (Dalian)") or the country's own region (a constituent country such as Scotland). It
may name a first-level region or a second-level division, in English or the local language,
found through pycountry's ISO codes and GeoNames' own division names; or a place, whose
first-level subdivision and surroundings then count. A hint contradicts the candidates only
when no reading of it fits any of them: then the place the list means is not in the gazetteer
("Huishan (Wuxi)" when GeoNames has only a Huishan 1,700 km from Wuxi), and a namesake would be
a wrong link.
"""

from __future__ import annotations

from graph.core.countries import Country
from graph.core.names import fold, name_variants
from graph.core.subdivisions import iso_admin1, subdivision_code
from graph.gazetteer.admin_units import AdminUnitIndex
from graph.gazetteer.index import PlaceIndex
from graph.gazetteer.place_table import Place, distance_km

HINT_KM = 150.0
"""A place the name's own hint names ("Zhongshan (Dalian)") must lie in the same first-level
subdivision as the candidate or this close to it, else the hint contradicts the candidate."""

CITY_POPULATION = 100_000
"""A hint naming a city this large means the name is a part of it ("Perovo (Moscow)")."""

CITY_KM = 30.0
"""How close to such a city a candidate must lie, unless it is in the city's region within
:data:`HINT_KM`."""


def near(place: Place, anchor: Place) -> bool:
    """Whether a place shares a first-level subdivision with, or lies near, the anchor.

    Next to a large city, only its own region near it or its outskirts count: "Mitte
    (Hamburg)" is not the Mitte 130 km away in Lower Saxony, nor "Wenjiang (Chengdu)" the
    Wenjiang 260 km from Chengdu.

    >>> hamburg = Place(1, "Hamburg", 53.55, 10.0, "DE", "04", 1_800_000)
    >>> near(Place(2, "Mitte", 53.55, 10.01, "DE", "04", 300_000), hamburg)
    True
    >>> near(Place(3, "Mitte", 52.6, 8.2, "DE", "06", 800), hamburg)
    False
    """
    km = distance_km(place.lat, place.long, anchor.lat, anchor.long)
    if anchor.population >= CITY_POPULATION:
        return km <= CITY_KM or (place.admin1 == anchor.admin1 and km <= HINT_KM)
    return place.admin1 == anchor.admin1 or km <= HINT_KM


class Hints:
    """The readings of hints against the gazetteer's places and divisions."""

    def __init__(self, places: PlaceIndex, units: AdminUnitIndex) -> None:
        self.places = places
        self.units = units

    def place(self, country: str, hint: str) -> Place | None:
        """The best-known place the hint names within the country, if any ("Dalian" the
        city, not a village of that name)."""
        for variant in name_variants(hint):
            places, _ = self.places.lookup(country, variant.key)
            if places:
                return max(places, key=lambda p: p.population)
        return None

    def regions(self, country: str, text: str) -> tuple[frozenset[str], frozenset[int]]:
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

    def narrow_places(self, places: list[Place], country: Country,
                      hint: str | None) -> tuple[list[Place], bool]:
        """Candidates consistent with the hints, and whether a hint decided anything; an
        empty list when the name's own hint contradicts every candidate (see the module
        docstring)."""
        for text in (hint, country.region):
            if not text:
                continue
            regions, divisions = self.regions(country.alpha2, text)
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
            anchor = self.place(country.alpha2, text)
            if anchor is None:
                if text == hint and regions & self.places.admin1_codes(country.alpha2):
                    return [], True
                continue
            nearby = [p for p in places if near(p, anchor)]
            if text == hint and not nearby:
                return [], True
            if len(places) < 2:
                continue
            if nearby and len(nearby) < len(places):
                nearest = min(nearby, key=lambda p: distance_km(p.lat, p.long,
                                                                anchor.lat, anchor.long))
                return [nearest], True
        return places, False

    def narrow_units(self, indices: list[int], country: Country,
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
            regions, _ = self.regions(country.alpha2, text)
            anchor = self.place(country.alpha2, text) if not regions else None
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
