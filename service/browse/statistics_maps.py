"""The points of the register and NUTS region maps, and their legends, in the reader's language.

The register page draws each region (voivodeship, kraj) as a circle at the centroid of its
municipalities, its tone the share of them with a foreign partner and its size their
partnerships per 100,000 inhabitants; the NUTS region page draws each unit as a point, toned by
whether it has a foreign partner, a partner at home only or none. The server chooses tone,
size and the tooltip's sentence; ``static/js/map.js`` only draws them (as text, never HTML),
and the legend is HTML beside the map, so that the figures are read the same way in the map,
its legend and the table below it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from graph.views.nuts_pages import NutsUnit
from graph.views.region_stats import RegionStats
from service.i18n import format_number, translate, translate_count

SHARE_BOUNDS = (0.0, 0.05, 0.10, 0.20, 0.40, 1.0)
"""The classes of the share with a foreign partner, tone 0 to 4: fixed rather than fitted to
each page, so that a tone means the same on the Polish and the Czech register."""

SMALLEST, LARGEST = 5.0, 20.0
"""Radii (pixels) of a region's circle at no partnership and at the page's highest rate."""

EN_DASH = "\u2013"
"""Between the bounds of a range, and for a missing figure."""

UNIT_TONES = ("foreign", "domestic", "none")
"""A unit's tone on the NUTS region map: a foreign partner; partners in its own country only;
no partnership."""


@dataclass
class ShareClass:
    """One class of the share legend: its tone and its range, written for the reader."""

    tone: int
    text: str


@dataclass
class SizeSample:
    """One circle of the size legend: its radius and the rate it stands for."""

    radius: float
    text: str


def share_tone(share: float) -> int:
    """The tone of a share (0 to 1) with a foreign partner.

    >>> [share_tone(s) for s in (0.0, 0.049, 0.05, 0.3, 0.4, 1.0)]
    [0, 0, 1, 3, 4, 4]
    """
    return min(bisect_right(SHARE_BOUNDS, share) - 1, len(SHARE_BOUNDS) - 2)


def share_classes(language: str) -> list[ShareClass]:
    """The share legend: "0\u20135 %" to "40\u2013100 %" (an en dash between the bounds),
    numbers written for ``language``."""
    def percent(bound: float) -> str:
        return format_number(round(bound * 100), language)

    return [ShareClass(tone, f"{percent(low)}{EN_DASH}{percent(high)} %")
            for tone, (low, high) in enumerate(pairwise(SHARE_BOUNDS))]


def _radius(rate: float | None, highest: float) -> float:
    """A circle's radius: its area grows with the rate, up to :data:`LARGEST` at the page's
    highest rate."""
    if not rate or highest <= 0:
        return SMALLEST
    return round(SMALLEST + (LARGEST - SMALLEST) * math.sqrt(rate / highest), 1)


def region_points(regions: list[RegionStats], pages: dict[str, str | None],
                  language: str) -> tuple[list[dict[str, Any]], list[SizeSample]]:
    """The register map's circles (one per located region, largest first so that the small
    ones stay on top) and the samples of its size legend.

    ``pages`` gives each region's page URL.
    """
    highest = max((r.partnerships_per_100k or 0.0 for r in regions), default=0.0)
    points: list[dict[str, Any]] = []
    for region in regions:
        if region.centroid is None:
            continue
        rate = region.partnerships_per_100k
        share = format_number(round(region.share_with_foreign_partner * 100, 1), language)
        label = translate("map.region_point", language, name=region.name, share=share,
                          rate=EN_DASH if rate is None else format_number(round(rate, 1), language))
        points.append({"iri": region.iri, "name": region.name, "page": pages.get(region.iri),
                       "lat": region.centroid[0], "long": region.centroid[1],
                       "tone": str(share_tone(region.share_with_foreign_partner)),
                       "radius": _radius(rate, highest), "label": label})
    points.sort(key=lambda point: -point["radius"])
    samples = [SizeSample(_radius(rate, highest), format_number(round(rate, 1), language))
               for rate in (highest / 4, highest) if rate > 0]
    return points, samples


def unit_tone(unit: NutsUnit) -> str:
    """``foreign``, ``domestic`` or ``none`` (:data:`UNIT_TONES`)."""
    if unit.foreign_partnerships:
        return "foreign"
    return "domestic" if unit.partnerships else "none"


def unit_points(units: list[NutsUnit], pages: dict[str, str | None],
                language: str) -> list[dict[str, Any]]:
    """The NUTS region map's points: one per located unit, those with partnerships larger (and
    drawn last, on top)."""
    points: list[dict[str, Any]] = []
    for unit in units:
        place = unit.place
        if place.lat is None or place.long is None:
            continue
        label = translate_count("map.unit_point", unit.partnerships, language, name=place.name,
                                foreign=format_number(unit.foreign_partnerships, language))
        radius = min(4 + 2 * math.sqrt(unit.partnerships), 14) if unit.partnerships else 3
        points.append({"iri": place.iri, "name": place.name, "page": pages.get(place.iri),
                       "lat": place.lat, "long": place.long, "tone": unit_tone(unit),
                       "radius": round(radius, 1), "label": label})
    points.sort(key=lambda point: point["radius"])
    return points


__all__ = ["SHARE_BOUNDS", "UNIT_TONES", "ShareClass", "SizeSample", "region_points",
           "share_classes", "share_tone", "unit_points", "unit_tone"]
