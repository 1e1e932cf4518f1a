"""Real SPARQL servers for tests and benchmarks: ``oxigraph serve``, Virtuoso, ``twinkg serve``.

Each starts a separate process on 127.0.0.1 on a free port, loaded from RDF files, and is
stopped by the caller (``stop()``). Nothing here is mocked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph
import requests

VENV_BIN = Path(sys.executable).parent
OXIGRAPH = str(VENV_BIN / "oxigraph")
TWINKG = str(VENV_BIN / "twinkg")
VIRTUOSO = "/usr/bin/virtuoso-t"
ISQL = "/usr/bin/isql-vt"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A running server process; ``sparql`` is its query endpoint URL."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    sparql: str
    workdir: Path
    log: IO[bytes] | None = None

    def stop(self) -> None:
        if self.name == "virtuoso":
            subprocess.run([ISQL, self.url, "dba", "dba", "exec=shutdown;"],
                           capture_output=True, timeout=30, check=False)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.log is not None:
            self.log.close()


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 90.0,
                  log: Path | None = None) -> None:
    """Poll ``url`` until it answers; raise with the server's log if it dies or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    process.kill()
    process.wait(10)
    raise RuntimeError(f"server at {url} did not start:\n{tail}")


def graph_files(quads: list[pyoxigraph.Quad], folder: Path) -> dict[str, Path]:
    """One N-Triples file per named graph (``""`` for the default graph)."""
    folder.mkdir(parents=True, exist_ok=True)
    by_graph: dict[str, list[pyoxigraph.Triple]] = {}
    for quad in quads:
        name = "" if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else \
            quad.graph_name.value
        by_graph.setdefault(name, []).append(quad.triple)
    files = {}
    for i, (name, triples) in enumerate(sorted(by_graph.items())):
        path = folder / f"graph{i}.nt"
        pyoxigraph.serialize(triples, output=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
        files[name] = path
    return files


def start_oxigraph(quads: list[pyoxigraph.Quad], workdir: Path) -> Server:
    """``oxigraph serve`` with the union default graph, loaded with ``oxigraph load``."""
    workdir.mkdir(parents=True, exist_ok=True)
    data = workdir / "data.nq"
    pyoxigraph.serialize(quads, output=str(data), format=pyoxigraph.RdfFormat.N_QUADS)
    location = workdir / "oxigraph"
    subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(data)],
                   check=True, capture_output=True, timeout=600)
    port = free_port()
    log = workdir / "oxigraph.log"
    handle = log.open("wb")
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url + "/query?query=ASK%7B%7D", process, log=log)
    return Server("oxigraph", process, url, url + "/query", workdir, handle)


_VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 10
MaxClientConnections = 10

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 600
"""


def start_virtuoso(quads: list[pyoxigraph.Quad], workdir: Path, buffers: int = 100_000,
                   ) -> Server:
    """OpenLink Virtuoso (Debian's) with its own ini and database in ``workdir``; each named
    graph loaded with ``DB.DBA.TTLP_MT`` through ``isql``."""
    workdir.mkdir(parents=True, exist_ok=True)
    isql_port, http_port = free_port(), free_port()
    (workdir / "virtuoso.ini").write_text(_VIRTUOSO_INI.format(
        d=workdir, isql=isql_port, http=http_port, buffers=buffers, dirty=buffers * 3 // 4))
    log = workdir / "virtuoso.log"
    process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(workdir / "virtuoso.ini")],
                               cwd=workdir, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{http_port}"
    wait_until_up(url + "/sparql?query=ASK%7B%7D", process, log=log)
    server = Server("virtuoso", process, f"127.0.0.1:{isql_port}", url + "/sparql", workdir)
    statements = ["log_enable(2,1);"]
    for graph, path in graph_files(quads, workdir / "load").items():
        target = graph or "urn:x-default"
        statements.append(f"DB.DBA.TTLP_MT(file_to_string_output('{path}'), '', "
                          f"'{target}', 0, 2);")
    statements.append("checkpoint;")
    result = subprocess.run([ISQL, server.url, "dba", "dba",
                             "exec=" + " ".join(statements)], capture_output=True,
                            timeout=1800, check=False)
    if result.returncode != 0 or b"Error" in result.stdout + result.stderr:
        server.stop()
        raise RuntimeError(f"loading Virtuoso failed: {result.stdout[-2000:]!r} "
                           f"{result.stderr[-2000:]!r}")
    return server


def start_twinkg(workdir: Path, *, store: Path | None = None, endpoint: str | None = None,
                 workers: int = 2, extra_env: dict[str, str] | None = None) -> Server:
    """``twinkg serve`` (Granian) over a published store or a remote endpoint."""
    port = free_port()
    args = [TWINKG, "serve", "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers)]
    args += ["--store", str(store)] if store else ["--sparql-endpoint", str(endpoint)]
    log = workdir / f"twinkg-{port}.log"
    env = {**os.environ, **(extra_env or {})}
    handle = log.open("wb")
    process = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/sparql", process, log=log)
    except RuntimeError:
        handle.close()
        raise
    return Server("twinkg", process, url, url + "/sparql", workdir, handle)


def have(path: str) -> bool:
    return os.access(path, os.X_OK) or shutil.which(path) is not None
