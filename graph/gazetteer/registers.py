"""Register units in the build: one resource per real unit, whichever files describe it, and
the unit a listed authority is (:class:`RegisterIndex`).

The register sources (:mod:`graph.ingest.sources.teryt`, :mod:`graph.ingest.sources.cz_obce`,
:mod:`graph.ingest.sources.lau`) return units named by official codes. Two files may describe
one unit (Poland's TERC register gives a gmina's kind and name, the gmina table its
population, LAU code and point), so the build merges them by IRI key before it writes any
triple: the first file to give a fact wins, kinds and codes are united. Every row behind a
unit is remembered, so that a unit the shapes reject takes all its rows into the rejects
report.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from graph.core import iris
from graph.core.names import NameVariant, fold, name_variants
from graph.gazetteer.place_table import Place
from graph.ingest.records import RegisterUnit, Reject


@dataclass
class MergedUnits:
    """Register units by IRI key, with the rows each came from."""

    units: dict[str, RegisterUnit] = field(default_factory=dict)
    rows: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """Units per country and class, e.g. ``{"PL": {"Municipality": 2477, ...}}``."""
        counted: dict[str, Counter[str]] = {}
        for unit in self.units.values():
            counted.setdefault(unit.country, Counter())[unit.level] += 1
        return {country: dict(sorted(c.items())) for country, c in sorted(counted.items())}

    def rejects(self, key: str, reason: str) -> list[Reject]:
        """One reject per row behind a unit, all with the same reason."""
        return [Reject(file, row, reason) for file, row in self.rows.get(key, [])]


def unit_key(unit: RegisterUnit) -> str:
    """The IRI key of a unit (``pl/teryt/0201011``)."""
    return iris.register_unit_key(unit.country, unit.scheme, unit.code)


def merge_units(units: Iterable[RegisterUnit]) -> MergedUnits:
    """Units that share an IRI key merged into one, in the order the sources were given.

    A unit of Eurostat's LAU list (scheme ``lau``) whose LAU code a national register's unit
    carries is that unit (a Czech obec, a Polish gmina): it is merged into it, whatever the
    order of the sources, so that one municipality is one resource.

    >>> terc = RegisterUnit("teryt", "terc.csv", 4, "PL", "Municipality", "teryt", "0201011",
    ...                     name="Bolesławiec", kinds=("urban-gmina",))
    >>> table = RegisterUnit("teryt", "gminy.csv", 2, "PL", "Municipality", "teryt", "0201011",
    ...                      name="Bolesławiec", population=38872, codes=(("lau", "1"),))
    >>> merged = merge_units([terc, table])
    >>> unit = merged.units["pl/teryt/0201011"]
    >>> unit.kinds, unit.population, unit.codes, merged.rows["pl/teryt/0201011"]
    (('urban-gmina',), 38872, (('lau', '1'),), [('terc.csv', 4), ('gminy.csv', 2)])
    """
    merged = MergedUnits()
    units = list(units)
    by_lau: dict[tuple[str, str], str] = {}
    for national in (True, False):
        for unit in units:
            if (unit.scheme == "lau") == national:
                continue
            key = unit_key(unit)
            if not national:
                lau = next((c for p, c in unit.codes if p == "lau"), None)
                key = by_lau.get((unit.country, lau or ""), key)
            merged.rows.setdefault(key, []).append((unit.file, unit.row))
            known = merged.units.get(key)
            merged.units[key] = unit if known is None else _merged(known, unit)
            if national:
                for prop, code in unit.codes:
                    if prop == "lau":
                        by_lau.setdefault((unit.country, code), key)
    return merged


def _merged(first: RegisterUnit, other: RegisterUnit) -> RegisterUnit:
    """``first`` completed by what ``other`` adds; ``first`` wins where both give a fact."""
    people_from = first if first.population is not None else other
    point_from = first if first.lat is not None else other
    return replace(
        first,
        name=first.name or other.name,
        language=first.language or other.language,
        kinds=tuple(dict.fromkeys(first.kinds + other.kinds)),
        codes=tuple(dict.fromkeys(first.codes + other.codes)),
        parent=first.parent or other.parent,
        population=people_from.population,
        population_year=people_from.population_year,
        lat=point_from.lat, long=point_from.long,
        subdivision=first.subdivision or other.subdivision)


@dataclass(frozen=True, slots=True)
class RegisterLink:
    """A listed authority found in a register: the unit's key, how, and how surely."""

    unit_key: str
    method: str
    confidence: float


_ADMINISTRATIVE = re.compile(r"\b(?:county|powiat|district|okres|region|voivodeship|"
                             r"province|kraj|oblast|land)\b")
_RURAL = re.compile(r"\b(?:rural|wiejska)\b|^gmina\b")
_ARTICLE = re.compile(r"^(?:l['\u2019]\s*|(?:le|la|les)\s+)(?=\w)", re.IGNORECASE)
_WITHOUT_ARTICLES = frozenset({"FR"})
"""Countries whose register writes names without their leading article: Eurostat's list of
French communes has "Havre" for Le Havre and "Abergement-Clémenciat" for L'Abergement-..."""
_RURAL_KINDS = frozenset({"rural-gmina", "urban-rural-gmina"})
_NEAR_KM = 20.0
_CITY_KM = 15.0
_PARTNER_KM = 60.0
_CELL = 0.25  # degrees: the grid the point look-up files municipalities under


