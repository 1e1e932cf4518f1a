"""Fixtures of the end-to-end tests: a real build served on 127.0.0.1, and headless Chromium.

The site serves a graph built once per test session by :func:`graph.pipeline.build.build` from the
project's curated data plus the real Wikipedia rows (``wikipedia_twin_towns_raw.csv`` under the
``SHARED_DATA_DIR`` setting) that name a Polish or Czech town. The curated data alone holds
eight authorities without coordinates (no map line could be drawn) and four partnerships (too
few for the recommender to learn from); the Polish and Czech rows give the gazetteer something
to place and the recommender ~3,800 partnerships, for a build of ~20 s.

The base IRI is the live server's own address, so every link on the pages dereferences on it;
the server is therefore started (on a free port) before the build, and given the app after.

Neither the browser nor the data is ever downloaded: without /usr/bin/chromium or the shared
data the tests skip, and fail under ``CI=true``.
"""

from __future__ import annotations

import csv
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from graph.core.settings import setting
from graph.pipeline.build import build
from graph.query.embedded import EmbeddedBackend
from service import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
COUNTRIES = {"Poland", "Czech Republic", "Czechia"}
"""The Wikipedia rows kept: those with a town in one of these countries."""


def _need(ready: bool, what: str) -> None:
    if ready:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing: ./scripts/setup --test provides it")
    pytest.skip(f"{what} is missing")


class _AppLater:
    """A WSGI app whose Flask app is set once the build is published.

    The build needs the server's address (its base IRI), and the server needs an app to bind.
    """

    def __init__(self) -> None:
        self.app: Callable[..., Iterable[bytes]] | None = None

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.app is None:
            raise RuntimeError("the e2e site was asked for a page before its build finished")
        return self.app(environ, start_response)


@dataclass
class Site:
    """The app on 127.0.0.1 serving a real build; ``url`` has no trailing slash."""

    url: str
    store: Path


def polish_and_czech_rows(source: Path, target: Path) -> Path:
    """Copy the rows of the Wikipedia CSV naming a Polish or Czech town into ``target``."""
    with source.open(encoding="utf-8", newline="") as raw, \
            target.open("w", encoding="utf-8", newline="") as kept:
        rows = csv.reader(raw)
        writer = csv.writer(kept)
        writer.writerow(next(rows))
        writer.writerows(row for row in rows if COUNTRIES & set(row[1::2]))
    return target


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real build, served; built once per session (~20 s)."""
    raw = Path(setting("SHARED_DATA_DIR")) / "wikipedia_twin_towns_raw.csv"
    _need(raw.is_file(), str(raw))
    folder = tmp_path_factory.mktemp("e2e")
    rows = polish_and_czech_rows(raw, folder / "polish-and-czech.csv")
    later = _AppLater()
    server: BaseWSGIServer = make_server("127.0.0.1", 0, later, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    store = folder / "store"
    build(store, ["curated", f"wikipedia:{rows}"], url + "/")
    backend = EmbeddedBackend(store, processes=2, timeout=20.0)
    later.app = create_app({"TESTING": True, "STORE": str(store), "BASE_IRI": url + "/",
                            "BACKEND": backend})
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Site(url, store)
    server.shutdown()
    backend.close()


def _watch(tab: Any) -> Any:
    """Collect console errors and page errors on ``tab.problems`` (tests assert it stays [])."""
    problems: list[str] = []
    tab.on("console", lambda message: problems.append(message.text)
           if message.type == "error" else None)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.problems = problems
    return tab


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop-sized tab in English."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield _watch(context.new_page())
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Callable[[str], Any]]:
    """``phone(language)``: a phone-sized tab (390 x 844) asking for ``language``."""
    contexts: list[Any] = []

    def open_tab(language: str) -> Any:
        context = browser.new_context(viewport={"width": 390, "height": 844},
                                      locale=language, is_mobile=True, has_touch=True,
                                      extra_http_headers={"Accept-Language": language})
        contexts.append(context)
        return _watch(context.new_page())

    yield open_tab
    for context in contexts:
        context.close()


def shot(tab: Any, name: str) -> Path:
    """A full-page screenshot in ``test-artifacts/NAME.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path
