"""What every resource page starts from: the resource's statements (with the graphs asserting
them), its names, and authorities as places on a map.

The authority, partnership, concept and register pages are built from these, so a name or a
point is read the same way on every page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.core.namespaces import RDFS, SKOS
from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.query.solutions import Cell, Row, SparqlSource, float_of, select, text_of
from graph.views.labels import heading_label, local_name
from graph.views.queries import RESOURCE_STATEMENTS


@dataclass
class Statements:
    """A resource's statements grouped by property, with the graphs that assert them."""

    iri: str
    by_property: dict[str, list[Cell]] = field(default_factory=dict)
    graphs: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def values(self, prop: object) -> list[Cell]:
        """The values of ``prop`` (an IRI or a namespace term), in the graph's order."""
        return self.by_property.get(str(prop), [])

    def first(self, prop: object) -> str | None:
        """The first value of ``prop``, if it has one."""
        found = self.values(prop)
        return found[0].value if found else None

    def iris(self, prop: object) -> list[str]:
        """The values of ``prop`` that are IRIs."""
        return [cell.value for cell in self.values(prop) if cell.is_iri]


def statements(source: SparqlSource, iri: str) -> Statements:
    """What the graph says about ``iri`` (:data:`graph.views.queries.RESOURCE_STATEMENTS`).

    :raises NotFound: nothing, or ``iri`` is not an IRI.
    """
    rows = select(source, bound(RESOURCE_STATEMENTS, resource=iri))
    if not rows:
        raise NotFound(f"{iri} is not in the graph")
    result = Statements(iri)
    for row in rows:
        prop, value = row["property"].value, row["value"]
        cells = result.by_property.setdefault(prop, [])
        if value not in cells:
            cells.append(value)
        result.graphs.setdefault((prop, value.value), set()).add(row["graph"].value)
    return result


def distinct_names(facts: Statements) -> list[Cell]:
    """Every name of a resource once: preferred names first, then other names, then the plain
    label, each spelling kept with the first language it was given in ("Swarzędz"@pl, and not
    again as "Swarzędz"@en or as the plain label)."""
    names = facts.values(SKOS.prefLabel) + facts.values(SKOS.altLabel) + facts.values(RDFS.label)
    seen: set[str] = set()
    unique: list[Cell] = []
    for cell in names:
        if cell.value not in seen:
            seen.add(cell.value)
            unique.append(cell)
    return unique


def heading(facts: Statements, languages: Sequence[str]) -> str:
    """The page's heading: the preferred label in the reader's language, with fallback.

    Where one language has several preferred labels (the curated data gives Swarzędz both
    "Swarzędz"@pl and "Gmina Swarzędz"@pl), the one equal to the plain ``rdfs:label`` wins.
    """
    plain = facts.first(RDFS.label)
    return (heading_label(facts.values(SKOS.prefLabel), [plain] if plain else [], languages)
            or local_name(facts.iri))


@dataclass
class Place:
    """An authority as a point on a map and a row in a table."""

    iri: str
    name: str
    country: str | None = None
    lat: float | None = None
    long: float | None = None

    def as_json(self) -> dict[str, Any]:
        """The place as the map's scripts read it."""
        return {"iri": self.iri, "name": self.name, "country": self.country,
                "lat": self.lat, "long": self.long}


def place_in(row: Row, who: str, prefix: str = "") -> Place:
    """The place ``?who`` of a row, with its name, country and point from ``?name``,
    ``?country``, ``?lat`` and ``?long``, or, given a ``prefix``, from ``?aName``,
    ``?aCountry``, ``?aLat`` and ``?aLong`` (rows with two places, ``?a`` and ``?b``)."""
    def variable(word: str) -> str:
        return prefix + word.capitalize() if prefix else word

    iri = row[who].value
    return Place(iri, text_of(row, variable("name")) or local_name(iri),
                 text_of(row, variable("country")), float_of(row, variable("lat")),
                 float_of(row, variable("long")))


def map_line(row: Row) -> dict[str, Any]:
    """A map line between the places ``?a`` and ``?b`` of a row naming ``?partnership``."""
    return {"from": place_in(row, "a", "a").as_json(), "to": place_in(row, "b", "b").as_json(),
            "partnership": row["partnership"].value}
