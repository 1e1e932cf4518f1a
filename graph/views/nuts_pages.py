"""The NUTS region page: a region of Eurostat's classification (``tkg:NutsRegion``, under the
EU Publications Office's IRI), the region above and the regions below it, the register units
that lie in it with their partnerships, and the statistics of the register pages for the
region and for each region below.

A unit lies in a region when its NUTS 3 region (``tkg:nutsRegion``) is the region or lies below
it (``skos:broader*``). The queries are :data:`graph.views.queries.NUTS_NARROWER`,
:data:`graph.views.queries.NUTS_UNITS`, :data:`graph.views.queries.NUTS_UNIT_NAMES` and
:data:`graph.views.queries.NUTS_PARTNERSHIPS`; the page shows them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.core.iris import NUTS_BASE
from graph.core.namespaces import RDF, SKOS, TKG
from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.query.solutions import Cell, Row, SparqlSource, float_of, int_of, select, text_of
from graph.views.facts import Place, heading, place_in, statements
from graph.views.labels import heading_label, labels_of, local_name
from graph.views.queries import (
    NUTS_NARROWER,
    NUTS_PARTNERSHIPS,
    NUTS_UNIT_NAMES,
    NUTS_UNITS,
    RESOURCE_STATEMENTS,
)
from graph.views.region_stats import RegionStats

NUTS_CODE = re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$")
"""A NUTS code: the country's two letters, then one character per level (PL, PL2, PL21,
PL213)."""

UNITS_LISTED = 2000
"""Past this many units, the page lists and maps only those with a partnership (the JSON twin
holds them all): Czechia's one NUTS 1 region holds 6,258 obce."""

PARTNERSHIPS_LIMIT = 5000
"""Rows of :data:`graph.views.queries.NUTS_PARTNERSHIPS` (its ``LIMIT``)."""

NUTS_COUNTRIES = {"EL": "GR"}
"""NUTS codes that are not the country's ISO 3166 code (Greece)."""

MUNICIPALITY = str(TKG.Municipality)


def nuts_region_iri(code: str) -> str:
    """The IRI of the NUTS region ``code``.

    :raises NotFound: ``code`` is not a NUTS code.

    >>> nuts_region_iri("PL213")
    'http://data.europa.eu/nuts/code/PL213'
    """
    if not NUTS_CODE.match(code):
        raise NotFound(f"{code!r} is not a NUTS code")
    return NUTS_BASE + code


def smallest_common_region(codes: Sequence[str]) -> str | None:
    """The code of the smallest NUTS region holding all the regions ``codes`` (their longest
    common prefix: a code grows by one character a level), ``None`` when they share no NUTS 1
    region.

    >>> smallest_common_region(["PL911", "PL926", "PL913"])
    'PL9'
    >>> smallest_common_region(["PL213"]), smallest_common_region(["PL213", "CZ010"])
    ('PL213', None)
    """
    if not codes:
        return None
    first, last = min(codes), max(codes)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[:length] if length >= 3 else None


@dataclass
class NutsUnit:
    """A register unit in the region, as a row of its table and a point of its map."""

    place: Place
    nuts: str
    municipality: bool
    kinds: list[str]
    population: int | None
    partnerships: int
    foreign_partnerships: int

    def as_json(self) -> dict[str, Any]:
        return {**self.place.as_json(), "nuts": self.nuts, "municipality": self.municipality,
                "kinds": self.kinds, "population": self.population,
                "partnerships": self.partnerships,
                "foreign_partnerships": self.foreign_partnerships}


@dataclass
class NutsPartnership:
    """A partnership of a unit in the region: the unit, its partner and the start date."""

    partnership: str
    unit: Place
    partner: Place
    start: str | None

    def as_json(self) -> dict[str, Any]:
        return {"partnership": self.partnership, "unit": self.unit.iri,
                "partner": self.partner.as_json(), "start": self.start}


@dataclass
class NutsPage:
    """Everything the NUTS region page shows."""

    iri: str
    code: str
    name: str
    level: int | None
    country: str
    broader: tuple[str, str] | None
    total: RegionStats
    narrower: list[RegionStats]
    units: list[NutsUnit]
    partnerships: list[NutsPartnership]
    kind_labels: dict[str, str] = field(default_factory=dict)
    queries: dict[str, str] = field(default_factory=dict)

    @property
    def listed_units(self) -> list[NutsUnit]:
        """The units the page lists and maps: all, or past :data:`UNITS_LISTED` those with a
        partnership."""
        if len(self.units) <= UNITS_LISTED:
            return self.units
        return [unit for unit in self.units if unit.partnerships]

    @property
    def partnerships_truncated(self) -> bool:
        """Whether the partnerships were cut at :data:`PARTNERSHIPS_LIMIT` rows."""
        return len(self.partnerships) >= PARTNERSHIPS_LIMIT

    def as_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "code": self.code, "name": self.name, "level": self.level,
                "country": self.country,
                "broader": None if self.broader is None
                else {"iri": self.broader[0], "name": self.broader[1],
                      "code": local_name(self.broader[0])},
                "total": self.total.as_json(),
                "narrower": [{**region.as_json(), "code": local_name(region.iri)}
                             for region in self.narrower],
                "units": [unit.as_json() for unit in self.units],
                "partnerships": [row.as_json() for row in self.partnerships]}


