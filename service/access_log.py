"""The server's access log: a line per request in Granian's own format, written in batches.

Granian's access log goes through Python's ``logging`` for every request (a dictionary, a
``strftime``, a log record, a formatted message, one write to standard output): about 100 µs of
CPU per request on our machines, which is as much as the engine spends on a cheap query
(``benchmarks/endpoint_cpu_breakdown.py``: Granian with a process hop, 177 against 280 µs per
request with its access log on). Here the line is formatted in the request's thread, with the
time stamp formatted once a second, and appended to a buffer; a background thread writes the
buffer to standard output every :data:`FLUSH_SECONDS`, and once more when the worker process
ends. The lines of a worker killed outright (``SIGKILL``) in its last quarter second are lost.

The line is Granian's default one (the address, the request line, the status, the time taken
in ms), with the path's control characters and quotes escaped, so that a request cannot write
a line of its own into the log. Like Granian's, it leaves out the query string: SPARQL queries
stay out of the log.
"""

from __future__ import annotations

import atexit
import datetime
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import util
from typing import Any, TextIO

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

FLUSH_SECONDS = 0.25
"""How often the buffered lines are written."""


class AccessLog:
    """WSGI middleware that logs every request ``app`` answers, in batches (see the module
    docstring), to ``stream`` if given, else to the file descriptor ``fd`` (standard output)
    in writes of whole lines that a pipe keeps whole (:func:`whole_line_chunks`): the server's
    workers share its standard output, often a pipe to a log collector. The writer thread
    starts with the first request of each process, so a server may make this before it forks
    its workers."""

    def __init__(self, app: WsgiApp, stream: TextIO | None = None,
                 flush_seconds: float = FLUSH_SECONDS, fd: int = 1) -> None:
        self.app = app
        self.stream = stream
        self.fd = fd
        self.flush_seconds = flush_seconds
        self._stamp_second = -1
        self._stamp = ""
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        """A fresh buffer and no writer (in a new process: the parent's thread is not here)."""
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._writing = threading.Lock()  # one flush at a time, so batches keep their order
        self._writer_pid: int | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse,
                 ) -> Iterable[bytes]:
        started, clock = time.time(), time.perf_counter()
        request = (environ.get("REMOTE_ADDR", "-"), environ.get("REQUEST_METHOD", "-"),
                   environ.get("PATH_INFO", ""), environ.get("SERVER_PROTOCOL", "-"))
        status = ["500"]

        def capture(line: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            status[0] = line
            return start_response(line, headers, *exc_info)

        try:
            body = self.app(environ, capture)
        except BaseException:
            self.log(request, "500", started, clock)
            raise
        if isinstance(body, list):
            self.log(request, status[0], started, clock)
            return body
        return _LoggedAtClose(body, lambda: self.log(request, status[0], started, clock))

    def log(self, request: tuple[str, str, str, str], status: str, started: float,
            clock: float) -> None:
        """Buffer the line of one answered request (and start this process's writer)."""
        address, method, path, protocol = request
        if not path.isprintable() or '"' in path:
            path = path.encode("unicode_escape").decode("ascii").replace('"', '\\"')
        line = (f'[{self._time_stamp(started)}] {address} - "{method} {path} {protocol}" '
                f"{status[:3]} {(time.perf_counter() - clock) * 1000:.3f}\n")
        with self._lock:
            self._lines.append(line)
            if self._writer_pid != os.getpid():
                self._start_writer()

    def flush(self) -> None:
        """Write the buffered lines now."""
        with self._writing:
            with self._lock:
                lines, self._lines = self._lines, []
            if not lines:
                return
            if self.stream is not None:
                self.stream.write("".join(lines))
                self.stream.flush()
                return
            sys.stdout.flush()  # what the process printed itself comes first
            for chunk in whole_line_chunks(lines, select.PIPE_BUF):
                while chunk:
                    chunk = chunk[os.write(self.fd, chunk):]

    def _time_stamp(self, started: float) -> str:
        """Granian's time stamp (local time), formatted once per second."""
        second = int(started)
        if second != self._stamp_second:
            self._stamp = datetime.datetime.fromtimestamp(second).astimezone().strftime(
                "%Y-%m-%d %H:%M:%S %z")
            self._stamp_second = second
        return self._stamp

    def _start_writer(self) -> None:
        """The thread that writes the buffer regularly, and the flush at this process's end:
        Granian's workers are multiprocessing children, which end through multiprocessing's
        finalizers rather than ``atexit``."""
        self._writer_pid = os.getpid()
        threading.Thread(target=self._write_regularly, name="twinkg-access-log",
                         daemon=True).start()
        util.Finalize(self, self.flush, exitpriority=10)
        atexit.register(self.flush)

    def _write_regularly(self) -> None:
        while True:
            time.sleep(self.flush_seconds)
            self.flush()


def whole_line_chunks(lines: list[str], limit: int) -> Iterator[bytes]:
    """``lines`` encoded and joined into as few chunks as can be, each of whole lines and at
    most ``limit`` bytes (a line longer than that is a chunk of its own). A write of at most
    ``PIPE_BUF`` bytes to a pipe is never interleaved with another process's, so two workers'
    lines never cut into each other."""
    chunk = bytearray()
    for line in lines:
        data = line.encode("utf-8", "backslashreplace")
        if chunk and len(chunk) + len(data) > limit:
            yield bytes(chunk)
            chunk.clear()
        chunk += data
    if chunk:
        yield bytes(chunk)


class _LoggedAtClose:
    """A streamed answer whose line is logged once the server has sent it and closes it."""

    def __init__(self, body: Iterable[bytes], logged: Callable[[], None]) -> None:
        self.body = body
        self.logged = logged

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self.logged()
