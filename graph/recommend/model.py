"""The scoring model, in two stages: one fitted curve per feature, added up (a generalised
additive model), ranks every candidate; gradient-boosted trees re-rank its best
(:mod:`graph.recommend.reranker`, which says why and what it gained).

Why the first stage has this shape: the score of a pair is ``intercept + sum_f curve_f(x_f)``,
so it is cheap for every authority at once, and each feature's share of it is simply its
curve's value (:meth:`PartnerModel.curve_contributions`), which can be put into words. The
curves are piecewise linear with knots at quantiles of the training data (a hinge basis), so
the model can learn that twinning peaks at some hundreds of kilometres and drops beyond, or
that the first common partner matters most; a straight logistic regression on the raw
features could not, and ranked worse in the evaluation.

How it is trained without fooling itself: a random fifth of the known partnerships is set aside,
the features are computed on the graph that remains, and the model learns to rank each
set-aside partner above the authorities drawn against it (:mod:`graph.recommend.sampling`: at
random, and from the query's network and surroundings, with the correction for drawing those
more often). That is exactly the situation of a real query: the candidate is not yet a
partner, and everything the features see was known before.

How it is fitted: as a ranking, not as a yes/no. The loss is that of a softmax over each
partner's group (the probability that the partner comes first among them), which is what a
suggestion list is judged on; a yes/no logistic loss on random authorities spends its effort
telling partners from absurd candidates. On the default build's protocols (issue 16, 5 seeds,
400 queries) the previous fit (that logistic loss, 50 random authorities per partner) had
recall@10 0.182 and MRR 0.140 in the hold-out, this one 0.192 and 0.154 (recall@10 of Polish
queries 0.191 and 0.202, of Czech ones 0.266 and 0.282). The columns are whitened first
(their Gram matrix made the identity), which lets L-BFGS converge in about a hundred steps;
then the scores are scaled to probabilities on the partners and the randomly drawn
authorities (Platt scaling), so that a score still reads as "how likely, against any
authority". Partnerships of Polish and Czech authorities weigh :data:`FOCUS_WEIGHT` times as
much: the project's users are gminas and obce, and their twinning (mostly across the nearby
border) differs from the world's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression

from graph.recommend.data import PartnerGraph
from graph.recommend.features import FEATURES, FeatureContext
from graph.recommend.reranker import DEPTH, MIN_PARTNERS, Reranker, fit_reranker
from graph.recommend.sampling import TrainingRows, draw, group_softmax

HOLDOUT_FRACTION = 0.2
MAX_POSITIVES = 5000
KNOT_QUANTILES = (0.25, 0.5, 0.75, 0.9, 0.97)
CHUNK = 512
FORMAT = 2
"""Version 2 adds the trees (``reranker``); a version 1 model is read without them."""
FOCUS_COUNTRIES = ("PL", "CZ")
FOCUS_WEIGHT = 4.0
"""How much more a set-aside partnership of an authority in :data:`FOCUS_COUNTRIES` weighs."""
REGULARISATION = 1.0
"""The ridge penalty on the standardised hinge weights."""
MAX_ITERATIONS = 120
"""L-BFGS steps of the ranking fit: with :data:`MAX_POSITIVES` 5000 and 30 random draws per
partner, the fit takes about 30 s of CPU on the default build (200 steps, 6000 and 50: 48 s,
for a hold-out recall@10 higher by 0.006 in a trial on 3 seeds)."""


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


def hinge_columns(features: np.ndarray, knots: list[np.ndarray],
                  dtype: type[np.floating] = np.float64) -> np.ndarray:
    """Each feature ``x`` followed by ``max(0, x - knot)`` for each of its knots."""
    out = np.empty((len(features), sum(1 + len(k) for k in knots)), dtype=dtype)
    position = 0
    for f, feature_knots in enumerate(knots):
        column = features[:, f:f + 1]
        out[:, position:position + 1] = column
        if len(feature_knots):
            out[:, position + 1:position + 1 + len(feature_knots)] = np.maximum(
                0.0, column - feature_knots)
        position += 1 + len(feature_knots)
    return out


@dataclass(frozen=True)
class Curve:
    """``slope * x + sum_k weights[k] * max(0, x - knots[k])``, minus ``baseline``."""

    slope: float
    knots: np.ndarray
    weights: np.ndarray
    baseline: float

    def __call__(self, x: np.ndarray) -> np.ndarray:
        # In place, on a contiguous copy of x: a suggestion evaluates every curve on 25,000
        # candidates, and a temporary array per operation took twice the time (the values are
        # the same to the bit: the same operations in the same order).
        x = np.ascontiguousarray(x, dtype=np.float64)
        value = self.slope * x
        hinge = np.empty_like(x)
        for knot, weight in zip(self.knots.tolist(), self.weights.tolist(), strict=True):
            np.subtract(x, knot, out=hinge)
            np.maximum(0.0, hinge, out=hinge)
            hinge *= weight
            value += hinge
        value -= self.baseline
        return value


@dataclass(frozen=True)
class PartnerModel:
    """The fitted curves of :data:`FEATURES` and the intercept (the first stage; see the module
    docstring), and the trees that re-rank its best candidates (:mod:`graph.recommend.reranker`;
    ``None`` in a model written before there were any)."""

    curves: tuple[Curve, ...]
    intercept: float
    positives: int
    negatives: int
    reranker: Reranker | None = None

    def curve_contributions(self, features: np.ndarray) -> np.ndarray:
        """Each curve's additive share of the first stage's log-odds, relative to an average
        pair."""
        return np.column_stack([curve(features[:, f]) for f, curve in enumerate(self.curves)])

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Each feature's share of the log-odds of the score :meth:`score` gives the best
        candidates: the trees' Shapley values, or the curves' values without trees."""
        if self.reranker is None:
            return self.curve_contributions(features)
        return self.reranker.contributions(features)

    def log_odds(self, features: np.ndarray) -> np.ndarray:
        """The first stage's log-odds that each pair becomes a partnership."""
        total = np.full(len(features), self.intercept)
        for f, curve in enumerate(self.curves):
            total += curve(features[:, f])
        return total

    def score(self, features: np.ndarray) -> np.ndarray:
        """How likely each pair is to become a partnership (0..1), to rank by.

        The first stage scores every pair; the trees score its :data:`DEPTH` best again, and
        the others keep the first stage's order below the lowest of those, so that a ranking
        by this score is the trees' ranking of the best followed by the first stage's of the
        rest.
        """
        probability: np.ndarray = expit(self.log_odds(features))
        if self.reranker is None or len(features) == 0:
            return probability
        best = np.argpartition(-probability, DEPTH)[:DEPTH] if len(features) > DEPTH else \
            np.arange(len(features))
        again = self.reranker.score(features[best])
        rest = np.ones(len(features), dtype=bool)
        rest[best] = False
        if rest.any():
            # Below the lowest re-ranked score, in the first stage's order.
            ceiling = float(again.min()) * (1.0 - 1e-9)
            probability[rest] *= ceiling / max(float(probability[rest].max()), 1e-300)
        probability[best] = again
        return probability

    def to_json(self) -> dict[str, Any]:
        """Plain numbers, to cache a fitted model next to the build it was fitted on."""
        return {"format": FORMAT, "features": list(FEATURES), "intercept": self.intercept,
                "positives": self.positives, "negatives": self.negatives,
                "curves": [{"slope": c.slope, "knots": c.knots.tolist(),
                            "weights": c.weights.tolist(), "baseline": c.baseline}
                           for c in self.curves],
                "reranker": self.reranker.to_json() if self.reranker else None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PartnerModel:
        """The model :meth:`to_json` wrote; ``ValueError`` if it was for other features."""
        if data.get("format") not in (1, FORMAT) or data.get("features") != list(FEATURES):
            raise ValueError("the cached model was fitted on other features")
        curves = tuple(Curve(float(c["slope"]), np.array(c["knots"], dtype=np.float64),
                             np.array(c["weights"], dtype=np.float64), float(c["baseline"]))
                       for c in data["curves"])
        trees = data.get("reranker")
        return cls(curves, float(data["intercept"]), int(data["positives"]),
                   int(data["negatives"]), Reranker.from_json(trees) if trees else None)

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
        PartnerGraph, np.ndarray, np.ndarray]:
    """Set partnerships aside: ``(observed graph, queries, partners)``, both directions.

    Raises :class:`NotEnoughData` when there are fewer than 5 linked pairs.
    """
    pairs = graph.pairs()
    if len(pairs) < 5:
        raise NotEnoughData(f"only {len(pairs)} partnerships: too few to learn from")
    count = max(2, round(len(pairs) * HOLDOUT_FRACTION))
    chosen = pairs[rng.choice(len(pairs), size=min(count, MAX_POSITIVES // 2), replace=False)]
    observed = graph.without_pairs(map(tuple, chosen.tolist()))
    # Both directions: features such as "your partners' countries" are not symmetric.
    return (observed, np.concatenate([chosen[:, 0], chosen[:, 1]]),
            np.concatenate([chosen[:, 1], chosen[:, 0]]))


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


def rank_weights(columns: np.ndarray, rows: TrainingRows, group_weights: np.ndarray) -> \
        np.ndarray:
    """Weights of ``columns`` maximising the (weighted) softmax likelihood that each group's
    partner comes first in its group, each row's score lowered by its ``log_draws``.

    The columns are whitened (``columns @ T`` has the identity as Gram matrix) so that L-BFGS
    needs few steps; the ridge penalty stays on the weights of ``columns``.
    """
    size, width = columns.shape
    gram = np.eye(width) * 1e-6
    for start in range(0, size, 65536):  # in double precision, a slice at a time
        part = columns[start:start + 65536].astype(np.float64)
        gram += part.T @ part / size
    whiten = np.linalg.inv(np.linalg.cholesky(gram)).T
    white = columns @ whiten.astype(np.float32)
    starts = rows.group_starts()
    member = rows.group_of_rows(starts)
    row_weights = group_weights[member]
    partner = rows.labels > 0
    offset = rows.log_draws.astype(np.float32)

    def loss(v: np.ndarray) -> tuple[float, np.ndarray]:
        scores = white @ v.astype(np.float32) - offset
        share, log_total = group_softmax(scores, starts, member)
        weights = whiten @ v
        value = float(np.sum(group_weights * log_total)
                      - np.sum((row_weights * scores)[partner])
                      + 0.5 * REGULARISATION * weights @ weights)
        gradient_share = (row_weights * (share - partner)).astype(np.float32)
        gradient = (white.T @ gradient_share).astype(np.float64) + REGULARISATION * (
            whiten.T @ weights)
        return value, gradient

    found = minimize(loss, np.zeros(width), jac=True, method="L-BFGS-B",
                     options={"maxiter": MAX_ITERATIONS})
    fitted: np.ndarray = whiten @ found.x
    return fitted


def fit(features: np.ndarray, rows: TrainingRows, group_weights: np.ndarray) -> PartnerModel:
    """Fit the curves as a ranking (:func:`rank_weights`) on standardised hinge columns, scale
    them to probabilities on the :attr:`TrainingRows.uniform` rows, then unfold them."""
    labels = rows.labels
    # Knots where the partnerships are: most training rows are drawn authorities, mostly far
    # away, and knots at their quantiles would leave no bend where the ranking is decided.
    where = features[labels > 0] if np.any(labels > 0) else features
    knots = [knots_of(where[:, f]) for f in range(features.shape[1])]
    # Single precision: half a million rows of a hundred columns, fitted in a build.
    standard = hinge_columns(features, knots, np.float32)
    mean = standard.mean(axis=0, dtype=np.float64)
    scale = standard.std(axis=0, dtype=np.float64)
    scale = np.where(scale > 0, scale, 1.0)
    standard -= mean.astype(np.float32)
    standard /= scale.astype(np.float32)
    weights = rank_weights(standard, rows, group_weights)
    scores = (standard[rows.uniform] @ weights.astype(np.float32))[:, None]
    platt = LogisticRegression(max_iter=1000).fit(scores, labels[rows.uniform])
    # Undo the scaling and the standardisation so that a curve works on raw feature values.
    raw = weights * float(platt.coef_[0, 0]) / scale
    intercept = float(platt.intercept_[0] - np.sum(raw * mean))
    curves = []
    position = 0
    for f, feature_knots in enumerate(knots):
        width = 1 + len(feature_knots)
        part = raw[position:position + width]
        unshifted = Curve(float(part[0]), feature_knots, part[1:], 0.0)
        baseline = float(np.mean(unshifted(features[:, f])))
        curves.append(Curve(float(part[0]), feature_knots, part[1:], baseline))
        intercept += baseline
        position += width
    positives = int(labels.sum())
    return PartnerModel(tuple(curves), intercept, positives, len(labels) - positives)


def train(graph: PartnerGraph, seed: int = 0) -> PartnerModel:
    """Fit the model on ``graph``'s own partnerships; the same seed gives the same model.

    Raises :class:`NotEnoughData` when the graph has fewer than 5 partnerships.
    """
    rng = np.random.default_rng(seed)
    observed, queries, partners = training_pairs(graph, rng)
    context = FeatureContext(observed)
    rows = draw(graph, context, queries, partners, rng)
    features = features_in_chunks(context, rows.queries, rows.candidates)
    first = rows.queries[rows.group_starts()]
    focus = np.isin(graph.countries[first], FOCUS_COUNTRIES)
    weights = np.where(focus, FOCUS_WEIGHT, 1.0)
    first_stage = fit(features, rows, weights)
    if len(first) < MIN_PARTNERS:
        return first_stage
    return replace(first_stage, reranker=fit_reranker(features, rows, weights))
