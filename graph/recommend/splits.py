"""The splits of the offline evaluation: which partnerships each protocol hides, and whose.

:mod:`graph.recommend.evaluation` trains on a split's observed graph and ranks for its queries,
and its docstring describes the four protocols; this module only chooses what each hides and
who asks. Every choice is seeded, so a fixed seed hides the same partnerships.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from graph.recommend.data import PartnerGraph

PROTOCOLS = ("holdout", "cold-start", "one-known", "cross-source")


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


def _eligible(graph: PartnerGraph, min_partners: int) -> np.ndarray:
    """The authorities with ``min_partners`` partners or more; ``ValueError`` when none has."""
    eligible = np.flatnonzero(graph.degree >= min_partners)
    if len(eligible) == 0:
        raise ValueError(f"no authority has {min_partners} or more partners to evaluate on")
    return eligible


def _isolated_queries(graph: PartnerGraph, rng: np.random.Generator, fraction: float,
                      min_partners: int) -> list[int]:
    """A random ``fraction`` of the authorities with ``min_partners`` partners or more, no two
    of them partners (so hiding one's partnerships never touches another's known ones)."""
    eligible = _eligible(graph, min_partners)
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

    One split asks a tenth of them, which leaves a small group (the 374 eligible Polish
    authorities) with 35 queries: one query more or less moves its recall@10 by .03. Ten
    rounds ask all of them, at ten fits per seed. Authorities are placed busiest first (a hub
    has the fewest free rounds), each in the smallest round none of its partners is in, ties
    broken at random; one whose partners are in every round is left out.

    Raises ``ValueError`` when no authority has ``min_partners`` partners.
    """
    rng = np.random.default_rng(seed)
    eligible = _eligible(graph, min_partners)
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
