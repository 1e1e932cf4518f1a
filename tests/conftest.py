"""Shared fixtures: real published stores, the app, its test client and live servers.

* ``build_store(target, *files)`` writes a real published store (``STORE/current ->
  builds/<version>/oxigraph``, docs/model-contract.md) from Turtle/TriG/N-Quads files;
* ``store_dir``: the service fixture (``tests/data/service/fixture.trig``) published once;
* ``embedded_backend``: one :class:`graph.query.embedded.EmbeddedBackend` on it for the session
  (query worker processes are slow to start, so they are shared);
* ``app`` / ``client``: Flask's pattern, serving ``embedded_backend``;
* ``live_server``: the app on 127.0.0.1, a free port, in a real HTTP server thread;
  ``live_server.url`` is its base URL (``http://127.0.0.1:PORT``).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import BaseWSGIServer, make_server

from graph.core import store_layout
from graph.query.embedded import EmbeddedBackend
from service import create_app

DATA = Path(__file__).resolve().parent / "data"
SERVICE_DATA = DATA / "service"
FIXTURE_VERSION = "20261124T103000Z-0f1x7ur3"


def build_store(target: Path, *files: Path, graphs: dict[Path, str] | None = None,
                version: str = FIXTURE_VERSION) -> Path:
    """A published store in ``target`` holding ``files`` (format from the suffix).

    Triples-only files (``.nt``, ``.ttl``) go into the named graph ``graphs[file]`` when given,
    else into the default graph.
    """
    build = store_layout.new_build(target, version)
    store = pyoxigraph.Store(str(build.oxigraph))
    for path in files:
        graph = (graphs or {}).get(path)
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.from_extension(
            path.suffix.lstrip(".")), to_graph=pyoxigraph.NamedNode(graph) if graph else None)
    store.flush()
    del store
    store_layout.switch(target, build)
    return target


@pytest.fixture(scope="session")
def store_builder() -> Callable[..., Path]:
    """:func:`build_store`, for tests that need their own published store."""
    return build_store


@pytest.fixture(scope="session")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("store"), SERVICE_DATA / "fixture.trig")


@pytest.fixture(scope="session")
def embedded_backend(store_dir: Path) -> Iterator[EmbeddedBackend]:
    backend = EmbeddedBackend(store_dir, processes=2, timeout=20.0)
    yield backend
    backend.close()


@pytest.fixture
def app(store_dir: Path, embedded_backend: EmbeddedBackend) -> Flask:
    return create_app({"TESTING": True, "STORE": str(store_dir), "BACKEND": embedded_backend})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class LiveServer:
    """An app served over real HTTP on 127.0.0.1 (threaded Werkzeug server)."""

    url: str
    server: BaseWSGIServer


def serve_in_thread(app: Flask) -> LiveServer:
    """Start ``app`` on 127.0.0.1 on a free port; stop it with ``server.shutdown()``."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LiveServer(f"http://127.0.0.1:{server.server_port}", server)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    live = serve_in_thread(app)
    yield live
    live.server.shutdown()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for servers that cannot bind port 0)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_binary(path: str) -> str:
    """``path`` if it is executable; a skip outside CI, a failure under ``CI=true``."""
    if os.access(path, os.X_OK):
        return path
    message = f"{path} is not installed (scripts/setup --test installs it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def pytest_configure(config: Any) -> None:
    config.addinivalue_line("markers", "remote: needs an external SPARQL server process")


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser), one for the whole
    session: Playwright's sync API runs one event loop per process, so every browser test
    shares it. Missing under CI is a failure, elsewhere a skip."""
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: ./scripts/setup --test provides it")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
