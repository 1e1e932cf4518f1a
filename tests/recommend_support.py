"""A published fixture store for the recommender tests (``tests/test_recommend_*.py``).

It follows the published layout of docs/model-contract.md, made with :mod:`graph.core.store_layout`
itself: ``STORE/current -> builds/<version>/oxigraph/`` with a ``summary.json``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from graph.core import store_layout
from graph.core.namespaces import sparql_prefixes
from graph.recommend.data import load_partner_graph, store_rows
from graph.recommend.model import train
from graph.recommend.suggest import MODEL_FILE

FIXTURE = Path(__file__).parent / "data" / "recommend" / "graph.trig"
BASE = "https://w3id.org/twinning-kg/id/authority/"


def publish_fixture(store_dir: Path, *, model: bool = True) -> Path:
    """Publish the fixture graph into ``store_dir`` and return ``store_dir``; with ``model``,
    the partner model is fitted and written into the build before the switch, as the build's
    recommend stage does (without it, the build is one published by an older build)."""
    build = store_layout.new_build(store_dir)
    store = Store(str(build.oxigraph))
    store.load(path=str(FIXTURE), format=RdfFormat.TRIG)
    store.flush()
    if model:
        write_model(store, build)
    del store
    store_layout.write_summary(build, {"version": build.version})
    store_layout.switch(store_dir, build)
    return store_dir


def write_model(store: Store, build: store_layout.Published) -> None:
    """Fit the partner model on ``store`` and write it into ``build``, not yet published."""
    fitted = train(load_partner_graph(store_rows(store)), seed=0)
    (build.root / MODEL_FILE).parent.mkdir(parents=True, exist_ok=True)
    fitted.save(build.root / MODEL_FILE)


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
