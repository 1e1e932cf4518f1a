"""Soak test of ``twinkg serve`` on a real build: 8 clients for 10 minutes, nothing cacheable.

Issue 13 asks that the endpoint hold under load no answer cache can help, with a query process
and a web worker killed along the way. This serves the build of the raw Wikipedia twin-towns
file (built first unless ``--store`` names a published store) and runs ``--clients`` client
processes for ``--duration`` seconds. Each sends, in turn:

* the partners of one authority (a different authority each time, walking a shuffled list);
* the partners of that authority's partners;
* authorities whose label contains a substring cut from a random label;
* DESCRIBE of an authority;
* CONSTRUCT of the partnerships of one country (a different country each time);

and, for ``--hostile-share`` of the requests (1%), a query from the fuzz set
(:func:`tests.fuzz_queries.fuzz_queries`). Every query text also ends in a comment with a
request number, so that even when the list of authorities wraps no text repeats and no cache
keyed by the text can answer.

At a third of the run one query process (a process below a web worker with no children of its
own) is killed with SIGKILL; at two thirds, one web worker (Granian respawns it). The report
gives the requests and their rate, non-2xx answers and failed requests by status (hostile apart from
normal), p50/p95/p99 latency overall and per kind, and the server's memory over time (sum of
PSS over its process tree, from ``/proc/PID/smaps_rollup``) with its growth after warm-up.

Run from the repository root::

    .venv/bin/python benchmarks/soak.py                                  # build, then 10 min
    .venv/bin/python benchmarks/soak.py --store var/store --duration 60  # a short smoke run
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.server_tools import build_wikipedia, pss_mib, query_processes, web_workers
from graph.core.namespaces import sparql_prefixes
from graph.core.settings import setting
from graph.core.store_layout import published
from tests.endpoint_support import send
from tests.fuzz_queries import fuzz_queries, query_bytes
from tests.servers import start_twinkg

P = sparql_prefixes()
KINDS = ("partners", "partners_of_partners", "label_substring", "describe", "construct_country")
RDF_ACCEPT = "application/n-triples"
SELECT_ACCEPT = "application/sparql-results+json"


@dataclass(frozen=True)
class Plan:
    """What the clients draw their queries from (sent to each client process)."""

    authorities: list[str]
    labels: list[str]
    countries: list[str]
    hostile: list[str]


@dataclass(frozen=True)
class Record:
    """One request: when it started (seconds into the run), kind, hostile or not, status
    (0 when no answer came: timeout or lost connection) and latency in seconds."""

    started: float
    kind: str
    hostile: bool
    status: int
    seconds: float
    detail: str = ""
    """Why no answer came (the exception), when ``status`` is 0."""


def plan_from(store: Path, seed: int, hostile: int) -> Plan:
    """Authorities with partners, their labels and the countries, read from the build."""
    db = pyoxigraph.Store.read_only(str(published(store).oxigraph))
    rows = db.query(P + """SELECT DISTINCT ?a ?label ?cc WHERE {
      ?a tkg:twinnedWith ?x ; rdfs:label ?label . OPTIONAL { ?a tkg:countryCode ?cc } }""",
                    use_default_graph_as_union=True)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    authorities, labels, countries = set(), set(), set()
    for row in rows:
        a, label, cc = row["a"], row["label"], row["cc"]
        if isinstance(a, pyoxigraph.NamedNode):
            authorities.add(a.value)
        if isinstance(label, pyoxigraph.Literal):
            labels.add(label.value)
        if isinstance(cc, pyoxigraph.Literal):
            countries.add(cc.value)
    del db
    if not authorities or not countries:
        raise SystemExit(f"{store}: no authority with partners and a country code found")
    rng = random.Random(seed)
    shuffled = sorted(authorities)
    rng.shuffle(shuffled)
    return Plan(shuffled, sorted(labels), sorted(countries), fuzz_queries(seed, hostile))


def normal_query(kind: str, n: int, plan: Plan, rng: random.Random) -> tuple[str, str]:
    """(query, Accept) of request ``n`` of ``kind``; the text ends with ``# request n``."""
    a = plan.authorities[n % len(plan.authorities)]
    if kind == "partners":
        query = (f"SELECT ?partner ?label WHERE {{ <{a}> tkg:twinnedWith ?partner . "
                 "?partner rdfs:label ?label } ORDER BY ?label")
    elif kind == "partners_of_partners":
        query = (f"SELECT DISTINCT ?far WHERE {{ <{a}> tkg:twinnedWith ?near . "
                 f"?near tkg:twinnedWith ?far FILTER(?far != <{a}>) }}")
    elif kind == "label_substring":
        label = rng.choice(plan.labels).lower()
        start = rng.randrange(max(1, len(label) - 3))
        needle = label[start:start + 4].replace("\\", "").replace('"', "")
        query = ("SELECT ?a ?label WHERE { ?a rdfs:label ?label . "
                 f'FILTER(CONTAINS(LCASE(?label), "{needle}")) }} LIMIT 100')
    elif kind == "describe":
        query = f"DESCRIBE <{a}>"
    else:
        country = plan.countries[n % len(plan.countries)]
        query = ("CONSTRUCT { ?p a tkg:Partnership ; tkg:participant ?a } WHERE { "
                 f'?p a tkg:Partnership ; tkg:participant ?a . ?a tkg:countryCode "{country}" }}')
    accept = RDF_ACCEPT if kind in ("describe", "construct_country") else SELECT_ACCEPT
    return P + query + f"\n# request {n}\n", accept


