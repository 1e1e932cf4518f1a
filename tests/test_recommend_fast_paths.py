"""The shortcuts a suggestion takes over all candidates give the numbers of the plain ways.

A suggestion scores every authority (25,000 on the default graph) for one asker, within its
100 ms; the shortcuts (one stable sort for ranks, one row per region, curves in place) must not
change a single bit of what the model sees, or its ranking and the evaluation figures would
move with them.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyoxigraph import Store

from graph.core.store_layout import published
from graph.recommend.data import PartnerGraph, load_partner_graph, store_rows
from graph.recommend.features import FeatureContext
from graph.recommend.geography import rank, ranks_among
from graph.recommend.model import Curve
from tests.recommend_support import publish_fixture


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> PartnerGraph:
    store_dir = publish_fixture(tmp_path_factory.mktemp("fast"), model=False)
    return load_partner_graph(store_rows(Store.read_only(str(published(store_dir).oxigraph))))


@pytest.mark.parametrize("chosen_share", [0.001, 0.1, 0.5, 1.0])
def test_ranks_among_chosen_are_the_ranks_of_everybody(chosen_share: float) -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 300, size=4_000).astype(np.float64)  # many ties
    values[rng.random(4_000) < 0.05] = np.nan
    chosen = np.sort(rng.choice(4_000, size=max(1, int(4_000 * chosen_share)),
                                replace=False))
    assert np.array_equal(ranks_among(values, chosen), rank(values)[chosen])


def _hinge_sum(curve: Curve, x: np.ndarray) -> np.ndarray:
    """The curve as its definition reads, one temporary array per term."""
    value = curve.slope * x
    for knot, weight in zip(curve.knots.tolist(), curve.weights.tolist(), strict=True):
        value = value + weight * np.maximum(0.0, x - knot)
    out: np.ndarray = value - curve.baseline
    return out


def test_a_curve_evaluated_in_place_is_its_definition_to_the_bit() -> None:
    rng = np.random.default_rng(8)
    curve = Curve(0.37, np.sort(rng.normal(size=6)), rng.normal(size=6), 0.11)
    matrix = rng.normal(size=(5_000, 4))
    column = matrix[:, 2]  # a strided view, as the model reads a feature matrix
    assert not column.flags.c_contiguous
    assert np.array_equal(curve(column), _hinge_sum(curve, column))
    flags = rng.random(100) < 0.5
    assert np.array_equal(curve(flags), _hinge_sum(curve, flags.astype(np.float64)))
    plain = Curve(-2.0, np.zeros(0), np.zeros(0), 0.5)
    assert np.array_equal(plain(column), _hinge_sum(plain, column))
    assert np.array_equal(column, matrix[:, 2])  # the input is left as it was


def test_one_askers_rows_are_the_rows_it_gets_among_other_askers(graph: PartnerGraph) -> None:
    """A suggestion's rows (one asker, every candidate) take the one-region shortcuts; the
    same pairs mixed with other askers' (as training computes them) give the same matrix."""
    context = FeatureContext(graph)
    rng = np.random.default_rng(5)
    with_region = [q for q in range(graph.size) if context.region_ids[q] >= 0]
    assert with_region
    for asker in (with_region[0], with_region[-1], 0):
        candidates = np.arange(graph.size)
        alone = context.pair_features(np.full(graph.size, asker), candidates)
        others = rng.integers(0, graph.size, size=graph.size)
        queries = np.concatenate([np.full(graph.size, asker), others])
        mixed = context.pair_features(queries, np.concatenate([candidates, candidates]))
        assert np.array_equal(alone, mixed[:graph.size])
