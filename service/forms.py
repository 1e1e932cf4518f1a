"""The app's request class, which decodes form-encoded bodies in C.

A SPARQL query sent as a form (``query=...``, how most clients send it) is mostly escapes: a
query of 1.7 KB has some 300 ``%XX``. Werkzeug decodes them with :func:`urllib.parse.parse_qsl`,
a Python loop over every escape, which took more CPU per request than any other step of the
endpoint's own work. :func:`parse_form` decodes the same bodies to the same fields with a few
C calls (each ``%XX`` becomes a ``\\xXX`` escape for :func:`codecs.escape_decode`, after every
backslash is doubled, so no other escape can arise); a body it is not sure to decode exactly
as Werkzeug does (not ASCII, a ``%`` without two hex digits after it, escapes that are not
UTF-8) goes to Werkzeug's parser as before.
"""

from __future__ import annotations

import codecs
import io
from typing import IO, Any

from flask import Request
from werkzeug.formparser import FormDataParser


def parse_form(body: bytes) -> list[tuple[str, str]] | None:
    """The fields of an ``application/x-www-form-urlencoded`` body as Werkzeug reads them
    (``&`` between fields, ``+`` for a space, a field without ``=`` has an empty value, empty
    fields skipped), or ``None`` when this decoder leaves the body to Werkzeug.

    >>> parse_form(b"query=SELECT+%2A+%7B%7D&format=json&x")
    [('query', 'SELECT * {}'), ('format', 'json'), ('x', '')]
    >>> parse_form(b"q=Swarz%C4%99dz%5C%5Cx41&&r=a%2Bb")
    [('q', 'Swarzędz\\\\\\\\x41'), ('r', 'a+b')]
    >>> parse_form(b"q=100%") is None, parse_form(b"q=%FF") is None
    (True, True)
    """
    if not body.isascii():
        return None
    fields = []
    for pair in body.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        decoded_name, decoded_value = _unquote(name), _unquote(value)
        if decoded_name is None or decoded_value is None:
            return None
        fields.append((decoded_name, decoded_value))
    return fields


def _unquote(part: bytes) -> str | None:
    """``part`` with ``+`` and ``%XX`` decoded, as UTF-8 text; ``None`` when it holds a ``%``
    that does not start an escape, or bytes that are not UTF-8."""
    part = part.replace(b"+", b" ")
    if b"%" not in part:
        return part.decode("ascii")
    try:
        return codecs.escape_decode(part.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0] \
            .decode("utf-8")
    except (ValueError, UnicodeDecodeError):  # "invalid \x escape", a stray byte
        return None


class _FormParser(FormDataParser):
    def _parse_urlencoded(self, stream: IO[bytes], mimetype: str, content_length: int | None,
                          options: dict[str, str]) -> Any:
        # The stream is already limited to MAX_CONTENT_LENGTH (Werkzeug's contract here).
        body = stream.read()
        fields = parse_form(body)
        if fields is None:
            return super()._parse_urlencoded(io.BytesIO(body), mimetype, content_length,
                                             options)
        return stream, self.cls(fields), self.cls()


class FastFormRequest(Request):
    """Flask's request, with form-encoded bodies decoded by :func:`parse_form`."""

    form_data_parser_class = _FormParser


__all__ = ["FastFormRequest", "parse_form"]
