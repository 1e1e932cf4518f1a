"""The statistics researchers ask of a region's municipalities, shared by the register pages
(by voivodeship, by kraj) and the NUTS region pages (by the regions below).

A region's figures are sums over its municipalities: how many, how many have at least one
foreign partner, their population and their partnerships (a partnership counts once for each
of the region's municipalities taking part), with the share and the rate per 100,000
inhabitants derived from them; and the centroid of their points, where a map draws the region.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class RegionStats:
    """A region's municipalities: how many, how many with a foreign partner, population,
    partnerships, and the sum of their points (for the centroid)."""

    iri: str
    name: str
    municipalities: int = 0
    with_foreign_partner: int = 0
    population: int = 0
    partnerships: int = 0
    located: int = 0
    lat_sum: float = 0.0
    long_sum: float = 0.0

    def add(self, population: int | None, partnerships: int, foreign: bool,
            point: tuple[float, float] | None) -> None:
        """Count one municipality of the region.

        >>> stats = RegionStats("r", "R")
        >>> stats.add(1000, 2, True, (50.0, 14.0)); stats.add(None, 0, False, (52.0, 16.0))
        >>> stats.municipalities, stats.with_foreign_partner, stats.population, stats.centroid
        (2, 1, 1000, (51.0, 15.0))
        """
        self.municipalities += 1
        self.with_foreign_partner += foreign
        self.population += population or 0
        self.partnerships += partnerships
        if point is not None:
            self.located += 1
            self.lat_sum += point[0]
            self.long_sum += point[1]

    @property
    def share_with_foreign_partner(self) -> float:
        """Share of municipalities with at least one foreign partner (0 to 1)."""
        return self.with_foreign_partner / self.municipalities if self.municipalities else 0.0

    @property
    def partnerships_per_100k(self) -> float | None:
        """Partnerships of its municipalities per 100,000 inhabitants (``None`` without
        population)."""
        return self.partnerships * 100_000 / self.population if self.population else None

    @property
    def centroid(self) -> tuple[float, float] | None:
        """The mean point of its located municipalities (``None`` when none is located): where
        a map draws the region, inside it for the compact regions of a register."""
        if not self.located:
            return None
        return (round(self.lat_sum / self.located, 5), round(self.long_sum / self.located, 5))

    def as_json(self) -> dict[str, Any]:
        per_100k = self.partnerships_per_100k
        centroid = self.centroid
        return {"iri": self.iri, "name": self.name, "municipalities": self.municipalities,
                "with_foreign_partner": self.with_foreign_partner,
                "share_with_foreign_partner": round(self.share_with_foreign_partner, 4),
                "population": self.population, "partnerships": self.partnerships,
                "partnerships_per_100k": None if per_100k is None else round(per_100k, 2),
                "centroid": None if centroid is None
                else {"lat": centroid[0], "long": centroid[1]}}


__all__ = ["RegionStats"]
