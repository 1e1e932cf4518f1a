"""``/search`` (HTML for people, JSON for machines) and ``/autocomplete`` (JSON, for the box).

Both ask the in-memory index of :mod:`graph.views.search`; the query text is only ever folded and
compared, and rendered through autoescaped templates or JSON, never into markup by hand.
"""

from __future__ import annotations

from flask import Response, jsonify, render_template, request, url_for

from graph.views.search import KINDS
from service.browse import bp, languages_in_order, search_index
from service.http import alternate, set_links
from service.templating import page_url

MAX_QUERY = 200
"""Longest search text looked at; longer input is cut (no name is that long)."""


def _wants_json() -> bool:
    asked = request.args.get("format", "").lower()
    if asked:
        return asked == "json"
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _kinds() -> list[str] | None:
    chosen = [k for k in request.args.getlist("kind") if k in KINDS]
    return chosen or None


@bp.route("/search")
def search() -> Response:
    """Ranked results for ``q`` as an HTML page or, with ``format=json``, JSON."""
    text = request.args.get("q", "")[:MAX_QUERY]
    try:
        limit = max(1, min(int(request.args.get("limit", "50")), 500))
    except ValueError:
        limit = 50
    hits = search_index().search(text, limit=limit, kinds=_kinds(),
                                 languages=languages_in_order()) if text.strip() else []
    if _wants_json():
        response = jsonify({"query": text, "results": [hit.as_json() for hit in hits]})
    else:
        response = Response(render_template("browse/search.html", query=text, hits=hits,
                                            kinds=KINDS, chosen_kinds=_kinds() or []),
                            mimetype="text/html")
        set_links(response, [alternate(url_for("browse.search", q=text, format="json"),
                                       "application/json")])
    response.vary.add("Accept")
    return response


@bp.route("/autocomplete")
def autocomplete() -> Response:
    """The best ten names for what has been typed so far: ``[{"label", "url", ...}]``."""
    text = request.args.get("q", "")[:MAX_QUERY]
    hits = search_index().search(text, limit=10, kinds=_kinds(),
                                 languages=languages_in_order())

    return jsonify([{**hit.as_json(), "url": page_url(hit.entry.iri)} for hit in hits])
