"""The browsing front end: home, search, a page per resource type, the query editor.

One blueprint, ``browse``, split by concern: :mod:`service.browse.pages` (home and resource
pages), :mod:`service.browse.finder` (search and autocomplete), :mod:`service.browse.editor`
(the query editor) and :mod:`service.browse.assets` (front-end files from npm, vendored).
This module holds what they share: the language of the request, links from IRIs to pages and
the search index of the published version. The headers every response gets (CSP, CORS) are
the app's, set by :func:`service.create_app`.

Pages work without JavaScript; only the map and the editor's highlighting need it, and the
scripts are files under ``/static/js`` so that the Content-Security-Policy
(:mod:`service.security_headers`) can forbid inline scripts.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import Blueprint, current_app, request, url_for
from werkzeug.routing import BuildError
from werkzeug.urls import iri_to_uri

from graph.core.iris import NUTS_BASE, data_base
from graph.views.nuts_pages import NUTS_CODE
from graph.views.search import SearchIndex, build_index
from service import backend
from service.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    country_label,
    format_number,
    language,
    languages_in_order,
    template_helpers,
)
from service.links import safe_href, with_query

bp = Blueprint("browse", __name__)

PAGE_KINDS = ("authority", "partnership", "theme", "programme", "legal")
"""Minted IRI kinds (the segment after ``id/``) that have a browsing page."""

SEARCH_INDEX = "search-index"
"""The name of a version's search index (:meth:`PublishedVersion.derived`)."""


def page_url(iri: str) -> str | None:
    """Where a link to ``iri`` goes: its browsing page when it has one, the Linked Data
    document for other minted IRIs, the NUTS region page for a NUTS region's IRI, else the IRI
    itself when it is an ``http(s)`` IRI (external: Wikidata, GeoNames); ``None`` for any other
    scheme (``javascript:``, ``urn:``), which is shown as text, never as a link
    (:func:`service.links.safe_href`)."""
    base = data_base(current_app.config["BASE_IRI"])
    if not iri.startswith(base):
        return nuts_page(iri) or safe_href(iri)
    return browsing_page(iri) or iri_to_uri(url_for("linked_data.thing",
                                                     path=iri[len(base):]))


def nuts_page(iri: str) -> str | None:
    """The page of a NUTS region's IRI (``http://data.europa.eu/nuts/code/PL213`` is
    ``/nuts/PL213``, which links to the IRI), else ``None``."""
    code = iri.removeprefix(NUTS_BASE)
    if code != iri and NUTS_CODE.match(code):
        return url_for("browse.nuts", code=code)
    return None


def browsing_page(iri: str) -> str | None:
    """The browsing page of a minted IRI whose kind has one (authority, partnership, ...),
    else ``None``; Linked Data sends browsers here from ``/id/...``."""
    base = data_base(current_app.config["BASE_IRI"])
    if not iri.startswith(base):
        return None
    kind, _, key = iri[len(base):].partition("/")
    if kind in PAGE_KINDS and key:
        return iri_to_uri(url_for(f"browse.{kind}", key=key))
    return None


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
def _template_helpers() -> dict[str, Any]:
    """``t``, ``plural``, ``counted`` and ``decade`` (interface text,
    :func:`service.i18n.template_helpers`), ``number`` and ``country`` (written for the
    reader's language), the language, its switcher and link helpers."""
    chosen = language()
    return {**template_helpers(chosen), "lang": chosen,
            "number": lambda value: format_number(value, chosen),
            "country": lambda code: country_label(code, chosen),
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "page_url": page_url, "switch_url": _switch_url,
            "with_pages": _with_pages,
            "has_endpoint": lambda name: name in current_app.view_functions,
            "tile_url": str(current_app.config.get("TILE_URL", ""))}


def _with_pages(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Map lines with the page URL of both ends, for the map's popups."""
    return [{**line, "from": {**line["from"], "page": page_url(line["from"]["iri"])},
             "to": {**line["to"], "page": page_url(line["to"]["iri"])}} for line in lines]


def _switch_url(code: str) -> str:
    """The current page in another language (``?lang=``, other parameters kept).

    The parameters are encoded into the query string by :func:`service.links.with_query`,
    never passed to ``url_for``: there ``?_anchor=``, ``?_method=``, ``?endpoint=`` or a
    parameter named like a view argument (``/theme/culture?key=x``) would be a 500.
    """
    args: dict[str, list[str]] = request.args.to_dict(flat=False)
    args["lang"] = [code]
    try:
        path = url_for(request.endpoint or "browse.home", **(request.view_args or {}))
    except BuildError:
        return iri_to_uri(with_query(url_for("browse.home"), [("lang", code)]))
    return iri_to_uri(with_query(path, args))


__all__ = ["bp", "document_path", "iri_of", "languages_in_order", "page_url", "search_index"]

from service.browse import assets, editor, finder, pages, registers  # noqa: E402,F401  (views)
