"""Offline evaluation: hide partnerships, rebuild, and see who ranks the hidden partners best.

Protocol (issue 8): among the partnerships of authorities with at least ``min_partners``
partners, hide a random ``fraction``; rebuild what the recommender learns from (arrays and
model) from the rest; for every authority that lost a partner and had at least
``min_partners``, rank all authorities it is not (visibly) twinned with, and measure where its
hidden partners land:

* recall@k: the share of its hidden partners in the top k, averaged over authorities;
* MRR: the mean over authorities of 1 / (rank of its best-ranked hidden partner).

The baselines rank the same candidates: most-twinned authorities first, nearest first, closest
in size first, most common partners first, and Adamic-Adar. Ties are broken by a seeded random
order (never by position in the data, which would leak the order the graph was built in), so a
fixed seed gives the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from graph.recommend.data import PartnerGraph
from graph.recommend.features import FeatureContext, haversine_km
from graph.recommend.model import PartnerModel, train

Scorer = Callable[[int, np.ndarray], np.ndarray]
"""Scores for ``candidates`` (higher ranks first) of one query authority."""

METHODS = ("recommender", "most-twinned", "nearest", "same-size", "common-partners",
           "adamic-adar")
METRICS = ("recall@10", "recall@50", "mrr")


@dataclass(frozen=True)
class Split:
    """The hidden pairs of one random split and the graph without them."""

    hidden: np.ndarray
    observed: PartnerGraph
    targets: dict[int, np.ndarray]


def split(graph: PartnerGraph, seed: int, fraction: float = 0.1,
          min_partners: int = 3) -> Split:
    """Hide ``fraction`` of the partnerships that involve an authority with enough partners.

    Raises ``ValueError`` when no authority has ``min_partners`` partners.
    """
    rng = np.random.default_rng(seed)
    pairs = graph.pairs()
    degree = graph.degree
    eligible = pairs[(degree[pairs[:, 0]] >= min_partners) |
                     (degree[pairs[:, 1]] >= min_partners)]
    if len(eligible) == 0:
        raise ValueError(f"no authority has {min_partners} or more partners to evaluate on")
    count = max(1, round(len(eligible) * fraction))
    hidden = eligible[np.sort(rng.choice(len(eligible), size=count, replace=False))]
    targets: dict[int, list[int]] = {}
    for a, b in hidden.tolist():
        for query, partner in ((a, b), (b, a)):
            if degree[query] >= min_partners:
                targets.setdefault(query, []).append(partner)
    observed = graph.without_pairs(map(tuple, hidden.tolist()))
    return Split(hidden, observed, {q: np.array(sorted(t)) for q, t in sorted(targets.items())})


def scorers(observed: PartnerGraph, model: PartnerModel) -> dict[str, Scorer]:
    """The recommender and every baseline, each knowing only the observed graph."""
    context = FeatureContext(observed)

    def recommender(query: int, candidates: np.ndarray) -> np.ndarray:
        features = context.pair_features(np.full(len(candidates), query), candidates)
        return model.score(features)

    def most_twinned(query: int, candidates: np.ndarray) -> np.ndarray:
        return np.asarray(observed.degree[candidates], dtype=np.float64)

    def nearest(query: int, candidates: np.ndarray) -> np.ndarray:
        distance = haversine_km(observed.lat[query], observed.long[query],
                                observed.lat[candidates], observed.long[candidates])
        return np.where(np.isfinite(distance), -distance, -np.inf)

    def same_size(query: int, candidates: np.ndarray) -> np.ndarray:
        gap = np.abs(context.log_population[query] - context.log_population[candidates])
        return np.where(np.isfinite(gap), -gap, -np.inf)

    def common_partners(query: int, candidates: np.ndarray) -> np.ndarray:
        row = (context.adjacency[query] @ context.adjacency).toarray().ravel()
        return np.asarray(row[candidates], dtype=np.float64)

    def adamic_adar(query: int, candidates: np.ndarray) -> np.ndarray:
        row = (context.adjacency[query] @ context.weighted).toarray().ravel()
        return np.asarray(row[candidates], dtype=np.float64)

    return {"recommender": recommender, "most-twinned": most_twinned, "nearest": nearest,
            "same-size": same_size, "common-partners": common_partners,
            "adamic-adar": adamic_adar}


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

    def summary(self, country: str | None = None) -> dict[str, dict[str, float]]:
        """Mean of each metric per method, over all queries or those of one country."""
        keep = [k for k, c in enumerate(self.countries) if country is None or c == country]
        out: dict[str, dict[str, float]] = {}
        for method, values in self.metrics.items():
            out[method] = {m: float(np.mean([values[m][k] for k in keep])) if keep else
                           float("nan") for m in METRICS}
            out[method]["queries"] = float(len(keep))
        return out


def evaluate_split(graph: PartnerGraph, seed: int, *, fraction: float = 0.1,
                   min_partners: int = 3, max_queries: int | None = None,
                   model_seed: int | None = None) -> SplitResult:
    """Hide, rebuild, rank and measure for one seed (deterministic for that seed)."""
    chosen = split(graph, seed, fraction, min_partners)
    model = train(chosen.observed, seed if model_seed is None else model_seed)
    methods = scorers(chosen.observed, model)
    rng = np.random.default_rng(seed + 1_000_003)
    queries = list(chosen.targets)
    if max_queries is not None and len(queries) > max_queries:
        queries = sorted(rng.choice(queries, size=max_queries, replace=False).tolist())
    result = SplitResult(metrics={m: {k: [] for k in METRICS} for m in methods})
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


def evaluate(graph: PartnerGraph, seeds: Iterable[int], **options: int | float | None) -> \
        dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """Mean and standard deviation over splits: ``{group: {method: {metric: (mean, sd)}}}``.

    Groups are ``all``, ``PL`` and ``CZ`` (the project's first two countries).
    """
    results = [evaluate_split(graph, seed, **options) for seed in seeds]  # type: ignore[arg-type]
    return table_of(results)


GROUPS = (("all", None), ("PL", "PL"), ("CZ", "CZ"))


def table_of(results: list[SplitResult]) -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """Mean and standard deviation of each group's metrics over the given splits."""
    table: dict[str, dict[str, dict[str, tuple[float, float]]]] = {}
    for group, country in GROUPS:
        summaries = [r.summary(country) for r in results]
        table[group] = {}
        for method in METHODS:
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
        counts[group] = sum(all(s["recommender"][metric] > s[m][metric] for m in METHODS
                                if m != "recommender") for s in summaries)
    return counts
