"""The hidden-partnership evaluation: deterministic for a fixed seed, and measuring what it says.

Runs on the small published fixture (tests/data/recommend/), both through
:mod:`graph.recommend.evaluation` and through the benchmark script itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pyoxigraph import Store

from graph.core.store_layout import published
from graph.recommend.data import PartnerGraph, load_partner_graph, pair_sources, store_rows
from graph.recommend.evaluation import (
    METHODS,
    NETWORK_BASELINES,
    evaluate,
    evaluate_on,
    evaluate_split,
    merged,
)
from graph.recommend.splits import (
    PROTOCOLS,
    cold_start_rounds,
    cold_start_split,
    cross_source_split,
    split,
)
from tests.recommend_support import evaluation_benchmark, publish_fixture

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "recommender_evaluation.py"


@pytest.fixture(scope="module")
def recommend_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_fixture(tmp_path_factory.mktemp("evaluation-store"))


@pytest.fixture(scope="module")
def graph(recommend_store: Path) -> PartnerGraph:
    store = Store.read_only(str(published(recommend_store).oxigraph))
    return load_partner_graph(store_rows(store))


def test_the_split_hides_a_tenth_of_the_partnerships_of_well_connected_authorities(
        graph: PartnerGraph) -> None:
    chosen = split(graph, seed=3)
    degree = graph.degree
    pairs = {tuple(p) for p in graph.pairs().tolist()}
    eligible = [p for p in pairs if max(degree[p[0]], degree[p[1]]) >= 3]
    assert len(chosen.hidden) == max(1, round(0.1 * len(eligible)))
    for a, b in chosen.hidden.tolist():
        assert (a, b) in pairs and max(degree[a], degree[b]) >= 3
        # Hidden from what the recommender learns from, and the target of a query.
        assert b not in chosen.observed.partners_of(a)
        assert b in chosen.targets.get(a, []) or a in chosen.targets.get(b, [])
    assert len(chosen.observed.pairs()) == len(pairs) - len(chosen.hidden)
    assert all(degree[q] >= 3 for q in chosen.targets)


def test_different_seeds_hide_different_partnerships(graph: PartnerGraph) -> None:
    hidden = {tuple(map(tuple, split(graph, seed).hidden.tolist())) for seed in range(6)}
    assert len(hidden) > 1


def test_evaluation_is_deterministic_for_a_fixed_seed(graph: PartnerGraph) -> None:
    first = evaluate(graph, [1, 2])
    second = evaluate(graph, [1, 2])
    # Compared as JSON: a group without queries (CZ on some splits) is NaN, never equal to NaN.
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert set(first) == {"all", "PL", "CZ"} and set(first["all"]) == set(METHODS)
    for methods in first.values():
        for metrics in methods.values():
            for name in ("recall@10", "recall@50", "mrr"):
                mean, spread = metrics[name]
                assert np.isnan(mean) or 0.0 <= mean <= 1.0
                assert np.isnan(spread) or spread >= 0.0


def test_metrics_follow_from_the_ranks(graph: PartnerGraph) -> None:
    result = evaluate_split(graph, 5)
    assert result.countries
    for values in result.metrics.values():
        for r10, r50, mrr in zip(values["recall@10"], values["recall@50"], values["mrr"],
                                 strict=True):
            assert r10 <= r50
            # With fewer than 50 candidates every hidden partner is in the top 50.
            assert graph.size > 50 or r50 == 1.0
            assert 0.0 < mrr <= 1.0


def test_a_sample_of_queries_stands_for_all_and_poland_and_czechia_keep_every_query(
        graph: PartnerGraph) -> None:
    chosen = split(graph, seed=5, fraction=0.5)
    named = sorted(str(graph.countries[q]) for q in chosen.targets
                   if graph.countries[q] in ("PL", "CZ"))
    assert len(chosen.targets) > 3 and named
    result = evaluate_on(graph, chosen, 5, max_queries=2)
    assert sum(result.sampled) == 2
    # Every Polish and Czech query is ranked, sampled or not; the others only when sampled.
    assert sorted(c for c in result.countries if c in ("PL", "CZ")) == named
    assert all(sampled or country in ("PL", "CZ")
               for sampled, country in zip(result.sampled, result.countries, strict=True))
    summary = result.summary()
    assert summary["recommender"]["queries"] == 2
    assert result.summary("PL")["recommender"]["queries"] == named.count("PL")
    unsampled = evaluate_on(graph, chosen, 5)
    assert all(unsampled.sampled) and len(unsampled.countries) == len(chosen.targets)


def test_the_benchmark_script_prints_the_same_json_twice(recommend_store: Path) -> None:
    command = [sys.executable, str(SCRIPT), "--store", str(recommend_store), "--seeds", "4",
               "7", "--json"]
    runs = [subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT,
                           timeout=300) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout
    tables = json.loads(runs[0].stdout)
    assert {"holdout", "cold-start", "one-known"} <= set(tables)
    for label, table in tables.items():
        assert table["all"]["recommender"]["queries"][0] > 0, label
    assert set(tables["cold-start"]["all"]) == set(METHODS) - set(NETWORK_BASELINES)


@pytest.mark.parametrize("keep", [0, 1])
def test_cold_start_hides_every_partnership_of_its_queries_but_the_kept_ones(
        graph: PartnerGraph, keep: int) -> None:
    chosen = cold_start_split(graph, seed=2, fraction=0.5, keep=keep)
    assert chosen.protocol == ("one-known" if keep else "cold-start")
    assert chosen.targets
    queries = set(chosen.targets)
    for query, targets in chosen.targets.items():
        assert graph.degree[query] >= 3
        known = chosen.observed.partners_of(query)
        assert len(known) == keep
        # Every former partner is either still known or a target, never both.
        assert sorted([*known.tolist(), *targets.tolist()]) == graph.partners_of(query).tolist()
        # No two queries are partners: hiding one's partnerships never touches another's.
        assert not queries & set(graph.partners_of(query).tolist())
    assert len(chosen.observed.pairs()) == len(graph.pairs()) - len(chosen.hidden)


@pytest.mark.parametrize("keep", [0, 1])
def test_rounds_ask_every_eligible_authority_once_never_with_a_partner_of_its_round(
        graph: PartnerGraph, keep: int) -> None:
    rounds = cold_start_rounds(graph, seed=4, rounds=3, keep=keep)
    assert len(rounds) == 3
    asked = [q for chosen in rounds for q in chosen.targets]
    eligible = set(np.flatnonzero(graph.degree >= 3).tolist())
    assert len(asked) == len(set(asked))  # each authority in one round at most
    assert set(asked) <= eligible
    left_out = eligible - set(asked)
    for query in left_out:  # left out only when a partner is in every round
        assert all(set(graph.partners_of(query).tolist()) & set(chosen.targets)
                   for chosen in rounds)
    assert len(left_out) <= len(eligible) // 10
    sizes = sorted(len(chosen.targets) for chosen in rounds)
    assert sizes[-1] - sizes[0] <= 1  # the rounds are as even as the partners allow
    for chosen in rounds:
        queries = set(chosen.targets)
        assert chosen.protocol == ("one-known" if keep else "cold-start")
        for query, targets in chosen.targets.items():
            known = chosen.observed.partners_of(query)
            assert len(known) == keep
            assert sorted([*known.tolist(), *targets.tolist()]) == \
                graph.partners_of(query).tolist()
            assert not queries & set(graph.partners_of(query).tolist())
    again = cold_start_rounds(graph, seed=4, rounds=3, keep=keep)
    assert [sorted(c.targets) for c in again] == [sorted(c.targets) for c in rounds]
    other = cold_start_rounds(graph, seed=5, rounds=3, keep=keep)
    assert [sorted(c.targets) for c in other] != [sorted(c.targets) for c in rounds]


def test_merged_rounds_average_over_every_query_of_every_round(graph: PartnerGraph) -> None:
    first, second = cold_start_rounds(graph, seed=6, rounds=2)
    results = [evaluate_on(graph, first, 6), evaluate_on(graph, second, 7, max_queries=1)]
    together = merged(results)
    assert together.countries == results[0].countries + results[1].countries
    assert together.sampled == [True] * len(results[0].countries) + results[1].sampled
    for method in together.metrics:
        values = [v for r in results for k, v in enumerate(r.metrics[method]["mrr"])
                  if not r.sampled or r.sampled[k]]
        assert together.summary()[method]["mrr"] == pytest.approx(np.mean(values))
    with pytest.raises(ValueError):
        merged([])


def test_the_benchmark_asks_in_rounds_one_merged_result_per_seed(graph: PartnerGraph) -> None:
    bench = evaluation_benchmark()
    results = bench.run_protocol(graph, "cold-start", [3, 4], None, {}, rounds=2)["cold-start"]
    assert len(results) == 2
    eligible = int(np.count_nonzero(graph.degree >= 3))
    for seed, result in zip([3, 4], results, strict=True):
        asked = sum(len(c.targets) for c in cold_start_rounds(graph, seed, 2))
        assert len(result.countries) == asked > eligible // 2
        assert set(result.metrics) == set(METHODS) - set(NETWORK_BASELINES)
    one = bench.run_protocol(graph, "cold-start", [3], None, {})["cold-start"][0]
    assert len(one.countries) < len(results[0].countries)


def test_cold_start_queries_are_asked_with_no_partner_and_no_network_baseline(
        graph: PartnerGraph) -> None:
    result = evaluate_split(graph, 3, protocol="cold-start", fraction=0.5)
    assert result.countries and result.protocol == "cold-start"
    assert set(result.metrics) == set(METHODS) - set(NETWORK_BASELINES)


def test_cross_source_hides_the_pairs_only_one_source_states(recommend_store: Path,
                                                             graph: PartnerGraph) -> None:
    store = Store.read_only(str(published(recommend_store).oxigraph))
    by_source = pair_sources(store_rows(store), graph)
    linked = {tuple(p) for p in graph.pairs().tolist()}
    assert set().union(*by_source.values()) == linked
    for source, pairs in by_source.items():
        others = set().union(*(p for g, p in by_source.items() if g != source))
        only = pairs - others
        if not only:
            with pytest.raises(ValueError, match="no partnership of its own"):
                cross_source_split(graph, only)
            continue
        chosen = cross_source_split(graph, only)
        assert {tuple(p) for p in chosen.hidden.tolist()} == only
        assert {tuple(p) for p in chosen.observed.pairs().tolist()} == linked - only
        if len(linked - only) < 5:
            continue  # too little left to learn from (the fixture's main source)
        result = evaluate_split(graph, 1, protocol="cross-source", only_there=only)
        assert result.countries and set(result.metrics) == set(METHODS)


def test_unknown_protocols_are_refused(graph: PartnerGraph) -> None:
    assert "holdout" in PROTOCOLS
    with pytest.raises(ValueError, match="unknown protocol"):
        evaluate_split(graph, 1, protocol="leave-it-out")


def test_cross_source_evaluates_on_a_second_sources_own_pairs() -> None:
    from pyoxigraph import NamedNode, Quad, RdfFormat

    from tests.recommend_support import BASE, FIXTURE

    store = Store()
    store.load(path=str(FIXTURE), format=RdfFormat.TRIG)
    harvest = NamedNode("https://w3id.org/twinning-kg/id/graph/wikidata")
    twinned = NamedNode("https://w3id.org/twinning-kg/def#twinnedWith")
    new = [("pl/gniezno", "cz/kutná-hora"), ("pl/kraków", "pl/słubice")]
    for a, b in new:
        store.add(Quad(NamedNode(BASE + a), twinned, NamedNode(BASE + b), harvest))
    everything = load_partner_graph(store_rows(store))
    by_source = pair_sources(store_rows(store), everything)
    only = by_source[harvest.value] - by_source["https://w3id.org/twinning-kg/id/graph/curated"]
    expected = {tuple(sorted((everything.index[BASE + a], everything.index[BASE + b])))
                for a, b in new}
    assert only == expected
    result = evaluate_split(everything, 1, protocol="cross-source", only_there=only)
    assert sorted(result.countries) == sorted(str(everything.countries[i])
                                              for pair in expected for i in pair)
    assert set(result.metrics) == set(METHODS)
