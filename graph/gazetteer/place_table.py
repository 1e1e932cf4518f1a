"""The gazetteer's places, stored by column and turned into :class:`Place` objects on demand,
and the distance between two of them.

Why: a build reads the gazetteer index from a pickle, and 235k frozen dataclass objects were
many times slower to unpickle (each object is rebuilt field by field in Python) than the same
data as a few arrays and lists. A build only ever looks at the places its names match, so each
is made the first time it is asked for.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_SEPARATOR = "\x1f"  # the unit separator: never in a name


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames populated place."""

    geonameid: int
    name: str
    lat: float
    long: float
    country: str
    admin1: str
    population: int
    division: int = 0  # GeoNames id of its second-level division, 0 when unknown
    alternates: tuple[str, ...] = ()  # names worth carrying (graph.gazetteer.alternate_names)


def distance_km(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance in kilometres (haversine).

    >>> round(distance_km(52.2297, 21.0122, 50.0755, 14.4378))
    517
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class PlaceTable:
    """A list of places, appended to while the index is built and read by position after.

    >>> table = PlaceTable()
    >>> table.append(Place(3084130, "Swarzędz", 52.41, 17.08, "PL", "86", 30000,
    ...                    alternates=("Schwersenz",)))
    >>> len(table), table[0].name, [p.geonameid for p in table], table[0].alternates
    (1, 'Swarzędz', [3084130], ('Schwersenz',))
    >>> import pickle
    >>> pickle.loads(pickle.dumps(table))[0] == table[0]
    True
    """

    def __init__(self) -> None:
        self._ids = array("q")
        self._names: list[str] = []
        self._lats = array("d")
        self._longs = array("d")
        self._countries: list[str] = []
        self._admin1: list[str] = []
        self._population = array("q")
        self._division = array("q")
        # One string per place, the names joined by _SEPARATOR: far less memory than a tuple
        # each, and "" (one shared object) for the 43k places without any.
        self._alternates: list[str] = []
        self._made: dict[int, Place] = {}

    def append(self, place: Place) -> None:
        """Add a place at the end (codes interned: a few hundred distinct strings)."""
        self._ids.append(place.geonameid)
        self._names.append(place.name)
        self._lats.append(place.lat)
        self._longs.append(place.long)
        self._countries.append(sys.intern(place.country))
        self._admin1.append(sys.intern(place.admin1))
        self._population.append(place.population)
        self._division.append(place.division)
        self._alternates.append(_SEPARATOR.join(place.alternates))

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index: int) -> Place:
        made = self._made.get(index)
        if made is None:
            made = Place(self._ids[index], self._names[index], self._lats[index],
                         self._longs[index], self._countries[index], self._admin1[index],
                         self._population[index], self._division[index],
                         tuple(self._alternates[index].split(_SEPARATOR))
                         if self._alternates[index] else ())
            self._made[index] = made
        return made

    def __iter__(self) -> Iterator[Place]:
        return (self[i] for i in range(len(self)))

    def countries_and_admin1(self) -> Iterator[tuple[str, str]]:
        """Each place's country and admin1 code, without making the places."""
        return zip(self._countries, self._admin1, strict=True)

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_made"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # The codes come back shared: pickle writes an interned string once per table.
        self.__dict__.update(state)
        self._made = {}


__all__ = ["Place", "PlaceTable", "distance_km"]
