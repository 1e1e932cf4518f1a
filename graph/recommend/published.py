"""The partner recommender of a published version, for the service: read, never fitted.

A build fits its partner model and publishes it with the graph
(``builds/<version>/recommend/model.json``, :data:`graph.recommend.suggest.MODEL_FILE`); a
published build is never written again. So the service only reads: the model from the build
folder of the version a request is pinned to, the partner graph through that request's query
backend (the same graph the request's other answers come from). A build published without a
model (by an older version of the build) gets a sentence saying how to get one, not a model
fitted behind the user's back.
"""

from __future__ import annotations

from collections.abc import Iterable

from graph.core.store_layout import Published
from graph.query.backend import Backend
from graph.query.solutions import SparqlSource, select
from graph.recommend.data import Row, SelectRows, load_partner_graph
from graph.recommend.model import PartnerModel
from graph.recommend.suggest import MODEL_FILE, Recommender

RECOMMENDER = "partner-recommender"
"""The name a published version keeps its recommender by
(:meth:`graph.query.version.PublishedVersion.derived`)."""


class NoPartnerModel(LookupError):
    """The version served has no partner model to suggest with (a sentence saying why)."""


def backend_rows(source: SparqlSource) -> SelectRows:
    """A :data:`graph.recommend.data.SelectRows` that runs its queries through ``source`` (a
    query backend: its default graph is the union of the source graphs, as the queries
    expect); IRIs and literals as plain strings, blank nodes left out as the store's reader
    does."""

    def run(query: str) -> Iterable[Row]:
        return [{name: cell.value for name, cell in row.items() if cell.kind != "bnode"}
                for row in select(source, query)]

    return run


def recommender_of(source: Backend) -> Recommender:
    """The recommender of the version ``source`` serves (pin it first): the model its build
    published, the partner graph read through ``source``. Nothing is written anywhere.

    :raises NoPartnerModel: the version has no build folder (a remote SPARQL server), or its
        build published no model or an unreadable one.
    :raises graph.query.errors.QueryError: the backend failed reading the partner graph.
    """
    version = source.published
    if version.build is None:
        raise NoPartnerModel("partner suggestions need a build published in STORE with its "
                             "partner model; this service queries a remote SPARQL server")
    path = version.build.root / MODEL_FILE
    try:
        model = PartnerModel.load(path)
    except FileNotFoundError:
        raise NoPartnerModel(_why_no_model(version.build)) from None
    except ValueError as error:
        raise NoPartnerModel(f"this build's partner model cannot be read ({error}); rebuild "
                             "with twinkg build") from None
    graph = load_partner_graph(backend_rows(source))
    return Recommender(graph, model, version.build.version)


def _why_no_model(build: Published) -> str:
    """Why ``build`` has no model: the reason its summary gives (a graph with too few
    partnerships to learn from, which a rebuild would not change), else that it was published
    by a build that fitted none."""
    try:
        entry = build.read_summary().get("recommender")
    except (OSError, ValueError):
        entry = None
    if isinstance(entry, dict) and entry.get("reason"):
        return f"this build has no partner model: {entry['reason']}"
    return "this build has no partner model; rebuild with twinkg build"


def published_recommender(source: Backend) -> Recommender:
    """:func:`recommender_of` the version ``source`` serves, read once and kept by that
    version (it goes with it when a newer build is served).

    :raises NoPartnerModel: see :func:`recommender_of`.
    """
    return source.published.derived(RECOMMENDER, lambda: recommender_of(source))
