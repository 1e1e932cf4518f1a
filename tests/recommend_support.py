"""A published fixture store for the recommender tests (``tests/test_recommend_*.py``).

It follows the published layout of docs/model-contract.md, made with :mod:`graph.core.store_layout`
itself: ``STORE/current -> builds/<version>/oxigraph/`` with a ``summary.json``.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
from pyoxigraph import RdfFormat, Store

from graph.core import store_layout
from graph.core.namespaces import sparql_prefixes
from graph.pipeline.recommending import publish_partner_model
from graph.recommend.data import PartnerGraph
from graph.recommend.features import FeatureContext
from graph.recommend.model import training_pairs
from graph.recommend.sampling import TrainingRows, draw

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "data" / "recommend" / "graph.trig"
BASE = "https://w3id.org/twinning-kg/id/authority/"


def publish_fixture(store_dir: Path, *, model: bool = True, extra_trig: str = "") -> Path:
    """Publish the fixture graph (plus ``extra_trig``) into ``store_dir`` as a new build and
    return ``store_dir``; with ``model``, the build's own recommend stage fits the partner model
    and writes it into the build before the switch (without it, the build is one published by
    an older build)."""
    build = store_layout.new_build(store_dir)
    store = Store(str(build.oxigraph))
    store.load(path=str(FIXTURE), format=RdfFormat.TRIG)
    if extra_trig:
        store.load(extra_trig.encode("utf-8"), format=RdfFormat.TRIG)
    store.flush()
    if model:
        publish_partner_model(store, build)
    del store
    store_layout.write_summary(build, {"version": build.version})
    store_layout.switch(store_dir, build)
    return store_dir


@cache
def _store(store_dir: Path) -> Store:
    return Store.read_only(str(store_layout.published(store_dir).oxigraph))


@cache
def select(store_dir: Path, query: str) -> list[dict[str, str]]:
    """Run a SELECT over the published fixture (union default graph), values as strings."""
    store = _store(store_dir)
    solutions = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{n: s[n].value for n in names if s[n] is not None}
            for s in solutions]  # type: ignore[union-attr]


def partners(store_dir: Path, iri: str) -> set[str]:
    """Everybody ``iri`` shares a partnership with, straight from the data."""
    rows = select(store_dir, f"SELECT DISTINCT ?x WHERE {{ ?p tkg:participant <{iri}>, ?x . "
                             f"FILTER(?x != <{iri}>) }}")
    return {r["x"] for r in rows}


def evaluation_benchmark() -> ModuleType:
    """``benchmarks/recommender_evaluation.py`` as a module (benchmarks/ is no package)."""
    spec = importlib.util.spec_from_file_location(
        "recommender_evaluation", ROOT / "benchmarks" / "recommender_evaluation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def training_rows(graph: PartnerGraph, seed: int) -> tuple[np.ndarray, np.ndarray,
                                                            FeatureContext, TrainingRows]:
    """What :func:`graph.recommend.model.train` fits on for ``seed``: the set-aside queries
    and partners, the context of the graph without them, and the rows drawn."""
    rng = np.random.default_rng(seed)
    observed, queries, partners = training_pairs(graph, rng)
    context = FeatureContext(observed)
    return queries, partners, context, draw(graph, context, queries, partners, rng)
