"""Evaluate the partner recommender against baselines in four protocols, and time it.

Protocols (issue 16, :mod:`graph.recommend.evaluation`), each over several seeds: (a)
``holdout``, a random 10% of the partnerships of authorities with at least 3 partners hidden;
(b) ``cold-start``, a tenth of those authorities lose all their partnerships and ask with none
known; (c) ``one-known``, the same but each keeps one; (d) ``cross-source``, trained without the
pairs one source holds (hidden from every source) and evaluated on them, for two kinds of
source: every source graph but the largest (the curated data, the partnerships CSV of the seed
documents' examples in ``benchmarks/data/``, a Wikidata harvest when the build has one), with
the pairs it adds to the largest one; and Wikipedia's list of twin towns for each country of
``--listing-countries`` (default: PL CZ), with the pairs only that country's page lists (not
listed from the partner's side) and no other source graph states, read from the Wikipedia file
(``--wikipedia-csv``, default: the bundled one the default build reads) by
:mod:`graph.pipeline.listings`. Each rebuilds what the recommender learns from (arrays and
model), ranks every authority each query authority is not visibly twinned with, and measures
recall@10, recall@50 and MRR of the hidden partners, for the recommender and the baselines
(most-twinned, nearest, same size, nearest of similar size abroad, common partners and
Adamic-Adar where the query has partners), per country group.

Usage::

    .venv/bin/python benchmarks/recommender_evaluation.py --store DIR [--seeds 1 2 3 4 5]
        [--protocols holdout cold-start one-known cross-source] [--max-queries N]
        [--listing-countries PL CZ] [--wikipedia-csv FILE] [--rounds 10]
    .venv/bin/python benchmarks/recommender_evaluation.py          # builds the Wikipedia graph

Without ``--store`` it builds the graph from ``wikipedia_twin_towns_raw.csv`` (setting
``SHARED_DATA_DIR``), the curated data and :data:`SEED_PARTNERSHIPS` into a temporary directory
first. ``--json`` prints
``{protocol: table}`` as JSON (used by the determinism test); figures are deterministic for
fixed seeds. Wikipedia rows that map to no pair of the graph are counted on standard error.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from pyoxigraph import Store

from graph.core.store_layout import published
from graph.ingest.bundled import DATA_DIR
from graph.ingest.sources import wikipedia
from graph.pipeline.listings import base_of, listing_sides, register_units
from graph.recommend.data import PartnerGraph, load_partner_graph, pair_sources, store_rows
from graph.recommend.evaluation import (
    METRICS,
    SplitResult,
    Table,
    evaluate_on,
    evaluate_split,
    merged,
    table_of,
    wins,
)
from graph.recommend.model import train
from graph.recommend.splits import PROTOCOLS, cold_start_rounds, cross_source_split
from graph.recommend.suggest import Recommender

SEED_PARTNERSHIPS = Path(__file__).resolve().parent / "data" / "seed_partnerships.csv"
"""The partnerships the seed documents name, as a partnerships CSV (origin in SOURCES.md)."""
WIKIPEDIA_CSV = DATA_DIR / "wikipedia" / "wikipedia_twin_towns_raw.csv.xz"
"""The Wikipedia file the default build reads (bundled; the same rows as the shared file)."""
Pairs = dict[str, set[tuple[int, int]]]


def wikipedia_store(target: Path) -> Path:
    """Build the graph from the shared Wikipedia file with the project's own build."""
    from graph.core.settings import setting
    from graph.pipeline.build import build

    source = Path(setting("SHARED_DATA_DIR")) / "wikipedia_twin_towns_raw.csv"
    print(f"building {source} into {target} ...", file=sys.stderr)
    build(target, ["curated", f"wikipedia:{source}", f"partnerships:{SEED_PARTNERSHIPS}"],
          setting("BASE_IRI"))
    return target


def load(store_dir: Path) -> tuple[PartnerGraph, Pairs]:
    """The recommender's arrays for the published graph in ``store_dir``, and for every source
    graph but the one stating the most pairs, the pairs it adds to that one."""
    graph, by_source = source_pairs(store_dir)
    return graph, adds_to_largest(by_source)


def source_pairs(store_dir: Path) -> tuple[PartnerGraph, Pairs]:
    """The recommender's arrays for the published graph in ``store_dir``, and the linked pairs
    each source graph states, by the graph's last path segment (``wikipedia``)."""
    store = Store.read_only(str(published(store_dir).oxigraph))
    graph = load_partner_graph(store_rows(store))
    by_source = pair_sources(store_rows(store), graph)
    return graph, {source.rsplit("/", 1)[-1]: pairs for source, pairs in by_source.items()}


