"""The recommend stage: the partner model is fitted on the new build and published with it.

Why in the build: a model fitted by the first request would make that request wait, and would
be written into a build that is already published, which readers must be able to treat as
read-only. Fitted here, on the graph that is about to be published, it lands in
``builds/<version>/recommend/model.json`` (:data:`graph.recommend.suggest.MODEL_FILE`) before
``current`` switches, so every published build carries the model of its own data.
"""

from __future__ import annotations

from typing import Any

from pyoxigraph import Store

from graph.core.store_layout import Published

MODEL_SEED = 0
"""The seed the model is fitted with: the same data gives the same model."""


def publish_partner_model(store: Store, target: Published,
                          seed: int = MODEL_SEED) -> dict[str, Any]:
    """Fit the partner model on ``store`` and write it into the new build folder.

    Returns what summary.json says about it: the model file and how many positive and
    negative pairs it learnt from, or, when the graph has too few partnerships to learn from
    (:class:`graph.recommend.model.NotEnoughData`), no model and the reason. A build without
    a model is still a build: its graph is published, only partner suggestions are missing.
    Raises :class:`OSError` when the build folder cannot be written.
    """
    from graph.recommend.data import load_partner_graph, store_rows
    from graph.recommend.model import NotEnoughData, train
    from graph.recommend.suggest import MODEL_FILE

    graph = load_partner_graph(store_rows(store))
    try:
        model = train(graph, seed)
    except NotEnoughData as error:
        return {"model": None, "reason": str(error)}
    model.save(target.root / MODEL_FILE)
    return {"model": MODEL_FILE.as_posix(), "positives": model.positives,
            "negatives": model.negatives, "authorities": graph.size}
