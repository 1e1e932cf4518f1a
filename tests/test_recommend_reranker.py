"""The partner model's second stage (graph.recommend.reranker, issue 16): trees that learn what
one curve per feature cannot, re-rank only the first stage's best, explain their score exactly,
and are written and read back with the model."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from pyoxigraph import Store

from graph.core.store_layout import published
from graph.recommend.data import PartnerGraph, load_partner_graph, store_rows
from graph.recommend.features import FEATURES
from graph.recommend.model import (
    Curve,
    PartnerModel,
    features_in_chunks,
    fit,
    train,
)
from graph.recommend.reasons import group_weights
from graph.recommend.reranker import DEPTH, MIN_PARTNERS, fit_reranker
from graph.recommend.sampling import TrainingRows
from graph.recommend.suggest import Recommender
from tests.recommend_support import publish_fixture, training_rows

GROUPS, SIZE = 400, 10


def interaction_rows(seed: int) -> tuple[np.ndarray, TrainingRows]:
    """Groups of ten where the partner is the one whose first two features have the largest
    product: a signal no sum of one curve per feature can see."""
    rng = np.random.default_rng(seed)
    features = rng.uniform(-1, 1, size=(GROUPS * SIZE, len(FEATURES)))
    product = (features[:, 0] * features[:, 1]).reshape(GROUPS, SIZE)
    labels = np.zeros((GROUPS, SIZE))
    labels[np.arange(GROUPS), np.argmax(product, axis=1)] = 1.0
    groups = np.repeat(np.arange(GROUPS), SIZE)
    rows = TrainingRows(groups, np.arange(GROUPS * SIZE), labels.ravel(), groups,
                        np.zeros(GROUPS * SIZE), np.ones(GROUPS * SIZE, dtype=bool))
    return features, rows


def first_hits(scores: np.ndarray, rows: TrainingRows) -> float:
    """The share of groups whose partner gets the group's best score."""
    best = np.argmax(scores.reshape(GROUPS, SIZE), axis=1)
    return float(np.mean(rows.labels.reshape(GROUPS, SIZE)[np.arange(GROUPS), best] == 1))


@pytest.fixture(scope="module")
def fitted() -> tuple[PartnerModel, np.ndarray, TrainingRows]:
    features, rows = interaction_rows(0)
    weights = np.ones(GROUPS)
    model = replace(fit(features, rows, weights),
                    reranker=fit_reranker(features, rows, weights))
    return model, features, rows


def test_the_trees_learn_an_interaction_the_curves_cannot(
        fitted: tuple[PartnerModel, np.ndarray, TrainingRows]) -> None:
    model, _, _ = fitted
    assert model.reranker is not None
    features, rows = interaction_rows(1)  # pairs it was not fitted on
    curves_only = first_hits(model.log_odds(features), rows)
    trees = first_hits(model.reranker.score(features), rows)
    # Curves see only that a large product needs large values (chance is 0.1).
    assert trees > curves_only + 0.2, (trees, curves_only)


def test_the_shares_of_the_features_add_up_to_the_score(
        fitted: tuple[PartnerModel, np.ndarray, TrainingRows]) -> None:
    model, features, _ = fitted
    assert model.reranker is not None
    shares = model.contributions(features[:50])
    assert shares.shape == (50, len(FEATURES))
    average = model.reranker.log_odds(features[:50]) - shares.sum(axis=1)
    assert np.allclose(average, average[0])  # the same average pair for every candidate
    # The two features of the interaction explain the most.
    strongest = np.argsort(-np.abs(shares).mean(axis=0))[:2]
    assert set(strongest.tolist()) == {0, 1}


def test_only_the_first_stages_best_are_re_ranked_and_the_rest_follow_below(
        fitted: tuple[PartnerModel, np.ndarray, TrainingRows]) -> None:
    model, features, _ = fitted
    assert model.reranker is not None
    first = model.log_odds(features)
    scores = model.score(features)
    best = np.argsort(-first)[:DEPTH]
    rest = np.argsort(-first)[DEPTH:]
    assert np.allclose(scores[best], model.reranker.score(features[best]))
    assert scores[rest].max() < scores[best].min()
    assert np.all(np.diff(scores[rest]) <= 0)  # the first stage's order
    without = replace(model, reranker=None)
    assert np.allclose(without.score(features), 1 / (1 + np.exp(-first)))


def test_a_model_with_trees_reads_back_the_same_and_an_older_one_without(
        fitted: tuple[PartnerModel, np.ndarray, TrainingRows], tmp_path: Path) -> None:
    model, features, _ = fitted
    path = tmp_path / "model.json"
    model.save(path)
    again = PartnerModel.load(path)
    assert np.allclose(again.score(features), model.score(features))
    assert np.allclose(again.contributions(features[:5]), model.contributions(features[:5]))
    older = json.loads(path.read_text(encoding="utf-8"))
    older["format"] = 1
    del older["reranker"]
    path.write_text(json.dumps(older), encoding="utf-8")
    assert PartnerModel.load(path).reranker is None
    broken = json.loads(model.save(path) or path.read_text(encoding="utf-8"))
    broken["reranker"]["trees"] = "not trees"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match="trees"):
        PartnerModel.load(path)


def test_curves_explain_a_model_without_trees() -> None:
    curves = tuple(Curve(1.0 if f == 0 else 0.0, np.zeros(0), np.zeros(0), 0.0)
                   for f in range(len(FEATURES)))
    model = PartnerModel(curves, 0.0, 1, 1)
    features = np.zeros((2, len(FEATURES)))
    features[:, 0] = [1.0, 2.0]
    assert model.contributions(features)[:, 0].tolist() == [1.0, 2.0]


@pytest.fixture(scope="module")
def fixture_graph(tmp_path_factory: pytest.TempPathFactory) -> PartnerGraph:
    store_dir = publish_fixture(tmp_path_factory.mktemp("reranker"), model=False)
    return load_partner_graph(store_rows(Store.read_only(str(published(store_dir).oxigraph))))


def test_a_small_graph_is_ranked_by_the_curves_alone(fixture_graph: PartnerGraph) -> None:
    model = train(fixture_graph, 0)
    assert model.positives < MIN_PARTNERS and model.reranker is None


def test_suggestions_follow_the_trees_and_give_the_reasons_their_shares_name(
        fixture_graph: PartnerGraph) -> None:
    queries, _, context, rows = training_rows(fixture_graph, 0)
    features = features_in_chunks(context, rows.queries, rows.candidates)
    weights = np.ones(len(queries))
    model = replace(fit(features, rows, weights),
                    reranker=fit_reranker(features, rows, weights))
    recommender = Recommender(fixture_graph, model)
    poznan = "https://w3id.org/twinning-kg/id/authority/pl/poznań"
    found = recommender.suggest(poznan, n=5).suggestions
    assert len(found) == 5
    asker = fixture_graph.index[poznan]
    chosen = np.array([fixture_graph.index[s.iri] for s in found])
    scores = model.score(recommender.context.pair_features(np.full(5, asker), chosen))
    assert np.all(np.diff(scores) <= 0)  # best first, by the trees' score
    assert [s.score for s in found] == pytest.approx(scores.tolist())
    shares = model.contributions(recommender.context.pair_features(np.full(5, asker), chosen))
    for suggestion, row in zip(found, shares, strict=True):
        positive = {kind for kind, weight in group_weights(row).items() if weight > 0}
        kinds = {reason.kind for reason in suggestion.reasons}
        assert kinds and (kinds <= positive or kinds == {"geography"})