def _register_variants(name: str, country: str) -> list[NameVariant]:
    """The forms a name is looked up under in a country's register, most literal first: the
    name's own variants, then, where the register drops leading articles, those of the name
    without its article.

    >>> [v.key for v in _register_variants("Le Havre", "FR")]
    ['le havre', 'havre']
    >>> [v.key for v in _register_variants("L'Haÿ-les-Roses", "FR")][-1]
    'hay les roses'
    >>> [v.key for v in _register_variants("La Spezia", "IT")]
    ['la spezia']
    """
    variants, name = name_variants(name), name.strip()
    bare = _ARTICLE.sub("", name) if country in _WITHOUT_ARTICLES else name
    if bare != name:
        keys = {v.key for v in variants}
        variants += [v for v in name_variants(bare) if v.key not in keys]
    return variants


def _km(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in kilometres.

    >>> round(_km(52.23, 21.01, 50.06, 19.94))  # Warsaw to Kraków
    253
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


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
    4. its name among the register's gminas, obce and city districts, a qualifier choosing
       between namesakes ("Bolesławiec" is the urban gmina, "Bolesławiec (rural gmina)" or
       "Gmina Bolesławiec" the rural one) and the GeoNames point between the rest (the
       nearest within 20 km, or, without a point, the one near the authority's partners);
       namesakes of which any lacks a point (France's communes: Eurostat's list gives them
       none) are not told apart by points, and the authority stays unlinked with why;
    5. the GeoNames place reconciliation found, when no unit has the name ("Warsaw",
       "Prague"): the municipality whose centre lies within 15 km and whose population is
       within a factor of two of the place's (5,000 people or more).

    Names that say they are a county or region are not looked up among the municipalities.
    """

    def __init__(self, merged: MergedUnits) -> None:
        self.units = merged.units
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
            if unit.level in ("County", "Region"):
                self.by_division[(unit.country, fold(unit.name))].append(key)
                continue
            self.by_name[(unit.country, fold(unit.name))].append(key)
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
             division: str | None = None) -> RegisterLink | str:
        """What :meth:`link` finds, or the reason the registers cannot say which unit it is.

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
        named = self.by_division.get((country, fold(division))) if division else None
        if named and len(named) == 1:
            return RegisterLink(named[0], "register:division-name", 0.85)
        folded = fold(name)
        if _ADMINISTRATIVE.search(folded):
            return "a county or region no subdivision or division of the register matched"
        for variant in _register_variants(name, country):
            candidates = self.by_name.get((country, variant.key))
            if candidates:
                return self._among(candidates, folded, place)
        if place is not None and place.population >= 5000:
            return self._by_point(country, place) or (
                "no municipality of that name, nor one near the GeoNames place of its size")
        return "no municipality of that name" + (
            "" if place is None else " (the GeoNames place has under 5,000 people)")

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
        for variant in _register_variants(name, country):
            candidates = self.by_name.get((country, variant.key))
            if not candidates:
                continue
            near = sorted((min((_km(u.lat, u.long, lat, long) for lat, long in partners),
                               default=math.inf), k)
                          for k in self._preferred(candidates, folded)
                          for u in [self.units[k]] if u.lat is not None and u.long is not None)
            if near and near[0][0] <= _PARTNER_KM and (
                    len(near) == 1 or near[1][0] >= 1.5 * near[0][0]):
                return RegisterLink(near[0][1], "register:name+partner", 0.7)
            return None
        return None

    def _among(self, candidates: list[str], folded: str, place: Place | None) -> \
            RegisterLink | str:
        """One of the units sharing a name: the qualifier's kind, then the nearest."""
        chosen = self._preferred(candidates, folded)
        if len(chosen) == 1:
            return RegisterLink(chosen[0], "register:name", 0.95)
        codes = ", ".join(self.units[k].code for k in chosen)
        if place is None:
            return f"{len(chosen)} municipalities of that name ({codes}) and no point to choose"
        pointless = sum(1 for k in chosen if self.units[k].lat is None
                        or self.units[k].long is None)
        if pointless:
            # The nearest of those with a point could be the wrong one: any namesake
            # without a point (France's communes have none) may be the place itself.
            return (f"{len(chosen)} municipalities of that name ({codes}), {pointless} "
                    "without a point to tell them apart")
        near = sorted((self._distance(k, place), k) for k in chosen)
        if near and near[0][0] <= _NEAR_KM and (len(near) == 1 or near[1][0] > near[0][0]):
            return RegisterLink(near[0][1], "register:name+point", 0.9)
        return (f"{len(chosen)} municipalities of that name, none within {_NEAR_KM:.0f} km of "
                "the GeoNames place")

    def _distance(self, key: str, place: Place) -> float:
        unit = self.units[key]
        if unit.lat is None or unit.long is None:
            return math.inf
        return _km(unit.lat, unit.long, place.lat, place.long)

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
                    if distance <= _CITY_KM and (best is None or distance < best[0]):
                        best = (distance, key)
        return RegisterLink(best[1], "register:point+population", 0.8) if best else None
