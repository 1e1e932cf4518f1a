"""A long fuzz run against the public SPARQL endpoint of a real ``twinkg serve`` (issue 13).

The CI share is ``tests/test_endpoint_fuzz.py`` (5,000 queries); this is the same harness with
every knob: how many queries, how many client threads, which seed, which store. It prints the
answers by status, every 5xx and every request that went unanswered (each with its query, so
it can be replayed with the same seed), what the server's log says went wrong (tracebacks by
last line, gunicorn worker timeouts and restarts), the server's memory (PSS of its process
tree) before and after, and how fast an everyday query is answered afterwards.

Run from the repository root::

    .venv/bin/python benchmarks/fuzz_endpoint.py                        # 20,000 queries
    .venv/bin/python benchmarks/fuzz_endpoint.py --count 100000 --seed 7 --clients 8
    .venv/bin/python benchmarks/fuzz_endpoint.py --store var/store      # a real build
    .venv/bin/python benchmarks/fuzz_endpoint.py --build                # build the Wikipedia file

Exit status 1 when any answer was a 5xx or any request got no answer.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.server_tools import build_wikipedia, pss_mib
from graph.core.settings import setting
from tests.endpoint_support import fuzz_endpoint, send, serve_fixture_store
from tests.fuzz_queries import EVERYDAY, fuzz_queries
from tests.servers import start_twinkg


def log_summary(log: Path) -> list[str]:
    """What went wrong according to the server's log: each exception line of a traceback
    (``SomeError: message``) and each web worker's unexpected exit or respawn, counted."""
    found: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        if re.match(r"[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)(: |$)", line):
            found["exception: " + line[:160]] += 1
        elif re.search(r"Unexpected exit from worker|Respawning worker|Spawning worker",
                       line):
            found["web server: " + re.sub(r"\d+", "N", line.split("] ", 2)[-1])[:160]] += 1
    return [f"{count:>6} x {what}" for what, count in found.most_common()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--store", type=Path, default=None,
                        help="a published store to serve (default: the small test fixture)")
    parser.add_argument("--build", action="store_true",
                        help="build the Wikipedia file first and serve that (~2 minutes)")
    parser.add_argument("--csv", type=Path, default=Path(setting("SHARED_DATA_DIR")) /
                        "wikipedia_twin_towns_raw.csv")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-timeout", type=float, default=20.0)
    parser.add_argument("--client-timeout", type=float, default=60.0)
    parser.add_argument("--show", type=int, default=300, help="characters of each query shown")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="twinkg-fuzz-"))
    env = {"TWINKG_QUERY_TIMEOUT": str(args.query_timeout)}
    store = build_wikipedia(args.csv, workdir / "store") if args.build else args.store
    server = start_twinkg(workdir, store=store, workers=args.workers, extra_env=env) \
        if store else serve_fixture_store(workdir, workers=args.workers, extra_env=env)
    print(f"twinkg serve on {server.url} ({store or 'fixture'}); "
          f"log {server.log.name if server.log else '-'}")
    try:
        started = time.monotonic()
        queries = fuzz_queries(args.seed, args.count)
        print(f"{len(queries)} queries generated from seed {args.seed} in "
              f"{time.monotonic() - started:.1f} s; {args.clients} clients")
        before = pss_mib(server.process.pid)
        outcome = fuzz_endpoint(server.sparql, queries, args.clients, args.client_timeout)
        after_pss = pss_mib(server.process.pid)
        print(outcome.report(args.show))
        with requests.Session() as session:
            begun = time.monotonic()
            after = send(session, server.sparql, EVERYDAY[0], timeout=args.client_timeout)
            print(f"an everyday query afterwards: {after.status} in "
                  f"{time.monotonic() - begun:.3f} s")
        print(f"server PSS: {before:.0f} MiB before, {after_pss:.0f} MiB after")
        alive = server.process.poll() is None
        print(f"server still running: {alive}")
    finally:
        server.stop()
    if server.log is not None:
        print("\nserver log, what went wrong:")
        for line in log_summary(Path(server.log.name)) or ["(nothing)"]:
            print(line)
    failed = bool(outcome.offenders or outcome.no_answer) or after.status != 200 or not alive
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
