"""Links built from data and from requests, made safe in one place.

* :func:`safe_href`: whether a URL may be an ``href``. IRIs come from Wikidata, Wikipedia and
  CSV files people send us, and the query editor shows any IRI a query makes up
  (``IRI("javascript:alert(1)")``); only pages of this site and ``http``/``https`` IRIs become
  links, anything else (``javascript:``, ``data:``, ``vbscript:``, ``urn:``, ``mailto:``) is
  shown as text.
* :func:`link`: the one way templates turn a data IRI into ``<a href>``; ``None`` or an
  unsafe URL gives the text without a link.
* :func:`with_query`: a URL with a query string copied from a request. Request parameters
  must never become :func:`flask.url_for` keyword arguments: names such as ``_anchor``,
  ``_method``, ``endpoint`` or a view argument's name mean something to ``url_for`` and
  turned ``/?_anchor=x`` into a 500.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup, escape

LINKABLE_SCHEMES = ("http", "https")


def safe_href(url: str | None) -> str | None:
    """``url`` if a browser may follow it as a link, else ``None``.

    A path on this site (``/authority/pl/swarz%C4%99dz``) or an absolute ``http(s)`` URL with
    a host; no other scheme, and no control characters or spaces that browsers strip before
    reading the scheme (``java\\tscript:``).

    >>> safe_href("https://www.wikidata.org/entity/Q1")
    'https://www.wikidata.org/entity/Q1'
    >>> safe_href("/authority/pl/x")
    '/authority/pl/x'
    >>> [safe_href(u) for u in ("javascript:alert(1)", " JavaScript:x", "data:text/html,x",
    ...                         "java\\tscript:x", "//evil.example/", "urn:isbn:1", None)]
    [None, None, None, None, None, None, None]
    """
    if not url or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    if url.startswith("/"):
        return url if not url.startswith("//") and not url.startswith("/\\") else None
    parts = urlsplit(url)
    if parts.scheme.lower() in LINKABLE_SCHEMES and parts.netloc:
        return url
    return None


def link(url: str | None, text: Any, **attributes: Any) -> Markup:
    """``<a href="url" ...>text</a>``, or ``<span ...>text</span>`` when ``url`` may not be a
    link (see :func:`safe_href`). ``text`` is escaped unless it is already markup; attributes
    with a ``None`` or ``False`` value are left out.

    >>> str(link("javascript:alert(1)", "<b>x</b>", rel="external"))
    '<span>&lt;b&gt;x&lt;/b&gt;</span>'
    >>> str(link("https://example.org/?a=1&b=2", "x", rel="external"))
    '<a href="https://example.org/?a=1&amp;b=2" rel="external">x</a>'
    """
    href = safe_href(url)
    kept = {name.rstrip("_"): value for name, value in attributes.items()
            if value is not None and value is not False}
    if href is None:
        # rel and type describe the link's target; without a target they mean nothing
        kept = {name: value for name, value in kept.items() if name not in ("rel", "type")}
    rendered = Markup("").join(Markup(' {}="{}"').format(name, value)
                               for name, value in kept.items())
    if href is None:
        return Markup("<span{}>{}</span>").format(rendered, escape(text))
    return Markup('<a href="{}"{}>{}</a>').format(href, rendered, escape(text))


def with_query(url: str, parameters: Mapping[str, Iterable[str]] | Iterable[
        tuple[str, str]]) -> str:
    """``url`` with ``parameters`` as its query string, every name and value percent-encoded.

    ``parameters`` is a request's ``MultiDict`` (every value of a repeated name is kept), a
    mapping of names to lists of values, or ``(name, value)`` pairs.

    >>> with_query("/", [("_anchor", "x"), ("lang", "pl")])
    '/?_anchor=x&lang=pl'
    >>> with_query("/search", {"q": ["a&b"], "endpoint": ["x"]})
    '/search?q=a%26b&endpoint=x'
    >>> with_query("/", [])
    '/'
    """
    if isinstance(parameters, Mapping):
        lists = getattr(parameters, "lists", None)
        items: Iterable[tuple[str, Any]] = lists() if callable(lists) else parameters.items()
        pairs = [(name, value) for name, values in items for value in (
            [values] if isinstance(values, str) else values)]
    else:
        pairs = list(parameters)
    query = urlencode(pairs)
    return f"{url}?{query}" if query else url


__all__ = ["link", "safe_href", "with_query"]
