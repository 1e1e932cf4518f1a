"""Offline evaluation: hide partnerships, rebuild, and see who ranks the hidden partners best.

Four protocols, each rebuilding what the recommender learns from (arrays and model)
from the graph without the hidden partnerships, then ranking, for every query authority, all
authorities it is not (visibly) twinned with:

* ``holdout`` (a): among the partnerships of authorities with at least ``min_partners``
  partners, hide a random ``fraction``; the queries are those that lost a partner;
* ``cold-start`` (b): pick a random ``fraction`` of the authorities with at least
  ``min_partners`` partners, no two of them partners of each other, and hide *all* their
  partnerships: they ask with no partner known, as a gmina new to twinning would;
* ``one-known`` (c): the same choice, but each keeps one random partner;
* ``cross-source`` (d): hide, from every source, the pairs one source holds: partnerships the
  model has never seen in any form. The sources are the smaller source graphs, with the pairs
  each adds to the largest one (the curated data, the partnerships the seed documents name, a
  Wikidata harvest), and each country's Wikipedia list of twin towns, with the pairs only that
  country's page lists (not listed from the partner's side) and no other source graph states
  (:mod:`graph.pipeline.listings` reads which side lists a pair; the benchmark chooses them).

Metrics, where the hidden partners of each query land:

* recall@k: the share of its hidden partners in the top k, averaged over authorities;
* MRR: the mean over authorities of 1 / (rank of its best-ranked hidden partner).

The baselines rank the same candidates: most-twinned authorities first, nearest first, closest
in size first, nearest of similar size abroad, most common partners first, and Adamic-Adar (the
last two only where the query has partners: not in ``cold-start``). Ties are broken by a seeded
random order (never by position in the data, which would leak the order the graph was built
in), so a fixed seed gives the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from graph.recommend.data import PartnerGraph
from graph.recommend.features import FeatureContext
from graph.recommend.geography import haversine_km
from graph.recommend.model import PartnerModel, train
from graph.recommend.splits import Split, split_for

Scorer = Callable[[int, np.ndarray], np.ndarray]
"""Scores for ``candidates`` (higher ranks first) of one query authority."""

BASELINES = ("most-twinned", "nearest", "same-size", "nearest-same-size-abroad",
             "common-partners", "adamic-adar")
METHODS = ("recommender", *BASELINES)
NETWORK_BASELINES = ("common-partners", "adamic-adar")
"""Baselines that need the query's partners: they rank everybody equal in ``cold-start``."""
METRICS = ("recall@10", "recall@50", "mrr")
GROUPS = (("all", None), ("PL", "PL"), ("CZ", "CZ"))
"""The country groups reported: every query, and the project's first two countries."""
UNKNOWN_SIZE_GAP = 1.0
"""The size gap (in log inhabitants) nearest-same-size-abroad assumes when a size is unknown."""


def methods_of(protocol: str) -> tuple[str, ...]:
    """The methods compared in ``protocol`` (the network baselines only where they apply).

    >>> methods_of("cold-start")
    ('recommender', 'most-twinned', 'nearest', 'same-size', 'nearest-same-size-abroad')
    """
    if protocol == "cold-start":
        return tuple(m for m in METHODS if m not in NETWORK_BASELINES)
    return METHODS


