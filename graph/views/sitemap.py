"""The resources a crawler should find: the sitemap's list of minted IRIs, read through the
request's query backend so that it describes the published version the request is pinned to.
"""

from __future__ import annotations

from graph.core.iris import data_base
from graph.query.binding import bound
from graph.query.solutions import SparqlSource, select, text_of
from graph.views.queries import MINTED_RESOURCES

RESOURCES_PAGE = 20_000
"""Resources asked for per query: a page stays well within a backend's row and byte limits."""


def minted_resources_query(base_iri: str, offset: int = 0, limit: int = RESOURCES_PAGE) -> str:
    """:data:`graph.views.queries.MINTED_RESOURCES` for the data namespace of ``base_iri``,
    one page of it.

    >>> print(minted_resources_query("http://127.0.0.1:8080/", 0, 10).splitlines()[-1])
    OFFSET 0 LIMIT 10
    """
    return (bound(MINTED_RESOURCES, prefix=data_base(base_iri))
            + f"OFFSET {int(offset)} LIMIT {int(limit)}\n")


def resource_iris(source: SparqlSource, base_iri: str) -> list[str]:
    """Every typed resource minted under ``<base>id/`` in the graph behind ``source`` (a
    query backend), sorted: the pages a crawler should find.

    :raises graph.query.errors.QueryError: from the backend.
    """
    iris: list[str] = []
    while True:
        rows = select(source, minted_resources_query(base_iri, len(iris)))
        iris += [value for row in rows if (value := text_of(row, "s")) is not None]
        if len(rows) < RESOURCES_PAGE:
            return iris
