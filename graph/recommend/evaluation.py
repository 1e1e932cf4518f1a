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

Scorer = Callable[[int, np.ndarray], np.ndarray]
"""Scores for ``candidates`` (higher ranks first) of one query authority."""

PROTOCOLS = ("holdout", "cold-start", "one-known", "cross-source")
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


@dataclass(frozen=True)
class Split:
    """The hidden pairs of one split, the graph without them, and each query's targets."""

    hidden: np.ndarray
    observed: PartnerGraph
    targets: dict[int, np.ndarray]
    protocol: str = "holdout"


def _split_of(graph: PartnerGraph, hidden: np.ndarray, targets: dict[int, list[int]],
              protocol: str) -> Split:
    observed = graph.without_pairs(map(tuple, hidden.tolist()))
    return Split(hidden, observed, {q: np.array(sorted(t)) for q, t in sorted(targets.items())
                                    if t}, protocol)


def split(graph: PartnerGraph, seed: int, fraction: float = 0.1,
          min_partners: int = 3) -> Split:
    """Protocol (a): hide ``fraction`` of the partnerships of authorities with enough partners.

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
    return _split_of(graph, hidden, targets, "holdout")


def _isolated_queries(graph: PartnerGraph, rng: np.random.Generator, fraction: float,
                      min_partners: int) -> list[int]:
    """A random ``fraction`` of the authorities with ``min_partners`` partners or more, no two
    of them partners (so hiding one's partnerships never touches another's known ones)."""
    eligible = np.flatnonzero(graph.degree >= min_partners)
    if len(eligible) == 0:
        raise ValueError(f"no authority has {min_partners} or more partners to evaluate on")
    wanted = max(1, round(len(eligible) * fraction))
    chosen: list[int] = []
    blocked: set[int] = set()
    for query in rng.permutation(eligible).tolist():
        if query in blocked:
            continue
        chosen.append(query)
        blocked.update(graph.partners_of(query).tolist())
        if len(chosen) == wanted:
            break
    return sorted(chosen)


def cold_start_split(graph: PartnerGraph, seed: int, fraction: float = 0.1,
                     min_partners: int = 3, keep: int = 0) -> Split:
    """Protocols (b) and (c): queries lose all their partnerships but ``keep`` random ones.

    Raises ``ValueError`` when no authority has ``min_partners`` partners.
    """
    rng = np.random.default_rng(seed)
    return _losing_split(graph, _isolated_queries(graph, rng, fraction, min_partners), rng,
                         keep)


def cold_start_rounds(graph: PartnerGraph, seed: int, rounds: int = 10, min_partners: int = 3,
                      keep: int = 0) -> list[Split]:
    """Protocols (b) and (c) asked of (nearly) every eligible authority: ``rounds`` splits
    whose queries are disjoint, each about ``1 / rounds`` of the authorities with
    ``min_partners`` partners, no two of a split partners of each other.

    One split asks a tenth of them, which leaves a small group (the 370 eligible Polish
    authorities) with 35 queries: one query more or less moves its recall@10 by .03. Ten
    rounds ask all of them, at ten fits per seed. Authorities are placed busiest first (a hub
    has the fewest free rounds), each in the smallest round none of its partners is in, ties
    broken at random; one whose partners are in every round is left out.

    Raises ``ValueError`` when no authority has ``min_partners`` partners.
    """
    rng = np.random.default_rng(seed)
    eligible = np.flatnonzero(graph.degree >= min_partners)
    if len(eligible) == 0:
        raise ValueError(f"no authority has {min_partners} or more partners to evaluate on")
    order = eligible[np.lexsort((rng.random(len(eligible)), -graph.degree[eligible]))]
    members: list[list[int]] = [[] for _ in range(rounds)]
    round_of: dict[int, int] = {}
    for query in order.tolist():
        taken = {round_of[p] for p in graph.partners_of(query).tolist() if p in round_of}
        free = [r for r in range(rounds) if r not in taken]
        if not free:
            continue
        smallest = min(len(members[r]) for r in free)
        chosen = int(rng.choice([r for r in free if len(members[r]) == smallest]))
        members[chosen].append(query)
        round_of[query] = chosen
    return [_losing_split(graph, sorted(queries), rng, keep) for queries in members if queries]


def _losing_split(graph: PartnerGraph, queries: list[int], rng: np.random.Generator,
                  keep: int) -> Split:
    """The split in which ``queries`` lose all their partnerships but ``keep`` random ones."""
    hidden: list[tuple[int, int]] = []
    targets: dict[int, list[int]] = {}
    for query in queries:
        partners = graph.partners_of(query)
        kept = set(rng.choice(partners, size=keep, replace=False).tolist()) if keep else set()
        lost = [int(p) for p in partners if int(p) not in kept]
        targets[query] = lost
        hidden += [(min(query, p), max(query, p)) for p in lost]
    return _split_of(graph, np.array(sorted(set(hidden)), dtype=np.int64).reshape(-1, 2),
                     targets, "one-known" if keep else "cold-start")


def cross_source_split(graph: PartnerGraph, only_there: Iterable[tuple[int, int]]) -> Split:
    """Protocol (d): hide the given pairs (those one source holds: a source graph's additions
    to the largest one, or one country's Wikipedia list's own) from every source; both ends
    of each are queries.

    Raises ``ValueError`` when there are none.
    """
    linked = {tuple(p) for p in graph.pairs().tolist()}
    hidden = np.array(sorted(p for p in {(min(a, b), max(a, b)) for a, b in only_there}
                             if p in linked), dtype=np.int64).reshape(-1, 2)
    if len(hidden) == 0:
        raise ValueError("that source holds no partnership of its own")
    targets: dict[int, list[int]] = {}
    for a, b in hidden.tolist():
        targets.setdefault(a, []).append(b)
        targets.setdefault(b, []).append(a)
    return _split_of(graph, hidden, targets, "cross-source")


def split_for(graph: PartnerGraph, protocol: str, seed: int, *, fraction: float = 0.1,
              min_partners: int = 3,
              only_there: Iterable[tuple[int, int]] | None = None) -> Split:
    """The split of ``protocol`` for ``seed`` (``only_there``: the pairs of ``cross-source``).

    Raises ``ValueError`` for an unknown protocol or one with nothing to hide.
    """
    if protocol == "holdout":
        return split(graph, seed, fraction, min_partners)
    if protocol in ("cold-start", "one-known"):
        return cold_start_split(graph, seed, fraction, min_partners,
                                keep=int(protocol == "one-known"))
    if protocol == "cross-source":
        if only_there is None:
            raise ValueError("cross-source needs the pairs only one source holds")
        return cross_source_split(graph, only_there)
    raise ValueError(f"unknown protocol {protocol!r} (protocols: {', '.join(PROTOCOLS)})")


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
    """One result of the splits of several rounds (:func:`cold_start_rounds`): their queries
    together, as if asked in one split."""
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