def scorers(observed: PartnerGraph, model: PartnerModel) -> dict[str, Scorer]:
    """The recommender and every baseline, each knowing only the observed graph."""
    context = FeatureContext(observed)

    def recommender(query: int, candidates: np.ndarray) -> np.ndarray:
        features = context.pair_features(np.full(len(candidates), query), candidates)
        return model.score(features)

    def most_twinned(query: int, candidates: np.ndarray) -> np.ndarray:
        return np.asarray(observed.degree[candidates], dtype=np.float64)

    def distance_to(query: int, candidates: np.ndarray) -> np.ndarray:
        return haversine_km(observed.lat[query], observed.long[query],
                            observed.lat[candidates], observed.long[candidates])

    def nearest(query: int, candidates: np.ndarray) -> np.ndarray:
        distance = distance_to(query, candidates)
        return np.where(np.isfinite(distance), -distance, -np.inf)

    def size_gap(query: int, candidates: np.ndarray) -> np.ndarray:
        gap: np.ndarray = np.abs(context.log_population[query] -
                                 context.log_population[candidates])
        return gap

    def same_size(query: int, candidates: np.ndarray) -> np.ndarray:
        gap = size_gap(query, candidates)
        return np.where(np.isfinite(gap), -gap, -np.inf)

    def nearest_same_size_abroad(query: int, candidates: np.ndarray) -> np.ndarray:
        # Near and alike, in another country: log-distance plus log-size gap, abroad only.
        distance = distance_to(query, candidates)
        gap = size_gap(query, candidates)
        penalty = np.log1p(distance) + np.where(np.isfinite(gap), gap, UNKNOWN_SIZE_GAP)
        abroad = observed.countries[candidates] != observed.countries[query]
        return np.where(abroad & np.isfinite(penalty), -penalty, -np.inf)

    def common_partners(query: int, candidates: np.ndarray) -> np.ndarray:
        row = (context.adjacency[query] @ context.adjacency).toarray().ravel()
        return np.asarray(row[candidates], dtype=np.float64)

    def adamic_adar(query: int, candidates: np.ndarray) -> np.ndarray:
        row = (context.adjacency[query] @ context.weighted).toarray().ravel()
        return np.asarray(row[candidates], dtype=np.float64)

    return {"recommender": recommender, "most-twinned": most_twinned, "nearest": nearest,
            "same-size": same_size, "nearest-same-size-abroad": nearest_same_size_abroad,
            "common-partners": common_partners, "adamic-adar": adamic_adar}


def ranks_of(scores: np.ndarray, targets: np.ndarray, tie_break: np.ndarray) -> np.ndarray:
    """1-based ranks of the ``targets`` positions when sorting by score, ties by ``tie_break``.

    >>> ranks_of(np.array([0.5, 0.9, 0.5, 0.1]), np.array([0, 2]), np.array([0.3, 0, 0.1, 0]))
    array([3, 2])
    """
    ranks = []
    for t in targets:
        better = np.count_nonzero(scores > scores[t])
        tied = np.count_nonzero((scores == scores[t]) & (tie_break < tie_break[t]))
        ranks.append(1 + better + tied)
    return np.array(ranks, dtype=np.int64)


@dataclass
class SplitResult:
    """Per-query metrics of every method for one split, with each query's country."""

    countries: list[str] = field(default_factory=list)
    metrics: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    protocol: str = "holdout"
    sampled: list[bool] = field(default_factory=list)
    """Per query: in the random sample that stands for all queries (a query of a named group
    outside the sample is measured for its group only); empty: every query is."""

    def summary(self, country: str | None = None) -> dict[str, dict[str, float]]:
        """Mean of each metric per method, over the (sampled) queries or those of one country."""
        if country is None:
            keep = [k for k in range(len(self.countries))
                    if not self.sampled or self.sampled[k]]
        else:
            keep = [k for k, c in enumerate(self.countries) if c == country]
        out: dict[str, dict[str, float]] = {}
        for method, values in self.metrics.items():
            out[method] = {m: float(np.mean([values[m][k] for k in keep])) if keep else
                           float("nan") for m in METRICS}
            out[method]["queries"] = float(len(keep))
        return out


def evaluate_split(graph: PartnerGraph, seed: int, *, protocol: str = "holdout",
                   fraction: float = 0.1, min_partners: int = 3,
                   max_queries: int | None = None, model_seed: int | None = None,
                   only_there: Iterable[tuple[int, int]] | None = None) -> SplitResult:
    """Hide, rebuild, rank and measure for one seed of one protocol (deterministic for it)."""
    chosen = split_for(graph, protocol, seed, fraction=fraction, min_partners=min_partners,
                       only_there=only_there)
    return evaluate_on(graph, chosen, seed, max_queries=max_queries, model_seed=model_seed)


