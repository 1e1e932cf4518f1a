"""How fast the search index answers autocomplete queries on a real published graph.

Usage (after ``twinkg build --store DIR --source wikipedia:../shared/data/...raw.csv``)::

    .venv/bin/python benchmarks/search_benchmark.py --store DIR

Prints the time to build the index, then per query the median and worst time of repeated
look-ups (autocomplete asks for 10 hits), side by side with the peer a naive implementation
would use: a SPARQL ``CONTAINS(LCASE(STR(?name)), ...)`` scan over the same store; then the
same look-ups as a browser makes them, ``GET /autocomplete?q=`` over HTTP on 127.0.0.1 against
``twinkg serve`` on that store (one persistent connection). Target: under 50 ms per
autocomplete answer.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph

from graph.core.namespaces import sparql_prefixes
from graph.core.store_layout import published
from graph.views.search import StoreSource, build_index

QUERIES = ("s", "sw", "swarzedz", "Swarzędz", "praha", "usti", "nad", "berlin", "ow", "3021094",
           "zzzz")
PEER = sparql_prefixes() + """
SELECT ?r ?name WHERE {{ ?r rdfs:label ?name FILTER(CONTAINS(LCASE(STR(?name)), "{q}")) }}
LIMIT 10
"""


def _timed(function, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    """Build the index from ``--store`` and time autocomplete look-ups."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    build = published(args.store)
    store = pyoxigraph.Store.read_only(str(build.oxigraph))
    start = time.perf_counter()
    index = build_index(StoreSource(store))
    built = time.perf_counter() - start
    print(f"build {build.version}: {len(index)} entries indexed in {built:.2f} s")
    print(f"{'query':<12} {'hits':>4} {'index median ms':>16} {'index max ms':>13} "
          f"{'SPARQL CONTAINS median ms':>26}")
    worst = 0.0
    for text in QUERIES:
        hits = index.search(text, limit=10)
        median, most = _timed(lambda t=text: index.search(t, limit=10), args.repeat)
        peer = PEER.format(q=text.lower())
        peer_median, _ = _timed(lambda p=peer: list(store.query(p,  # type: ignore[arg-type]
                                                              use_default_graph_as_union=True)),
                                max(3, args.repeat // 10))
        worst = max(worst, most)
        print(f"{text:<12} {len(hits):>4} {median:>16.2f} {most:>13.2f} {peer_median:>26.2f}")
    print(f"worst autocomplete answer: {worst:.2f} ms (target < 50 ms)")
    over_http(args.store, args.repeat)


def over_http(store_dir: Path, repeat: int) -> None:
    """``GET /autocomplete?q=`` against ``twinkg serve`` on the store: median and worst ms."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.servers import start_twinkg

    with tempfile.TemporaryDirectory() as folder:
        server = start_twinkg(Path(folder), store=store_dir)
        try:
            address = urllib.parse.urlsplit(server.url)
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            worst = 0.0
            print(f"{'over HTTP':<12} {'status':>6} {'median ms':>10} {'max ms':>8}")
            for text in QUERIES:
                path = "/autocomplete?q=" + urllib.parse.quote(text)

                def fetch(p: str = path) -> int:
                    connection.request("GET", p)
                    response = connection.getresponse()
                    response.read()
                    return response.status

                status = fetch()  # the first request also opens the index
                median, most = _timed(fetch, repeat)
                worst = max(worst, most)
                print(f"{text:<12} {status:>6} {median:>10.2f} {most:>8.2f}")
            print(f"worst autocomplete answer over HTTP: {worst:.2f} ms (target < 50 ms)")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
