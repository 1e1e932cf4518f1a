"""What every template may call, installed by :func:`service.create_app` for the whole app.

``templates/base.html`` (and so ``error.html`` and every page that extends it) needs the
interface text in the reader's language, the language switcher and links from IRIs to pages,
whichever blueprints the app serves: an app of only the SPARQL endpoint and Linked Data renders
its HTML service description and its error pages with them too. So they are here, not in a
blueprint:

* ``t``, ``plural``, ``counted``, ``decade`` (:func:`service.i18n.template_helpers`), ``number``
  and ``country`` written for the reader's language, ``lang`` and ``languages``;
* ``switch_url(code)``: the current page in another language; ``home_url``: the site's front
  page; ``has_endpoint(name)``: whether the app serves that view, so that a template links only
  to pages that exist;
* ``page_url(iri)``: where a link to a data IRI goes (:func:`page_url`);
* ``link`` and ``public_url`` (:mod:`service.links`, :mod:`service.public_url`).

A page that the app does not serve is never linked: :func:`page_url` falls back from a browsing
page to the Linked Data document to the IRI itself, and the navigation asks ``has_endpoint``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for
from werkzeug.routing import BuildError
from werkzeug.urls import iri_to_uri

from graph.core.iris import NUTS_BASE, data_base
from graph.views.nuts_pages import NUTS_CODE
from service.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    country_label,
    format_number,
    language,
    template_helpers,
)
from service.links import link, safe_href, with_query
from service.public_url import public_url

PAGE_KINDS = ("authority", "partnership", "theme", "programme", "legal")
"""Minted IRI kinds (the segment after ``id/``) that have a browsing page (``browse.<kind>``)."""

HOME_ENDPOINTS = ("browse.home", "sparql.endpoint")
"""The site's front page: the first of these views that the app serves."""


def install_templating(app: Flask) -> None:
    """Autoescape every template, whatever its file name (data and requests reach them), and
    give every template the helpers of this module."""
    app.jinja_env.autoescape = True
    app.jinja_env.globals.update(link=link, public_url=public_url)
    app.context_processor(template_context)


def template_context() -> dict[str, Any]:
    """The helpers every template gets, bound to the request's language."""
    chosen = language()
    return {**template_helpers(chosen), "lang": chosen,
            "number": lambda value: format_number(value, chosen),
            "country": lambda code: country_label(code, chosen),
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "page_url": page_url, "switch_url": switch_url, "home_url": home_url(),
            "has_endpoint": has_endpoint}


def has_endpoint(name: str) -> bool:
    """Whether the app serves the view ``name`` (``"browse.search"``): only then is it linked."""
    return name in current_app.view_functions


def home_url() -> str | None:
    """The site's front page (the browsing home, else the SPARQL endpoint's page); ``None``
    when the app serves neither."""
    for endpoint in HOME_ENDPOINTS:
        if has_endpoint(endpoint):
            return url_for(endpoint)
    return None


def page_url(iri: str) -> str | None:
    """Where a link to ``iri`` goes: its browsing page when the app serves one, the Linked Data
    document for other minted IRIs (when Linked Data is served), the NUTS region page for a
    NUTS region's IRI, else the IRI itself when it is an ``http(s)`` IRI (external: Wikidata,
    GeoNames; or a minted IRI of an app without Linked Data); ``None`` for any other scheme
    (``javascript:``, ``urn:``), which is shown as text, never as a link
    (:func:`service.links.safe_href`)."""
    base = data_base(current_app.config["BASE_IRI"])
    if not iri.startswith(base):
        return nuts_page(iri) or safe_href(iri)
    found = browsing_page(iri)
    if found is None and has_endpoint("linked_data.thing"):
        found = iri_to_uri(url_for("linked_data.thing", path=iri[len(base):]))
    return found or safe_href(iri)


def nuts_page(iri: str) -> str | None:
    """The page of a NUTS region's IRI (``http://data.europa.eu/nuts/code/PL213`` is
    ``/nuts/PL213``, which links to the IRI) when the app serves it, else ``None``."""
    code = iri.removeprefix(NUTS_BASE)
    if code != iri and NUTS_CODE.match(code) and has_endpoint("browse.nuts"):
        return url_for("browse.nuts", code=code)
    return None


def browsing_page(iri: str) -> str | None:
    """The browsing page of a minted IRI whose kind has one (authority, partnership, ...) when
    the app serves it, else ``None``; Linked Data sends browsers here from ``/id/...``."""
    base = data_base(current_app.config["BASE_IRI"])
    if not iri.startswith(base):
        return None
    kind, _, key = iri[len(base):].partition("/")
    if kind in PAGE_KINDS and key and has_endpoint(f"browse.{kind}"):
        return iri_to_uri(url_for(f"browse.{kind}", key=key))
    return None


def switch_url(code: str) -> str | None:
    """The current page in another language (``?lang=``, other parameters kept); the front
    page in that language where the current page has no URL of its own (the error page of a
    path the app does not serve, whose parameters mean nothing to the front page); ``None``
    when the app has no front page either.

    The parameters are encoded into the query string by :func:`service.links.with_query`,
    never passed to ``url_for``: there ``?_anchor=``, ``?_method=``, ``?endpoint=`` or a
    parameter named like a view argument (``/theme/culture?key=x``) would be a 500.
    """
    if request.endpoint:
        args: dict[str, list[str]] = request.args.to_dict(flat=False)
        args["lang"] = [code]
        try:
            path = url_for(request.endpoint, **(request.view_args or {}))
        except BuildError:
            pass
        else:
            return iri_to_uri(with_query(path, args))
    home = home_url()
    return None if home is None else iri_to_uri(with_query(home, [("lang", code)]))


__all__ = ["PAGE_KINDS", "browsing_page", "has_endpoint", "home_url", "install_templating",
           "nuts_page", "page_url", "switch_url", "template_context"]