def _queries_of(graph: PartnerGraph, chosen: Split, rng: np.random.Generator,
                max_queries: int | None) -> tuple[list[int], list[bool]]:
    """The queries to rank for, and which of them are in the sample standing for all.

    With ``max_queries``, a random sample of that many stands for all queries, and every query
    of a named group (:data:`GROUPS`: Poland, Czechia) is ranked too, so that a small group is
    measured on all its queries rather than on the few the sample happens to draw.
    """
    queries = list(chosen.targets)
    if max_queries is None or len(queries) <= max_queries:
        return queries, [True] * len(queries)
    picked = set(rng.choice(queries, size=max_queries, replace=False).tolist())
    named = {country for _, country in GROUPS if country}
    kept = [q for q in queries if q in picked or str(graph.countries[q]) in named]
    return kept, [q in picked for q in kept]


def evaluate_on(graph: PartnerGraph, chosen: Split, seed: int, *,
                max_queries: int | None = None, model_seed: int | None = None) -> SplitResult:
    """Train on ``chosen.observed``, rank for every query of ``chosen``, and measure."""
    model = train(chosen.observed, seed if model_seed is None else model_seed)
    every = scorers(chosen.observed, model)
    methods = {name: every[name] for name in methods_of(chosen.protocol)}
    rng = np.random.default_rng(seed + 1_000_003)
    queries, sampled = _queries_of(graph, chosen, rng, max_queries)
    result = SplitResult(metrics={m: {k: [] for k in METRICS} for m in methods},
                         protocol=chosen.protocol, sampled=sampled)
    everybody = np.arange(graph.size)
    for query in queries:
        excluded = np.zeros(graph.size, dtype=bool)
        excluded[query] = True
        excluded[chosen.observed.partners_of(query)] = True
        candidates = everybody[~excluded]
        positions = np.searchsorted(candidates, chosen.targets[query])
        tie_break = rng.random(len(candidates))
        result.countries.append(str(graph.countries[query]))
        for name, scorer in methods.items():
            ranks = ranks_of(scorer(query, candidates), positions, tie_break)
            values = result.metrics[name]
            values["recall@10"].append(float(np.mean(ranks <= 10)))
            values["recall@50"].append(float(np.mean(ranks <= 50)))
            values["mrr"].append(float(1.0 / ranks.min()))
    return result


Table = dict[str, dict[str, dict[str, tuple[float, float]]]]
"""``{group: {method: {metric: (mean, standard deviation over splits)}}}``."""


def evaluate(graph: PartnerGraph, seeds: Iterable[int], **options: object) -> Table:
    """Mean and standard deviation over splits of one protocol (``protocol=``, default (a)).

    Groups are ``all``, ``PL`` and ``CZ`` (the project's first two countries).
    """
    results = [evaluate_split(graph, seed, **options) for seed in seeds]  # type: ignore[arg-type]
    return table_of(results)



def merged(results: list[SplitResult]) -> SplitResult:
    """One result of the splits of several rounds
    (:func:`~graph.recommend.splits.cold_start_rounds`): their queries together, as if asked
    in one split."""
    if not results:
        raise ValueError("no results to merge")
    out = SplitResult(metrics={m: {k: [] for k in METRICS} for m in results[0].metrics},
                      protocol=results[0].protocol)
    for result in results:
        out.countries += result.countries
        out.sampled += result.sampled or [True] * len(result.countries)
        for method, values in result.metrics.items():
            for metric in METRICS:
                out.metrics[method][metric] += values[metric]
    return out


def table_of(results: list[SplitResult]) -> Table:
    """Mean and standard deviation of each group's metrics over the given splits."""
    table: Table = {}
    methods = list(results[0].metrics) if results else list(METHODS)
    for group, country in GROUPS:
        summaries = [r.summary(country) for r in results]
        table[group] = {}
        for method in methods:
            table[group][method] = {}
            for metric in (*METRICS, "queries"):
                values = np.array([s[method][metric] for s in summaries])
                table[group][method][metric] = (float(np.mean(values)), float(np.std(values)))
    return table


def wins(results: list[SplitResult], metric: str = "recall@10") -> dict[str, int]:
    """Per group, on how many splits the recommender beat every baseline on ``metric``."""
    counts = {}
    for group, country in GROUPS:
        summaries = [r.summary(country) for r in results]
        counts[group] = sum(all(s["recommender"][metric] > s[m][metric] for m in s
                                if m != "recommender") for s in summaries)
    return counts
