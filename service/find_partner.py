"""Find a partner: the page at ``/find-partner`` and the JSON API at ``/api/suggest``.

Both take the same query parameters and call :meth:`graph.recommend.Recommender.suggest`:

=====================  =================================================================
``authority``          IRI or ``Name, CC`` (``Swarzędz, PL``); required
``country``            ISO code or name; repeatable, or comma-separated
``region``             first-level subdivision; repeatable
``theme``              theme slug, label or IRI; repeatable
``min_population``     inhabitants, at least
``max_population``     inhabitants, at most
``max_distance``       km, at most
``n``                  how many suggestions (1-100, default 10)
=====================  =================================================================

An unknown authority is a 404 with a sentence saying what was not found (the page keeps the
form, so the user can correct it); a preference that cannot be understood is a 400; a store
with nothing published, or whose build has no partner model, is a 503 with a sentence saying
how to get one. The recommender is the one of the version the request's query backend is
pinned to (:func:`graph.recommend.published.published_recommender`): the model that build
published, the partner graph read through the backend, kept by that version. The service
never fits a model, nor writes into a published build.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from graph.query.backend import BackendError
from graph.recommend import (
    BadPreference,
    Preferences,
    Suggestions,
    UnknownAuthority,
)
from graph.recommend.published import NoPartnerModel, published_recommender
from service import backend
from service.errors import error_response
from service.http import alternate, set_links
from service.i18n import language
from service.links import with_query

bp = Blueprint("find_partner", __name__)

DEFAULT_COUNT = 10


class RequestProblem(ValueError):
    """A query parameter is missing or malformed; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _many(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    """A repeatable parameter; each value may also be a comma-separated list."""
    values = []
    for raw in args.getlist(name):
        values += [part.strip() for part in raw.split(",") if part.strip()]
    return tuple(values)


def _number(args: MultiDict[str, str], name: str, kind: type[int] | type[float]) -> Any:
    text = (args.get(name) or "").strip().replace(",", "").replace("_", "")
    if not text:
        return None
    try:
        value = kind(text)
    except ValueError:
        raise RequestProblem(f"{name} must be a number, not {text!r}") from None
    if value < 0:
        raise RequestProblem(f"{name} must not be negative")
    return value


def parse_request(args: MultiDict[str, str]) -> tuple[str, Preferences, int]:
    """``(authority, preferences, n)`` from the query string; raises :class:`RequestProblem`."""
    authority = (args.get("authority") or "").strip()
    count = _number(args, "n", int)
    if count is None:
        count = DEFAULT_COUNT
    if not 1 <= count <= 100:
        raise RequestProblem("n must be between 1 and 100")
    preferences = Preferences(
        countries=_many(args, "country"), regions=tuple(
            r.strip() for r in args.getlist("region") if r.strip()),
        themes=_many(args, "theme"), min_population=_number(args, "min_population", int),
        max_population=_number(args, "max_population", int),
        max_distance_km=_number(args, "max_distance", float))
    return authority, preferences, count


def _suggestions(authority: str, preferences: Preferences, count: int) -> Suggestions:
    """Run the recommender; every failure becomes a :class:`RequestProblem` with a status."""
    if not authority:
        raise RequestProblem("say which authority to find partners for: ?authority=Name, CC "
                             "(for example Swarzędz, PL) or its IRI")
    try:
        recommender = published_recommender(backend())
        return recommender.suggest(authority, preferences, count)
    except UnknownAuthority as error:
        raise RequestProblem(str(error), 404) from None
    except BadPreference as error:
        raise RequestProblem(str(error)) from None
    except NoPartnerModel as error:
        raise RequestProblem(f"suggestions are not available: {error}", 503) from None
    except BackendError as error:
        if error.upstream:
            raise
        # nothing published (or the store cannot be opened): the same sentence as before
        raise RequestProblem(f"suggestions are not available: {error.message}", 503) from None


def _as_json(answer: Suggestions, reader: str) -> dict[str, Any]:
    preferences = answer.preferences
    return {"authority": answer.authority.to_json(),
            "preferences": {"countries": list(preferences.countries),
                            "regions": list(preferences.regions),
                            "themes": list(preferences.themes),
                            "min_population": preferences.min_population,
                            "max_population": preferences.max_population,
                            "max_distance_km": preferences.max_distance_km},
            "candidates": answer.candidates,
            "suggestions": [s.to_json(reader) for s in answer.suggestions]}


@bp.route("/api/suggest")
def api() -> Response:
    """Ranked partner suggestions with reasons, as JSON (reasons in the reader's language:
    ``?lang=``, cookie or Accept-Language, as the pages)."""
    try:
        answer = _suggestions(*parse_request(request.args))
    except RequestProblem as problem:
        return error_response(problem.status, problem.message)
    return jsonify(_as_json(answer, language()))


def _map_lines(answer: Suggestions) -> list[dict[str, Any]]:
    """One line from the authority to each suggestion with a known place (for map.js)."""
    home = answer.authority
    if home.lat is None or home.long is None:
        return []
    start = {"iri": home.iri, "name": home.label, "country": home.country, "lat": home.lat,
             "long": home.long}
    return [{"from": start, "to": {"iri": s.iri, "name": f"{s.rank}. {s.label}",
                                   "country": s.country, "lat": s.lat, "long": s.long}}
            for s in answer.suggestions if s.lat is not None and s.long is not None]


@bp.route("/find-partner")
def page() -> Response:
    """The form, and when an authority is given, its ranked suggestions, reasons and map."""
    status, problem, answer = 200, None, None
    form = request.args
    try:
        authority, preferences, count = parse_request(form)
        if authority:
            answer = _suggestions(authority, preferences, count)
    except RequestProblem as error:
        status, problem = error.status, error.message
    # The form's parameters are encoded as the API's query string, never passed to url_for
    # as keywords (``?_anchor=`` or ``?_method=`` would be a 500 there).
    api_url = with_query(url_for("find_partner.api"), form) if form else None
    has_map = "browse.vendor" in current_app.view_functions
    body = render_template("find_partner/page.html", form=form, answer=answer,
                           problem=problem, api_url=api_url,
                           lines=_map_lines(answer) if answer and has_map else [],
                           has_map=has_map, count=form.get("n") or DEFAULT_COUNT)
    response = Response(body, status=status, mimetype="text/html")
    if api_url:
        set_links(response, [alternate(api_url, "application/json")])
    return response
