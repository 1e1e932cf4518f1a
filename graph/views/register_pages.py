"""The SPARQL behind the register pages, and the functions that shape their answers.

Two kinds of page browse the official registers (TERYT, the Czech obce; issue 15, part 5):

* a unit that has units of its own (a voivodeship, powiat, kraj, okres) lists them on its
  authority page, with their kinds, populations and partnership counts, and maps the
  partnerships of those units (:func:`unit_page`);
* a register page per country (:func:`register_page`) counts the country's municipalities
  (gminas, obce) and how many have at least one foreign partner, and gives, for each region
  (voivodeship, kraj), the share of municipalities with a foreign partner and the
  partnerships of its municipalities per 100,000 inhabitants.

As in :mod:`graph.views.pages`, every query is complete SPARQL once ``$resource`` or ``$country`` is
bound (validated by :func:`graph.views.pages.bound`), and each page shows the queries behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.query.errors import NotFound
from graph.views.pages import (
    AuthorityPage,
    Place,
    SparqlSource,
    _float,
    _place,
    _value,
    authority_page,
    bound,
    labels_of,
    local_name,
    prefixed,
    select,
)

UNIT_MEMBERS = prefixed("""
SELECT ?unit ?name ?population ?lat ?long
       (GROUP_CONCAT(DISTINCT STR(?kind); separator=" ") AS ?kinds)
       (COUNT(DISTINCT ?partnership) AS ?partnerships)
WHERE {
  ?unit tkg:partOf $resource .
  OPTIONAL { ?unit rdfs:label ?name }
  OPTIONAL { ?unit tkg:population ?population }
  OPTIONAL { ?unit wgs:lat ?lat ; wgs:long ?long }
  OPTIONAL { ?unit tkg:unitKind ?kind }
  OPTIONAL { ?partnership tkg:participant/owl:sameAs? ?unit }
}
GROUP BY ?unit ?name ?population ?lat ?long
ORDER BY DESC(?partnerships) ?name
""")
"""The units that are part of the resource (a powiat's gminas, a kraj's okresy), with their
kinds, population and how many partnerships each has (also those naming it by an IRI that
is ``owl:sameAs`` it, as the curated data's name-based IRIs are)."""

UNIT_MEMBER_LINES = prefixed("""
SELECT ?partnership ?a ?aName ?aCountry ?aLat ?aLong ?b ?bName ?bCountry ?bLat ?bLong WHERE {
  ?a tkg:partOf+ $resource ; wgs:lat ?aLat ; wgs:long ?aLong .
  ?partnership tkg:participant/owl:sameAs? ?a ; tkg:participant ?b .
  FILTER(?a != ?b)
  FILTER NOT EXISTS { ?b owl:sameAs ?a }
  ?b wgs:lat ?bLat ; wgs:long ?bLong .
  OPTIONAL { ?a rdfs:label ?aName } OPTIONAL { ?a tkg:countryCode ?aCountry }
  OPTIONAL { ?b rdfs:label ?bName } OPTIONAL { ?b tkg:countryCode ?bCountry }
}
LIMIT 800
""")
"""The partnerships of the units within the resource, at any depth, for the map."""

REGISTER_MUNICIPALITIES = prefixed("""
SELECT ?unit ?region ?population (COUNT(DISTINCT ?partnership) AS ?partnerships)
       (COUNT(DISTINCT ?foreign) AS ?foreignPartnerships)
WHERE {
  ?unit a tkg:Municipality ; tkg:countryCode $country ; tkg:partOf/tkg:partOf ?region .
  ?region a tkg:Region .
  OPTIONAL { ?unit tkg:population ?population }
  OPTIONAL {
    ?partnership tkg:participant/owl:sameAs? ?unit ; tkg:participant ?partner .
    FILTER(?partner != ?unit)
    OPTIONAL { ?partner tkg:countryCode ?partnerCountry }
    BIND(IF(BOUND(?partnerCountry) && ?partnerCountry != $country, ?partnership, ?none)
         AS ?foreign)
  }
}
GROUP BY ?unit ?region ?population
""")
"""Every municipality of the country's register (gmina in powiat in voivodeship, obec in
okres in kraj) with its region, population and how many of its partnerships are with an
authority of another country."""


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
        return sum(1 for row in self.units if row.partnerships)


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text is not None else None
    except ValueError:
        return None


def unit_page(source: SparqlSource, iri: str, languages: Sequence[str]) -> UnitPage:
    """The authority page of ``iri`` with the units that are part of it and their map.

    :raises NotFound: ``iri`` is not an authority in the graph.
    """
    authority = authority_page(source, iri, languages)
    members_query = bound(UNIT_MEMBERS, iri)
    units = [UnitRow(Place(row["unit"].value,
                           _value(row, "name") or local_name(row["unit"].value), None,
                           _float(row.get("lat")), _float(row.get("long"))),
                     sorted((_value(row, "kinds") or "").split()),
                     _int(_value(row, "population")), int(row["partnerships"].value))
             for row in select(source, members_query)]
    queries = dict(authority.queries)
    lines: list[dict[str, Any]] = []
    kind_labels: dict[str, str] = {}
    if units:
        queries["units"] = members_query
        lines_query = bound(UNIT_MEMBER_LINES, iri)
        queries["unit_map"] = lines_query
        lines = [{"from": _place(row, "a").as_json(), "to": _place(row, "b").as_json(),
                  "partnership": row["partnership"].value}
                 for row in select(source, lines_query)]
        kind_labels = labels_of(source, {k for row in units for k in row.kinds}, languages)
        names = labels_of(source, [row.place.iri for row in units], languages)
        for row in units:
            row.place.name = names.get(row.place.iri, row.place.name)
    labels = labels_of(source, [*authority.facts.iris("https://w3id.org/twinning-kg/def#partOf"),
                                *authority.facts.iris("https://w3id.org/twinning-kg/def#unitKind")],
                       languages)
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
        population = _int(_value(row, "population")) or 0
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
