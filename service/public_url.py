"""Absolute URLs of this service, from configuration and never from the request.

robots.txt, the sitemaps, the SPARQL Service Description and shareable links are cached by
proxies and crawlers for everybody. Built from the request (``url_for(..., _external=True)``,
``request.url_root``) they would carry whatever ``Host`` header one client sent, so a forged
``Host: evil.example`` could poison what every later reader gets. They are built here instead,
from the ``PUBLIC_BASE`` setting, or when it is empty from the address the server listens on
(the ``HOST`` and ``PORT`` settings, which ``twinkg serve`` sets from its options).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

WILDCARD_HOSTS = ("", "0.0.0.0", "::", "[::]")  # noqa: S104  (names, nothing is bound here)
"""Listening addresses that are not an address a client could use; ``localhost`` stands in."""


def check_public_base(value: str) -> str:
    """``value`` with a trailing slash, when it is a usable public base (or empty).

    :raises ValueError: not an absolute ``http``/``https`` URL without query or fragment; the
        app refuses to start rather than publish broken links.

    >>> check_public_base("https://twinning.example/kg")
    'https://twinning.example/kg/'
    >>> check_public_base("")
    ''
    >>> check_public_base("twinning.example")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: PUBLIC_BASE must be an absolute http(s) URL ..., not 'twinning.example'
    """
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment:
        raise ValueError("PUBLIC_BASE must be an absolute http(s) URL such as "
                         f"https://example.org/, not {value!r}")
    return value if value.endswith("/") else value + "/"


def served_base(host: str, port: int) -> str:
    """The base URL of a server listening on ``host``:``port`` (the default public base).

    >>> served_base("127.0.0.1", 8080)
    'http://127.0.0.1:8080/'
    >>> served_base("::1", 8080)
    'http://[::1]:8080/'
    >>> served_base("0.0.0.0", 80)
    'http://localhost/'
    """
    host = "localhost" if host.strip() in WILDCARD_HOSTS else host.strip()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}/" if port == 80 else f"http://{host}:{port}/"


def public_base() -> str:
    """The configured public base of the app, ending in ``/``."""
    config = current_app.config
    return check_public_base(str(config.get("PUBLIC_BASE") or "")) or served_base(
        str(config.get("HOST") or ""), int(config.get("PORT") or 80))


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
