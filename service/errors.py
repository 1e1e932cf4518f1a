"""Every error the service answers, in one documented shape.

Machines get JSON (``application/json``), people get ``templates/error.html``; which one is
negotiated from ``Accept`` (HTML only when the client prefers it). The JSON shape::

    {"error": {"status": 400, "title": "Bad Request", "type": "query-syntax",
               "message": "expected ...", "line": 1, "column": 6}}

``type`` is one of ``query-syntax`` (400), ``query-evaluation`` (400: an unknown function),
``bad-request`` (400), ``query-refused`` (403),
``limit-exceeded`` (403 or 413, with ``limit``: the setting that was hit),
``not-found`` (404), ``not-acceptable`` (406), ``too-large`` (413), ``unsupported-media-type``
(415), ``method-not-allowed`` (405), ``timeout`` (503), ``internal`` (500) and ``upstream``
(502); ``line``/``column`` appear only for syntax errors, ``limit`` only for limits.

Graph exceptions are mapped once, here: a client mistake is a 4xx, our own failure a 5xx. An
unexpected exception is a 500 (logged with its traceback), never disguised as a 400.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from graph.query.backend import (
    BackendError,
    QueryError,
    QueryEvaluationError,
    QueryLimitExceeded,
    QuerySyntaxError,
    QueryTimeout,
)

_TYPES_BY_STATUS = {400: "bad-request", 403: "query-refused", 404: "not-found",
                    405: "method-not-allowed", 406: "not-acceptable", 413: "too-large",
                    415: "unsupported-media-type", 500: "internal", 502: "upstream",
                    503: "timeout"}


def error_response(status: int, message: str, error_type: str | None = None,
                   **extra: Any) -> Response:
    """The error in the documented shape, as JSON or HTML depending on ``Accept``."""
    title = _title(status)
    body = {"status": status, "title": title,
            "type": error_type or _TYPES_BY_STATUS.get(status, "error"), "message": message,
            **{k: v for k, v in extra.items() if v is not None}}
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    if best == "text/html" and request.accept_mimetypes["text/html"] > \
            request.accept_mimetypes["application/json"]:
        response = Response(render_template("error.html", error=body), status=status,
                            mimetype="text/html")
    else:
        response = jsonify(error=body)
        response.status_code = status
    return response


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _query_error(error: QueryError) -> Response:
    """A graph exception as its documented response; each class carries its status."""
    if isinstance(error, QuerySyntaxError):
        return error_response(error.status, error.message, "query-syntax", line=error.line,
                              column=error.column)
    if isinstance(error, QueryEvaluationError):
        return error_response(error.status, error.message, "query-evaluation")
    if isinstance(error, QueryLimitExceeded):
        return error_response(error.status, error.message, "limit-exceeded", limit=error.limit)
    if isinstance(error, QueryTimeout):
        response = error_response(error.status, error.message)
        response.headers["Retry-After"] = "10"
        return response
    if isinstance(error, BackendError):
        if error.upstream:
            current_app.logger.error("upstream SPARQL server failed: %s", error.message)
            return error_response(error.status, error.message)
        current_app.logger.error("query backend failed: %s", error.message)
        return error_response(500, "the server failed to answer; this is our fault, not yours "
                              f"({error.message})")
    return error_response(error.status, error.message)


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    response = error_response(status, error.description or _title(status))
    if status == 405 and isinstance(error.response, Response):
        response.headers["Allow"] = error.response.headers.get("Allow", "")
    elif status == 405:
        allowed = getattr(error, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
    return response


def _unexpected(error: InternalServerError) -> Response:
    original = getattr(error, "original_exception", None)
    current_app.logger.error("unhandled error", exc_info=original or error)
    return error_response(500, "the server failed to answer; this is our fault, not yours")


def register_error_handlers(app: Flask) -> None:
    """Install the handlers: graph exceptions, HTTP errors, and everything else as 500."""
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(HTTPException, _http_error)
