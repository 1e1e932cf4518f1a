"""A running ``twinkg serve`` follows the atomic switch of ``STORE/current`` (issues 3 and 4).

Builds are published with :mod:`graph.core.store_layout` (a fresh build folder, then ``switch``)
while a
real server process answers a client that never stops asking. Every answer must be the whole of
one build: the old one until the switch, then the new one, never an error, never a mix.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

import pyoxigraph
import pytest
import requests

from graph.core import store_layout
from graph.query.backend import BackendError
from graph.query.embedded import EmbeddedBackend
from tests.servers import start_twinkg

LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
GRAPH = pyoxigraph.NamedNode("https://w3id.org/twinning-kg/id/graph/wikipedia")
COUNT_BY_LABEL = ("SELECT ?label (COUNT(*) AS ?n) WHERE { ?s "
                  "<http://www.w3.org/2000/01/rdf-schema#label> ?label } GROUP BY ?label")


def publish_build(store_dir: Path, label: str, size: int) -> store_layout.Published:
    """Publish a build of ``size`` resources all labelled ``label``, the way ``twinkg build``
    does: everything written into a new build folder, then ``current`` switched."""
    build = store_layout.new_build(store_dir)
    store = pyoxigraph.Store(str(build.oxigraph))
    store.bulk_extend(pyoxigraph.Quad(pyoxigraph.NamedNode(f"https://example.org/{label}/{i}"),
                                      LABEL, pyoxigraph.Literal(label), GRAPH)
                      for i in range(size))
    store.flush()
    del store
    store_layout.write_summary(build, {"label": label, "triples": size})
    store_layout.switch(store_dir, build)
    return build


def _answer(body: bytes) -> dict[str, int]:
    parsed = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    return {row["label"].value: int(row["n"].value) for row in parsed}


def test_serve_answers_from_the_old_build_until_the_switch_then_the_new(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    publish_build(store_dir, "old", 200)
    service = start_twinkg(tmp_path, store=store_dir, workers=1)
    seen: list[tuple[int, str, str | None]] = []
    stop = threading.Event()

    def ask_forever() -> None:
        session = requests.Session()
        number = 0
        while not stop.is_set():
            # a new text every other time (answered by the engine), else the same text
            # (answered by the caches, which must follow the version too)
            number += 1
            query = f"{COUNT_BY_LABEL} LIMIT {1000 + number}" if number % 2 else COUNT_BY_LABEL
            response = session.get(service.sparql, timeout=60, params={"query": query},
                                   headers={"Accept": "application/sparql-results+json"})
            answer = repr(sorted(_answer(response.content).items())) \
                if response.status_code == 200 else response.text
            seen.append((response.status_code, answer, response.headers.get("ETag")))

    client = threading.Thread(target=ask_forever, daemon=True)
    try:
        client.start()
        _wait_for(lambda: len(seen) >= 5, "answers from the first build")
        publish_build(store_dir, "new", 300)
        _wait_for(lambda: any("new" in answer for _, answer, _ in seen), "the new build")
        settled = len(seen)
        _wait_for(lambda: len(seen) >= settled + 5, "answers after the switch")
    finally:
        stop.set()
        client.join(60)
        service.stop()
    old, new = repr([("old", 200)]), repr([("new", 300)])
    assert {status for status, _, _ in seen} == {200}, seen
    answers = [answer for _, answer, _ in seen]
    assert set(answers) == {old, new}  # each answer is one whole build
    first_new = answers.index(new)
    assert answers[:first_new] == [old] * first_new
    assert answers[first_new:] == [new] * (len(answers) - first_new)  # never back
    assert answers[-2:] == [new, new]  # the cached text moved on too
    # the validators follow the version: two builds, two sets of ETags, never shared
    etags = {answer: {etag for _, a, etag in seen if a == answer} for answer in (old, new)}
    assert None not in etags[old] | etags[new]
    assert not etags[old] & etags[new]


def test_a_pinned_request_finishes_on_the_old_build(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    first = publish_build(store_dir, "old", 20)
    backend = EmbeddedBackend(store_dir, processes=1, timeout=20.0, switch_check=0.0)
    try:
        pinned = backend.pin()
        old_store_pid = backend.runner.store_pid()
        second = publish_build(store_dir, "new", 30)
        _wait_for(lambda: backend.version == second.version, "the backend to open the new build")
        # the request that pinned the old version still gets the old graph and its version
        assert pinned.version == first.version
        assert _answer(pinned.query(COUNT_BY_LABEL).body) == {"old": 20}
        assert _answer(backend.query(COUNT_BY_LABEL).body) == {"new": 30}
        assert backend.modified >= pinned.modified  # type: ignore[operator]
        assert old_store_pid is not None
        os.kill(old_store_pid, 0)  # the old build stays open while a request holds it
        pinned.release()
        _wait_for(lambda: not _alive(old_store_pid), "the old build to be closed")
    finally:
        backend.close()


def test_an_unopenable_new_build_leaves_the_old_one_serving(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    first = publish_build(store_dir, "old", 20)
    backend = EmbeddedBackend(store_dir, processes=1, timeout=20.0, switch_check=0.0)
    try:
        broken = store_layout.new_build(store_dir)  # no oxigraph folder: cannot be opened
        store_layout.switch(store_dir, broken)
        def refused() -> bool:
            assert _answer(backend.query(f"{COUNT_BY_LABEL} LIMIT 7").body) == {"old": 20}
            return "could not open the newly published build" in caplog.text

        with caplog.at_level(logging.ERROR, logger="graph.query.embedded"):
            _wait_for(refused, "the broken build to be refused")
        assert backend.version == first.version
        assert _answer(backend.query(COUNT_BY_LABEL).body) == {"old": 20}
    finally:
        backend.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(condition: object, what: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def test_a_closed_backend_refuses_instead_of_waiting(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    publish_build(store_dir, "old", 5)
    backend = EmbeddedBackend(store_dir, processes=1, timeout=20.0)
    backend.close()
    with pytest.raises(BackendError, match="closed"):
        backend.pin()
    with pytest.raises(BackendError, match="closed"):
        backend.query(COUNT_BY_LABEL)
