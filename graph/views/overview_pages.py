"""The pages that sum the graph up: the home page (counts and the map of Polish and Czech
partnerships) and a country's page (its authorities and their partner countries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.query.solutions import SparqlSource, int_of, select
from graph.views.facts import map_line, place_in
from graph.views.queries import (
    COUNTRY_AUTHORITIES,
    COUNTRY_PARTNER_COUNTRIES,
    HOME_COUNTS,
    HOME_MAP,
    HOME_PARTNERSHIP_COUNTS,
    HOME_SOURCES,
    HOME_TWINNED,
)


@dataclass
class CountryPage:
    """A country: its authorities (most partnerships first) and partner countries."""

    code: str
    authorities: list[tuple[str, str, int | None, int]]
    by_country: list[tuple[str, int]]
    queries: dict[str, str]

    @property
    def partnerships(self) -> int:
        """The partnerships of the country's authorities, summed over the partner countries."""
        return sum(count for _, count in self.by_country)


def country_page(source: SparqlSource, code: str) -> CountryPage:
    """The page of the country with ISO code ``code``.

    :raises NotFound: not a code, or no authority of the graph is in that country.
    """
    authorities_query = bound(COUNTRY_AUTHORITIES, country=code)
    authorities = []
    for row in select(source, authorities_query):
        place = place_in(row, "authority")
        authorities.append((place.iri, place.name, int_of(row, "population"),
                            int(row["partnerships"].value)))
    if not authorities:
        raise NotFound(f"no authority of the graph is in {code!r}")
    countries_query = bound(COUNTRY_PARTNER_COUNTRIES, country=code)
    by_country = [(row["partnerCountry"].value, int(row["partnerships"].value))
                  for row in select(source, countries_query)]
    return CountryPage(code.upper(), authorities, by_country,
                       {"authorities": authorities_query, "partner_countries": countries_query})


@dataclass
class HomePage:
    """The counts and the map on the home page."""

    counts: dict[str, int]
    lines: list[dict[str, Any]]
    queries: dict[str, str]


def home_page(source: SparqlSource) -> HomePage:
    """Counts of authorities (and of those with partnerships), partnerships, countries, themes
    and sources, and the map lines.

    :raises graph.query.backend.QueryError: from the backend.
    """
    counts: dict[str, int] = {}
    for query in (HOME_COUNTS, HOME_TWINNED, HOME_PARTNERSHIP_COUNTS, HOME_SOURCES):
        for row in select(source, query)[:1]:
            counts.update({name: int(cell.value) for name, cell in row.items()})
    lines = [map_line(row) for row in select(source, HOME_MAP)]
    return HomePage(counts, lines, {"counts": HOME_COUNTS, "twinned": HOME_TWINNED,
                                    "map": HOME_MAP})
