"""The partner model is fitted in a process of its own while the build writes
(graph.pipeline.recommending.start_partner_model): it writes the same model as fitting in the
build's own process, and a fit that fails says why instead of leaving a build without a word."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pyoxigraph import Store

from graph.core import store_layout
from graph.pipeline.recommending import publish_partner_model, start_partner_model
from graph.recommend.model import PartnerModel
from graph.recommend.suggest import MODEL_FILE
from tests.recommend_support import publish_fixture


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_fixture(tmp_path_factory.mktemp("fit"), model=False)


def _store(store_dir: Path) -> Store:
    return Store.read_only(str(store_layout.published(store_dir).oxigraph))


def test_the_process_writes_the_model_the_build_would(fixture_store: Path,
                                                      tmp_path: Path) -> None:
    here, there = store_layout.new_build(tmp_path / "a"), store_layout.new_build(tmp_path / "b")
    expected = publish_partner_model(_store(fixture_store), here)
    summary, peak_mb = start_partner_model(_store(fixture_store), there).result()
    assert summary == expected and summary["model"] == MODEL_FILE.as_posix()
    assert peak_mb > 0  # the child's own peak, reported for the build's memory figure
    assert (PartnerModel.load(there.root / MODEL_FILE).to_json()
            == PartnerModel.load(here.root / MODEL_FILE).to_json())


def test_a_fit_that_fails_raises_with_the_childs_reason(fixture_store: Path,
                                                        tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the build folder should be", encoding="utf-8")
    target = replace(store_layout.new_build(tmp_path / "c"), root=blocker)
    fitting = start_partner_model(_store(fixture_store), target)
    with pytest.raises(RuntimeError, match=r"fitting the partner model failed:(.|\n)*Error"):
        fitting.result()


def test_a_stopped_fit_leaves_no_process(fixture_store: Path, tmp_path: Path) -> None:
    fitting = start_partner_model(_store(fixture_store), store_layout.new_build(tmp_path / "d"))
    fitting.stop()
    assert not fitting._process.is_alive()  # what stop() promises
