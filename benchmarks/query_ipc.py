"""CPU of one message each way between a caller and a query process, by framing (issue 13).

A cheap query is one job sent to a query process and one answer back. This measures what that
exchange costs, without any query: a forked child answers each job with a reply the size of a
partners answer, over a socket pair, framed either by ``multiprocessing``'s ``Connection``
(length, then body, each read on its own) or by :class:`graph.query.frames.FrameSocket`
(whatever has arrived, in one read). It prints the CPU per round trip of each side, from
``/proc``, over ``--round-trips`` after a warm-up.

Run from the repository root::

    .venv/bin/python benchmarks/query_ipc.py
"""

from __future__ import annotations

import argparse
import os
import pickle
import select
import socket
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.server_tools import cpu_seconds
from graph.query.frames import FrameSocket
from graph.query.process import QueryJob

_JOB = QueryJob("PREFIX tkg: <https://twinning.example/ontology#> SELECT ?p WHERE { ... }"
                + " " * 1100, "application/sparql-results+json", "text/turtle",
                base_iri="http://127.0.0.1:8080/sparql")
_REPLY = (("ok", "results", "application/sparql-results+json", b"r" * 3000), False)


class Channel(Protocol):
    def send(self, message: Any) -> None: ...

    def receive(self) -> Any: ...

    def fileno(self) -> int: ...

    def close(self) -> None: ...


class ConnectionChannel:
    """``multiprocessing``'s framing, as the query pool used it before FrameSocket."""

    def __init__(self, sock: socket.socket) -> None:
        self.connection = Connection(sock.detach())

    def send(self, message: Any) -> None:
        self.connection.send_bytes(pickle.dumps(message, pickle.HIGHEST_PROTOCOL))

    def receive(self) -> Any:
        return self.connection.recv()

    def fileno(self) -> int:
        return self.connection.fileno()

    def close(self) -> None:
        self.connection.close()


def measure(make: type[ConnectionChannel] | type[FrameSocket], round_trips: int,
            ) -> tuple[float, float]:
    """(caller, child) CPU microseconds per round trip."""
    ours, theirs = socket.socketpair()
    child = os.fork()
    if child == 0:  # answer every job until the caller closes its end
        ours.close()
        channel: Channel = make(theirs)
        try:
            while True:
                channel.receive()
                channel.send(_REPLY)
        except (EOFError, OSError):
            os._exit(0)
    theirs.close()
    caller: Channel = make(ours)
    ready = select.poll()
    ready.register(caller.fileno(), select.POLLIN)

    def exchange(count: int) -> None:
        for _ in range(count):
            caller.send(_JOB)
            ready.poll(10_000)  # as the pool waits, with a deadline
            caller.receive()

    exchange(2000)
    child_before, caller_before = cpu_seconds([child]), time.process_time()
    exchange(round_trips)
    child_after, caller_after = cpu_seconds([child]), time.process_time()
    caller.close()  # the child's end reads the end of the stream and exits
    os.waitpid(child, 0)
    return ((caller_after - caller_before) / round_trips * 1e6,
            (child_after[child] - child_before[child]) / round_trips * 1e6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--round-trips", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternate the two framings this many times (a noisy machine)")
    args = parser.parse_args()
    for round_number in range(1, args.rounds + 1):
        for name, make in (("multiprocessing Connection", ConnectionChannel),
                           ("FrameSocket", FrameSocket)):
            caller, child = measure(make, args.round_trips)
            print(f"round {round_number}  {name:<28} caller {caller:5.0f} us  "
                  f"query process {child:5.0f} us CPU per round trip", flush=True)


if __name__ == "__main__":
    main()
