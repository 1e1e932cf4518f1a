"""The recommend stage: the partner model is fitted on the new build and published with it.

Why in the build: a model fitted by the first request would make that request wait, and would
be written into a build that is already published, which readers must be able to treat as
read-only. Fitted here, on the graph that is about to be published, it lands in
``builds/<version>/recommend/model.json`` (:data:`graph.recommend.suggest.MODEL_FILE`) before
``current`` switches, so every published build carries the model of its own data.

Why in a process of its own (:func:`start_partner_model`): fitting is mostly one core's work
for half a minute, and writing the dumps, the on-disk store and the open-data documents is
about as long and does not need the model. On two cores the two run side by side, and the
build is shorter by about the shorter of the two.
"""

from __future__ import annotations

import multiprocessing
import resource
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Store

from graph.core.store_layout import Published

if TYPE_CHECKING:
    from graph.recommend.data import PartnerGraph

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

    return _fit_and_save(load_partner_graph(store_rows(store)), target.root, seed)


class PartnerModelFit:
    """The partner model being fitted and written in a spawned process (see the module doc).

    :meth:`result` waits for it; :meth:`stop` ends it (a build that failed meanwhile).
    """

    def __init__(self, graph: PartnerGraph, target: Published, seed: int) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process with a store
        self._answer, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_fit_in_child, name="twinkg-recommend",
                                        args=(sender, graph, str(target.root), seed),
                                        daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> tuple[dict[str, Any], int]:
        """What summary.json says about the model (:func:`publish_partner_model`) and the
        fitting process's peak RSS in MB.

        Raises :class:`RuntimeError` when fitting failed or its process died, with why.
        """
        try:
            status, value, peak_mb = self._answer.recv()
        except EOFError as error:
            self._process.join()
            raise RuntimeError("the partner model's process died (exit code "
                               f"{self._process.exitcode})") from error
        self._process.join()
        if status != "ok":
            raise RuntimeError(f"fitting the partner model failed:\n{value}")
        return value, peak_mb

    def stop(self) -> None:
        """End the fitting process if it still runs."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def start_partner_model(store: Store, target: Published,
                        seed: int = MODEL_SEED) -> PartnerModelFit:
    """Read what the model learns from out of ``store`` here, then fit and write the model
    (as :func:`publish_partner_model` does) in a process of its own while the caller goes on.
    """
    from graph.recommend.data import load_partner_graph, store_rows

    return PartnerModelFit(load_partner_graph(store_rows(store)), target, seed)


def _fit_in_child(answer: Connection, graph: PartnerGraph, root: str, seed: int) -> None:
    """The fitting process: fit, write, and send ``(status, summary or traceback, peak MB)``."""
    try:
        value: Any = _fit_and_save(graph, Path(root), seed)
        status = "ok"
    except Exception:  # the parent raises it with this text
        value, status = traceback.format_exc(), "error"
    answer.send((status, value, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
    answer.close()


def _fit_and_save(graph: PartnerGraph, root: Path, seed: int) -> dict[str, Any]:
    from graph.recommend.model import NotEnoughData, train
    from graph.recommend.suggest import MODEL_FILE

    try:
        model = train(graph, seed)
    except NotEnoughData as error:
        return {"model": None, "reason": str(error)}
    model.save(root / MODEL_FILE)
    return {"model": MODEL_FILE.as_posix(), "positives": model.positives,
            "negatives": model.negatives, "authorities": graph.size}
