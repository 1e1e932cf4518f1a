"""Real servers for the Wikidata tests: an ``oxigraph serve`` process holding the
Wikidata-shaped fixture, and small HTTP servers on 127.0.0.1 that misbehave on purpose.

Helpers, not fixtures, so that each ``tests/test_wikidata_*.py`` module can wrap them in the
fixture scope it needs without touching the shared ``conftest.py``.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "wikidata"
FIXTURE = DATA / "wikidata.ttl"
OXIGRAPH = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "oxigraph"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def oxigraph_server(tmp: Path, data: Path = FIXTURE) -> Iterator[str]:
    """A real ``oxigraph serve`` process with ``data`` loaded; yields its query URL."""
    if not OXIGRAPH.exists():
        raise RuntimeError(f"{OXIGRAPH} is missing: run scripts/setup --test")
    location = tmp / "oxigraph"
    subprocess.run([str(OXIGRAPH), "load", "--location", str(location), "--file", str(data)],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    process = subprocess.Popen([str(OXIGRAPH), "serve-read-only", "--location", str(location),
                                "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start: " +
                                       (process.stderr.read().decode() if process.stderr
                                        else "")) from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@dataclass
class Behaviour:
    """What a misbehaving server does: the status of each answer before it starts proxying."""

    upstream: str = ""
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    always: tuple[int, dict[str, str]] | None = None
    seen: list[float] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)


def _handler(behaviour: Behaviour) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Quiet: pytest output stays readable."""

        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            behaviour.seen.append(time.monotonic())
            behaviour.agents.append(self.headers.get("User-Agent", ""))
            if behaviour.always is not None:
                self._answer(*behaviour.always, b"upstream trouble")
                return
            if behaviour.failures:
                status, headers = behaviour.failures.pop(0)
                self._answer(status, headers, b"slow down")
                return
            request = urllib.request.Request(behaviour.upstream, data=body, headers={
                "Content-Type": self.headers.get("Content-Type", ""),
                "Accept": self.headers.get("Accept", "")})
            with urllib.request.urlopen(request, timeout=30) as answer:
                self._answer(answer.status, {"Content-Type": answer.headers["Content-Type"]},
                             answer.read())

    return Handler


@contextmanager
def misbehaving_server(behaviour: Behaviour) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 acting out ``behaviour``; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
