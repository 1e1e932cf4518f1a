"""Publishing: the atomic switch under a concurrent reader, and a killed build."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pyoxigraph import Store

from graph.core import store_layout
from graph.core.store_layout import NotPublished, published
from graph.pipeline.build import build

DATA = Path(__file__).parent / "data" / "sources"
SHAPES = [DATA / "shapes.ttl"]
CURATED = f"curated:{DATA / 'curated'}"
WIKI = f"wikipedia:{DATA / 'wikipedia_sample.csv'}"
PARTNERS = f"partnerships:{DATA / 'partnerships_sample.csv'}"


def count_current(store_dir: Path) -> tuple[str, int, int]:
    """Resolve ``current`` once, open its store read-only, count; also the summary's count."""
    build_ = published(store_dir)
    store = Store.read_only(str(build_.oxigraph))
    return build_.version, len(store), build_.read_summary()["quads"]


def test_reader_never_sees_a_partial_graph_while_builds_switch(tmp_path: Path) -> None:
    first = build(tmp_path, [CURATED], shapes=SHAPES)
    seen: list[tuple[str, int, int]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.append(count_current(tmp_path))
            except BaseException as error:
                errors.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        second = build(tmp_path, [CURATED, WIKI], shapes=SHAPES)
        third = build(tmp_path, [CURATED, WIKI, PARTNERS], shapes=SHAPES)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    versions = {v for v, _, _ in seen}
    assert versions <= {first.build.version, second.build.version, third.build.version}
    assert len(versions) >= 2
    # Every read saw a whole build: exactly the quads that build's summary counted.
    assert all(count == expected for _, count, expected in seen)
    assert published(tmp_path).version == third.build.version
    # Within the grace period a retired build stays for readers that resolved it just before.
    assert {p.name for p in (tmp_path / "builds").iterdir()} == {
        first.build.version, second.build.version, third.build.version}


def test_retired_builds_are_pruned_after_the_grace_period(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_layout, "GRACE_SECONDS", 0.0)
    builds = [build(tmp_path, [CURATED], shapes=SHAPES).build.version for _ in range(3)]
    assert {p.name for p in (tmp_path / "builds").iterdir()} == set(builds[1:])


def test_killed_build_leaves_the_published_graph_untouched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = build(tmp_path, [CURATED, WIKI], shapes=SHAPES)
    version, count, _ = count_current(tmp_path)
    twinkg = Path(sys.executable).parent / "twinkg"
    # The project's own curated data and shapes: what `twinkg build` uses by default.
    process = subprocess.Popen([str(twinkg), "build", "--store", str(tmp_path), "--source",
                                WIKI, "--source", PARTNERS],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while len(list((tmp_path / "builds").iterdir())) < 2:
            assert process.poll() is None, "the build finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert published(tmp_path).version == before.build.version
    assert count_current(tmp_path)[:2] == (version, count)
    # The next build clears the remains of the killed one once nobody can be writing it.
    monkeypatch.setattr(store_layout, "GRACE_SECONDS", 0.0)
    after = build(tmp_path, [CURATED], shapes=SHAPES)
    assert {p.name for p in (tmp_path / "builds").iterdir()} == {before.build.version,
                                                                 after.build.version}


def test_no_build_yet_is_a_clear_error(tmp_path: Path) -> None:
    try:
        published(tmp_path)
    except NotPublished as error:
        assert "twinkg build --store" in str(error)
    else:
        raise AssertionError("published() found a build in an empty directory")
