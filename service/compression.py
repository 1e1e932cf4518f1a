"""Response compression: one rule for the app and for the ``/sparql`` fast lane.

Every response says ``Vary: Accept-Encoding``. A response is compressed when the client's
``Accept-Encoding`` prefers gzip or deflate to no coding at all (:func:`chosen_coding`), its
status is 2xx, its type is one of :data:`COMPRESSED_TYPES`, its body is in memory (files are
sent as they are), it has no ``Content-Encoding`` yet and it has at least :data:`MIN_BYTES`
bytes (a smaller one gains little from it). A strong ``ETag`` gets ``:gzip`` (or
``:deflate``) appended, since the compressed bytes are another representation; the weak ones
of :mod:`service.http` name the answer however it is encoded.

:func:`compress` is the app's response hook; the fast lane (:mod:`service.sparql_lane`),
which answers without Flask, calls :func:`compressed` on its answer, so the two cannot differ.
The rule was Flask-Compress's, with the settings :func:`service.create_app` gave it; it is
written here so that the lane can share it, and it differs from it in three ways:

* ``q=0`` refuses a coding (RFC 9110, 12.5.3): Flask-Compress gzipped for ``gzip;q=0``, and
  read ``gzip; q=0.5`` (a space before ``q``) as an unknown coding;
* gzip is written without a timestamp, so the same answer always gives the same bytes
  (Flask-Compress wrote the second it compressed);
* no ``Date`` header is added: Flask-Compress's ``make_conditional`` wrote one on a ``GET``,
  which the answer cache then replayed, stale, with the answer. The HTTP server writes
  ``Date`` (Granian and Werkzeug's both do), and every view that sends validators answers
  ``304`` itself (:class:`service.http.Validators`).
"""

from __future__ import annotations

import zlib
from functools import lru_cache

from flask import Response, request
from werkzeug.http import parse_accept_header

CODINGS = ("gzip", "deflate")
"""The content codings offered, in the order that breaks a tie of equal weights."""
MIN_BYTES = 500
"""The smallest body that is compressed."""
GZIP_LEVEL = 6
DEFLATE_LEVEL = zlib.Z_DEFAULT_COMPRESSION
COMPRESSED_TYPES = frozenset({
    "text/html", "text/css", "text/csv", "text/plain", "text/turtle",
    "text/tab-separated-values", "application/json", "application/javascript",
    "application/ld+json", "application/n-triples", "application/n-quads",
    "application/rdf+xml", "application/sparql-results+json",
    "application/sparql-results+xml", "application/xml", "image/svg+xml",
})
"""The media types worth compressing (text); images, fonts and gzip files are sent as they
are."""

@lru_cache(maxsize=256)
def chosen_coding(accept_encoding: str) -> str | None:
    """The coding of :data:`CODINGS` an ``Accept-Encoding`` header prefers, or ``None`` for
    the body as it is (clients send few distinct headers: the answer is kept).

    Werkzeug parses the header (weights, ``*``, case). The highest weight wins,
    :data:`CODINGS`' order breaks a tie, ``*`` stands for any coding (and ``identity``) the
    header does not name, and weight 0 refuses a coding; a coding weighted less than
    ``identity`` is not used. An item with a malformed weight is ignored.

    >>> chosen_coding("gzip, deflate, br"), chosen_coding("")
    ('gzip', None)
    >>> chosen_coding("gzip;q=0"), chosen_coding("gzip;q=0, deflate")
    (None, 'deflate')
    >>> chosen_coding("br;q=1.0, gzip;q=0.8, *;q=0.1"), chosen_coding("gzip; q=0.5, identity")
    ('gzip', None)
    >>> chosen_coding("*"), chosen_coding("identity"), chosen_coding("GZIP;Q=1")
    ('gzip', None, 'gzip')
    """
    accepted = parse_accept_header(accept_encoding)
    best = max(CODINGS, key=accepted.quality)  # the first of equal weights
    weight = accepted.quality(best)
    if weight <= 0 or accepted.quality("identity") > weight:
        return None
    return best


def encoded(body: bytes, coding: str) -> bytes:
    """``body`` in ``coding`` (one of :data:`CODINGS`); gzip with no timestamp (RFC 1952's
    ``MTIME`` 0), so equal bodies give equal bytes.

    >>> import gzip
    >>> gzip.decompress(encoded(b"twin towns", "gzip"))
    b'twin towns'
    >>> encoded(b"twin towns", "gzip") == encoded(b"twin towns", "gzip")
    True
    """
    if coding == "gzip":
        return zlib.compress(body, GZIP_LEVEL, wbits=31)  # 31: a gzip header, MTIME 0
    if coding == "deflate":
        return zlib.compress(body, DEFLATE_LEVEL)
    raise ValueError(f"no content coding {coding!r}: offered are {', '.join(CODINGS)}")


def compressed(body: bytes, media_type: str, accept_encoding: str) -> tuple[str | None, bytes]:
    """``(coding, body)`` of a ``2xx`` answer in memory with no coding yet: ``body`` encoded
    when the rule of this module says so, else ``(None, body)``.

    >>> compressed(b"x" * 600, "text/csv", "gzip")[0]
    'gzip'
    >>> compressed(b"x" * 400, "text/csv", "gzip")[0], compressed(b"x" * 600, "image/png",
    ...                                                          "gzip")[0]
    (None, None)
    """
    coding = chosen_coding(accept_encoding)
    if coding is None or len(body) < MIN_BYTES or media_type not in COMPRESSED_TYPES:
        return None, body
    return coding, encoded(body, coding)


def compress(response: Response) -> Response:
    """The app's response hook: ``Vary: Accept-Encoding`` on every response, and the body
    compressed when :func:`compressed` says so (with ``Content-Encoding`` and the new
    ``Content-Length``)."""
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding"
    if not 200 <= response.status_code < 300 or response.is_streamed \
            or "Content-Encoding" in response.headers:
        return response
    coding, body = compressed(response.get_data(), response.mimetype or "",
                              request.headers.get("Accept-Encoding", ""))
    if coding is None:
        return response
    response.set_data(body)
    response.headers["Content-Encoding"] = coding
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(f"{etag}:{coding}")
    return response


__all__ = ["CODINGS", "COMPRESSED_TYPES", "MIN_BYTES", "chosen_coding", "compress",
           "compressed", "encoded"]
