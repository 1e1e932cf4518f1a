"""What the published graph covers in space and time, as the DCAT-AP catalogue states it.

Every figure is read from the store with SPARQL, so the catalogue can never claim a coverage
the data does not have: the EU country authority IRIs of the authorities' ``tkg:country``, the
earliest and latest partnership date, the bounding box of the authorities' coordinates, the
NUTS 2 regions that hold register units, a bounding box for every country and region it names
(:mod:`graph.opendata.extents`) and the named graphs (the sources the build loaded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDFS, Literal, URIRef
from rdflib.namespace import XSD

from graph.core.namespaces import EU_COUNTRY, TKG, WGS
from graph.opendata.extents import BoundingBox, country_box, country_point_boxes, nuts_boxes
from graph.query.solutions import store_solutions

Box = tuple[Decimal, Decimal, Decimal, Decimal]


@dataclass(frozen=True)
class Coverage:
    """What the graph covers in space and time, as the catalogue states it.

    ``countries`` are EU country authority IRIs, ``start``/``end`` date literals exactly as
    the graph holds them (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear`` or ``xsd:dateTime``),
    ``bbox`` is (min long, min lat, max long, max lat) of the authorities' coordinates.
    ``extents`` gives a country or NUTS region IRI its bounding box, ``regions`` maps the NUTS
    regions covered to their names and ``graphs`` lists the store's named graphs (the sources
    it was built from).
    """

    countries: tuple[str, ...] = ()
    start: Literal | None = None
    end: Literal | None = None
    bbox: Box | None = None
    regions: dict[str, str] = field(default_factory=dict)
    extents: dict[str, BoundingBox] = field(default_factory=dict)
    graphs: tuple[str, ...] = ()


_DATE = re.compile(r"^(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?")
_DATE_TYPES = {
    str(XSD.date), str(XSD.dateTime), str(XSD.gYear), str(XSD.gYearMonth),
}


def _date_key(lexical: str, latest: bool) -> tuple[int, int, int] | None:
    """A sortable (year, month, day) for a date-like lexical form; a partial date counts as its
    first day when looking for the earliest date and as its last day for the latest.

    >>> _date_key("1992", latest=False), _date_key("1992-05", latest=True)
    ((1992, 1, 1), (1992, 5, 31))
    >>> _date_key("May 1992", latest=False) is None
    True
    """
    match = _DATE.match(lexical)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or (12 if latest else 1))
    day = int(match.group(3) or (31 if latest else 1))
    return year, month, day


def _anywhere(pattern: str) -> str:
    """A pattern matched in the default graph or in any named graph."""
    return f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}"


def _countries(store: ox.Store) -> list[str]:
    """The EU country authority IRIs the authorities are in, sorted."""
    query = f"SELECT DISTINCT ?c WHERE {{ {_anywhere(f'?a <{TKG.country}> ?c')} }}"
    return sorted({
        term.value
        for term in (solution["c"] for solution in store_solutions(store, query))
        if isinstance(term, ox.NamedNode) and term.value.startswith(str(EU_COUNTRY))
    })


def _period(store: ox.Store) -> tuple[Literal | None, Literal | None]:
    """The earliest and latest start or end date, as the graph writes them."""
    dates: list[tuple[tuple[int, int, int], tuple[int, int, int], Literal]] = []
    query = (f"SELECT DISTINCT ?d WHERE {{ {_anywhere(f'?x <{TKG.startDate}> ?d')} UNION "
             f"{_anywhere(f'?x <{TKG.endDate}> ?d')} }}")
    for solution in store_solutions(store, query):
        term = solution["d"]
        if not isinstance(term, ox.Literal) or term.datatype.value not in _DATE_TYPES:
            continue
        low, high = _date_key(term.value, False), _date_key(term.value, True)
        if low and high:
            dates.append((low, high, Literal(term.value, datatype=URIRef(term.datatype.value))))
    start = min(dates, key=lambda d: d[0])[2] if dates else None
    end = max(dates, key=lambda d: d[1])[2] if dates else None
    return start, end


def _points_box(store: ox.Store) -> Box | None:
    """(west, south, east, north) of every valid coordinate pair in the graph."""
    pattern = _anywhere(f"?a <{WGS.lat}> ?lat ; <{WGS.long}> ?long")
    query = (f"SELECT (MIN(?lat) AS ?s) (MIN(?long) AS ?w) (MAX(?lat) AS ?n) (MAX(?long) AS ?e)"
             f" WHERE {{ {pattern}"
             f" FILTER(isNumeric(?lat) && isNumeric(?long) && ?lat >= -90 && ?lat <= 90"
             f" && ?long >= -180 && ?long <= 180) }}")
    bbox = None
    for solution in store_solutions(store, query):
        values = [solution[v] for v in ("w", "s", "e", "n")]
        numbers = [Decimal(v.value) for v in values if isinstance(v, ox.Literal)]
        if len(numbers) == 4:
            west, south, east, north = numbers
            bbox = (west, south, east, north)
    return bbox


def _region_names(store: ox.Store, regions: list[str]) -> dict[str, str]:
    """NUTS region IRI -> its label in the graph, or its code when it has none."""
    names = {iri: iri.rsplit("/", 1)[-1] for iri in regions}
    if not names:
        return names
    query = (f"SELECT ?r ?name WHERE {{ {_anywhere(f'?r <{RDFS.label}> ?name')} "
             f"VALUES ?r {{ {' '.join(f'<{iri}>' for iri in names)} }} }}")
    for solution in store_solutions(store, query):
        region, name = solution["r"], solution["name"]
        if isinstance(region, ox.NamedNode) and isinstance(name, ox.Literal):
            names[region.value] = name.value
    return names


def _graph_names(store: ox.Store) -> tuple[str, ...]:
    """The store's named graphs, sorted."""
    solutions = store_solutions(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    return tuple(sorted(term.value for term in (s["g"] for s in solutions)
                        if isinstance(term, ox.NamedNode)))


def coverage_of(store: ox.Store) -> Coverage:
    """Spatial and temporal coverage of the graph, computed with SPARQL.

    Dates that do not parse as a date are left out of the period (the SHACL shapes report
    them); coordinates outside the valid range are left out of the bounding box.

    >>> store = ox.Store()
    >>> store.load(b'''<http://e/p> <https://w3id.org/twinning-kg/def#startDate>
    ...   "1992"^^<http://www.w3.org/2001/XMLSchema#gYear> .
    ... <http://e/q> <https://w3id.org/twinning-kg/def#endDate>
    ...   "2004-05-01"^^<http://www.w3.org/2001/XMLSchema#date> .''', ox.RdfFormat.TURTLE)
    >>> cover = coverage_of(store)
    >>> str(cover.start), str(cover.end)
    ('1992', '2004-05-01')
    """
    countries = _countries(store)
    start, end = _period(store)
    extents = nuts_boxes(store)
    regions = _region_names(store, list(extents))
    points = country_point_boxes(store)
    for country in countries:
        box = country_box(country) or points.get(country)
        if box is not None:
            extents[country] = box.union(points.get(country))
    return Coverage(countries=tuple(countries), start=start, end=end, bbox=_points_box(store),
                    regions=regions, extents=extents, graphs=_graph_names(store))
