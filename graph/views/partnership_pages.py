"""The partnership page: its participants on a map, its dates, type, status, themes and
programmes, and which source graph states each fact."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.core.namespaces import RDFS, TKG
from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.query.solutions import SparqlSource, select
from graph.views.facts import Place, Statements, place_in, statements
from graph.views.labels import labels_of, pick_label
from graph.views.queries import PARTNERSHIP_PARTICIPANTS, RESOURCE_STATEMENTS


@dataclass
class PartnershipPage:
    """Everything the partnership page shows."""

    iri: str
    label: str
    facts: Statements
    participants: list[Place]
    labels: dict[str, str]
    queries: dict[str, str]

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Map lines between every pair of located participants."""
        located = [p for p in self.participants if p.lat is not None]
        return [{"from": a.as_json(), "to": b.as_json(), "partnership": self.iri}
                for i, a in enumerate(located) for b in located[i + 1:]]

    def provenance(self) -> list[tuple[str, str, list[str]]]:
        """(property, value, source graphs) for every statement, in property order."""
        return [(prop, value, sorted(graphs))
                for (prop, value), graphs in sorted(self.facts.graphs.items())]


def partnership_page(source: SparqlSource, iri: str,
                     languages: Sequence[str]) -> PartnershipPage:
    """The partnership page of ``iri``.

    :raises NotFound: ``iri`` is not a partnership in the graph.
    """
    facts = statements(source, iri)
    if not facts.values(TKG.participant):
        raise NotFound(f"{iri} is not a partnership")
    participants_query = bound(PARTNERSHIP_PARTICIPANTS, resource=iri)
    seen: dict[str, Place] = {}
    for row in select(source, participants_query):
        seen.setdefault(row["participant"].value, place_in(row, "participant"))
    mentioned = [cell.value for cells in facts.by_property.values() for cell in cells
                 if cell.is_iri]
    labels = labels_of(source, [*mentioned, *seen, iri], languages)
    for place in seen.values():
        place.name = labels.get(place.iri, place.name)
    label = pick_label(facts.values(RDFS.label), languages) or " \u2013 ".join(
        p.name for p in seen.values())
    return PartnershipPage(iri, label, facts, list(seen.values()), labels,
                           {"statements": bound(RESOURCE_STATEMENTS, resource=iri),
                            "participants": participants_query})