def adds_to_largest(by_source: Pairs) -> Pairs:
    """For every source graph but the one stating the most pairs, the pairs it adds to it.

    Why "adds to the largest" rather than "states alone": two small sources may hold the same
    pairs (the curated data and the seed documents' CSV are made from the same texts), and
    neither would then have a pair of its own; the cross-source split hides the pairs from
    every source, so the model never sees them in any form either way.
    """
    largest = max(by_source, key=lambda g: len(by_source[g]), default=None)
    return {source: pairs - by_source[largest] for source, pairs in sorted(by_source.items())
            if largest is not None and source != largest and pairs - by_source[largest]}


def listed_alone(store_dir: Path, graph: PartnerGraph, by_source: Pairs, wikipedia_csv: Path,
                 countries: list[str]) -> Pairs:
    """For each of ``countries`` (ISO alpha-2), the linked pairs only its Wikipedia list holds:
    listed from that country's side alone, and stated by no source graph but Wikipedia's.

    Rows of ``wikipedia_csv`` that map to no pair of the graph are counted on standard error.
    A store published without a reconciliation report (a test fixture) is read without the
    register units the build linked authorities to.
    """
    report = published(store_dir).reports / "reconciliation.csv"
    if not report.is_file():
        print(f"{report} is missing: authorities are not looked up by register unit",
              file=sys.stderr)
    units = register_units(report) if report.is_file() else {}
    listings = listing_sides(wikipedia_csv, graph.index, units, base=base_of(graph.iris))
    print(f"{wikipedia_csv.name}: {listings.rows_read} rows, {len(listings.unmapped)} map to no "
          "pair of the graph" + "".join(f"\n  row {r.row}: {r.reason}"
                                          for r in listings.unmapped[:10]), file=sys.stderr)
    linked = {(int(a), int(b)) for a, b in graph.pairs().tolist()}
    elsewhere: set[tuple[int, int]] = set()
    for source, pairs in by_source.items():
        if source != wikipedia.KIND:
            elsewhere |= pairs
    names = [str(c) for c in graph.countries]
    alone = {c: (listings.held_only_by(c, names) & linked) - elsewhere for c in countries}
    return {country: pairs for country, pairs in alone.items() if pairs}


def run_protocol(graph: PartnerGraph, protocol: str, seeds: list[int],
                 max_queries: int | None, added: Pairs,
                 listed: Pairs | None = None, rounds: int = 1) -> dict[str, list[SplitResult]]:
    """The results of every seed, by protocol label (``cross-source`` gets one per source:
    each source graph of ``added``, each country's Wikipedia list of ``listed``).

    With ``rounds`` over 1, ``cold-start`` and ``one-known`` ask every eligible authority once
    per seed, in that many disjoint splits (:func:`asked_in_rounds`)."""
    if protocol in ("cold-start", "one-known") and rounds > 1:
        return {protocol: [asked_in_rounds(graph, protocol, seed, rounds, max_queries)
                           for seed in seeds]}
    if protocol != "cross-source":
        return {protocol: [evaluate_split(graph, seed, protocol=protocol,
                                          max_queries=max_queries) for seed in seeds]}
    sources = {f"{source} adds {len(pairs)} pairs": pairs for source, pairs in added.items()}
    sources.update({f"Wikipedia's list for {country} alone holds {len(pairs)} pairs": pairs
                    for country, pairs in (listed or {}).items()})
    out = {}
    for source, pairs in sources.items():
        chosen = cross_source_split(graph, pairs)
        out[f"cross-source ({source})"] = [
            evaluate_on(graph, chosen, seed, max_queries=max_queries) for seed in seeds]
    return out


def asked_in_rounds(graph: PartnerGraph, protocol: str, seed: int, rounds: int,
                    max_queries: int | None) -> SplitResult:
    """One seed of ``cold-start`` or ``one-known`` over ``rounds`` disjoint splits
    (:func:`graph.recommend.splits.cold_start_rounds`), a model fitted for each, merged into
    one result; ``max_queries`` is shared out among the rounds (Poland's and Czechia's queries
    are all ranked in any case)."""
    splits = cold_start_rounds(graph, seed, rounds, keep=int(protocol == "one-known"))
    share = None if max_queries is None else max(1, max_queries // len(splits))
    return merged([evaluate_on(graph, split, seed * 1_000 + number, max_queries=share,
                               model_seed=seed)
                   for number, split in enumerate(splits)])


def timing(graph: PartnerGraph, samples: int, seed: int) -> dict[str, float]:
    """Milliseconds per ``suggest`` call (10 suggestions with reasons) for random authorities."""
    started = time.perf_counter()
    model = train(graph, seed)
    fitted = time.perf_counter() - started
    recommender = Recommender(graph, model)
    rng = np.random.default_rng(seed)
    picks = rng.choice(graph.size, size=min(samples, graph.size), replace=False)
    times = []
    for i in picks.tolist():
        start = time.perf_counter()
        recommender.suggest(graph.iris[i], n=10)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"fit_seconds": fitted, "median_ms": statistics.median(times),
            "p95_ms": times[int(0.95 * (len(times) - 1))], "max_ms": times[-1],
            "calls": float(len(times))}


