"""WSGI apps that do no work, served by Granian in ``endpoint_cpu_breakdown.py`` to measure what
the HTTP server and one round trip to another process cost by themselves.

``answer`` reads the request and answers a fixed SPARQL JSON body. ``answer_after_hop`` first
sends 200 bytes to a child process and waits for them to come back over a socket, as a web
worker waits for its query process (each worker process forks its own child at its first
request).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterable
from typing import Any

_BODY = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
_HEADERS = [("Content-Type", "application/sparql-results+json"),
            ("Content-Length", str(len(_BODY)))]


def answer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Read the body, answer a fixed one."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)
    start_response("200 OK", _HEADERS)
    return [_BODY]


def _echo_child() -> socket.socket:
    """Our end of a socket whose other end a forked child echoes back until it closes."""
    ours, theirs = socket.socketpair()
    if os.fork() == 0:  # the child: echo until the parent is gone
        ours.close()
        while data := theirs.recv(65536):
            theirs.sendall(data)
        os._exit(0)
    theirs.close()
    return ours


_hops: dict[int, socket.socket] = {}
_hop_lock = threading.Lock()


def answer_after_hop(environ: dict[str, Any], start_response: Callable[..., Any],
                     ) -> Iterable[bytes]:
    """:func:`answer`, after one round trip of 200 bytes to this process's child."""
    with _hop_lock:
        hop = _hops.get(os.getpid())
        if hop is None:
            hop = _hops[os.getpid()] = _echo_child()
        hop.sendall(b"x" * 200)
        hop.recv(65536)
    return answer(environ, start_response)
