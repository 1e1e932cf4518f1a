"""Twinning KG's endpoint against its peers, side by side, over HTTP on 127.0.0.1.

Servers, all on the same data: the graph ``twinkg build`` makes from the Wikipedia twin-towns
list (``--source wikipedia:wikipedia_twin_towns_raw.csv``, ~437K quads in named graphs):

* ``twinkg`` — ``twinkg serve`` (Granian) over the published store (this project);
* ``twinkg-nocache`` — the same with the answer cache off (``TWINKG_CACHE_MB=0``), so every
  request goes to the engine: what a new query costs;
* ``oxigraph`` — ``oxigraph serve`` (PyPI ``oxigraph``), union default graph;
* ``virtuoso`` — OpenLink Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``);
* ``rdflib`` — ``rdflib-endpoint`` (rdflib's own SPARQL engine), on the union graph.

It runs a fixed mix of queries users of this data run, rotating the order of the servers on
every query of every round, prints the median latency per query and server, a table of every
ratio the issue sets as a target (met or missed), the throughput of the cheap query with 8
concurrent client processes and its ratio to ``oxigraph serve`` and to rdflib-endpoint, the
servers' peak memory (sum of VmHWM over the process tree, which counts pages shared between
forked processes once per process) and their proportional memory at the end (sum of PSS, which
counts shared pages once), and the load average before and after.

Setup (benchmark-only dependencies, not needed by the service or its tests)::

    .venv/bin/pip install "rdflib-endpoint[cli]" uvicorn
    .venv/bin/python benchmarks/endpoint_benchmark.py            # ~15 minutes on 2 cores
    .venv/bin/python benchmarks/endpoint_benchmark.py --store var/store --skip rdflib  # quicker

Without ``--store`` it first runs ``twinkg build`` into a temporary folder (~1-2 minutes).
The client is ``http.client`` with one persistent connection per server, so that the client's
own cost stays small beside the servers'.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.core.namespaces import sparql_prefixes
from graph.core.settings import setting
from graph.core.store_layout import published
from graph.query.guard import read_query
from tests.servers import (
    TWINKG,
    VENV_BIN,
    Server,
    free_port,
    start_oxigraph,
    start_twinkg,
    start_virtuoso,
    wait_until_up,
)

P = sparql_prefixes()
ID = "https://w3id.org/twinning-kg/id/authority/"

QUERIES: dict[str, str] = {
    "partners_of_one": P + f"""SELECT ?partner ?label WHERE {{
  <{ID}pl/poznań> tkg:twinnedWith ?partner . ?partner rdfs:label ?label }} ORDER BY ?label""",
    "count_per_country_pair": P + """SELECT ?c1 ?c2 (COUNT(?p) AS ?n) WHERE {
  ?p a tkg:Partnership ; tkg:participant ?a, ?b .
  ?a tkg:countryCode ?c1 . ?b tkg:countryCode ?c2 . FILTER(STR(?a) < STR(?b))
} GROUP BY ?c1 ?c2 ORDER BY DESC(?n) LIMIT 50""",
    "poland_germany": P + """SELECT ?a ?b WHERE {
  ?a tkg:countryCode "PL" ; tkg:twinnedWith ?b . ?b tkg:countryCode "DE" }""",
    "label_substring": P + """SELECT ?a ?label WHERE {
  ?a a tkg:Municipality ; rdfs:label ?label . FILTER(CONTAINS(LCASE(?label), "berg"))
} LIMIT 100""",
    "partners_of_partners": P + f"""SELECT DISTINCT ?far WHERE {{
  <{ID}pl/poznań> tkg:twinnedWith ?near . ?near tkg:twinnedWith ?far
  FILTER(?far != <{ID}pl/poznań>) }}""",
    "describe": P + f"DESCRIBE <{ID}pl/kraków>",
    "construct_country": P + """CONSTRUCT { ?p a tkg:Partnership ; tkg:participant ?a }
