"""Twinning KG's endpoint against its peers, side by side, over HTTP on 127.0.0.1.

Servers, all on the same data (the Wikipedia twin-towns list, ~26K rows):

* ``twinkg`` — ``twinkg serve`` (gunicorn) over the published store (this project);
* ``oxigraph`` — ``oxigraph serve`` (PyPI ``oxigraph``), union default graph;
* ``virtuoso`` — OpenLink Virtuoso 7 (Debian ``virtuoso-opensource-7-bin``);
* ``rdflib`` — ``rdflib-endpoint`` (rdflib's own SPARQL engine).

It runs a fixed mix of queries users of this data run, alternating the servers on every round,
prints the median latency per query and server with the ratios the issue sets as targets, the
throughput of the cheap query with 8 concurrent clients, and the servers' peak memory.

Setup (benchmark-only dependencies, not needed by the service or its tests)::

    .venv/bin/pip install "rdflib-endpoint[cli]" uvicorn
    .venv/bin/python benchmarks/endpoint_benchmark.py            # ~10 minutes on 2 cores
    .venv/bin/python benchmarks/endpoint_benchmark.py --rounds 5 --skip rdflib   # quicker

The graph comes from a simple mapping of ``wikipedia_twin_towns_raw.csv`` done here (authority
per (country, city), ``tkg:twinnedWith`` both ways, one ``tkg:Partnership`` per pair), with
IRIs minted by :mod:`graph.iris`, so the benchmark does not depend on the build pipeline.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.iris import authority_iri, partnership_iri, slugify, source_graph_iri
from graph.namespaces import sparql_prefixes
from graph.query_guard import check_query
from graph.settings import setting
from tests.servers import (
    VENV_BIN,
    Server,
    free_port,
    start_oxigraph,
    start_twinkg,
    start_virtuoso,
    wait_until_up,
)

TKG = "https://w3id.org/twinning-kg/def#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
P = sparql_prefixes()

QUERIES: dict[str, str] = {
    "partners_of_one": P + """SELECT ?partner ?label WHERE {
  <https://w3id.org/twinning-kg/id/authority/poland/swarzędz> tkg:twinnedWith ?partner .
  ?partner rdfs:label ?label } ORDER BY ?label""",
    "count_per_country_pair": P + """SELECT ?c1 ?c2 (COUNT(?p) AS ?n) WHERE {
  ?p a tkg:Partnership ; tkg:participant ?a, ?b .
  ?a tkg:countryName ?c1 . ?b tkg:countryName ?c2 . FILTER(STR(?a) < STR(?b))
} GROUP BY ?c1 ?c2 ORDER BY DESC(?n) LIMIT 50""",
    "poland_germany": P + """SELECT ?a ?b WHERE {
  ?a tkg:countryName "Poland" ; tkg:twinnedWith ?b . ?b tkg:countryName "Germany" }""",
    "label_substring": P + """SELECT ?a ?label WHERE {
  ?a a tkg:Municipality ; rdfs:label ?label . FILTER(CONTAINS(LCASE(?label), "berg"))
} LIMIT 100""",
    "partners_of_partners": P + """SELECT DISTINCT ?far WHERE {
  <https://w3id.org/twinning-kg/id/authority/poland/swarzędz> tkg:twinnedWith ?near .
  ?near tkg:twinnedWith ?far
  FILTER(?far != <https://w3id.org/twinning-kg/id/authority/poland/swarzędz>) }""",
    "describe": P + "DESCRIBE <https://w3id.org/twinning-kg/id/authority/poland/kraków>",
    "construct_country": P + """CONSTRUCT { ?p a tkg:Partnership ; tkg:participant ?a }
WHERE { ?p a tkg:Partnership ; tkg:participant ?a . ?a tkg:countryName "Czech Republic" }""",
    "full_count": P + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
}
CHEAP = "partners_of_one"


def build_quads(csv_path: Path) -> list[pyoxigraph.Quad]:
    """The simple mapping of the raw Wikipedia list (see the module docstring)."""
    graph = pyoxigraph.NamedNode(source_graph_iri("wikipedia"))
    a = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label, country = pyoxigraph.NamedNode(RDFS_LABEL), pyoxigraph.NamedNode(TKG + "countryName")
    twinned, participant = (pyoxigraph.NamedNode(TKG + "twinnedWith"),
                            pyoxigraph.NamedNode(TKG + "participant"))
    municipality = pyoxigraph.NamedNode(TKG + "Municipality")
    partnership_class = pyoxigraph.NamedNode(TKG + "Partnership")
    quads: set[pyoxigraph.Quad] = set()
    with csv_path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ends = []
            for city, land in ((row["city1"], row["country1"]), (row["city2"], row["country2"])):
                land = land.split(",")[0].strip()
                if not slugify(city) or not slugify(land):
                    break
                iri = pyoxigraph.NamedNode(authority_iri(slugify(land), city))
                quads.update({pyoxigraph.Quad(iri, a, municipality, graph),
                              pyoxigraph.Quad(iri, label, pyoxigraph.Literal(city), graph),
                              pyoxigraph.Quad(iri, country, pyoxigraph.Literal(land), graph)})
                ends.append(iri)
            if len(ends) != 2 or ends[0] == ends[1]:
                continue
            quads.add(pyoxigraph.Quad(ends[0], twinned, ends[1], graph))
            quads.add(pyoxigraph.Quad(ends[1], twinned, ends[0], graph))
            keys = [e.value.split("/authority/")[1] for e in ends]
            p = pyoxigraph.NamedNode(partnership_iri(keys))
            quads.update({pyoxigraph.Quad(p, a, partnership_class, graph),
                          pyoxigraph.Quad(p, participant, ends[0], graph),
                          pyoxigraph.Quad(p, participant, ends[1], graph)})
    return sorted(quads, key=str)


def publish(quads: list[pyoxigraph.Quad], store_dir: Path) -> Path:
    version = "20261124T000000Z-benchmark"
    root = store_dir / "builds" / version
    root.mkdir(parents=True)
    store = pyoxigraph.Store(str(root / "oxigraph"))
    store.bulk_extend(quads)
    store.flush()
    store.optimize()
    del store
    (store_dir / "current").symlink_to(Path("builds") / version)
    return store_dir


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


def ask(session: requests.Session, endpoint: str, query: str, timeout: float) -> float:
    """Seconds for one query by POST form, the whole answer read; fails on non-200."""
    graph = check_query(query).is_graph
    accept = "application/n-triples" if graph else "application/sparql-results+json"
    start = time.perf_counter()
    response = session.post(endpoint, data={"query": query}, timeout=timeout,
                             headers={"Accept": accept, "Accept-Encoding": "identity"})
    _ = response.content
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{endpoint}: {response.status_code} {response.text[:300]}")
    return elapsed


def _client(endpoint: str, query: str, seconds: float, counter: Callable[[int], None]) -> None:
    session = requests.Session()
    count, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        ask(session, endpoint, query, 30)
        count += 1
    counter(count)


def _client_process(endpoint: str, query: str, seconds: float, results: multiprocessing.Queue,
                    ) -> None:  # type: ignore[type-arg]
    _client(endpoint, query, seconds, results.put)


def throughput(endpoint: str, clients: int = 8, seconds: float = 5.0) -> float:
    """Requests per second of the cheap query with ``clients`` concurrent client processes."""
    results: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    procs = [multiprocessing.Process(target=_client_process,
                                     args=(endpoint, QUERIES[CHEAP], seconds, results))
             for _ in range(clients)]
    for p in procs:
        p.start()
    total = sum(results.get(timeout=seconds + 120) for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


def peak_memory_mib(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and all its descendants, in MiB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines()
                              if line.startswith("VmHWM")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=Path(setting("SHARED_DATA_DIR")) /
                        "wikipedia_twin_towns_raw.csv")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--rdflib-rounds", type=int, default=2)
    parser.add_argument("--skip", nargs="*", default=[], help="servers to leave out")
    parser.add_argument("--store-mode", default="memory", choices=["memory", "disk"])
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="twinkg-bench-"))
    started = time.perf_counter()
    quads = build_quads(args.csv)
    print(f"graph: {len(quads)} triples from {args.csv.name} "
          f"({time.perf_counter() - started:.1f} s)")
    servers: dict[str, Server] = {}
    try:
        store = publish(quads, workdir / "store")
        starters: dict[str, Callable[[], Server]] = {
            "twinkg": lambda: start_twinkg(workdir, store=store, extra_env={
                "TWINKG_STORE_MODE": args.store_mode, "TWINKG_QUERY_TIMEOUT": "300"}),
            "oxigraph": lambda: start_oxigraph(quads, workdir / "oxigraph-data"),
            "virtuoso": lambda: start_virtuoso(quads, workdir / "virtuoso", buffers=340_000),
            "rdflib": lambda: start_rdflib(quads, workdir),
        }
        for name, start in starters.items():
            if name not in args.skip:
                begun = time.perf_counter()
                servers[name] = start()
                print(f"started {name} ({time.perf_counter() - begun:.1f} s)")
        sessions = {name: requests.Session() for name in servers}
        for name, server in servers.items():  # warm-up, also checks every query runs
            for query in QUERIES.values():
                ask(sessions[name], server.sparql, query, 600)
        times: dict[tuple[str, str], list[float]] = {}
        for round_ in range(args.rounds):
            for query_name, query in QUERIES.items():
                for name, server in servers.items():  # alternate servers within a round
                    if name == "rdflib" and round_ >= args.rdflib_rounds:
                        continue
                    times.setdefault((query_name, name), []).append(
                        ask(sessions[name], server.sparql, query, 600))
        report(times, servers)
    finally:
        for server in servers.values():
            server.stop()


