"""The register pages, and the functions that shape their answers.

Two kinds of page browse the official registers (TERYT, the Czech obce):

* a unit that has units of its own (a voivodeship, powiat, kraj, okres) lists them on its
  authority page, with their kinds, populations and partnership counts, and maps the
  partnerships of those units (:func:`unit_page`);
* a register page per country (:func:`register_page`) counts the country's municipalities
  (gminas, obce) and how many have at least one foreign partner, and gives, for each region
  (voivodeship, kraj), the share of municipalities with a foreign partner and the
  partnerships of its municipalities per 100,000 inhabitants.

The queries are :data:`graph.views.queries.UNIT_MEMBERS`,
:data:`graph.views.queries.UNIT_MEMBER_LINES` and
:data:`graph.views.queries.REGISTER_MUNICIPALITIES`; each page shows the queries behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.core.namespaces import TKG
from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.query.solutions import SparqlSource, int_of, select, text_of
from graph.views.authority_pages import AuthorityPage, authority_page
from graph.views.facts import Place, map_line, place_in
from graph.views.labels import labels_of, local_name
from graph.views.queries import REGISTER_MUNICIPALITIES, UNIT_MEMBER_LINES, UNIT_MEMBERS


@dataclass
class UnitRow:
    """One unit listed on the page of the unit it is part of."""

    place: Place
    kinds: list[str]
    population: int | None
    partnerships: int


@dataclass
class UnitPage:
    """An authority page plus the units the authority is made of (empty for a gmina)."""

    authority: AuthorityPage
    units: list[UnitRow]
    unit_lines: list[dict[str, Any]]
    kind_labels: dict[str, str]
    queries: dict[str, str]

    @property
    def units_with_partners(self) -> int:
        """How many of the units take part in at least one partnership."""
        return sum(1 for row in self.units if row.partnerships)


def _member_rows(source: SparqlSource, query: str) -> list[UnitRow]:
    """The units of :data:`graph.views.queries.UNIT_MEMBERS`, as table rows."""
    return [UnitRow(place_in(row, "unit"), sorted((text_of(row, "kinds") or "").split()),
                    int_of(row, "population"), int(row["partnerships"].value))
            for row in select(source, query)]


def unit_page(source: SparqlSource, iri: str, languages: Sequence[str]) -> UnitPage:
    """The authority page of ``iri`` with the units that are part of it and their map.

    :raises NotFound: ``iri`` is not an authority in the graph.
    """
    authority = authority_page(source, iri, languages)
    members_query = bound(UNIT_MEMBERS, resource=iri)
    units = _member_rows(source, members_query)
    queries = dict(authority.queries)
    lines: list[dict[str, Any]] = []
    kind_labels: dict[str, str] = {}
    if units:
        queries["units"] = members_query
        lines_query = bound(UNIT_MEMBER_LINES, resource=iri)
        queries["unit_map"] = lines_query
        lines = [map_line(row) for row in select(source, lines_query)]
        kind_labels = labels_of(source, {k for row in units for k in row.kinds}, languages)
        names = labels_of(source, [row.place.iri for row in units], languages)
        for row in units:
            row.place.name = names.get(row.place.iri, row.place.name)
    labels = labels_of(source, [*authority.facts.iris(TKG.partOf),
                                *authority.facts.iris(TKG.unitKind)], languages)
    authority.labels.update(labels)
    return UnitPage(authority, units, lines, kind_labels, queries)


@dataclass
class RegionStats:
    """A region's municipalities: how many, how many with a foreign partner, population and
    partnerships."""

    iri: str
    name: str
    municipalities: int = 0
    with_foreign_partner: int = 0
    population: int = 0
    partnerships: int = 0

    @property
    def share_with_foreign_partner(self) -> float:
        """Share of municipalities with at least one foreign partner (0 to 1)."""
        return self.with_foreign_partner / self.municipalities if self.municipalities else 0.0

    @property
    def partnerships_per_100k(self) -> float | None:
        """Partnerships of its municipalities per 100,000 inhabitants (``None`` without
        population)."""
        return self.partnerships * 100_000 / self.population if self.population else None

    def as_json(self) -> dict[str, Any]:
        per_100k = self.partnerships_per_100k
        return {"iri": self.iri, "name": self.name, "municipalities": self.municipalities,
                "with_foreign_partner": self.with_foreign_partner,
                "share_with_foreign_partner": round(self.share_with_foreign_partner, 4),
                "population": self.population, "partnerships": self.partnerships,
                "partnerships_per_100k": None if per_100k is None else round(per_100k, 2)}


@dataclass
class RegisterPage:
    """A country's register: totals and one row of statistics per region."""

    code: str
    total: RegionStats
    regions: list[RegionStats] = field(default_factory=list)
    queries: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"country": self.code, "total": self.total.as_json(),
                "regions": [region.as_json() for region in self.regions]}


def register_page(source: SparqlSource, code: str, languages: Sequence[str]) -> RegisterPage:
    """The register page of the country with ISO code ``code``.

    A partnership counts once for each of the country's municipalities taking part (a
    partnership of two gminas counts for both); the per-100,000 figure divides by the
    population of the municipalities the register gives one for.

    :raises NotFound: not a country code, or the graph holds no register municipality there.
    """
    query = bound(REGISTER_MUNICIPALITIES, country=code)
    rows = select(source, query)
    if not rows:
        raise NotFound(f"the graph holds no register municipality in {code!r}")
    regions: dict[str, RegionStats] = {}
    total = RegionStats("", code.upper())
    seen: set[str] = set()
    for row in rows:
        unit = row["unit"].value
        if unit in seen:  # a unit with two populations or regions counts once
            continue
        seen.add(unit)
        region_iri = row["region"].value
        region = regions.setdefault(region_iri, RegionStats(region_iri, local_name(region_iri)))
        population = int_of(row, "population") or 0
        partnerships = int(row["partnerships"].value)
        foreign = int(row["foreignPartnerships"].value) > 0
        for stats in (region, total):
            stats.municipalities += 1
            stats.with_foreign_partner += foreign
            stats.population += population
            stats.partnerships += partnerships
    names = labels_of(source, regions, languages)
    for region in regions.values():
        region.name = names.get(region.iri, region.name)
    return RegisterPage(code.upper(), total, sorted(regions.values(), key=lambda r: r.name),
                        {"municipalities": query})


__all__ = ["RegionStats", "RegisterPage", "UnitPage", "UnitRow", "register_page", "unit_page"]
