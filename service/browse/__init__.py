"""The browsing front end: home, search, a page per resource type, the query editor.

One blueprint, ``browse``, split by concern: :mod:`service.browse.pages` (home and resource
pages), :mod:`service.browse.finder` (search and autocomplete), :mod:`service.browse.editor`
(the query editor) and :mod:`service.browse.assets` (front-end files from npm, vendored).
This module holds what they share: paths from IRIs and back, and the search index of the
published version. The headers every response gets (CSP, CORS) and the helpers every template
gets (interface text, language switcher, ``page_url``: :mod:`service.templating`) are the
app's, set by :func:`service.create_app`, so that pages of other blueprints render without this
one.

Pages work without JavaScript; only the map and the editor's highlighting need it, and the
scripts are files under ``/static/js`` so that the Content-Security-Policy
(:mod:`service.security_headers`) can forbid inline scripts.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import Blueprint, current_app

from graph.core.iris import data_base
from graph.views.search import SearchIndex, build_index
from service import backend
from service.i18n import languages_in_order
from service.templating import page_url

bp = Blueprint("browse", __name__)

SEARCH_INDEX = "search-index"
"""The name of a version's search index (:meth:`PublishedVersion.derived`)."""


def document_path(iri: str) -> str | None:
    """The ``/doc/`` path of a minted IRI (for RDF links), ``None`` for others."""
    base = data_base(current_app.config["BASE_IRI"])
    return iri[len(base):] if iri.startswith(base) else None


def iri_of(kind: str, key: str) -> str:
    """The IRI a page path stands for (NFC, under the configured base)."""
    return f"{data_base(current_app.config['BASE_IRI'])}{kind}/" \
           f"{unicodedata.normalize('NFC', key)}"


def search_index() -> SearchIndex:
    """The search index of the version this request is pinned to, built on first use and kept
    by that version (it goes with it when a newer build is served).

    :raises graph.query.backend.QueryError: the backend failed while building it.
    """
    source = backend()
    return source.published.derived(SEARCH_INDEX, lambda: build_index(source))


@bp.app_context_processor
def _map_helpers() -> dict[str, Any]:
    """What the browsing pages' maps need besides the app's template helpers
    (:mod:`service.templating`): ``with_pages`` and the tile server."""
    return {"with_pages": _with_pages,
            "tile_url": str(current_app.config.get("TILE_URL", ""))}


def _with_pages(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Map lines with the page URL of both ends, for the map's popups."""
    return [{**line, "from": {**line["from"], "page": page_url(line["from"]["iri"])},
             "to": {**line["to"], "page": page_url(line["to"]["iri"])}} for line in lines]


__all__ = ["bp", "document_path", "iri_of", "languages_in_order", "search_index"]

from service.browse import assets, editor, finder, pages, registers  # noqa: E402,F401  (views)
