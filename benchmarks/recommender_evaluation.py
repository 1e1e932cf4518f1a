"""Evaluate the partner recommender against baselines, and time its suggestions.

Protocol (issue 8, :mod:`graph.recommend.evaluation`): hide a random 10% of the partnerships
of authorities with at least 3 partners, rebuild what the recommender learns from (arrays and
model), rank every authority each affected authority is not visibly twinned with, and measure
recall@10, recall@50 and MRR of the hidden partners, for the recommender and the baselines
(most-twinned, nearest, same size, common partners, Adamic-Adar), over several seeds.

Usage::

    .venv/bin/python benchmarks/recommender_evaluation.py --store DIR [--seeds 1 2 3 4 5]
    .venv/bin/python benchmarks/recommender_evaluation.py          # builds the Wikipedia graph

Without ``--store`` it builds the graph from ``wikipedia_twin_towns_raw.csv`` (setting
``SHARED_DATA_DIR``) into a temporary directory first. ``--json`` prints the table as JSON
(used by the determinism test); figures are deterministic for fixed seeds.
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

from graph.publish import published
from graph.recommend.data import PartnerGraph, load_partner_graph, store_rows
from graph.recommend.evaluation import METHODS, METRICS, evaluate_split, table_of, wins
from graph.recommend.model import train
from graph.recommend.suggest import Recommender

BASELINES = [m for m in METHODS if m != "recommender"]


def wikipedia_store(target: Path) -> Path:
    """Build the graph from the shared Wikipedia file with the project's own build."""
    from graph.build import build
    from graph.settings import setting

    source = Path(setting("SHARED_DATA_DIR")) / "wikipedia_twin_towns_raw.csv"
    print(f"building {source} into {target} ...", file=sys.stderr)
    build(target, [f"wikipedia:{source}"], setting("BASE_IRI"))
    return target


def load(store_dir: Path) -> PartnerGraph:
    """The recommender's arrays for the published graph in ``store_dir``."""
    store = Store.read_only(str(published(store_dir).oxigraph))
    return load_partner_graph(store_rows(store))


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


def print_table(table: dict[str, dict[str, dict[str, tuple[float, float]]]],
                won: dict[str, int], splits: int) -> None:
    """The evaluation table, one block per group, and the margins on recall@10."""
    for group, methods in table.items():
        queries = methods["recommender"]["queries"][0]
        print(f"\n{group}: {queries:.0f} query authorities per split (mean)")
        print(f"  {'method':16s}" + "".join(f"{m:>18s}" for m in METRICS))
        for method in METHODS:
            cells = "".join(f"{mean:>11.3f} ± {sd:<5.3f}" for mean, sd in
                            (methods[method][m] for m in METRICS))
            print(f"  {method:16s}{cells}")
        ours = methods["recommender"]["recall@10"][0]
        best = max(BASELINES, key=lambda b: methods[b]["recall@10"][0])
        theirs = methods[best]["recall@10"][0]
        ratio = f" (x{ours / theirs:.2f})" if theirs > 0 else ""
        verdict = "beats" if all(ours > methods[b]["recall@10"][0] for b in BASELINES) else \
            "does NOT beat"
        print(f"  recall@10: recommender {verdict} every baseline; vs the best ({best}): "
              f"{ours:.3f} vs {theirs:.3f}, {ours - theirs:+.3f}{ratio}; ahead of all "
              f"baselines on {won[group]} of {splits} splits")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation (and, unless ``--json``, the timing) and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--max-queries", type=int, default=None,
                        help="Sample this many query authorities per split (default: all).")
    parser.add_argument("--timing-samples", type=int, default=300)
    parser.add_argument("--json", action="store_true", help="Print the table as JSON only.")
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        store_dir = options.store or wikipedia_store(Path(scratch) / "store")
        graph = load(store_dir)
        started = time.perf_counter()
        results = [evaluate_split(graph, seed, max_queries=options.max_queries)
                   for seed in options.seeds]
        table = table_of(results)
        seconds = time.perf_counter() - started
    if options.json:
        print(json.dumps(table, indent=1, sort_keys=True))
        return 0
    print(f"graph: {graph.size:,} authorities, {len(graph.pairs()):,} linked pairs; seeds "
          f"{options.seeds}; evaluation took {seconds:.0f} s")
    print("metrics: mean ± standard deviation over the splits")
    print_table(table, wins(results), len(results))
    figures = timing(graph, options.timing_samples, options.seeds[0])
    print(f"\nsuggest(): {figures['calls']:.0f} random authorities, 10 suggestions with reasons "
          f"each: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, max "
          f"{figures['max_ms']:.1f} ms (model fitted in {figures['fit_seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
