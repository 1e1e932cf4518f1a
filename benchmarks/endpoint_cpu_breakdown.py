"""Where ``twinkg serve`` spends its CPU on a cheap query, process by process (issue 13).

``benchmarks/endpoint_vs_oxigraph.py`` shows that ``twinkg serve`` spends about three times
oxigraph's CPU per answer. This benchmark says where: one client asks partners of another
authority each time, one request after the other, and the CPU each kind of server process used
(``/proc/PID/stat``) is divided by the number of requests:

* the web workers (Granian's HTTP handling, its hand-over to a Python thread, our WSGI code,
  the wait for the query process);
* the query processes (reading the job, the guard, the engine, serializing, the reply);
* Granian's main process and the store processes (should be about zero).

Then the same client loop against floors that show what cannot be ours:

* Granian serving a WSGI app that answers a fixed body (``granian_floor:answer``), alone and
  with one round trip to another process per request (``granian_floor:answer_after_hop``),
  as our web worker does with its query process, then with Granian's access log on as well
  (``twinkg serve`` has it on by default, the ``ACCESS_LOG`` setting; its output goes to
  /dev/null here and to a file in the twinkg measurement);
* the engine in this process: the query run and serialized by pyoxigraph on an in-memory copy
  of the same store, without any server.

Run from the repository root (the store is a published build, e.g. the default one)::

    .venv/bin/python benchmarks/endpoint_cpu_breakdown.py --store var/store
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, cast

import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.endpoint_vs_oxigraph import Client
from benchmarks.server_tools import cpu_seconds, query_processes, tree, web_workers
from benchmarks.soak import normal_query, plan_from
from graph.core.store_layout import published
from tests.servers import free_port, start_twinkg, wait_until_up

GRANIAN = str(Path(sys.executable).with_name("granian"))


def timed_requests(client: Client, texts: list[tuple[str, str]]) -> list[float]:
    """Seconds of each request, asked one after the other."""
    times = []
    for text, accept in texts:
        seconds, status, body = client.ask(text, accept)
        if status != 200:
            raise RuntimeError(f"answer {status}: {body[:200]!r}")
        times.append(seconds)
    return times


def per_request_us(before: dict[int, float], after: dict[int, float], pids: list[int],
                   requests: int) -> float:
    """CPU microseconds per request that ``pids`` used between the two readings."""
    used = sum(after.get(p, 0.0) - before.get(p, 0.0) for p in pids if p in after)
    return used / requests * 1e6


def measure_twinkg(store: Path, texts: list[tuple[str, str]], warmup: int) -> None:
    server = start_twinkg(Path(tempfile.mkdtemp(prefix="twinkg-cpu-")), store=store)
    try:
        client = Client(server.sparql)
        timed_requests(client, texts[:warmup])
        master = server.process.pid
        roles = {"web workers": web_workers(master), "query processes": query_processes(master)}
        everything = tree(master)
        roles["Granian main and store processes"] = [
            p for p in everything if not any(p in pids for pids in roles.values())]
        before = cpu_seconds(everything)
        times = timed_requests(client, texts[warmup:])
        after = cpu_seconds(everything)
    finally:
        server.stop()
    count = len(times)
    print(f"twinkg serve: {count} partners requests after {warmup} untimed, one client; "
          f"median {statistics.median(times) * 1000:.2f} ms")
    for role, pids in roles.items():
        print(f"  {role:<34}{per_request_us(before, after, pids, count):>7.0f} us CPU/request")
    print(f"  {'all':<34}{per_request_us(before, after, everything, count):>7.0f} us CPU/request")


def measure_floor(app: str, texts: list[tuple[str, str]], access_log: bool) -> None:
    port = free_port()
    process = subprocess.Popen(
        [GRANIAN, "--interface", "wsgi", "--workers", "2", "--blocking-threads", "4",
         "--host", "127.0.0.1", "--port", str(port),
         "--access-log" if access_log else "--no-access-log",
         "--working-dir", str(Path(__file__).resolve().parent), f"granian_floor:{app}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process)
        client = Client(f"http://127.0.0.1:{port}/sparql")
        timed_requests(client, texts[:300])
        everything = tree(process.pid)
        before = cpu_seconds(everything)
        times = timed_requests(client, texts[300:])
        after = cpu_seconds(everything)
    finally:
        process.terminate()
        process.wait(30)
    print(f"Granian, {app}, access log {'on' if access_log else 'off'}: "
          f"median {statistics.median(times) * 1000:.2f} ms, "
          f"{per_request_us(before, after, everything, len(times)):.0f} us CPU/request")


def measure_engine(store: Path, texts: list[tuple[str, str]]) -> None:
    memory = pyoxigraph.Store()
    with gzip.open(published(store).dumps / "twinkg.nq.gz", "rb") as dump:
        memory.bulk_load(cast(IO[bytes], dump), format=pyoxigraph.RdfFormat.N_QUADS)
    json = pyoxigraph.QueryResultsFormat.JSON
    for text, _ in texts[:300]:
        memory.query(text, use_default_graph_as_union=True).serialize(format=json)
    started = time.process_time()
    for text, _ in texts[300:]:
        memory.query(text, use_default_graph_as_union=True).serialize(format=json)
    used = time.process_time() - started
    print(f"engine in this process (query and JSON, in-memory store): "
          f"{used / (len(texts) - 300) * 1e6:.0f} us CPU/request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="a published store")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=2000,
                        help="untimed requests first (a fresh query process pays "
                             "copy-on-write faults on the store's pages)")
    args = parser.parse_args()
    plan = plan_from(args.store, seed=1, hostile=0)
    total = args.warmup + args.requests
    texts = [normal_query("partners", n, plan, random.Random(n)) for n in range(total)]
    measure_twinkg(args.store, texts, args.warmup)
    floor_texts = texts[:300] + texts[-args.requests:]
    for app, access_log in (("answer", False), ("answer_after_hop", False),
                            ("answer_after_hop", True)):
        measure_floor(app, floor_texts, access_log)
    measure_engine(args.store, floor_texts)


if __name__ == "__main__":
    main()
