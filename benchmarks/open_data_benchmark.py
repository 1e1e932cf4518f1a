"""Open-data hook benchmark: time of ``graph.opendata.documents.publish_open_data`` and of its
steps.

Run from the repository root on a store made by ``twinkg build``::

    .venv/bin/twinkg build --store /tmp/d2 \\
        --source wikipedia:../shared/data/wikipedia_twin_towns_raw.csv
    .venv/bin/python benchmarks/open_data_benchmark.py /tmp/d2

The published build's quads are loaded into an in-memory pyoxigraph store, as the build holds
them when it calls the hook; the hook then writes into a copy of the build's dumps folder (the
catalogue lists the N-Quads and Turtle dumps), never into the published build. Each figure is
the best of ``--repeat`` runs, because the machine is shared.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from graph.core.store_layout import published
from graph.opendata.catalog import CatalogSettings, catalog_for_store
from graph.opendata.documents import publish_open_data
from graph.opendata.jsonld_dump import JSONLD_DUMP_NAME, write_jsonld_dump
from graph.opendata.void import void_statistics


def best_of(repeat: int, step: Callable[[], object]) -> float:
    """The shortest wall time of ``repeat`` runs of ``step``, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", type=Path, help="a store folder made by twinkg build")
    parser.add_argument("--base-iri", default="https://w3id.org/twinning-kg/")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    build = published(args.store)
    started = time.perf_counter()
    store = ox.Store()
    store.bulk_extend(ox.Store.read_only(str(build.oxigraph)).quads_for_pattern(
        None, None, None, None))
    print(f"{len(store)} quads of build {build.version} loaded in "
          f"{time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copytree(build.dumps, root / "dumps")
        settings = CatalogSettings(args.base_iri)
        steps: dict[str, Callable[[], object]] = {
            "JSON-LD dump": lambda: write_jsonld_dump(store, root / "dumps", args.base_iri),
            "VoID statistics": lambda: void_statistics(store),
            "DCAT-AP catalogue": lambda: catalog_for_store(
                store, root / "dumps", settings, modified=datetime.now(UTC),
                version=build.version),
            "whole hook": lambda: publish_open_data(store, root, version=build.version,
                                                    base_iri=args.base_iri),
        }
        for name, step in steps.items():
            print(f"{name}: {best_of(args.repeat, step):.2f} s (best of {args.repeat})")
        size = (root / "dumps" / JSONLD_DUMP_NAME).stat().st_size
        print(f"{JSONLD_DUMP_NAME}: {size:,} bytes")


if __name__ == "__main__":
    main()
