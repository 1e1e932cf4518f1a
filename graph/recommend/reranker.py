"""The second stage of the partner model: gradient-boosted trees that re-rank the first stage's
best candidates.

Why a second stage: the first stage (:mod:`graph.recommend.model`) adds one curve per feature,
so it cannot learn that a signal counts differently depending on another: that a common partner
means more between two small towns than between two capitals, or that the distance that suits
a Polish gmina's twin is not the one that suits a Spanish one's. Trees learn such interactions.
On the default build's protocols (issue 16, 5 seeds, 400 queries; stop 21) re-ranking the
first stage's :data:`DEPTH` best raised recall@10 in the hold-out from 0.192 to 0.210 (1.34
times Adamic-Adar's) and in the cold start from 0.061 to 0.070 (Polish askers: 0.070 to
0.092); on one seed, ranking every candidate with the trees gave the same recall@10 as
re-ranking the 500 best: the first stage does not lose the partners the trees would find.

Why only the best :data:`DEPTH`: trees cost about 10 µs per candidate on this machine (5 ms for
500), which over the 25,000 authorities of the default build would be 250 ms per suggestion;
the first stage ranks all of them in about 8 ms.

It stays explainable: a tree ensemble's score is split exactly among the features by
Shapley values (LightGBM's ``pred_contrib``, the TreeSHAP algorithm), which are the
contributions :mod:`graph.recommend.reasons` puts into words, as it does the first stage's
curves. It is fitted with the same loss as the first stage (a softmax over each set-aside
partner's group, with the log-Q correction of :mod:`graph.recommend.sampling`), as LightGBM's
custom objective, and scaled to probabilities the same way (Platt scaling on the rows drawn at
random).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from graph.recommend.sampling import TrainingRows, group_softmax

DEPTH = 500
"""How many of the first stage's best candidates the trees re-rank."""
ROUNDS = 300
"""Boosting rounds (trees)."""
MIN_PARTNERS = 500
"""Set-aside partners needed to fit trees at all. A leaf needs 200 rows (``min_data_in_leaf``),
and with fewer partners the trees would learn the few at hand rather than a pattern: a small
graph (a test fixture, a build of one region's data) is ranked by the first stage alone."""
PARAMETERS: dict[str, Any] = {
    "num_leaves": 15, "learning_rate": 0.05, "min_data_in_leaf": 200, "lambda_l2": 10.0,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "max_bin": 127,
    "seed": 1, "deterministic": True, "force_row_wise": True, "num_threads": 2,
    "verbose": -1,
}
"""LightGBM's settings: small trees with many rows in each leaf and an L2 penalty, so that the
trees learn broad interactions, not single authorities; deterministic, so that the same seed
gives the same model in the build's process and in a test. 15 leaves rank as well as 31 (hold-out
recall@10 0.210 against 0.209, 5 seeds) and explain three times faster: the Shapley values of
ten suggestions take 6 ms instead of 19 (their cost grows with the square of a tree's depth)."""


@dataclass(frozen=True)
class Reranker:
    """The fitted trees and the Platt scaling of their raw score to log-odds."""

    booster: lgb.Booster
    slope: float
    intercept: float

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """The log-odds that each pair becomes a partnership."""
        raw = np.asarray(self.booster.predict(features, raw_score=True, num_threads=1))
        out: np.ndarray = self.slope * raw + self.intercept
        return out

    def score(self, features: np.ndarray) -> np.ndarray:
        """The probability that each pair becomes a partnership (0..1)."""
        probability: np.ndarray = expit(self.log_odds(features))
        return probability

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Each feature's share of the log-odds (Shapley values), relative to the average
        training pair."""
        shares = np.asarray(self.booster.predict(features, pred_contrib=True, num_threads=1))
        out: np.ndarray = self.slope * shares[:, :-1]  # the last column is the average
        return out

    def to_json(self) -> dict[str, Any]:
        """The trees as LightGBM's text model, and the scaling."""
        return {"trees": self.booster.model_to_string(), "slope": self.slope,
                "intercept": self.intercept}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reranker:
        """The reranker :meth:`to_json` wrote; ``ValueError`` when the trees cannot be read."""
        try:
            booster = lgb.Booster(model_str=str(data["trees"]))
        except lgb.basic.LightGBMError as error:
            raise ValueError(f"unreadable trees: {error}") from None
        return cls(booster, float(data["slope"]), float(data["intercept"]))


def _softmax_objective(rows: TrainingRows, group_weights: np.ndarray) -> Any:
    """Gradient and hessian of the weighted softmax loss over each group, scores lowered by
    their ``log_draws`` (the loss of :func:`graph.recommend.model.rank_weights`)."""
    starts = rows.group_starts()
    member = rows.group_of_rows(starts)
    weights = group_weights[member]
    partner = (rows.labels > 0).astype(np.float64)
    offset = rows.log_draws.astype(np.float64)

    def objective(predictions: np.ndarray, _data: lgb.Dataset) -> tuple[np.ndarray,
                                                                         np.ndarray]:
        share, _ = group_softmax(predictions - offset, starts, member)
        return weights * (share - partner), np.maximum(weights * share * (1 - share), 1e-6)

    return objective


def fit_reranker(features: np.ndarray, rows: TrainingRows,
                 group_weights: np.ndarray) -> Reranker:
    """Fit the trees on the first stage's training rows, then scale their score to
    probabilities on the :attr:`TrainingRows.uniform` rows."""
    # No copy: LightGBM bins the columns as they are, and the build's memory is tight.
    data = lgb.Dataset(features, free_raw_data=True)
    booster = lgb.train({**PARAMETERS, "objective": _softmax_objective(rows, group_weights)},
                        data, num_boost_round=ROUNDS)
    raw = np.asarray(booster.predict(features[rows.uniform], raw_score=True))[:, None]
    platt = LogisticRegression(max_iter=1000).fit(raw, rows.labels[rows.uniform])
    return Reranker(booster, float(platt.coef_[0, 0]), float(platt.intercept_[0]))
