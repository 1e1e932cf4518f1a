"""Twinning KG's web service: SPARQL endpoint, Linked Data and browsing pages.

A thin layer: views parse the request, call one function of :mod:`graph`, pick a format and
render. Configuration comes from :data:`graph.core.settings.SETTINGS`, then ``TWINKG_*`` environment
variables, then the dict a caller (a test) passes.

For other blueprints:

* register yours by adding one line to :data:`BLUEPRINTS` (``"module:attribute"``);
* get the query backend in a view with :func:`backend` (it lives in
  ``current_app.extensions["twinkg.backend"]``, opened on first use), and run named queries
  from :mod:`graph.views.queries` with it; within one request it is pinned to one published version,
  so a build switched in mid-request cannot mix two graphs in one answer;
* give cacheable responses validators with :func:`not_modified` / :func:`conditional_headers`;
* extend ``templates/base.html`` (blocks ``title``, ``head``, ``content``);
* raise :mod:`graph.query.backend` exceptions or werkzeug ``HTTPException``; :mod:`service.errors`
  renders them.
"""

from __future__ import annotations

import threading
from importlib import import_module
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_compress import Compress

from graph.core.settings import DEFAULTS
from graph.query.backend import Backend, open_backend
from service.links import link
from service.public_url import check_public_base, public_url

BLUEPRINTS: tuple[str, ...] = (
    "service.sparql:bp",
    "service.linked_data:bp",
    "service.browse:bp",
    "service.open_data:bp",
    "service.find_partner:bp",
)
"""The blueprints the app serves; adding a blueprint is adding a line here."""

COMPRESSED_TYPES = [
    "text/html", "text/css", "text/csv", "text/plain", "text/turtle",
    "text/tab-separated-values", "application/json", "application/javascript",
    "application/ld+json", "application/n-triples", "application/n-quads",
    "application/rdf+xml", "application/sparql-results+json",
    "application/sparql-results+xml", "application/xml", "image/svg+xml",
]

_backend_lock = threading.Lock()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory (Flask's pattern): defaults, then environment, then ``config``.

    ``config`` may hold ``BACKEND``: an open :class:`graph.query.backend.Backend` to serve instead
    of
    opening one from the settings (tests pass their own).
    """
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("TWINKG")
    if config:
        app.config.from_mapping(config)
    app.config["MAX_CONTENT_LENGTH"] = int(app.config["MAX_BODY_BYTES"])
    # Checked now so that a wrong public base stops the start, not every later request.
    app.config["PUBLIC_BASE"] = check_public_base(str(app.config.get("PUBLIC_BASE") or ""))
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip", "deflate"])
    # Flask-Compress leaves send_file's file open when it compresses a streamed response
    # (ResourceWarning on every static file); files are served as they are.
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if app.config.get("BACKEND") is not None:
        app.extensions["twinkg.backend"] = app.config["BACKEND"]

    from service.errors import register_error_handlers

    register_error_handlers(app)
    # Every template turns data IRIs into links with ``link`` (http(s) and own pages only)
    # and writes absolute URLs with ``public_url`` (never from the request's Host).
    app.jinja_env.globals.update(link=link, public_url=public_url)
    for spec in BLUEPRINTS:
        module, _, attribute = spec.partition(":")
        app.register_blueprint(getattr(import_module(module), attribute))
    app.after_request(_cors)
    app.teardown_request(_release_backend)
    Compress(app)
    return app


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


def not_modified(etag: str | None) -> bool:
    """Whether the request's validators show the client already has this answer."""
    if etag is not None and request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    modified = backend().modified
    since = request.if_modified_since
    return modified is not None and since is not None and modified.replace(microsecond=0) \
        <= since


def conditional_headers(response: Response, etag: str | None) -> None:
    """``ETag`` (weak: compressed and plain bodies are equivalent) and ``Last-Modified`` from
    the published graph's version, so clients and proxies can revalidate cheaply."""
    if etag is not None:
        response.set_etag(etag, weak=True)
    modified = backend().modified
    if modified is not None:
        response.last_modified = modified
    response.cache_control.public = True
    response.cache_control.max_age = 60


def _cors(response: Response) -> Response:
    """CORS for browser clients: any origin may read, with the headers they need."""
    origin = str(current_app.config.get("CORS_ORIGIN", "*"))
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = \
            "ETag, Last-Modified, Link, Location, Content-Location"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = \
                "Accept, Content-Type, If-None-Match, If-Modified-Since"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response
