"""A fast lane to ``/sparql`` for the commonest request, past Flask.

Most protocol requests are alike: one ``query`` in the URL of a ``GET`` or in the form body of
a ``POST``, an ``Accept`` header seen before, no conditional headers. For those, Flask's
request and response machinery (request context, URL matching, form and header objects,
response hooks) took more CPU than the rest of the request's own work in the web worker. This
WSGI layer answers them itself, with the same query run in the same query process, the same
headers the app would send (:func:`answer_headers`; ``tests/test_sparql_lane.py`` compares the
two paths header by header) and the same compression (most clients ask for gzip), decided and
done by the app's own rule (:func:`service.compression.compressed`), and hands every other
request to the app:

* anything else (other methods, other body types, a ``POST`` with URL parameters too,
  parameters the fast decoder leaves to Werkzeug, no query or several, an update, a query
  over ``MAX_QUERY_CHARS``, the service description), and what the app has not seen once yet
  (an ``Accept`` header it has not negotiated, no backend opened yet);
* every failed query: its error response is made by the app's own error handlers and response
  hooks, so errors keep the one documented shape;
* an app whose request hooks are not exactly the ones this lane reproduces (checked at its
  first request, after which Flask takes no new hooks): the lane then stays off rather than
  drop a header a new hook would add.

The web worker still reads no SPARQL here: the lane only decodes the parameters and looks up
the formats negotiated before.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask
from werkzeug.utils import get_content_type

from graph.query.backend import Backend, QueryError
from service import sparql
from service.compression import compress, compressed
from service.forms import parse_form
from service.http import Validators
from service.security_headers import (
    cors,
    cors_header_items,
    security_header_items,
    security_headers,
)

StartResponse = Callable[..., Any]
_FORM = "application/x-www-form-urlencoded"
_GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")


class FastLane:
    """WSGI middleware in front of ``app`` (inside :class:`service.sparql.AnswerCache`): the
    commonest ``/sparql`` requests answered without Flask (see the module docstring)."""

    def __init__(self, app: Flask, wrapped: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wrapped = wrapped
        self.enabled: bool | None = None  # known at the first request, once set up

    def __call__(self, environ: dict[str, Any], start_response: StartResponse,
                 ) -> Iterable[bytes]:
        if self.enabled is None:  # Flask refuses new hooks after the first request
            self.enabled = _hooks_are_known(self.app)
        request = self._read(environ) if self.enabled else None
        if request is None:
            return self.wrapped(environ, start_response)
        shared: Backend | None = self.app.extensions.get("twinkg.backend")
        base_iri: str | None = self.app.extensions.get(sparql.BASE_IRI)
        if shared is None or base_iri is None:
            return self.wrapped(environ, start_response)
        query, graphs, (results, graph) = request
        source = shared.pin()
        try:
            validators = sparql.validators_of(source, query, graphs[0], graphs[1], results,
                                              graph)
            environ[sparql.ANSWERED_FROM] = source.published
            output = source.query(
                query, results_format=results.media_type if results else None,
                graph_format=graph.media_type if graph else None,
                default_graphs=graphs[0], named_graphs=graphs[1], base_iri=base_iri,
                remember=False)  # the answer cache in front keeps the whole response
        except QueryError as error:
            return self._error(environ, start_response, error)
        finally:
            source.release()
        coding, body = compressed(output.body, output.media_type,
                                  environ.get("HTTP_ACCEPT_ENCODING", ""))
        start_response("200 OK", answer_headers(self.app, output.media_type, body, coding,
                                                validators))
        return [body]

    def _read(self, environ: dict[str, Any]) -> tuple[str, tuple[list[str] | None, ...],
                                                      tuple[Any, Any]] | None:
        """(query, (default graphs, named graphs), (results format, graph format)) of a request
        this lane answers, or ``None`` for the app (the body is left readable for it)."""
        if environ.get("PATH_INFO") not in sparql.ENDPOINT_PATHS \
                or "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            return None
        fields = self._fields(environ)
        if fields is None:
            return None
        values: dict[str, list[str]] = {}
        for name, value in fields:
            values.setdefault(name, []).append(value)
        queries, formats = values.get("query", []), values.get("format", [None])
        if len(queries) != 1 or not queries[0].strip() or "update" in values or \
                len(queries[0]) > int(self.app.config["MAX_QUERY_CHARS"]):
            return None
        negotiated = sparql.negotiated(environ.get("HTTP_ACCEPT", ""), formats[0])
        if negotiated is None:
            return None
        return queries[0], tuple(values.get(n) for n in _GRAPH_PARAMETERS), negotiated

    def _fields(self, environ: dict[str, Any]) -> list[tuple[str, str]] | None:
        """The parameters of a ``GET`` (its URL's) or of a form ``POST`` without URL parameters
        (its body's), decoded as the app would; ``None`` for any other request."""
        method = environ.get("REQUEST_METHOD")
        if method == "GET":
            return parse_form(environ.get("QUERY_STRING", "").encode("latin-1"))
        if method != "POST" or environ.get("CONTENT_TYPE") != _FORM \
                or environ.get("QUERY_STRING"):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length <= 0 or length > int(self.app.config["MAX_CONTENT_LENGTH"]):
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # the app reads it again if it answers
        return parse_form(body) if len(body) == length else None

    def _error(self, environ: dict[str, Any], start_response: StartResponse,
               error: QueryError) -> Iterable[bytes]:
        """The app's own error response to ``error``: its error handler and response hooks."""
        with self.app.request_context(environ):
            response = self.app.finalize_request(self.app.handle_user_exception(error))
            return response(environ, start_response)


def answer_headers(app: Flask, media_type: str, body: bytes, coding: str | None,
                   validators: Validators) -> list[tuple[str, str]]:
    """The headers the app sends with a ``200`` answer of the SPARQL view, whose ``body`` (of
    ``media_type``) is in ``coding`` (``None``: as it is): the view's, then those of the
    response hooks (:func:`~service.compression.compress`, :func:`~service.security_headers.cors`,
    :func:`~service.security_headers.security_headers`)."""
    headers = [("Content-Type", get_content_type(media_type, "utf-8")),
               ("Content-Length", str(len(body))), ("Vary", "Accept, Accept-Encoding"),
               *validators.header_items()]
    if coding is not None:
        headers.append(("Content-Encoding", coding))
    return headers + cors_header_items(app.config) + security_header_items(app.config)


def _hooks_are_known(app: Flask) -> bool:
    """Whether ``app`` runs exactly the request hooks this lane reproduces or can skip: the
    app-wide response hooks of :func:`service.create_app` (the language cookie, which only
    HTML gets, the security headers, CORS and compression), no request preprocessing."""
    from service import _remember_language

    after = app.after_request_funcs.get(None, [])
    blueprint = ("sparql",)  # a blueprint's own hooks run for its views only
    return (after == [_remember_language, security_headers, cors, compress]
            and [getattr(f, "__name__", "") for f in
                 app.teardown_request_funcs.get(None, [])] == ["_release_backend"]
            and not any(app.after_request_funcs.get(b) for b in blueprint)
            and not any(app.teardown_request_funcs.get(b) for b in blueprint)
            and not any(app.before_request_funcs.get(b) for b in (None, *blueprint))
            and not any(app.url_value_preprocessors.get(b) for b in (None, *blueprint)))


__all__ = ["FastLane", "answer_headers"]
