"""How fast "Find a partner" answers over HTTP on the full default graph (issue 16: p95 under
100 ms).

Starts ``twinkg serve`` on a published store (``--store``; without it, ``twinkg build`` of the
default graph first: curated data, registers, NUTS, the Wikipedia list), picks ``--count``
Polish and Czech register units at random (most of them have no partner yet: the cold start a
gmina or obec meets), and asks ``GET /api/suggest?authority=...`` for each one once, over one
persistent connection, after a few warm-up requests. Prints statuses, p50, p95 and the worst
time, and the share of askers without partners.

    .venv/bin/python benchmarks/suggest_http_benchmark.py [--store DIR] [--count 300]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import TWINKG, start_twinkg

UNITS = """PREFIX tkg: <https://w3id.org/twinning-kg/def#>
SELECT ?a (COUNT(?p) AS ?partners) WHERE {
  { ?a tkg:teryt ?code } UNION { ?a tkg:czechMunicipalityCode ?code }
  OPTIONAL { ?a tkg:twinnedWith ?p }
} GROUP BY ?a"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="twinkg-suggest-"))
    store = args.store
    if store is None:
        store = workdir / "store"
        started = time.monotonic()
        subprocess.run([TWINKG, "build", "--store", str(store)], check=True)
        print(f"default build: {time.monotonic() - started:.1f} s")
    server = start_twinkg(workdir, store=store, workers=2)
    try:
        with requests.Session() as session:
            rows = session.post(server.sparql, data={"query": UNITS}, timeout=120,
                                headers={"Accept": "application/sparql-results+json"},
                                ).json()["results"]["bindings"]
            units = {r["a"]["value"]: int(r["partners"]["value"]) for r in rows}
            askers = random.Random(args.seed).sample(sorted(units), min(args.count,
                                                                       len(units)))
            for asker in askers[:5]:
                session.get(f"{server.url}/api/suggest", params={"authority": asker},
                            timeout=60)
            times, statuses = [], {}
            for asker in askers:
                begun = time.perf_counter()
                answer = session.get(f"{server.url}/api/suggest",
                                     params={"authority": asker}, timeout=60)
                times.append((time.perf_counter() - begun) * 1000)
                statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
    finally:
        server.stop()
    times.sort()
    alone = sum(1 for a in askers if units[a] == 0)
    print(f"{len(units)} register units; {len(askers)} askers, {alone} without partners")
    print(f"statuses {statuses}")
    print(f"/api/suggest over HTTP: p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms "
          f"(target: p95 under 100 ms)")


if __name__ == "__main__":
    main()