def client(index: int, clients: int, endpoint: str, plan: Plan, t0: float, seconds: float,
           hostile_share: float, timeout: float, seed: int) -> list[Record]:
    """One client process: requests one after the other until ``seconds`` after the wall-clock
    time ``t0`` (shared by every client and the main process, so that times line up)."""
    rng = random.Random(seed * 1000 + index)
    records: list[Record] = []
    n = index
    with requests.Session() as session:
        while (now := time.time()) - t0 < seconds:
            hostile = rng.random() < hostile_share
            kind = "hostile" if hostile else KINDS[(n // clients) % len(KINDS)]
            status, detail = 0, ""
            try:
                if hostile:
                    query = plan.hostile[(n // clients) % len(plan.hostile)]
                    status = send(session, endpoint, query_bytes(query), "POST-form",
                                  timeout).status
                else:
                    text, accept = normal_query(kind, n, plan, rng)
                    response = session.post(endpoint, data={"query": text}, timeout=timeout,
                                            headers={"Accept": accept})
                    response.content  # noqa: B018 - the whole answer is read and timed
                    status = response.status_code
            except requests.RequestException as error:
                detail = type(error).__name__ + ": " + str(error)[:160]
                session.close()
            records.append(Record(now - t0, kind, hostile, status, time.time() - now, detail))
            n += clients
    return records


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def kill_one(pids: list[int], what: str, at: float) -> str:
    if not pids:
        return f"{at:7.1f} s: no {what} found to kill"
    pid = max(pids)  # the youngest, deterministic enough for a report
    os.kill(pid, signal.SIGKILL)
    return f"{at:7.1f} s: killed {what} {pid} (SIGKILL)"


def report(records: list[Record], duration: float, memory: list[tuple[float, float]],
           warmup: float, events: list[str]) -> None:
    normal = [r for r in records if not r.hostile]
    hostile = [r for r in records if r.hostile]
    print(f"\nrequests: {len(records)} in {duration:.0f} s ({len(records) / duration:.1f}/s); "
          f"{len(normal)} normal, {len(hostile)} hostile")
    for title, rows in (("normal", normal), ("hostile", hostile)):
        bad = Counter(r.status for r in rows if not 200 <= r.status < 300)
        print(f"non-2xx {title} answers by status (0 = no answer): "
              f"{dict(sorted(bad.items())) or 'none'}")
    failed = sorted((r for r in normal if not 200 <= r.status < 300), key=lambda r: r.started)
    for r in failed[:30]:
        print(f"  {r.started:7.1f} s {r.kind:<22} {r.status} {r.detail}")
    print("\nlatency of normal requests answered 2xx, ms")
    print(f"{'kind':<22}{'count':>8}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    ok = [r for r in normal if 200 <= r.status < 300]
    for kind in (*KINDS, "all"):
        times = [r.seconds * 1000 for r in ok if kind in ("all", r.kind)]
        if times:
            print(f"{kind:<22}{len(times):>8}{percentile(times, 0.5):>9.1f}"
                  f"{percentile(times, 0.95):>9.1f}{percentile(times, 0.99):>9.1f}"
                  f"{max(times):>9.1f}")
    print("\nevents")
    for line in events:
        print("  " + line)
    print("\nserver memory (sum of PSS over the process tree), MiB")
    for at, mib in memory:
        print(f"  {at:7.1f} s {mib:8.0f}")
    settled = [mib for at, mib in memory if at >= warmup]
    if len(settled) >= 2:
        base = settled[0]
        print(f"growth after warm-up ({warmup:.0f} s): first {base:.0f} MiB, last "
              f"{settled[-1]:.0f} MiB ({(settled[-1] - base) / base * 100:+.1f}%), peak "
              f"{max(settled):.0f} MiB ({(max(settled) - base) / base * 100:+.1f}%); "
              f"median {statistics.median(settled):.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=Path(setting("SHARED_DATA_DIR")) /
                        "wikipedia_twin_towns_raw.csv")
    parser.add_argument("--store", type=Path, default=None,
                        help="an already published store (else the CSV is built first)")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--hostile-share", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample-every", type=float, default=10.0,
                        help="seconds between memory samples")
    parser.add_argument("--warmup", type=float, default=None,
                        help="seconds before growth is measured (default: a sixth of the run)")
    parser.add_argument("--client-timeout", type=float, default=90.0)
    args = parser.parse_args()
    warmup = args.warmup if args.warmup is not None else args.duration / 6

    workdir = Path(tempfile.mkdtemp(prefix="twinkg-soak-"))
    store = args.store or build_wikipedia(args.csv, workdir / "store")
    plan = plan_from(store, args.seed, hostile=2_000)
    print(f"{len(plan.authorities)} authorities with partners, {len(plan.countries)} countries, "
          f"{len(plan.labels)} labels; {args.clients} clients for {args.duration:.0f} s")
    server = start_twinkg(workdir, store=store, workers=args.workers)
    master = server.process.pid
    print(f"twinkg serve {master}: web workers {web_workers(master)}, query processes "
          f"{query_processes(master)}; log {server.log.name if server.log else '-'}")
    memory: list[tuple[float, float]] = [(0.0, pss_mib(master))]
    events: list[str] = []
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(args.clients, mp_context=context) as pool:
            t0 = time.time()
            began = time.monotonic()
            futures = [pool.submit(client, i, args.clients, server.sparql, plan, t0,
                                   args.duration, args.hostile_share, args.client_timeout,
                                   args.seed)
                       for i in range(args.clients)]
            killed_query = killed_worker = False
            while not all(f.done() for f in futures):
                time.sleep(min(args.sample_every, 1.0))
                at = time.monotonic() - began
                if at - memory[-1][0] >= args.sample_every:
                    memory.append((at, pss_mib(master)))
                if not killed_query and at >= args.duration / 3:
                    events.append(kill_one(query_processes(master), "query process", at))
                    killed_query = True
                if not killed_worker and at >= args.duration * 2 / 3:
                    events.append(kill_one(web_workers(master), "web worker", at))
                    killed_worker = True
            records = [r for f in futures for r in f.result()]
            elapsed = time.monotonic() - began
        memory.append((elapsed, pss_mib(master)))
        events.append(f"end: web workers {web_workers(master)}, query processes "
                      f"{query_processes(master)}; server running: "
                      f"{server.process.poll() is None}")
    finally:
        server.stop()
    report(records, elapsed, memory, warmup, events)


if __name__ == "__main__":
    main()
