"""Absolute URLs of this service, from configuration and never from the request.

robots.txt, the sitemaps, the SPARQL Service Description and shareable links are cached by
proxies and crawlers for everybody. Built from the request (``url_for(..., _external=True)``,
``request.url_root``) they would carry whatever ``Host`` header one client sent, so a forged
``Host: evil.example`` could poison what every later reader gets. They are built here instead,
from the ``PUBLIC_BASE`` setting, or when it is empty from the address the server listens on
(the ``HOST`` and ``PORT`` settings, which ``twinkg serve`` sets from its options).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request

from graph.core.settings import check_public_base, public_base_of, served_base


def public_base() -> str:
    """The configured public base of the app, ending in ``/`` (see
    :func:`graph.core.settings.public_base_of`)."""
    return public_base_of(current_app.config)


def public_url(path: str) -> str:
    """The absolute URL of ``path`` (as :func:`flask.url_for` returns it) on the public base.

    A prefix the app is mounted under (``SCRIPT_NAME``, part of what ``url_for`` returns) is
    dropped: the public base already names it.
    """
    if has_request_context():
        root = request.script_root
        if root and (path == root or path.startswith(root + "/")):
            path = path[len(root):]
    return public_base() + path.lstrip("/")


__all__ = ["check_public_base", "public_base", "public_url", "served_base"]
