"""How the partner model is trained (issue 16): the rows it learns from and the ranking fit.

On the recommender fixture: the authorities drawn against each set-aside partner are never the
query itself nor anybody linked to it, the ones drawn from a pool carry how much likelier than
chance they were drawn, and the fit ranks a partner first when a signal says so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyoxigraph import Store

from graph.core.store_layout import published
from graph.recommend.data import PartnerGraph, load_partner_graph, store_rows
from graph.recommend.features import FeatureContext
from graph.recommend.model import rank_weights, train, training_pairs
from graph.recommend.sampling import UNIFORM_DRAWS, TrainingRows, draw, pools
from tests.recommend_support import publish_fixture, training_rows


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> PartnerGraph:
    store_dir: Path = publish_fixture(tmp_path_factory.mktemp("training"), model=False)
    return load_partner_graph(store_rows(Store.read_only(str(published(store_dir).oxigraph))))


def test_each_partner_is_ranked_against_authorities_not_linked_to_its_query(
        graph: PartnerGraph) -> None:
    queries, partners, _, rows = training_rows(graph, 3)
    assert np.all(np.diff(rows.groups) >= 0)
    for group in range(len(queries)):
        members = np.flatnonzero(rows.groups == group)
        assert rows.labels[members].sum() == 1
        first = members[rows.labels[members] == 1][0]
        assert (rows.queries[first], rows.candidates[first]) == (queries[group], partners[group])
        assert np.all(rows.queries[members] == queries[group])
        drawn = rows.candidates[members[rows.labels[members] == 0]]
        assert queries[group] not in drawn
        assert not set(drawn.tolist()) & set(graph.partners_of(int(queries[group])).tolist())


def test_pool_draws_are_weighed_by_how_likely_they_were_drawn(graph: PartnerGraph) -> None:
    rng = np.random.default_rng(5)
    observed, queries, partners = training_pairs(graph, rng)
    context = FeatureContext(observed)
    rows = draw(graph, context, queries, partners, rng)
    network, geography = pools(context, queries)
    chance = np.log(UNIFORM_DRAWS / graph.size)
    for k in range(len(rows.queries)):
        query, candidate = int(rows.queries[k]), int(rows.candidates[k])
        in_pool = candidate in network[query] or candidate in geography[query]
        # Drawn from nowhere but at random: chance; from a pool as well: likelier than chance.
        assert (rows.log_draws[k] > chance + 1e-9) == in_pool
    # The network pool is whoever a network signal is not zero for: here Poznań's partners'
    # partners include Leipzig (through Hanover and Brno).
    poznan = graph.index["https://w3id.org/twinning-kg/id/authority/pl/poznań"]
    leipzig = graph.index["https://w3id.org/twinning-kg/id/authority/de/leipzig"]
    assert leipzig in pools(FeatureContext(graph), np.array([poznan]))[0][poznan]


def test_the_ranking_fit_puts_the_partner_first_when_a_signal_says_so() -> None:
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(200), 10)
    labels = np.tile(np.r_[1.0, np.zeros(9)], 200)
    signal = rng.normal(size=len(labels)) + 2.0 * labels
    noise = rng.normal(size=len(labels))
    columns = np.column_stack([signal, noise]).astype(np.float32)
    rows = TrainingRows(groups, groups, labels, groups, np.zeros(len(labels)),
                        np.ones(len(labels), dtype=bool))
    weights = rank_weights(columns, rows, np.ones(200))
    assert weights[0] > 1.0 and abs(weights[1]) < 0.3 * weights[0]
    scores = (columns @ weights.astype(np.float32)).reshape(200, 10)
    assert np.mean(np.argmax(scores, axis=1) == 0) > 0.6


def test_training_is_deterministic_for_a_seed(graph: PartnerGraph) -> None:
    first, second = train(graph, 4), train(graph, 4)
    assert first.to_json() == second.to_json()
