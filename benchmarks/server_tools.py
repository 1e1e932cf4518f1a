"""Process-tree tools the endpoint benchmarks share: memory (PSS) and CPU time of a server's
process tree, its web workers and its query processes, found through ``/proc``; and a build of
the Wikipedia file to serve.

``twinkg serve`` is Granian's main process; its direct children are the web workers; every process
below a web worker that has no children of its own, other than multiprocessing's resource
tracker or fork server, is a query process (whether the worker forked or spawned it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.servers import TWINKG


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (from every thread's ``children`` file); [] once it is gone."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return sorted(set(found))


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children(current)
    return found


def web_workers(master: int) -> list[int]:
    """The web worker processes of a ``twinkg serve`` process."""
    return children(master)


def cmdline(pid: int) -> str:
    """The command line of ``pid`` ("" once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(
            errors="replace")
    except OSError:
        return ""


def query_processes(master: int) -> list[int]:
    """Processes below a web worker that have no children and are not multiprocessing's own
    helpers (resource tracker, fork server): the query processes."""
    return [p for worker in web_workers(master) for p in tree(worker)[1:]
            if not children(p) and not any(helper in cmdline(p) for helper in (
                "resource_tracker", "forkserver"))]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User plus system CPU seconds each of ``pids`` has used so far (``/proc/PID/stat``);
    a process that is gone is left out."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[int, float] = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return used


def _kib(path: str, field: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_mib(pid: int) -> float:
    """Sum of PSS (``/proc/PID/smaps_rollup``) over the process tree, in MiB: pages shared
    between forked processes are counted once in all."""
    return sum(_kib(f"/proc/{p}/smaps_rollup", "Pss") for p in tree(pid)) / 1024


def build_wikipedia(csv_path: Path, store_dir: Path) -> Path:
    """``twinkg build`` of the raw Wikipedia twin-towns file into ``store_dir``."""
    subprocess.run([TWINKG, "build", "--store", str(store_dir), "--source",
                    f"wikipedia:{csv_path}"], check=True, timeout=1800)
    return store_dir
