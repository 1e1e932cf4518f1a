"""Features of a (query authority, candidate) pair, computed for many pairs at once.

Each feature is one column of the matrix :func:`FeatureContext.pair_features` returns; the
model weighs them and :mod:`graph.recommend.reasons` turns the strong ones into words. Why these:

* geography: towns twin across borders and within travelling distance, so the distance (on a
  log scale, with its square so the model can prefer a middle range) and whether the countries
  share a border;
* rank among the nearest: distances mean different things in the Ruhr and in Lapland, so also
  where the candidate ranks among everybody by distance, and among the authorities abroad by
  distance and size gap together (the nearest town of a similar size across a border is a
  classic twin), on a log scale;
* countries: the country pairs that twin most (Polish towns with German ones), the countries the
  authority's own partners are in, and those its region's authorities already work with;
* size: towns of similar size, and larger candidates that twin more;
* network: common partners, Adamic-Adar (common partners weighted by how selective they are)
  and paths of length three (partners of partners' partners);
* themes and programmes the two already work on (cosine similarity of their profiles);
* neighbourhood (signals that need no partner of the asker, and generalise to pairs
  never seen): the authorities near the asker (its :data:`NEIGHBOURS` nearest within
  :data:`NEIGHBOUR_RADIUS_KM`) and their partners: how many of them are twinned with the
  candidate, which countries their partners are in, and how many of their partnerships go to
  authorities near the candidate (spatial collaborative filtering); how many of the asker's own
  partners lie near the candidate; and the region pair (the share of the asker's region's
  partnerships that go to the candidate's region);
* the region (the same at a larger scale): how many authorities of the asker's region are
  twinned with the candidate, and the share of the candidate's region's partnerships that go
  to the asker's country;
* names: the same name in another country, or one name inside the other
  (:mod:`graph.recommend.namesakes`).

Unknown values (no coordinates, no population) are filled with 0 and flagged by an indicator
column, which a linear model turns into "unknown" weights of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graph.recommend.data import PartnerGraph
from graph.recommend.geography import (
    AREA_NEIGHBOURS,
    AREA_RADIUS_KM,
    alike_band,
    distances_from,
    haversine_km,
    most_alike_abroad,
    neighbourhoods,
    neighbouring_countries,
    points_of,
    rank,
    ranks_among,
)
from graph.recommend.namesakes import SAME_NAME, namesake_matrix
from graph.recommend.profiles import alike_profile, distance_cell, distance_profile

FEATURES: tuple[str, ...] = (
    "log_distance", "log_distance_squared", "distance_unknown", "log_distance_abroad",
    "distance_rank", "abroad_alike_rank", "neighbouring_country",
    "same_country", "country_pair_share", "partner_country_share", "region_country_share",
    "size_gap", "size_unknown", "candidate_size", "candidate_size_unknown",
    "candidate_partners", "common_partners", "adamic_adar", "paths_of_three",
    "shared_themes", "shared_programmes", "region_pair_share", "nearby_partner",
    "nearby_country_share", "nearby_pairs", "partner_nearby", "their_partner_country_share",
    "their_nearby_country_share", "same_name", "name_within", "region_partners",
    "their_region_country_share", "country_distance_share", "area_partner", "partner_area",
    "alike_for_them", "country_alike_share",
)
"""Column names, in order."""

COLUMN = {name: k for k, name in enumerate(FEATURES)}

UNKNOWN_SIZE_GAP = 1.0
"""The size gap (in log inhabitants) assumed when a size is unknown, for the abroad ranking."""

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
    nearby_partner: sp.csr_matrix
    nearby_pairs: sp.csr_matrix
    partner_nearby: sp.csr_matrix
    area_partner: sp.csr_matrix
    partner_area: sp.csr_matrix


class FeatureContext:
    """Everything computed once per graph that the pair features look up.

    Built from the graph the recommender knows (in the evaluation: the graph with the hidden
    partnerships removed), never from the pairs it is asked to rank.
    """

    def __init__(self, graph: PartnerGraph) -> None:
        self.graph = graph
        self.adjacency = adjacency = graph.adjacency
        self.degree = graph.degree
        with np.errstate(divide="ignore"):
            weights = np.where(self.degree > 1, 1.0 / np.log(np.maximum(self.degree, 2)), 0.0)
            self.log_population = np.log(graph.population)
        self.weighted = sp.csr_matrix(sp.diags(weights) @ adjacency)
        self.themes = _cosine_rows(graph.theme_matrix)
        self.programmes = _cosine_rows(graph.programme_matrix)
        self.namesakes = namesake_matrix(graph.labels, graph.countries)
        self._index_countries()
        self._index_regions()
        self._index_places()
        self._last_ranks: tuple[int, tuple[np.ndarray, np.ndarray]] | None = None

    def _index_countries(self) -> None:
        """Countries: ids, partners per country, partnerships per country pair, borders."""
        graph = self.graph
        self.codes = sorted(set(graph.countries.tolist()))
        code_index = {c: k for k, c in enumerate(self.codes)}
        self.country_ids = np.array([code_index[c] for c in graph.countries], dtype=np.int64)
        size = len(self.codes)
        one_hot = sp.csr_matrix((np.ones(graph.size), (np.arange(graph.size), self.country_ids)),
                                shape=(graph.size, size))
        # Partners of each authority per country, and partnerships per country pair.
        self.partner_countries = sp.csr_matrix(self.adjacency @ one_hot)
        self.pair_counts = np.asarray((one_hot.T @ self.partner_countries).todense())
        totals = self.pair_counts.sum(axis=1, keepdims=True)
        self.pair_share = np.divide(self.pair_counts, totals, out=np.zeros_like(
            self.pair_counts, dtype=np.float64), where=totals > 0)
        self.distances = distance_profile(graph, self.country_ids, size)
        self.neighbours = np.zeros((size, size), dtype=bool)
        for a, code in enumerate(self.codes):
            for other in neighbouring_countries(code):
                if other in code_index:
                    self.neighbours[a, code_index[other]] = True

    def _index_regions(self) -> None:
        """Regions (first-level subdivisions, by country and name): partner countries, region
        pairs, and who in each region is twinned with whom."""
        graph, adjacency = self.graph, self.adjacency
        region_keys = [f"{c}|{r}" if r else "" for c, r in zip(graph.countries, graph.regions,
                                                                  strict=True)]
        keys = sorted({k for k in region_keys if k})
        key_index = {k: r for r, k in enumerate(keys)}
        self.region_keys = keys
        self.region_ids = np.array([key_index.get(k, -1) for k in region_keys], dtype=np.int64)
        members = self.region_ids >= 0
        region_of = sp.csr_matrix((np.ones(int(members.sum())),
                                   (self.region_ids[members], np.flatnonzero(members))),
                                  shape=(len(keys), graph.size))
        self.region_counts = np.asarray((region_of @ self.partner_countries).todense()) \
            if keys else np.zeros((0, len(self.codes)))
        self.region_count_totals = self.region_counts.sum(axis=1)
        # Region pairs: partnerships between the authorities of two regions, and each
        # region's total, for the share of a region's partnerships that go to another.
        self.region_pairs = sp.csr_matrix(region_of @ adjacency @ region_of.T) \
            if keys else sp.csr_matrix((0, 0))
        self.region_totals = np.asarray(self.region_pairs.sum(axis=1)).ravel()
        # [region, authority]: partnerships of the region's authorities with the authority.
        self.region_partners = sp.csr_matrix(region_of @ adjacency) if keys else \
            sp.csr_matrix((0, graph.size))

    def _index_places(self) -> None:
        """Who is near whom (neighbourhoods, areas, the most alike abroad) and what they do."""
        graph = self.graph
        self.points = points_of(graph.lat, graph.long)
        self.near = neighbourhoods(graph.lat, graph.long)
        self.near_transposed = sp.csr_matrix(self.near.T)
        self.area = neighbourhoods(graph.lat, graph.long, AREA_NEIGHBOURS, AREA_RADIUS_KM)
        self.area_transposed = sp.csr_matrix(self.area.T)
        # [i, j]: how high j stands among i's most alike authorities abroad, and the reverse.
        self.alike = most_alike_abroad(graph.lat, graph.long, self.log_population,
                                       self.country_ids, UNKNOWN_SIZE_GAP)
        self.alike_for = sp.csr_matrix(self.alike.T)
        self.alikes = alike_profile(graph, self.country_ids, self.alike, len(self.codes))
        # Sparse: with the registers there are 100,000 authorities, most without partners.
        self.nearby_countries = sp.csr_matrix(self.near @ self.partner_countries)
        self.nearby_totals = np.asarray(self.nearby_countries.sum(axis=1)).ravel()

    def ranks(self, query: int) -> tuple[np.ndarray, np.ndarray]:
        """Where each authority ranks for ``query`` (0 = first): by distance, and abroad by
        log-distance plus size gap (:data:`UNKNOWN_SIZE_GAP` when a size is unknown).

        Authorities without coordinates, and for the second ranking those in the query's own
        country, share the last rank (the number of authorities).
        """
        last = self._last_ranks  # one query's ranks are read again for each of its reasons
        if last is not None and last[0] == query:
            return last[1]
        distance, alike = self.ranked_values(query)
        ranks = (rank(distance), rank(alike))
        self._last_ranks = (query, ranks)
        return ranks

    def ranks_of(self, query: int, candidates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`ranks` of ``candidates`` only: the same numbers, without ordering everybody
        (training asks for a few candidates per query, thousands of times)."""
        distance, alike = self.ranked_values(query)
        return ranks_among(distance, candidates), ranks_among(alike, candidates)

    def ranked_values(self, query: int) -> tuple[np.ndarray, np.ndarray]:
        """Everybody's distance (km) from ``query``, and how alike abroad each is: log-distance
        plus size gap, ``nan`` at home or where the distance is unknown (lower: more alike)."""
        distance = distances_from(self.points, query)
        with np.errstate(invalid="ignore"):  # two unknown sizes: no gap known
            gap = np.abs(self.log_population[query] - self.log_population)
        alike = np.log1p(distance) + np.where(np.isfinite(gap), gap, UNKNOWN_SIZE_GAP)
        alike[self.country_ids == self.country_ids[query]] = np.nan
        return distance, alike

    def network_rows(self, queries: np.ndarray) -> NetworkRows:
        """Common partners, Adamic-Adar and 3-paths of ``queries`` against everybody."""
        rows = self.adjacency[queries]
        common = sp.csr_matrix(rows @ self.adjacency)
        nearby_partner = sp.csr_matrix(self.near[queries] @ self.adjacency)
        return NetworkRows(queries, common, sp.csr_matrix(rows @ self.weighted),
                           sp.csr_matrix(common @ self.adjacency), nearby_partner,
                           sp.csr_matrix(nearby_partner @ self.near_transposed),
                           sp.csr_matrix(rows @ self.near_transposed),
                           sp.csr_matrix(self.area[queries] @ self.adjacency),
                           sp.csr_matrix(rows @ self.area_transposed))

    def pair_features(self, queries: np.ndarray, candidates: np.ndarray,
                      network: NetworkRows | None = None) -> np.ndarray:
        """The ``(len(pairs), len(FEATURES))`` matrix for pairs ``(queries[k], candidates[k])``.

        ``network`` may hold precomputed rows for the distinct queries (training computes them
        in chunks); without it they are computed here.
        """
        queries = np.asarray(queries, dtype=np.int64)
        candidates = np.asarray(candidates, dtype=np.int64)
        out = np.zeros((len(queries), len(FEATURES)))
        if len(queries) == 0:
            return out
        self._place_columns(out, queries, candidates)
        self._country_and_region_columns(out, queries, candidates)
        self._size_columns(out, queries, candidates)
        if network is None:
            network = self.network_rows(np.unique(queries))
        self._network_columns(out, queries, candidates, network)
        return out

    def _place_columns(self, out: np.ndarray, queries: np.ndarray,
                       candidates: np.ndarray) -> None:
        graph = self.graph
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
        # Distance counts differently abroad: a town next door across the border is a classic
        # twin, one next door at home rarely is.
        out[:, COLUMN["log_distance_abroad"]] = np.where(qc != cc, log_distance, 0.0)
        cell = distance_cell(distance, qc != cc)
        out[:, COLUMN["country_distance_share"]] = np.where(
            cell >= 0, self.distances.shares[qc, np.maximum(cell, 0)], 0.0)
        for query in np.unique(queries).tolist():
            rows = np.flatnonzero(queries == query)
            by_distance, abroad_alike = self.ranks_of(query, candidates[rows])
            out[rows, COLUMN["distance_rank"]] = np.log1p(by_distance)
            out[rows, COLUMN["abroad_alike_rank"]] = np.log1p(abroad_alike)

    def _country_and_region_columns(self, out: np.ndarray, queries: np.ndarray,
                                    candidates: np.ndarray) -> None:
        qc, cc = self.country_ids[queries], self.country_ids[candidates]
        out[:, COLUMN["country_pair_share"]] = self.pair_share[qc, cc]
        out[:, COLUMN["partner_country_share"]] = _share(
            _gather(self.partner_countries, queries, cc), self.degree[queries])
        region = self.region_ids[queries]
        has_region = region >= 0
        region_share = np.zeros(len(queries))
        if has_region.any():  # one cell per pair, never a copy of the region's whole row
            regional = region[has_region]
            region_share[has_region] = _share(self.region_counts[regional, cc[has_region]],
                                              self.region_count_totals[regional])
        out[:, COLUMN["region_country_share"]] = region_share
        candidate_region = self.region_ids[candidates]
        both = has_region & (candidate_region >= 0)
        region_pair = np.zeros(len(queries))
        if both.any():
            picked = _gather(self.region_pairs, region[both], candidate_region[both])
            region_pair[both] = _share(picked, self.region_totals[region[both]])
        out[:, COLUMN["region_pair_share"]] = region_pair
        out[:, COLUMN["nearby_country_share"]] = _share(
            _gather(self.nearby_countries, queries, cc), self.nearby_totals[queries])
        # The same from the candidate's side: its partners and its neighbours' partners in
        # the asker's country (needs no partner of the asker).
        out[:, COLUMN["their_partner_country_share"]] = _share(
            _gather(self.partner_countries, candidates, qc), self.degree[candidates])
        out[:, COLUMN["their_nearby_country_share"]] = _share(
            _gather(self.nearby_countries, candidates, qc), self.nearby_totals[candidates])
        self._region_columns(out, queries, candidates)

    def _region_columns(self, out: np.ndarray, queries: np.ndarray,
                        candidates: np.ndarray) -> None:
        region, candidate_region = self.region_ids[queries], self.region_ids[candidates]
        partners = np.zeros(len(queries))
        has_region = region >= 0
        if has_region.any():
            partners[has_region] = _gather(self.region_partners, region[has_region],
                                           candidates[has_region])
        out[:, COLUMN["region_partners"]] = np.log1p(partners)
        theirs = np.zeros(len(queries))
        known = candidate_region >= 0
        if known.any():
            counts = self.region_counts[candidate_region[known],
                                        self.country_ids[queries[known]]]
            theirs[known] = _share(counts, self.region_count_totals[candidate_region[known]])
        out[:, COLUMN["their_region_country_share"]] = theirs

    def _size_columns(self, out: np.ndarray, queries: np.ndarray,
                      candidates: np.ndarray) -> None:
        gap = np.abs(self.log_population[queries] - self.log_population[candidates])
        size_known = np.isfinite(gap)
        out[:, COLUMN["size_gap"]] = np.where(size_known, gap, 0.0)
        out[:, COLUMN["size_unknown"]] = ~size_known
        candidate_size = self.log_population[candidates]
        out[:, COLUMN["candidate_size"]] = np.where(np.isfinite(candidate_size),
                                                    candidate_size, 0.0)
        out[:, COLUMN["candidate_size_unknown"]] = ~np.isfinite(candidate_size)
        out[:, COLUMN["candidate_partners"]] = np.log1p(self.degree[candidates])

    def _network_columns(self, out: np.ndarray, queries: np.ndarray, candidates: np.ndarray,
                         network: NetworkRows) -> None:
        local = np.searchsorted(network.queries, queries)
        for name, rows in (("common_partners", network.common),
                           ("paths_of_three", network.paths_of_three),
                           ("nearby_partner", network.nearby_partner),
                           ("nearby_pairs", network.nearby_pairs),
                           ("partner_nearby", network.partner_nearby),
                           ("area_partner", network.area_partner),
                           ("partner_area", network.partner_area)):
            out[:, COLUMN[name]] = np.log1p(_gather(rows, local, candidates))
        out[:, COLUMN["adamic_adar"]] = _gather(network.adamic_adar, local, candidates)
        out[:, COLUMN["alike_for_them"]] = _gather(self.alike_for, queries, candidates)
        band = alike_band(_gather(self.alike, queries, candidates))
        out[:, COLUMN["country_alike_share"]] = self.alikes.shares[self.country_ids[queries],
                                                                  band]
        names = _gather(self.namesakes, queries, candidates)
        out[:, COLUMN["same_name"]] = names == SAME_NAME
        out[:, COLUMN["name_within"]] = (names > 0) & (names < SAME_NAME)
        out[:, COLUMN["shared_themes"]] = _row_dots(self.themes, queries, candidates)
        out[:, COLUMN["shared_programmes"]] = _row_dots(self.programmes, queries, candidates)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole`` where ``whole`` is positive, else 0."""
    return np.divide(part, whole, out=np.zeros_like(part, dtype=float), where=whole > 0)


def _gather(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``matrix[rows[k], cols[k]]`` for every k, fast when all rows are one row (a query) or
    all columns one column (the query's country, looked up for every candidate)."""
    if matrix.nnz == 0 or len(rows) == 0:
        return np.zeros(len(rows))
    if rows.min() == rows.max():
        dense: np.ndarray = matrix[int(rows[0])].toarray().ravel().astype(np.float64)
        return dense[cols]
    if cols.min() == cols.max():
        column: np.ndarray = matrix[:, int(cols[0])].toarray().ravel().astype(np.float64)
        return column[rows]
    return np.asarray(matrix[rows, cols]).ravel().astype(np.float64)


def _row_dots(matrix: sp.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if matrix.nnz == 0:
        return np.zeros(len(a))
    unique = np.unique(a)
    if len(unique) == 1:
        return np.asarray((matrix[b] @ matrix[unique[0]].T).todense()).ravel()
    return np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
