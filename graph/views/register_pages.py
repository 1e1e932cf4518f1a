"""The register pages, and the functions that shape their answers.

Two kinds of page browse the official registers (TERYT, the Czech obce):

* a unit that has units of its own (a voivodeship, powiat, kraj, okres) lists them on its
  authority page, with their kinds, populations and partnership counts, and maps the
  partnerships of those units; every unit's page names the smallest NUTS region holding it
  and its units, whose page (:mod:`graph.views.nuts_pages`) it links to (:func:`unit_page`);
* a register page per country (:func:`register_page`) counts the country's municipalities
  (gminas, obce) and how many have at least one foreign partner, and gives, for each region
  (voivodeship, kraj), the share of municipalities with a foreign partner and the
  partnerships of its municipalities per 100,000 inhabitants.

The queries are :data:`graph.views.queries.UNIT_MEMBERS`,
:data:`graph.views.queries.UNIT_MEMBER_LINES`, :data:`graph.views.queries.AUTHORITY_NUTS` and
:data:`graph.views.queries.REGISTER_REGIONS`; each page shows the queries behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.core.namespaces import TKG
from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.query.solutions import Row, SparqlSource, float_of, int_of, select, text_of
from graph.views.authority_pages import AuthorityPage, authority_page
from graph.views.facts import Place, map_line, place_in
from graph.views.labels import labels_of, local_name
from graph.views.nuts_pages import nuts_region_iri, smallest_common_region
from graph.views.queries import (
    AUTHORITY_NUTS,
    REGISTER_REGIONS,
    UNIT_MEMBER_LINES,
    UNIT_MEMBERS,
)
from graph.views.region_stats import RegionStats


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
    nuts_region: tuple[str, str] | None = None
    """The smallest NUTS region holding the authority and its units: (IRI, name)."""

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
    nuts_query = bound(AUTHORITY_NUTS, resource=iri)
    code = smallest_common_region([local_name(row["nuts"].value)
                                   for row in select(source, nuts_query)])
    nuts = nuts_region_iri(code) if code else None
    if nuts:
        queries["nuts"] = nuts_query
    labels = labels_of(source, [*authority.facts.iris(TKG.partOf),
                                *authority.facts.iris(TKG.unitKind), *([nuts] if nuts else [])],
                       languages)
    authority.labels.update(labels)
    return UnitPage(authority, units, lines, kind_labels, queries,
                    (nuts, labels.get(nuts, code)) if nuts and code else None)


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


def _region_of(row: Row) -> RegionStats:
    """A region's figures from a row of :data:`graph.views.queries.REGISTER_REGIONS`."""
    region = row["region"].value
    return RegionStats(region, local_name(region), int_of(row, "municipalities") or 0,
                       int_of(row, "withForeignPartner") or 0, int_of(row, "population") or 0,
                       int_of(row, "partnerships") or 0, int_of(row, "located") or 0,
                       float_of(row, "latSum") or 0.0, float_of(row, "longSum") or 0.0)


def register_page(source: SparqlSource, code: str, languages: Sequence[str]) -> RegisterPage:
    """The register page of the country with ISO code ``code``.

    A partnership counts once for each of the country's municipalities taking part (a
    partnership of two gminas counts for both); the per-100,000 figure divides by the
    population of the municipalities the register gives one for. Each region's centroid is the
    mean point of its municipalities, where the page's map draws it.

    :raises NotFound: not a country code, or the graph holds no register municipality there.
    """
    query = bound(REGISTER_REGIONS, country=code)
    regions = {region.iri: region for region in map(_region_of, select(source, query))
               if region.municipalities}
    if not regions:
        raise NotFound(f"the graph holds no register municipality in {code!r}")
    total = RegionStats("", code.upper())
    for region in regions.values():
        for name in ("municipalities", "with_foreign_partner", "population", "partnerships",
                     "located", "lat_sum", "long_sum"):
            setattr(total, name, getattr(total, name) + getattr(region, name))
    names = labels_of(source, regions, languages)
    for region in regions.values():
        region.name = names.get(region.iri, region.name)
    return RegisterPage(code.upper(), total, sorted(regions.values(), key=lambda r: r.name),
                        {"regions": query})


__all__ = ["RegionStats", "RegisterPage", "UnitPage", "UnitRow", "register_page", "unit_page"]