def _names(source: SparqlSource, query: str, languages: Sequence[str]) -> dict[str, str]:
    """Each unit's name as a page heads with it (:func:`graph.views.labels.heading_label`)."""
    preferred: dict[str, list[Cell]] = {}
    plain: dict[str, set[str]] = {}
    for row in select(source, query):
        unit = row["unit"].value
        if row["preferred"].value == "true":
            preferred.setdefault(unit, []).append(row["name"])
        else:
            plain.setdefault(unit, set()).add(row["name"].value)
    return {unit: name for unit in {*preferred, *plain}
            if (name := heading_label(preferred.get(unit, []), sorted(plain.get(unit, ())),
                                      languages)) is not None}


def _unit_of(row: Row, name: str) -> NutsUnit:
    unit = row["unit"].value
    return NutsUnit(Place(unit, name, text_of(row, "country"), float_of(row, "lat"),
                          float_of(row, "long")),
                    local_name(row["nuts"].value), row["level"].value == MUNICIPALITY, [],
                    int_of(row, "population"), int_of(row, "partnerships") or 0,
                    int_of(row, "foreignPartnerships") or 0)


def _units(source: SparqlSource, query: str, names: dict[str, str]) -> list[NutsUnit]:
    """The units of :data:`graph.views.queries.NUTS_UNITS`, one per unit (its rows differ by
    kind, or by class where a unit is a municipality and a county), most partnerships first."""
    units: dict[str, NutsUnit] = {}
    for row in select(source, query):
        iri = row["unit"].value
        unit = units.get(iri)
        if unit is None:
            unit = units[iri] = _unit_of(row, names.get(iri, local_name(iri)))
        unit.municipality = unit.municipality or row["level"].value == MUNICIPALITY
        kind = text_of(row, "kind")
        if kind and kind not in unit.kinds:
            unit.kinds.append(kind)
    return sorted(units.values(), key=lambda u: (-u.partnerships, u.place.name, u.place.iri))


def _partnerships(source: SparqlSource, query: str,
                  units: dict[str, NutsUnit]) -> list[NutsPartnership]:
    found: dict[tuple[str, str, str], NutsPartnership] = {}
    for row in select(source, query):
        key = (row["partnership"].value, row["a"].value, row["b"].value)
        if key not in found and key[1] in units:
            found[key] = NutsPartnership(key[0], units[key[1]].place, place_in(row, "b", "b"),
                                         text_of(row, "start"))
    return sorted(found.values(), key=lambda p: (p.unit.name, p.start or "", p.partner.name))


def _statistics(code: str, units: list[NutsUnit],
                narrower: dict[str, RegionStats]) -> RegionStats:
    """The region's figures, and each region below's, over its municipalities."""
    total = RegionStats(NUTS_BASE + code, code)
    for unit in units:
        if not unit.municipality:
            continue
        point = None if unit.place.lat is None or unit.place.long is None \
            else (unit.place.lat, unit.place.long)
        figures = (unit.population, unit.partnerships, unit.foreign_partnerships > 0, point)
        total.add(*figures)
        below = narrower.get(NUTS_BASE + unit.nuts[:len(code) + 1])
        if below is not None:
            below.add(*figures)
    return total


def nuts_page(source: SparqlSource, code: str, languages: Sequence[str]) -> NutsPage:
    """The page of the NUTS region ``code`` (``PL213``).

    :raises NotFound: ``code`` is not a NUTS code, or the graph holds no such region.
    """
    iri = nuts_region_iri(code)
    facts = statements(source, iri)
    if str(TKG.NutsRegion) not in facts.iris(RDF.type):
        raise NotFound(f"{iri} is not a NUTS region in the graph")
    queries = {"statements": bound(RESOURCE_STATEMENTS, resource=iri),
               **{name: bound(query, resource=iri) for name, query in (
                   ("narrower", NUTS_NARROWER), ("units", NUTS_UNITS),
                   ("names", NUTS_UNIT_NAMES), ("partnerships", NUTS_PARTNERSHIPS))}}
    names = _names(source, queries["names"], languages)
    units = _units(source, queries["units"], names)
    narrower = {row["region"].value: RegionStats(row["region"].value, text_of(row, "code") or "")
                for row in select(source, queries["narrower"])}
    total = _statistics(code, units, narrower)
    broader = facts.iris(SKOS.broader)
    labels = labels_of(source, [*narrower, *broader, *{k for u in units for k in u.kinds}],
                       languages)
    for region in narrower.values():
        region.name = labels.get(region.iri, region.name)
    countries = {unit.place.country for unit in units if unit.place.country}
    level = facts.first(TKG.nutsLevel)
    return NutsPage(
        iri, code, heading(facts, languages), int(level) if level else None,
        countries.pop() if len(countries) == 1 else NUTS_COUNTRIES.get(code[:2], code[:2]),
        (broader[0], labels.get(broader[0], local_name(broader[0]))) if broader else None,
        total, sorted(narrower.values(), key=lambda r: local_name(r.iri)), units,
        _partnerships(source, queries["partnerships"], {u.place.iri: u for u in units}),
        {k: v for k, v in labels.items() if k not in narrower and k not in broader}, queries)


__all__ = ["NutsPage", "NutsPartnership", "NutsUnit", "nuts_page", "nuts_region_iri",
           "smallest_common_region"]
