"""The register pages: a country's register (``/register/PL``) and a NUTS region
(``/nuts/PL213``), each as HTML with its map and as JSON (``?format=json`` or
``Accept: application/json``).

Each view calls one page function of :mod:`graph.views` and renders; the map's points and
legend are written for the reader by :mod:`service.browse.statistics_maps`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, redirect, request, url_for
from werkzeug.urls import iri_to_uri
from werkzeug.wrappers import Response as WerkzeugResponse

from graph.query.binding import country_term
from graph.views import nuts_pages, register_pages
from service import backend
from service.browse import bp, languages_in_order
from service.browse.pages import query_links, render_page
from service.browse.statistics_maps import region_points, share_classes, unit_points
from service.i18n import language
from service.links import with_query
from service.templating import page_url


def _wants_json() -> bool:
    """``?format=json``, or JSON preferred to HTML by the ``Accept`` header."""
    wanted = request.args.get("format")
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return wanted == "json" or (wanted is None and best == "application/json")


def _upper_case(endpoint: str, code: str) -> WerkzeugResponse:
    """One URL per page: ``/register/pl`` is ``/register/PL`` (the query string kept)."""
    return redirect(iri_to_uri(with_query(url_for(endpoint, code=code.upper()),
                                          request.args.to_dict(flat=False))), 301)


def _json(data: dict[str, Any]) -> Response:
    response = jsonify(data)
    response.vary.add("Accept")
    return response


def _html(template: str, endpoint: str, code: str, queries: dict[str, str],
          **context: Any) -> Response:
    """The page, linking to its JSON twin (``Link: rel="alternate"`` and visibly)."""
    json_link = ("JSON", "application/json", url_for(endpoint, code=code, format="json"))
    response = render_page(template, [json_link, *query_links(queries)], **context)
    response.vary.add("Accept")
    return response


@bp.route("/register/<code>")
def register(code: str) -> Response | WerkzeugResponse:
    """A country's register: its municipalities, how many have a foreign partner, and by
    region (table and map) the share with one and the partnerships per 100,000 inhabitants."""
    country_term(code)  # NotFound (404) unless two letters
    if code != code.upper():
        return _upper_case("browse.register", code)
    page = register_pages.register_page(backend(), code, languages_in_order())
    if _wants_json():
        return _json(page.as_json())
    chosen = language()
    points, sizes = region_points(page.regions, {r.iri: page_url(r.iri) for r in page.regions},
                                  chosen)
    return _html("browse/register.html", "browse.register", page.code, page.queries,
                 page=page, points=points, shares=share_classes(chosen), sizes=sizes)


@bp.route("/nuts/<code>")
def nuts(code: str) -> Response | WerkzeugResponse:
    """A NUTS region: its name, level, the region above and those below with their figures,
    the register units in it (table and map) and their partnerships."""
    nuts_pages.nuts_region_iri(code.upper())  # NotFound (404) unless a NUTS code
    if code != code.upper():
        return _upper_case("browse.nuts", code)
    page = nuts_pages.nuts_page(backend(), code, languages_in_order())
    if _wants_json():
        return _json(page.as_json())
    listed = page.listed_units
    points = unit_points(listed, {u.place.iri: page_url(u.place.iri) for u in listed},
                         language())
    return _html("browse/nuts.html", "browse.nuts", page.code, page.queries, page=page,
                 points=points)


__all__ = ["nuts", "register"]