WHERE { ?p a tkg:Partnership ; tkg:participant ?a . ?a tkg:countryCode "CZ" }""",
    "full_count": P + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}
CHEAP = "partners_of_one"


def build_store(csv_path: Path, store_dir: Path) -> Path:
    """``twinkg build`` of the Wikipedia list into ``store_dir`` (the project's own pipeline)."""
    subprocess.run([TWINKG, "build", "--store", str(store_dir), "--source",
                    f"wikipedia:{csv_path}"], check=True, timeout=1800)
    return store_dir


def store_quads(store_dir: Path) -> list[pyoxigraph.Quad]:
    """Every quad of the published build, to load the same data into the other servers."""
    store = pyoxigraph.Store.read_only(str(published(store_dir).oxigraph))
    return list(store.quads_for_pattern(None, None, None, None))


def start_rdflib(quads: list[pyoxigraph.Quad], workdir: Path) -> Server:
    data = workdir / "data.nt"
    pyoxigraph.serialize([q.triple for q in quads], output=str(data),
                         format=pyoxigraph.RdfFormat.N_TRIPLES)
    port = free_port()
    log = workdir / "rdflib.log"
    handle = log.open("wb")
    process = subprocess.Popen([str(VENV_BIN / "rdflib-endpoint"), "serve", str(data),
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/", process, seconds=600, log=log)
    return Server("rdflib", process, url, url + "/", workdir, handle)


class Client:
    """One persistent HTTP connection to a SPARQL endpoint (``http.client`` reconnects by
    itself when a server closes it)."""

    def __init__(self, endpoint: str) -> None:
        url = urllib.parse.urlsplit(endpoint)
        self.path = url.path
        self.connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port,
                                                     timeout=900)

    def ask(self, query: str) -> float:
        """Seconds for one query by POST form, the whole answer read; fails on non-200."""
        return self.answer(query)[0]

    def answer(self, query: str) -> tuple[float, bytes]:
        """(seconds, body) of one query: JSON results or N-Triples."""
        graph = read_query(query).is_graph
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        body = urllib.parse.urlencode({"query": query})
        headers = {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"}
        start = time.perf_counter()
        try:
            self.connection.request("POST", self.path, body, headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            self.connection.close()  # a server that closed an idle connection: once more
            start = time.perf_counter()
            self.connection.request("POST", self.path, body, headers)
            response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{self.path}: {response.status} {data[:300]!r}")
        return elapsed, data


def answer_size(query: str, body: bytes) -> int:
    """Rows of a SELECT answer, triples of a CONSTRUCT/DESCRIBE answer (to check that every
    server holds the same data; DESCRIBE may differ, servers describe differently)."""
    if read_query(query).is_graph:
        return sum(1 for _ in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES))
    parsed = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    return 1 if isinstance(parsed, pyoxigraph.QueryBoolean) else sum(1 for _ in parsed)


def _client_process(endpoint: str, query: str, seconds: float,
                    results: multiprocessing.Queue) -> None:
    client = Client(endpoint)
    client.ask(query)
    count, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        client.ask(query)
        count += 1
    results.put(count)


def throughput(endpoint: str, clients: int = 8, seconds: float = 5.0) -> float:
    """Requests per second of the cheap query with ``clients`` concurrent client processes."""
    results: multiprocessing.Queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_client_process,
                                     args=(endpoint, QUERIES[CHEAP], seconds, results))
             for _ in range(clients)]
    for p in procs:
        p.start()
    total = sum(results.get(timeout=seconds + 300) for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _field_kib(path: str, name: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_mib(pid: int) -> tuple[float, float]:
    """(sum of peak RSS, sum of current PSS) over a process tree, in MiB."""
    pids = _tree(pid)
    peak = sum(_field_kib(f"/proc/{p}/status", "VmHWM") for p in pids)
    pss = sum(_field_kib(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
    return peak / 1024, pss / 1024


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=Path(setting("SHARED_DATA_DIR")) /
                        "wikipedia_twin_towns_raw.csv")
    parser.add_argument("--store", type=Path, default=None,
                        help="an already published store to serve (else twinkg build runs)")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--rdflib-rounds", type=int, default=2)
    parser.add_argument("--skip", nargs="*", default=[], help="servers to leave out")
    parser.add_argument("--store-mode", default="memory", choices=["memory", "disk"])
    args = parser.parse_args()

    print(f"load average at start: {load_average()} ({os.cpu_count()} CPUs)")
    workdir = Path(tempfile.mkdtemp(prefix="twinkg-bench-"))
    started = time.perf_counter()
    store = args.store or build_store(args.csv, workdir / "store")
    quads = store_quads(store)
    print(f"graph: {len(quads)} quads, build {published(store).version} "
          f"({time.perf_counter() - started:.1f} s)")
    servers: dict[str, Server] = {}
    twinkg_env = {"TWINKG_STORE_MODE": args.store_mode, "TWINKG_QUERY_TIMEOUT": "900"}
    try:
        starters: dict[str, Callable[[], Server]] = {
            "twinkg": lambda: start_twinkg(workdir, store=store, extra_env=twinkg_env),
            "twinkg-nocache": lambda: start_twinkg(workdir, store=store, extra_env={
                **twinkg_env, "TWINKG_CACHE_MB": "0"}),
            "oxigraph": lambda: start_oxigraph(quads, workdir / "oxigraph-data"),
            "virtuoso": lambda: start_virtuoso(quads, workdir / "virtuoso", buffers=340_000),
            "rdflib": lambda: start_rdflib(quads, workdir),
        }
        for name, start in starters.items():
            if name not in args.skip:
                begun = time.perf_counter()
                servers[name] = start()
                servers[name].name = name
                print(f"started {name} ({time.perf_counter() - begun:.1f} s)", flush=True)
        clients = {name: Client(server.sparql) for name, server in servers.items()}
        sizes: dict[str, list[int]] = {}
        for name in servers:  # warm-up (rdflib: its rounds are slow enough), checks every query
            if name != "rdflib":
                sizes[name] = [answer_size(q, clients[name].answer(q)[1])
                               for q in QUERIES.values()]
        print("answer sizes (rows or triples) per query: " + "; ".join(
            f"{name} {sizes[name]}" for name in sizes))
        times: dict[tuple[str, str], list[float]] = {}
        order = list(servers)
        turn = itertools.count()
        for round_ in range(args.rounds):
            for query_name, query in QUERIES.items():
                shift = next(turn) % len(order)  # rotate who goes first
                for name in order[shift:] + order[:shift]:
                    if name == "rdflib" and round_ >= args.rdflib_rounds:
                        continue
                    times.setdefault((query_name, name), []).append(clients[name].ask(query))
            print(f"round {round_ + 1}/{args.rounds} done, load {load_average()}", flush=True)
        report(times, servers)
    finally:
        for server in servers.values():
            server.stop()
        print(f"load average at end: {load_average()}")


def _ratio(a: float | None, b: float | None) -> float:
    return a / b if a is not None and b else float("nan")


def report(times: dict[tuple[str, str], list[float]], servers: dict[str, Server]) -> None:
    names = list(servers)
    median = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print("\nmedian latency, ms (POST form, 127.0.0.1, one client, persistent connection)")
    print(f"{'query':<24}" + "".join(f"{n:>16}" for n in names))
    for query_name in QUERIES:
        print(f"{query_name:<24}" + "".join(
            f"{median.get((query_name, n), float('nan')):>16.2f}" for n in names))
    for ours in [n for n in ("twinkg", "twinkg-nocache") if n in servers]:
        print(f"\ntargets for {ours} (issue 4)")
        print(f"{'query':<24}{'vs oxigraph':>28}{'vs virtuoso <=2x':>20}"
              f"{'rdflib speed-up':>26}")
        for query_name in QUERIES:
            us = median.get((query_name, ours))
            ox = median.get((query_name, "oxigraph"))
            vi = median.get((query_name, "virtuoso"))
            rd = median.get((query_name, "rdflib"))
            if us is None:
                continue
            if ox is None:
                versus_ox = "n/a"
            elif ox > 5:
                versus_ox = f"{us / ox:.2f}x (<=1.3x) " + ("met" if us / ox <= 1.3 else "MISSED")
            else:
                versus_ox = f"+{us - ox:.2f} ms (<=2) " + ("met" if us - ox <= 2 else "MISSED")
            versus_vi = "n/a" if vi is None else \
                f"{us / vi:.2f}x " + ("met" if us / vi <= 2 else "MISSED")
            if rd is None:
                versus_rd = "n/a"
            elif rd > 50:
                versus_rd = f"{rd / us:.0f}x (>=20x) " + ("met" if rd / us >= 20 else "MISSED")
            else:
                versus_rd = f"{rd / us:.1f}x (rdflib <50 ms)"
            print(f"{query_name:<24}{versus_ox:>28}{versus_vi:>20}{versus_rd:>26}")
    print("\nthroughput of the cheap query, 8 client processes, 5 s each, servers in turn")
    rates = {name: throughput(server.sparql) for name, server in servers.items()}
    for name, rate in rates.items():
        print(f"{name:<16} {rate:>9.0f} req/s")
    for ours in [n for n in ("twinkg", "twinkg-nocache") if n in rates]:
        for peer, target in (("oxigraph", None), ("rdflib", 2.0)):
            if peer in rates:
                ratio = _ratio(rates[ours], rates[peer])
                verdict = "" if target is None else (
                    f" (target >= {target:g}: {'met' if ratio >= target else 'MISSED'})")
                print(f"{ours}/{peer} throughput ratio: {ratio:.2f}{verdict}")
    print("\nmemory of each server's process tree, MiB (after all of the above)")
    print(f"{'server':<16}{'peak RSS sum':>14}{'PSS now':>10}")
    for name, server in servers.items():
        peak, pss = memory_mib(server.process.pid)
        print(f"{name:<16}{peak:>14.0f}{pss:>10.0f}")


if __name__ == "__main__":
    main()
