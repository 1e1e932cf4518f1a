"""The partner model file a build publishes: written whole, read back the same, refused when
it is not a model of these features."""

import json
from pathlib import Path

import numpy as np
import pytest

from graph.recommend.features import FEATURES
from graph.recommend.model import Curve, PartnerModel


def a_model() -> PartnerModel:
    """A small hand-made model over every feature (fitting one is the build's test)."""
    curves = tuple(Curve(0.1 * f, np.array([1.0, 2.0]), np.array([-0.5, 0.25]), 0.05 * f)
                   for f in range(len(FEATURES)))
    return PartnerModel(curves, -3.0, 10, 500)


def test_a_saved_model_reads_back_and_scores_the_same(tmp_path: Path) -> None:
    path = tmp_path / "builds" / "v1" / "recommend" / "model.json"
    model = a_model()
    model.save(path)  # the folder is created
    again = PartnerModel.load(path)
    features = np.random.default_rng(0).uniform(0, 3, size=(20, len(FEATURES)))
    assert np.allclose(again.score(features), model.score(features))
    assert (again.positives, again.negatives) == (10, 500)
    assert [p.name for p in path.parent.iterdir()] == ["model.json"]  # no temporary left


def test_a_missing_model_is_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        PartnerModel.load(tmp_path / "model.json")


@pytest.mark.parametrize("text", ["not json", "[]", '{"format": 1}',
                                  json.dumps({"format": 1, "features": ["distance"]})])
def test_a_file_that_is_not_a_model_of_these_features_is_refused(tmp_path: Path,
                                                                  text: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"model"):
        PartnerModel.load(path)
