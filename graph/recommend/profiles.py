"""Country profiles: how the partnerships of a country's authorities spread over distances and
over how alike their partners are, for signals that mean different things in different
countries.

Why per country: Czech and Polish towns twin mostly across the nearby border (more than one in
thirty Czech partnerships is with the most alike authority abroad, against one in a hundred for
American towns), American and Japanese ones across oceans. One curve of distance for everybody
cannot say both; the share of the asker's own country's partnerships at the candidate's distance
(at home or abroad) or at the candidate's alike rank can, and it is a number a reason can cite.

Shares are smoothed towards all countries' (:data:`PROFILE_SMOOTHING`), so a country with few
partnerships takes the overall profile rather than its few accidents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graph.recommend.data import PartnerGraph
from graph.recommend.geography import (
    ALIKE_BANDS,
    DISTANCE_BANDS_KM,
    alike_band,
    distance_band,
    haversine_km,
)

PROFILE_SMOOTHING = 20.0
"""How many partnerships' worth of all countries' profile a country's own profile is mixed
with."""


@dataclass(frozen=True)
class Profile:
    """Per country (rows: country ids) and cell: how many partnerships (``counts``, counted
    from both ends) and their smoothed share of the country's (``shares``)."""

    counts: np.ndarray
    shares: np.ndarray


def distance_cell(distance: np.ndarray, abroad: np.ndarray) -> np.ndarray:
    """The cell of pairs this far apart, at home or abroad: the distance band
    (:func:`graph.recommend.geography.distance_band`), plus the number of bands when abroad;
    -1 where the distance is unknown.

    >>> distance_cell(np.array([5.0, 5.0, np.nan]), np.array([False, True, True])).tolist()
    [0, 11, -1]
    """
    band = distance_band(distance)
    return np.where(band >= 0, band + np.where(abroad, len(DISTANCE_BANDS_KM) + 1, 0), -1)


def profile(country_of: np.ndarray, cell: np.ndarray, countries: int, cells: int) -> Profile:
    """Counts of ``(country_of[k], cell[k])`` (cells below 0 skipped) and their shares per
    country, smoothed towards all countries' shares with :data:`PROFILE_SMOOTHING`.

    >>> found = profile(np.array([0, 0, 0, 1]), np.array([0, 0, 1, 1]), 2, 2)
    >>> found.counts.tolist(), found.shares.round(3).tolist()
    ([[2.0, 1.0], [0.0, 1.0]], [[0.522, 0.478], [0.476, 0.524]])
    """
    counts = np.zeros((countries, cells))
    known = cell >= 0
    np.add.at(counts, (country_of[known], cell[known]), 1.0)
    overall = counts.sum(axis=0)
    overall = overall / overall.sum() if overall.sum() > 0 else np.full(cells, 1.0 / cells)
    shares = (counts + PROFILE_SMOOTHING * overall) / (
        counts.sum(axis=1, keepdims=True) + PROFILE_SMOOTHING)
    return Profile(counts, shares)


def distance_profile(graph: PartnerGraph, country_ids: np.ndarray, countries: int) -> Profile:
    """How many of each country's partnerships fall in each :func:`distance_cell`."""
    pairs = graph.pairs()
    a, b = pairs[:, 0], pairs[:, 1]
    cell = distance_cell(haversine_km(graph.lat[a], graph.long[a], graph.lat[b], graph.long[b]),
                         country_ids[a] != country_ids[b])
    return profile(country_ids[np.concatenate([a, b])], np.concatenate([cell, cell]), countries,
                   2 * (len(DISTANCE_BANDS_KM) + 1))


def alike_profile(graph: PartnerGraph, country_ids: np.ndarray, alike: sp.csr_matrix,
                  countries: int) -> Profile:
    """How many of each country's partnerships are with the authority's most alike authority
    abroad, its second, ... (:func:`graph.recommend.geography.alike_band` of ``alike``, the
    matrix of :func:`graph.recommend.geography.most_alike_abroad`)."""
    pairs = graph.pairs()
    a, b = pairs[:, 0], pairs[:, 1]
    forward = np.asarray(alike[a, b]).ravel() if len(a) else np.zeros(0)
    backward = np.asarray(alike[b, a]).ravel() if len(a) else np.zeros(0)
    return profile(country_ids[np.concatenate([a, b])],
                   np.concatenate([alike_band(forward), alike_band(backward)]), countries,
                   len(ALIKE_BANDS) + 1)
