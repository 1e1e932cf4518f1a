"""The scoring model: one fitted curve per feature, added up (a generalised additive model).

Why this shape: the score of a pair is ``intercept + sum_f curve_f(x_f)``, so each feature's
share of a suggestion's score is simply its curve's value (:meth:`PartnerModel.contributions`)
and can be put into words. The curves are piecewise linear with knots at quantiles of the
training data (a hinge basis), so the model can learn that twinning peaks at some hundreds of
kilometres and drops beyond, or that the first common partner matters most; a straight
logistic regression on the raw features could not, and ranked worse in the evaluation. The
fitting itself is scikit-learn's logistic regression on the hinge columns.

How it is trained without fooling itself: a random fifth of the known partnerships is set aside,
the features are computed on the graph that remains, and the model learns to tell those
set-aside partners (positives) from authorities drawn at random (negatives). That is exactly
the situation of a real query: the candidate is not yet a partner, and everything the features
see was known before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from graph.recommend.data import PartnerGraph
from graph.recommend.features import FEATURES, FeatureContext

HOLDOUT_FRACTION = 0.2
MAX_POSITIVES = 6000
NEGATIVES_PER_POSITIVE = 50
KNOT_QUANTILES = (0.25, 0.5, 0.75, 0.9, 0.97)
CHUNK = 512
FORMAT = 1


class NotEnoughData(ValueError):
    """Raised when the graph has too few partnerships to learn from."""


def knots_of(column: np.ndarray) -> np.ndarray:
    """Hinge knots of one feature: distinct quantiles above its minimum.

    >>> knots_of(np.array([0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0])).tolist()
    [1.5, 3.25, 4.3, 4.79]
    """
    quantiles = np.unique(np.round(np.quantile(column, KNOT_QUANTILES), 6))
    knots: np.ndarray = quantiles[quantiles > column.min()]
    return knots


def hinge_columns(features: np.ndarray, knots: list[np.ndarray]) -> np.ndarray:
    """Each feature ``x`` followed by ``max(0, x - knot)`` for each of its knots."""
    parts = []
    for f, feature_knots in enumerate(knots):
        column = features[:, f:f + 1]
        parts.append(column)
        if len(feature_knots):
            parts.append(np.maximum(0.0, column - feature_knots))
    return np.hstack(parts)


@dataclass(frozen=True)
class Curve:
    """``slope * x + sum_k weights[k] * max(0, x - knots[k])``, minus ``baseline``."""

    slope: float
    knots: np.ndarray
    weights: np.ndarray
    baseline: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        value = self.slope * x
        for knot, weight in zip(self.knots.tolist(), self.weights.tolist(), strict=True):
            value = value + weight * np.maximum(0.0, x - knot)
        out: np.ndarray = value - self.baseline
        return out


@dataclass(frozen=True)
class PartnerModel:
    """The fitted curves of :data:`FEATURES` and the intercept; see the module docstring."""

    curves: tuple[Curve, ...]
    intercept: float
    positives: int
    negatives: int

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Each feature's additive share of the log-odds, relative to an average pair."""
        return np.column_stack([curve(features[:, f]) for f, curve in enumerate(self.curves)])

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """The model's log-odds that each pair becomes a partnership."""
        total = np.full(len(features), self.intercept)
        for f, curve in enumerate(self.curves):
            total += curve(features[:, f])
        return total

    def score(self, features: np.ndarray) -> np.ndarray:
        """The model's probability that each pair becomes a partnership (0..1)."""
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-self.log_odds(features)))
        return probability

    def to_json(self) -> dict[str, Any]:
        """Plain numbers, to cache a fitted model next to the build it was fitted on."""
        return {"format": FORMAT, "features": list(FEATURES), "intercept": self.intercept,
                "positives": self.positives, "negatives": self.negatives,
                "curves": [{"slope": c.slope, "knots": c.knots.tolist(),
                            "weights": c.weights.tolist(), "baseline": c.baseline}
                           for c in self.curves]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PartnerModel:
        """The model :meth:`to_json` wrote; ``ValueError`` if it was for other features."""
        if data.get("format") != FORMAT or data.get("features") != list(FEATURES):
            raise ValueError("the cached model was fitted on other features")
        curves = tuple(Curve(float(c["slope"]), np.array(c["knots"], dtype=np.float64),
                             np.array(c["weights"], dtype=np.float64), float(c["baseline"]))
                       for c in data["curves"])
        return cls(curves, float(data["intercept"]), int(data["positives"]),
                   int(data["negatives"]))

    def save(self, path: Path) -> None:
        """Write the model as JSON, creating its folder (atomically: temp file, then rename,
        so that a reader never sees half a model). Raises :class:`OSError`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.to_json()), encoding="utf-8")
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> PartnerModel:
        """The model :meth:`save` wrote to ``path``.

        Raises :class:`FileNotFoundError` when there is none (a build published before the
        build fitted models, or one with too few partnerships), :class:`ValueError` when the
        file is not a model of these features.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_json(data)
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
            raise ValueError(f"{path}: not a partner model ({error})") from None


def training_pairs(graph: PartnerGraph, rng: np.random.Generator) -> tuple[
        PartnerGraph, np.ndarray, np.ndarray, np.ndarray]:
    """Set aside partnerships and draw negatives: ``(observed graph, queries, candidates, y)``.

    Raises :class:`NotEnoughData` when there are fewer than 5 linked pairs.
    """
    pairs = graph.pairs()
    if len(pairs) < 5:
        raise NotEnoughData(f"only {len(pairs)} partnerships: too few to learn from")
    count = max(2, round(len(pairs) * HOLDOUT_FRACTION))
    chosen = pairs[rng.choice(len(pairs), size=min(count, MAX_POSITIVES // 2), replace=False)]
    observed = graph.without_pairs(map(tuple, chosen.tolist()))
    # Both directions: features such as "your partners' countries" are not symmetric.
    queries = np.concatenate([chosen[:, 0], chosen[:, 1]])
    partners = np.concatenate([chosen[:, 1], chosen[:, 0]])
    negative_queries = np.repeat(queries, NEGATIVES_PER_POSITIVE)
    negatives = rng.integers(0, graph.size, size=len(negative_queries))
    adjacency = graph.adjacency
    bad = (negatives == negative_queries) | (np.asarray(
        adjacency[negative_queries, negatives]).ravel() > 0)
    negative_queries, negatives = negative_queries[~bad], negatives[~bad]
    all_queries = np.concatenate([queries, negative_queries])
    candidates = np.concatenate([partners, negatives])
    labels = np.concatenate([np.ones(len(queries)), np.zeros(len(negatives))])
    return observed, all_queries, candidates, labels


def features_in_chunks(context: FeatureContext, queries: np.ndarray,
                       candidates: np.ndarray) -> np.ndarray:
    """Pair features for many pairs, computing network rows for a chunk of queries at a time."""
    out = np.zeros((len(queries), len(FEATURES)))
    distinct = np.unique(queries)
    for start in range(0, len(distinct), CHUNK):
        block = distinct[start:start + CHUNK]
        network = context.network_rows(block)
        mask = np.isin(queries, block)
        out[mask] = context.pair_features(queries[mask], candidates[mask], network)
    return out


def fit(features: np.ndarray, labels: np.ndarray, regularisation: float = 1.0) -> PartnerModel:
    """Fit the curves: logistic regression on standardised hinge columns, then unfold it."""
    # Knots where the partnerships are: most training rows are random negatives, mostly far
    # away, and knots at their quantiles would leave no bend where the ranking is decided.
    where = features[labels > 0] if np.any(labels > 0) else features
    knots = [knots_of(where[:, f]) for f in range(features.shape[1])]
    columns = hinge_columns(features, knots)
    scaler = StandardScaler().fit(columns)
    regression = LogisticRegression(C=regularisation, max_iter=5000)
    regression.fit(scaler.transform(columns), labels)
    # Undo the standardisation so that a curve works on raw feature values.
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    raw = regression.coef_[0] / scale
    intercept = float(regression.intercept_[0] - np.sum(raw * scaler.mean_))
    curves = []
    position = 0
    for f, feature_knots in enumerate(knots):
        width = 1 + len(feature_knots)
        weights = raw[position:position + width]
        unshifted = Curve(float(weights[0]), feature_knots, weights[1:], 0.0)
        baseline = float(np.mean(unshifted(features[:, f])))
        curves.append(Curve(float(weights[0]), feature_knots, weights[1:], baseline))
        intercept += baseline
        position += width
    positives = int(labels.sum())
    return PartnerModel(tuple(curves), intercept, positives, len(labels) - positives)


def train(graph: PartnerGraph, seed: int = 0) -> PartnerModel:
    """Fit the model on ``graph``'s own partnerships; the same seed gives the same model.

    Raises :class:`NotEnoughData` when the graph has fewer than 5 partnerships.
    """
    rng = np.random.default_rng(seed)
    observed, queries, candidates, labels = training_pairs(graph, rng)
    features = features_in_chunks(FeatureContext(observed), queries, candidates)
    return fit(features, labels)
