"""The page of a theme, programme or legal basis: what it is, the partnerships that have it
(as a list and a map) and their countries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rdflib.namespace import DCTERMS

from graph.core.namespaces import SKOS
from graph.query.binding import bound
from graph.query.solutions import Cell, SparqlSource, select, text_of
from graph.views.facts import Place, Statements, distinct_names, heading, place_in, statements
from graph.views.labels import labels_of, pick_label
from graph.views.queries import PARTNERSHIPS_LINKED_TO, RESOURCE_STATEMENTS


@dataclass
class LinkedPartnership:
    """A partnership listed on a theme, programme or legal-basis page."""

    iri: str
    start: str | None
    a: Place
    b: Place


@dataclass
class ConceptPage:
    """A theme, programme or legal basis: what it is and the partnerships that have it."""

    iri: str
    kind: str
    label: str
    facts: Statements
    names: list[Cell]
    description: str | None
    partnerships: list[LinkedPartnership]
    by_country: list[tuple[str, int]]
    labels: dict[str, str]
    queries: dict[str, str]

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Map lines between the two participants of each located partnership."""
        return [{"from": p.a.as_json(), "to": p.b.as_json(), "partnership": p.iri}
                for p in self.partnerships if p.a.lat is not None and p.b.lat is not None]


def concept_page(source: SparqlSource, iri: str, kind: str,
                 languages: Sequence[str]) -> ConceptPage:
    """The page of a theme, programme or legal basis (``kind``: theme, programme, legal).

    :raises NotFound: ``iri`` is not in the graph.
    """
    facts = statements(source, iri)
    query = bound(PARTNERSHIPS_LINKED_TO, resource=iri)
    linked: dict[str, LinkedPartnership] = {}
    for row in select(source, query):
        linked.setdefault(row["partnership"].value, LinkedPartnership(
            row["partnership"].value, text_of(row, "start"),
            place_in(row, "a", "a"), place_in(row, "b", "b")))
    countries = Counter(code for p in linked.values() for code in {p.a.country, p.b.country}
                        if code)
    description = pick_label(facts.values(SKOS.definition) + facts.values(DCTERMS.description),
                             languages)
    mentioned = [cell.value for cells in facts.by_property.values() for cell in cells
                 if cell.is_iri]
    return ConceptPage(iri, kind, heading(facts, languages), facts, distinct_names(facts),
                       description, list(linked.values()), countries.most_common(),
                       labels_of(source, mentioned, languages),
                       {"statements": bound(RESOURCE_STATEMENTS, resource=iri),
                        "partnerships": query})
