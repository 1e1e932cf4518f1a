"""The authority page: an authority's names, place and codes, its partners (with the dates,
status, type and themes of each partnership), their map and a timeline by decade.

The register pages (:mod:`graph.views.register_pages`) add the units a region or county is made
of to this page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graph.core.namespaces import GEO, TKG, WGS
from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.query.solutions import Cell, Row, SparqlSource, float_of, select, text_of
from graph.views.facts import Place, Statements, distinct_names, heading, place_in, statements
from graph.views.labels import labels_of
from graph.views.queries import AUTHORITY_PARTNERS, RESOURCE_STATEMENTS


@dataclass
class PartnerRow:
    """One partnership of an authority, as a row of its partners table."""

    partnership: str
    partner: Place
    start: str | None
    end: str | None
    status: str | None
    type: str | None
    themes: list[str]


@dataclass
class AuthorityPage:
    """Everything the authority page shows."""

    iri: str
    label: str
    facts: Statements
    names: list[Cell]
    place: Place
    partners: list[PartnerRow]
    labels: dict[str, str]
    timeline: list[tuple[str, int]]
    queries: dict[str, str]

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Map lines from the authority to each located partner."""
        if self.place.lat is None:
            return []
        return [{"from": self.place.as_json(), "to": row.partner.as_json(),
                 "partnership": row.partnership} for row in self.partners
                if row.partner.lat is not None]


def timeline(starts: Iterable[str | None]) -> list[tuple[str, int]]:
    """How many partnerships began in each decade, oldest first ("1990s", 3).

    >>> timeline(["1998", "2004-05", "1991-01-01", None])
    [('1990s', 2), ('2000s', 1)]
    """
    decades = Counter(f"{start[:3]}0s" for start in starts
                      if start and start[:4].isdigit())
    return sorted(decades.items())


def _partner_rows(source: SparqlSource, query: str) -> list[PartnerRow]:
    """One row per (partnership, partner) of :data:`graph.views.queries.AUTHORITY_PARTNERS`."""
    partners: dict[tuple[str, str], PartnerRow] = {}
    for row in select(source, query):
        key = (row["partnership"].value, row["partner"].value)
        if key not in partners:
            themes = text_of(row, "themes")
            partners[key] = PartnerRow(
                key[0], place_in(row, "partner"), text_of(row, "start"), text_of(row, "end"),
                text_of(row, "status"), text_of(row, "type"),
                sorted(set(themes.split())) if themes is not None else [])
    return list(partners.values())


def _own_place(facts: Statements, languages: Sequence[str]) -> Place:
    """The authority itself as a place, named in the reader's language."""
    point: Row = {}
    for name, prop in (("lat", WGS.lat), ("long", WGS.long)):
        if facts.values(prop):
            point[name] = facts.values(prop)[0]
    return Place(facts.iri, heading(facts, languages), facts.first(TKG.countryCode),
                 float_of(point, "lat"), float_of(point, "long"))


def authority_page(source: SparqlSource, iri: str, languages: Sequence[str]) -> AuthorityPage:
    """The authority page of ``iri``.

    :raises NotFound: ``iri`` is not an authority in the graph.
    """
    facts = statements(source, iri)
    if facts.first(TKG.countryCode) is None and not facts.values(TKG.twinnedWith):
        raise NotFound(f"{iri} is not a local authority")
    place = _own_place(facts, languages)
    partners_query = bound(AUTHORITY_PARTNERS, resource=iri)
    rows = _partner_rows(source, partners_query)
    mentioned = [iri for r in rows for iri in (r.status, r.type, *r.themes) if iri]
    # The town it is seated in, the city it lies within: features of their own, with names.
    mentioned += [*facts.iris(TKG.seat), *facts.iris(GEO.sfWithin)]
    labels = labels_of(source, [*mentioned, *(r.partner.iri for r in rows)], languages)
    for r in rows:
        r.partner.name = labels.get(r.partner.iri, r.partner.name)
    return AuthorityPage(iri, place.name, facts, distinct_names(facts), place, rows, labels,
                         timeline([r.start for r in rows]),
                         {"statements": bound(RESOURCE_STATEMENTS, resource=iri),
                          "partners": partners_query})
