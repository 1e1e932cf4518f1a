"""The HTTP server in front of the app: Granian (a Rust HTTP server for Python's WSGI).

HTTP parsing, keep-alive and the accept loop run in Rust, so a request costs the app's own work
and little more: with gunicorn's threaded workers, parsing and scheduling in Python took more
CPU than a cheap query itself, which capped the endpoint's throughput at a fraction of
``oxigraph serve``'s (issue 13's benchmark, ``benchmarks/endpoint_vs_oxigraph.py``).

The app is made once in the main process; each worker process is a fork of it and opens its
own query backend before it takes requests (loading the store takes seconds; a client should
not wait for it). A worker that dies is replaced by a fresh one.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

from flask import Flask
from granian.constants import Interfaces
from granian.server import Server

from service.access_log import AccessLog

_apps: dict[int, Flask] = {}
"""The app to serve, by id, for the forked workers (inherited, never pickled)."""


def serve_app(app: Flask, *, host: str, port: int, workers: int, threads: int,
              access_log: bool = True) -> None:
    """Serve ``app`` on ``host:port`` with ``workers`` processes of ``threads`` threads each
    (a query waits for its query process on one of them), until SIGINT or SIGTERM; with
    ``access_log``, a line per request on standard output (the ``ACCESS_LOG`` setting), in
    Granian's format but written in batches by :class:`service.access_log.AccessLog`, which
    costs the web workers about as little CPU as no log at all (Granian's own took about
    100 µs a request)."""
    # Workers must be forks: they inherit the app made here (and its settings) as it is.
    multiprocessing.set_start_method("fork", force=True)
    if access_log:
        app.wsgi_app = AccessLog(app.wsgi_app)  # type: ignore[method-assign]
    _apps[id(app)] = app
    server = Server(
        "twinkg", address=host, port=port, interface=Interfaces.WSGI, workers=workers,
        blocking_threads=threads, backpressure=threads * 16, log_access=False,
        respawn_failed_workers=True, respawn_interval=0.5, workers_kill_timeout=10)
    server.serve(target_loader=_worker_app_loader(id(app)), wrap_loader=False)


def _worker_app_loader(key: int) -> Any:
    def load() -> Flask:
        """In a freshly forked worker: open the backend, then hand the app to Granian."""
        app = _apps[key]
        from service import backend

        with app.app_context():
            backend()
        return app

    return load


__all__ = ["serve_app"]
