"""Training rows for the partner model: each set-aside partner with the authorities it has to
beat, and how likely each of those was to be drawn.

Why not only authorities drawn at random: nearly all of them are obviously wrong (far away, in a
country that never twins with the asker's), so a model that learns to tell partners from them
learns to tell likely from absurd, not the first suggestion from the tenth. So each query also
draws :data:`NETWORK_DRAWS` authorities from its network (its partners' partners, its
neighbours' partners and the partners' neighbours: whoever a network signal is not zero for)
and :data:`GEOGRAPHY_DRAWS` from its :data:`GEOGRAPHY_POOL` nearest authorities, the ones that
compete for the top ten.

Drawn more often than chance, these would teach the model that being connected or near is bad.
Each row therefore carries the logarithm of how many times it was expected to be drawn
(``log_draws``), which the fit subtracts from the row's score (the "log Q" correction of sampled
softmax): the fit then estimates the same ranking as if every authority had been a competitor,
with its effort spent where the ranking is decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from graph.recommend.data import PartnerGraph
from graph.recommend.features import FeatureContext
from graph.recommend.geography import nearest_authorities

UNIFORM_DRAWS = 30
"""Authorities drawn at random (uniformly) per set-aside partner."""
NETWORK_DRAWS = 20
"""Authorities drawn from the query's network pool per set-aside partner."""
GEOGRAPHY_DRAWS = 20
"""Authorities drawn from the query's geographic pool per set-aside partner."""
GEOGRAPHY_POOL = 300
"""The geographic pool: the query's this many nearest authorities."""
CHUNK = 512
"""Queries whose network rows are computed at once."""


@dataclass(frozen=True)
class TrainingRows:
    """Pairs ``(queries[k], candidates[k])``, grouped by set-aside partner (``groups``, sorted):
    each group is one partner (``labels`` 1) and the authorities drawn against it (0)."""

    queries: np.ndarray
    candidates: np.ndarray
    labels: np.ndarray
    groups: np.ndarray
    log_draws: np.ndarray
    """Log of the expected number of times the row's candidate was drawn for its group (for
    the partner: as if it had been drawn like any other authority)."""
    uniform: np.ndarray
    """The partners and the authorities drawn at random: the rows that say how likely a pair is
    against any authority, which the model's probabilities are scaled on."""

    def group_starts(self) -> np.ndarray:
        """The first row of each group (groups are sorted)."""
        starts: np.ndarray = np.flatnonzero(np.r_[True, self.groups[1:] != self.groups[:-1]])
        return starts

    def group_of_rows(self, starts: np.ndarray) -> np.ndarray:
        """For each row, the position of its group among :meth:`group_starts`."""
        return np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(self.groups)]))


def group_softmax(scores: np.ndarray, starts: np.ndarray, member: np.ndarray) -> tuple[
        np.ndarray, np.ndarray]:
    """Each row's softmax share of its group and each group's log-sum-exp, computed stably:
    the loss both stages of the partner model are fitted with (each partner's probability of
    coming first in its group) and its gradient rest on these two."""
    top = np.maximum.reduceat(scores, starts)
    exp = np.exp(scores - top[member])
    total = np.add.reduceat(exp, starts)
    share: np.ndarray = exp / total[member]
    return share, np.log(total) + top


def pools(context: FeatureContext, queries: np.ndarray) -> tuple[
        dict[int, np.ndarray], dict[int, np.ndarray]]:
    """Each query's network pool and geographic pool (sorted authority indices)."""
    network: dict[int, np.ndarray] = {}
    geography: dict[int, np.ndarray] = {}
    distinct = np.unique(queries)
    for start in range(0, len(distinct), CHUNK):
        block = distinct[start:start + CHUNK]
        rows = context.network_rows(block)
        linked = (rows.common + rows.paths_of_three + rows.nearby_partner + rows.nearby_pairs
                  + rows.partner_nearby + rows.area_partner + rows.partner_area).tocsr()
        for k, query in enumerate(block.tolist()):
            network[query] = np.sort(linked.indices[linked.indptr[k]:linked.indptr[k + 1]])
    nearest = nearest_authorities(context.graph.lat, context.graph.long, distinct,
                                  GEOGRAPHY_POOL)
    for query, found in zip(distinct.tolist(), nearest, strict=True):
        geography[query] = found
    return network, geography


def draw(graph: PartnerGraph, context: FeatureContext, queries: np.ndarray,
         partners: np.ndarray, rng: np.random.Generator) -> TrainingRows:
    """The training rows for the set-aside pairs ``(queries[g], partners[g])``: ``context`` is
    the graph without them, ``graph`` the whole one (an authority linked to the query there is
    never drawn against it)."""
    network, geography = pools(context, queries)
    count = len(queries)
    parts = [(queries, partners, np.ones(count), np.arange(count), np.ones(count, dtype=bool))]
    drawn = np.repeat(queries, UNIFORM_DRAWS)
    parts.append((drawn, rng.integers(0, graph.size, size=len(drawn)), np.zeros(len(drawn)),
                  np.repeat(np.arange(count), UNIFORM_DRAWS), np.ones(len(drawn), dtype=bool)))
    for group, query in enumerate(queries.tolist()):
        for pool, draws in ((network[query], NETWORK_DRAWS), (geography[query],
                                                              GEOGRAPHY_DRAWS)):
            if len(pool):
                picked = pool[rng.integers(0, len(pool), size=draws)]
                parts.append((np.full(draws, query), picked, np.zeros(draws),
                              np.full(draws, group), np.zeros(draws, dtype=bool)))
    q, c, labels, groups, uniform = (np.concatenate(column) for column in zip(*parts,
                                                                               strict=True))
    linked = np.asarray(graph.adjacency[q, c]).ravel() > 0
    keep = (labels > 0) | ((q != c) & ~linked)
    order = np.argsort(groups[keep], kind="stable")
    q, c, labels, groups, uniform = (column[keep][order]
                                     for column in (q, c, labels, groups, uniform))
    return TrainingRows(q, c, labels, groups, _log_draws(graph.size, q, c, network, geography),
                        uniform)


def _log_draws(size: int, queries: np.ndarray, candidates: np.ndarray,
               network: dict[int, np.ndarray], geography: dict[int, np.ndarray]) -> np.ndarray:
    """Log of the expected number of draws of each candidate for its query's group."""
    expected = np.full(len(queries), UNIFORM_DRAWS / size)
    order = np.argsort(queries, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(queries[order]) != 0, True])
    for start, end in pairwise(bounds.tolist()):
        rows = order[start:end]
        query = int(queries[rows[0]])
        for pool, draws in ((network[query], NETWORK_DRAWS), (geography[query],
                                                              GEOGRAPHY_DRAWS)):
            if len(pool):
                expected[rows[np.isin(candidates[rows], pool)]] += draws / len(pool)
    logs: np.ndarray = np.log(expected)
    return logs