def report(times: dict[tuple[str, str], list[float]], servers: dict[str, Server]) -> None:
    names = list(servers)
    median = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print("\nmedian latency, ms (POST form, 127.0.0.1, one client)")
    print(f"{'query':<24}" + "".join(f"{n:>11}" for n in names) +
          "  twinkg/oxigraph  twinkg/virtuoso  rdflib/twinkg")
    for query_name in QUERIES:
        row = [median.get((query_name, n), float("nan")) for n in names]
        ours = median.get((query_name, "twinkg"), float("nan"))
        ratios = [ours / median.get((query_name, peer), float("nan"))
                  for peer in ("oxigraph", "virtuoso")]
        speedup = median.get((query_name, "rdflib"), float("nan")) / ours
        print(f"{query_name:<24}" + "".join(f"{v:>11.2f}" for v in row) +
              f"  {ratios[0]:>15.2f}  {ratios[1]:>15.2f}  {speedup:>13.1f}")
    print("\nthroughput of the cheap query, 8 client processes, 5 s")
    rates = {name: throughput(server.sparql) for name, server in servers.items()}
    for name, rate in rates.items():
        print(f"{name:<10} {rate:>9.0f} req/s")
    if "twinkg" in rates:
        for peer in ("oxigraph", "rdflib"):
            if peer in rates:
                print(f"twinkg/{peer} throughput ratio: {rates['twinkg'] / rates[peer]:.2f}")
    print("\npeak memory (process tree, VmHWM)")
    for name, server in servers.items():
        print(f"{name:<10} {peak_memory_mib(server.process.pid):>9.0f} MiB")


if __name__ == "__main__":
    main()
