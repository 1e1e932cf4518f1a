"""Home and the resource pages: authority, partnership, theme, programme, legal basis, country.

Each view resolves the path to an IRI, calls one page function of :mod:`graph.views` and renders;
every page links to its RDF (``Link: rel="alternate"`` and visible links) and shows its SPARQL.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, redirect, render_template, request, url_for
from werkzeug.urls import iri_to_uri
from werkzeug.wrappers import Response as WerkzeugResponse

from graph.query.binding import country_term
from graph.views import register_pages
from graph.views.concept_pages import concept_page
from graph.views.overview_pages import country_page, home_page
from graph.views.partnership_pages import partnership_page
from service import backend
from service.browse import bp, document_path, iri_of, languages_in_order
from service.http import alternate, set_links
from service.media_types import LINKED_DATA_SUFFIXES, by_suffix

CONCEPT_KINDS = ("theme", "programme", "legal")


def _rdf_links(iri: str) -> list[tuple[str, str, str]]:
    """(label, media type, URL) of the RDF documents describing a minted IRI."""
    path = document_path(iri)
    if path is None:
        return []
    links = []
    for suffix in LINKED_DATA_SUFFIXES:
        found = by_suffix(suffix)
        if found is not None:
            links.append((found.label, found.media_type,
                          iri_to_uri(url_for("linked_data.document", path=f"{path}.{suffix}"))))
    return links


def query_links(queries: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, media type, URL) of a page's queries answered as SPARQL JSON by the endpoint."""
    return [(f"{name} (SPARQL JSON)", "application/sparql-results+json",
             url_for("sparql.endpoint", query=text, format="json"))
            for name, text in queries.items()]


def render_page(template: str, links: list[tuple[str, str, str]], **context: Any) -> Response:
    """Render a page with ``Link: rel="alternate"`` headers for its machine-readable forms."""
    response = Response(render_template(template, rdf_links=links, **context),
                        mimetype="text/html")
    return set_links(response, [alternate(url, media_type) for _, media_type, url in links])


@bp.route("/")
def home() -> Response:
    """What the graph holds, a search box, the map, and the ways in."""
    source = backend()
    page = home_page(source)
    links = [("DCAT-AP (Turtle)", "text/turtle", url_for("open_data.catalog", format="ttl"))] \
        if "open_data.catalog" in current_app.view_functions else []
    return render_page("browse/home.html", links + query_links(page.queries), page=page,
                   version=source.version, modified=source.modified,
                   has_open_data="open_data.downloads" in current_app.view_functions)


@bp.route("/authority/<path:key>")
def authority(key: str) -> Response:
    """An authority: names, place, codes, links, partners table, map and timeline; for a
    register unit made of units (a powiat, okres, voivodeship, kraj), those units and the map
    of their partnerships; a link to find a partner for it."""
    iri = iri_of("authority", key)
    unit = register_pages.unit_page(backend(), iri, languages_in_order())
    find_partner = url_for("find_partner.page", authority=iri) \
        if "find_partner.page" in current_app.view_functions else None
    return render_page("browse/authority.html", _rdf_links(iri) + query_links(unit.queries),
                   page=unit.authority, unit=unit, find_partner=find_partner,
                   sort=request.args.get("sort", "since"))


@bp.route("/partnership/<path:key>")
def partnership(key: str) -> Response:
    """A partnership: participants, dates, type, status, themes, programmes, sources."""
    iri = iri_of("partnership", key)
    page = partnership_page(backend(), iri, languages_in_order())
    return render_page("browse/partnership.html", _rdf_links(iri) + query_links(page.queries),
                   page=page)


def _concept(kind: str, key: str) -> Response:
    iri = iri_of(kind, key)
    page = concept_page(backend(), iri, kind, languages_in_order())
    return render_page("browse/concept.html", _rdf_links(iri) + query_links(page.queries),
                   page=page)


@bp.route("/theme/<path:key>")
def theme(key: str) -> Response:
    """A theme and the partnerships that have it."""
    return _concept("theme", key)


@bp.route("/programme/<path:key>")
def programme(key: str) -> Response:
    """A funding programme and the partnerships it funds."""
    return _concept("programme", key)


@bp.route("/legal/<path:key>")
def legal(key: str) -> Response:
    """A legal basis and the partnerships founded on it."""
    return _concept("legal", key)


@bp.route("/country/<code>")
def country(code: str) -> Response | WerkzeugResponse:
    """A country: its authorities and their partnerships by partner country."""
    country_term(code)  # NotFound (404) unless two letters
    if code != code.upper():
        # One URL per country: /country/pl is /country/PL.
        return redirect(url_for("browse.country", code=code.upper()), 301)
    page = country_page(backend(), code)
    return render_page("browse/country.html", query_links(page.queries), page=page)


__all__ = ["authority", "country", "home", "legal", "partnership", "programme",
           "query_links", "render_page", "theme"]