def print_table(table: Table, won: dict[str, int], won_mrr: dict[str, int],
                splits: int) -> None:
    """The evaluation table, one block per group, and the margins on recall@10."""
    for group, methods in table.items():
        queries = methods["recommender"]["queries"][0]
        print(f"\n  {group}: {queries:.0f} query authorities per split (mean)")
        print(f"    {'method':26s}" + "".join(f"{m:>18s}" for m in METRICS))
        for method in methods:
            cells = "".join(f"{mean:>11.3f} ± {sd:<5.3f}" for mean, sd in
                            (methods[method][m] for m in METRICS))
            print(f"    {method:26s}{cells}")
        baselines = [m for m in methods if m != "recommender"]
        ours = methods["recommender"]["recall@10"][0]
        best = max(baselines, key=lambda b: methods[b]["recall@10"][0])
        theirs = methods[best]["recall@10"][0]
        ratio = f" (x{ours / theirs:.2f})" if theirs > 0 else ""
        verdict = "beats" if all(ours > methods[b]["recall@10"][0] for b in baselines) else \
            "does NOT beat"
        print(f"    recall@10: recommender {verdict} every baseline; vs the best ({best}): "
              f"{ours:.3f} vs {theirs:.3f}, {ours - theirs:+.3f}{ratio}; ahead of all "
              f"baselines on {won[group]} of {splits} splits (MRR: {won_mrr[group]} of "
              f"{splits})")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation (and, unless ``--json``, the timing) and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--protocols", nargs="+", choices=PROTOCOLS, default=list(PROTOCOLS))
    parser.add_argument("--max-queries", type=int, default=None,
                        help="Sample this many query authorities per split (default: all).")
    parser.add_argument("--rounds", type=int, default=1,
                        help="cold-start and one-known: ask every eligible authority once per "
                        "seed, in this many disjoint splits (a model fit each; default: one "
                        "split of a tenth of them).")
    parser.add_argument("--timing-samples", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="Print the tables as JSON only.")
    parser.add_argument("--listing-countries", nargs="*", default=["PL", "CZ"], type=str.upper,
                        help="Cross-source: the countries whose Wikipedia list is a source.")
    parser.add_argument("--wikipedia-csv", type=Path, default=WIKIPEDIA_CSV,
                        help="The Wikipedia file the store was built from (plain or .xz).")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        store_dir = options.store or wikipedia_store(Path(scratch) / "store")
        graph, by_source = source_pairs(store_dir)
        added = adds_to_largest(by_source)
        listed = listed_alone(store_dir, graph, by_source, options.wikipedia_csv,
                              options.listing_countries) if (
            "cross-source" in options.protocols and options.listing_countries) else {}
        started = time.perf_counter()
        results: dict[str, list[SplitResult]] = {}
        for protocol in options.protocols:
            results.update(run_protocol(graph, protocol, options.seeds, options.max_queries,
                                        added, listed, options.rounds))
        seconds = time.perf_counter() - started
    tables = {label: table_of(split_results) for label, split_results in results.items()}
    if options.json:
        print(json.dumps(tables, indent=1, sort_keys=True))
        return 0
    print(f"graph: {graph.size:,} authorities, {len(graph.pairs()):,} linked pairs; seeds "
          f"{options.seeds}; evaluation took {seconds:.0f} s")
    print("metrics: mean ± standard deviation over the splits")
    for label, table in tables.items():
        print(f"\n== {label}")
        print_table(table, wins(results[label]), wins(results[label], "mrr"),
                    len(results[label]))
    if "cross-source" in options.protocols and not added:
        print("\n== cross-source: no source adds a pair to the largest one")
    for country in options.listing_countries if "cross-source" in options.protocols else []:
        if country not in listed:
            print(f"\n== cross-source: Wikipedia's list for {country} holds no pair alone")
    figures = timing(graph, options.timing_samples, options.seeds[0])
    print(f"\nsuggest(): {figures['calls']:.0f} random authorities, 10 suggestions with reasons "
          f"each: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, max "
          f"{figures['max_ms']:.1f} ms (model fitted in {figures['fit_seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
