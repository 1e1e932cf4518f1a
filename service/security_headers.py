"""The headers every response of the app gets, whichever blueprint answered it.

* :func:`cors`: any origin may read the data (it is open), with the headers a browser client
  needs to revalidate and follow links;
* :func:`security_headers`: a Content-Security-Policy that allows the site's own scripts and
  styles only (no inline script, no framing), ``nosniff`` and a referrer policy.

:func:`service.create_app` registers both on the app, not on a blueprint: a hook of one
blueprint (``after_app_request``) would leave ``/sparql`` without its policy in an app built
without that blueprint.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from flask import Response, current_app, request


@lru_cache(maxsize=8)
def content_security_policy(tile_url: str = "") -> str:
    """The CSP of every response: own scripts and styles only, no inline script, no framing
    (made once per tile server: every response asks for it).

    The optional tile server's origin is allowed for images.

    >>> "script-src 'self'" in content_security_policy()
    True
    >>> "https://tile.example.org" in content_security_policy(
    ...     "https://tile.example.org/{z}/{x}/{y}.png")
    True
    >>> "img-src 'self' data: https://*.tile.example.org" in content_security_policy(
    ...     "https://{s}.tile.example.org/{z}/{x}/{y}.png")
    True
    """
    images = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        if parts.scheme in ("http", "https") and parts.netloc:
            origin = f"{parts.scheme}://{parts.netloc}"
            if "{s}" in tile_url:
                origin = f"{parts.scheme}://*.{parts.netloc.split('.', 1)[-1]}"
            images += f" {origin}"
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src {images}; connect-src 'self'; font-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def security_header_items(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The CSP and its companions for an app's ``config`` (the hook below, and the SPARQL
    fast lane, which answers without Flask)."""
    return [("Content-Security-Policy", content_security_policy(str(config.get("TILE_URL", "")))),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "strict-origin-when-cross-origin")]


def cors_header_items(config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The CORS headers of every answer: any origin (``CORS_ORIGIN``) may read, with the
    headers it needs; none when ``CORS_ORIGIN`` is empty."""
    origin = str(config.get("CORS_ORIGIN", "*"))
    if not origin:
        return []
    return [("Access-Control-Allow-Origin", origin),
            ("Access-Control-Expose-Headers",
             "ETag, Last-Modified, Link, Location, Content-Location")]


def security_headers(response: Response) -> Response:
    """CSP and companions on ``response``, unless its view set its own."""
    for name, value in security_header_items(current_app.config):
        response.headers.setdefault(name, value)
    return response


def cors(response: Response) -> Response:
    """CORS for browser clients (:func:`cors_header_items`), and the preflight's answers."""
    items = cors_header_items(current_app.config)
    for name, value in items:
        response.headers[name] = value
    if items and request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = \
            "Accept, Content-Type, If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


__all__ = ["content_security_policy", "cors", "cors_header_items", "security_header_items",
           "security_headers"]
