"""HTTP caching validators and ``Link`` headers, made one way for every view.

* :func:`entity_tag` and :class:`Validators`: an answer's ``ETag`` is a digest of what it
  depends on (the published version, the IRI or query, the format); :meth:`Validators.unchanged`
  asks Werkzeug's :func:`~werkzeug.http.is_resource_modified` whether the client already holds
  it, before the answer is computed, and :meth:`Validators.apply` sets ``ETag``,
  ``Last-Modified`` and ``Cache-Control`` and answers ``304`` when it does.
* :class:`WebLink` and :func:`set_links`: ``Link`` headers (RFC 8288), such as
  ``rel="alternate"`` from every page to its machine-readable forms.

ETags are weak: :mod:`service.compression` gzips bodies after the view, and a compressed and a
plain body are the same answer, with one tag (it appends ``:gzip`` to a strong tag, giving one
answer two). Files served as they are (the dumps) keep Flask's strong, checksum-based tags.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from flask import Response, request
from werkzeug.http import http_date, is_resource_modified, quote_etag
from werkzeug.urls import iri_to_uri


def entity_tag(*parts: str) -> str:
    """A short digest of everything an answer depends on, for its ``ETag``.

    Parts are separated, so ``("ab", "c")`` and ``("a", "bc")`` differ.

    >>> entity_tag("v1", "text/turtle") == entity_tag("v1", "text/turtle")
    True
    >>> entity_tag("ab", "c") == entity_tag("a", "bc")
    False
    >>> len(entity_tag("v1"))
    24
    """
    digest = hashlib.blake2b(digest_size=12)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Validators:
    """What a client revalidates an answer with: a weak ``ETag`` (``None`` when the answer
    has no version to tag, a remote backend's), the ``Last-Modified`` time and, when the
    answer may be kept by shared caches, its ``max-age`` in seconds."""

    etag: str | None
    last_modified: datetime | None = None
    max_age: int | None = None

    def unchanged(self) -> bool:
        """Whether ``If-None-Match`` (else ``If-Modified-Since``) shows the client already
        holds this answer; asked before computing it, so a revalidation runs no query.

        Any method counts, not only ``GET``/``HEAD`` as in Werkzeug's ``make_conditional``:
        a SPARQL query sent by ``POST`` is as safe as one sent by ``GET``.
        """
        if self.etag is None and self.last_modified is None:
            return False
        environ = request.environ
        if "HTTP_IF_NONE_MATCH" not in environ and "HTTP_IF_MODIFIED_SINCE" not in environ:
            return False  # not a conditional request: nothing to compare (the common case)
        return not is_resource_modified(request.environ, etag=self.etag,
                                        last_modified=self.last_modified)

    def header_items(self) -> list[tuple[str, str]]:
        """The headers :meth:`apply` sets on a response without ``Cache-Control`` of its own.

        >>> from datetime import UTC
        >>> Validators("ab", datetime(2026, 12, 3, tzinfo=UTC), max_age=60).header_items()
        [('ETag', 'W/"ab"'), ('Last-Modified', 'Thu, 03 Dec 2026 00:00:00 GMT'), \
('Cache-Control', 'public, max-age=60')]
        """
        items = []
        if self.etag is not None:
            items.append(("ETag", quote_etag(self.etag, weak=True)))
        if self.last_modified is not None:
            items.append(("Last-Modified", _http_date(self.last_modified)))
        if self.max_age is not None:
            items.append(("Cache-Control", f"public, max-age={self.max_age}"))
        return items

    def apply(self, response: Response) -> Response:
        """``response`` with its validators, turned into ``304 Not Modified`` (body and
        entity headers dropped by Werkzeug) when the client's copy is current.

        The same test as :meth:`unchanged`, so that a view which skipped its work for an
        unchanged answer returns a 304 whatever the method.
        """
        headers = response.headers
        if self.etag is not None:
            response.set_etag(self.etag, weak=True)
        if self.last_modified is not None:
            headers["Last-Modified"] = _http_date(self.last_modified)
        if self.max_age is not None:
            if "Cache-Control" in headers:  # the view's own directives stay
                response.cache_control.public = True
                response.cache_control.max_age = self.max_age
            else:  # the common case, written as text (Werkzeug's object costs more)
                headers["Cache-Control"] = f"public, max-age={self.max_age}"
        if self.unchanged():
            response.status_code = 304
        return response


@lru_cache(maxsize=16)
def _http_date(moment: datetime) -> str:
    """``moment`` as an HTTP date, made once per published version (every answer of a
    version has the same ``Last-Modified``).

    >>> from datetime import UTC
    >>> _http_date(datetime(2026, 12, 3, 11, 37, 12, tzinfo=UTC))
    'Thu, 03 Dec 2026 11:37:12 GMT'
    """
    return http_date(moment)


class WebLink(NamedTuple):
    """One link of a ``Link`` header: target URL, relation and, optionally, media type.

    >>> str(WebLink("/doc/x.ttl", "alternate", "text/turtle"))
    '</doc/x.ttl>; rel="alternate"; type="text/turtle"'
    >>> str(WebLink("/authority/pl/swarzędz", "alternate", "text/html"))
    '</authority/pl/swarz%C4%99dz>; rel="alternate"; type="text/html"'
    >>> str(WebLink("https://example.org/.well-known/void", "describedby"))
    '<https://example.org/.well-known/void>; rel="describedby"'
    """

    url: str
    rel: str
    media_type: str | None = None

    def __str__(self) -> str:
        # iri_to_uri: a header is Latin-1, and a raw ``>`` would end the target early.
        value = f'<{iri_to_uri(self.url)}>; rel="{self.rel}"'
        return value if self.media_type is None else f'{value}; type="{self.media_type}"'


def alternate(url: str, media_type: str) -> WebLink:
    """A link to another form of the same answer (``rel="alternate"``)."""
    return WebLink(url, "alternate", media_type)


def set_links(response: Response, links: Iterable[WebLink]) -> Response:
    """``response`` with ``links`` as its ``Link`` header; no header when there are none."""
    value = ", ".join(str(found) for found in links)
    if value:
        response.headers["Link"] = value
    return response


__all__ = ["Validators", "WebLink", "alternate", "entity_tag", "set_links"]
