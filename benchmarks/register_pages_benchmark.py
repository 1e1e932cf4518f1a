"""How long the register and NUTS region pages take on their first request to a fresh server.

Usage (on a published build holding the registers and NUTS, e.g. the default build)::

    .venv/bin/python benchmarks/register_pages_benchmark.py --store DIR
    .venv/bin/python benchmarks/register_pages_benchmark.py --store DIR --against HEAD~3

Each round starts ``twinkg serve`` with one worker on a free port, waits until the worker serves
a static file (the store is in memory before it accepts: no query has run, no answer is
cached), then asks each page once (cold: the queries run), and once more (warm: the answers
come from the version's cache). It prints the median over the rounds per page and the load
average before and after. ``--against REF`` runs the same rounds, alternating, with the code of
a git ref exported by ``git archive`` (put first on ``PYTHONPATH``), side by side: pages the
older code lacks show as missing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("/register/PL", "/register/CZ", "/nuts/PL21", "/nuts/PL213", "/nuts/CZ064",
         "/authority/pl/teryt/14")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, time.perf_counter() - started


def _round(store: Path, code: Path | None) -> dict[str, tuple[float | None, float | None]]:
    """One fresh server: each page's (cold, warm) seconds, ``None`` where it is not a 200."""
    port = _free_port()
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "twinkg"), "serve", "--store", str(store), "--port",
         str(port), "--host", "127.0.0.1", "--workers", "1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if _get(port, "/static/favicon.svg")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        found = {}
        for path in PAGES:
            cold_status, cold = _get(port, path)
            warm_status, warm = _get(port, path)
            found[path] = (cold if cold_status == 200 else None,
                           warm if warm_status == 200 else None)
        return found
    finally:
        server.terminate()
        server.wait(30)


def _export(ref: str, folder: Path) -> Path:
    """The source tree of ``ref`` (``git archive``), without touching the working tree."""
    archive = folder / "code.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", ref], cwd=ROOT, stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder / "code", filter="data")
    return folder / "code"


def _median(values: list[float | None]) -> str:
    kept = [v for v in values if v is not None]
    return f"{statistics.median(kept) * 1000:7.0f} ms" if len(kept) == len(values) \
        else "  missing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", help="a git ref to compare with (e.g. HEAD~3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        codes: dict[str, Path | None] = {"this tree": None}
        if args.against:
            codes[args.against] = _export(args.against, Path(scratch))
        print(f"load average before: {os.getloadavg()}")
        results: dict[str, list[dict[str, tuple[float | None, float | None]]]] = {
            name: [] for name in codes}
        for _ in range(args.rounds):
            for name, code in codes.items():  # alternating, so that load hits both alike
                results[name].append(_round(args.store, code))
        print(f"load average after:  {os.getloadavg()}")
        print(f"{'page':26} " + " ".join(f"{name + ' cold':>16} {name + ' warm':>16}"
                                          for name in codes))
        for path in PAGES:
            cells = []
            for name in codes:
                cells += [f"{_median([r[path][0] for r in results[name]]):>16}",
                          f"{_median([r[path][1] for r in results[name]]):>16}"]
            print(f"{path:26} " + " ".join(cells))


if __name__ == "__main__":
    main()
