"""Twinning KG's web service: SPARQL endpoint, Linked Data and browsing pages.

A thin layer: views parse the request, call one function of :mod:`graph`, pick a format and
render. Configuration comes from :data:`graph.core.settings.SETTINGS`, then ``TWINKG_*`` environment
variables, then the dict a caller (a test) passes.

For other blueprints:

* register yours by adding one line to :data:`BLUEPRINTS` (``"module:attribute"``);
* get the query backend in a view with :func:`backend` (it lives in
  ``current_app.extensions["twinkg.backend"]``, opened on first use), and pass it to the page
  functions of :mod:`graph.views` (whose SPARQL is all in :mod:`graph.views.queries`); within
  one request it is pinned to one published version, so a build switched in mid-request cannot
  mix two graphs in one answer;
* give cacheable responses validators and ``Link`` headers with :mod:`service.http`;
* leave CORS, the Content-Security-Policy, compression (:mod:`service.compression`), the
  language cookie, the SPARQL answer cache and the template helpers (:mod:`service.templating`:
  ``t``, ``page_url``, the language switcher) to :func:`create_app`, which installs them for
  the whole app, whichever blueprints it serves;
* extend ``templates/base.html`` (blocks ``title``, ``head``, ``content``); link to another
  blueprint's page only when ``has_endpoint(name)`` says the app serves it;
* raise :mod:`graph.query.backend` exceptions or werkzeug ``HTTPException``; :mod:`service.errors`
  renders them.
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context

from graph.core.settings import DEFAULTS
from graph.query.backend import Backend, open_backend
from service.compression import compress
from service.forms import FastFormRequest
from service.i18n import remember_language
from service.public_url import check_public_base
from service.security_headers import cors, security_headers
from service.templating import install_templating

BLUEPRINTS: tuple[str, ...] = (
    "service.sparql:bp",
    "service.linked_data:bp",
    "service.browse:bp",
    "service.open_data:bp",
    "service.find_partner:bp",
)
"""The blueprints the app serves; adding a blueprint is adding a line here (a test may serve
fewer with ``create_app({"BLUEPRINTS": (...)})``)."""

_backend_lock = threading.Lock()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory (Flask's pattern): defaults, then environment, then ``config``.

    ``config`` may hold ``BACKEND``: an open :class:`graph.query.backend.Backend` to serve instead
    of opening one from the settings (tests pass their own), and ``BLUEPRINTS``: the
    ``"module:attribute"`` specs to serve instead of :data:`BLUEPRINTS`. What every response
    needs (CORS, security headers, the language cookie, the SPARQL answer cache, the template
    helpers) is installed here, never by a blueprint, so it does not depend on which blueprints
    are served.
    """
    app = Flask(__name__)
    app.request_class = FastFormRequest  # form bodies decoded in C (service/forms.py)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("TWINKG")
    if config:
        app.config.from_mapping(config)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_BODY_BYTES"])
    # Checked now so that a wrong public base stops the start, not every later request.
    app.config["PUBLIC_BASE"] = check_public_base(str(app.config.get("PUBLIC_BASE") or ""))
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if app.config.get("BACKEND") is not None:
        app.extensions["twinkg.backend"] = app.config["BACKEND"]

    from service.errors import register_error_handlers
    from service.sparql import AnswerCache

    register_error_handlers(app)
    # The helpers base.html and every page need (interface text, language switcher, links to
    # pages), for any set of blueprints (service/templating.py).
    install_templating(app)
    for spec in app.config.get("BLUEPRINTS") or BLUEPRINTS:
        module, _, attribute = spec.partition(":")
        app.register_blueprint(getattr(import_module(module), attribute))
    app.after_request(_remember_language)
    app.after_request(security_headers)
    app.after_request(cors)
    app.after_request(compress)  # runs first: hooks run in the reverse order of these lines
    app.teardown_request(_release_backend)
    from service.sparql_lane import FastLane

    app.wsgi_app = FastLane(app, app.wsgi_app)  # type: ignore[method-assign]
    app.wsgi_app = AnswerCache(  # type: ignore[method-assign]
        app, int(float(app.config.get("CACHE_MB", 64)) * 2**20))
    return app


def _remember_language(response: Response) -> Response:
    """A page's ``?lang=`` choice kept in a cookie, whichever blueprint rendered the page."""
    return remember_language(response) if response.mimetype == "text/html" else response


def backend() -> Backend:
    """The app's query backend, opened from the settings on first use, pinned to one published
    version for the rest of the request (released when the request ends).

    :raises graph.query.backend.BackendError: the store is not published or cannot be opened.
    """
    if not has_request_context():
        return _shared_backend()
    pinned: Backend | None = g.get("twinkg_backend")
    if pinned is None:
        pinned = g.twinkg_backend = _shared_backend().pin()
    return pinned


def _release_backend(_error: BaseException | None) -> None:
    pinned: Backend | None = g.pop("twinkg_backend", None)
    if pinned is not None:
        pinned.release()


def _shared_backend() -> Backend:
    extensions = current_app.extensions
    found: Backend | None = extensions.get("twinkg.backend")
    if found is None:
        with _backend_lock:
            found = extensions.get("twinkg.backend")
            if found is None:
                found = extensions["twinkg.backend"] = open_backend(current_app.config)
    return found
