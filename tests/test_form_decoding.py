"""The app decodes form-encoded bodies in C (:mod:`service.forms`) to exactly the fields
Werkzeug's own parser gives, for well-formed bodies and for every odd one (stray ``%``,
escapes that are not UTF-8, raw bytes, backslashes, empty fields)."""

from __future__ import annotations

import io
import random
from urllib.parse import quote, urlencode

from flask import Request
from flask.testing import FlaskClient

from service.forms import FastFormRequest, parse_form

_PIECES = ["a", "Z", "9", " ", "+", "%", "&", "=", "\\", "\\x41", "%41", "%4", "%zz", "%FF",
           "%C4%99", "%C4", "ę", "Swarzędz", "\u0000", "#", "?", "<", "{", "%2B", "%25", "\n",
           "\\u0053", "\"", "'", "%5C", ";"]


def _fields_of(request_class: type[Request], body: bytes) -> list[tuple[str, str]]:
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/x-www-form-urlencoded",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    return list(request_class(environ).form.items(multi=True))


def _bodies(rng: random.Random) -> list[bytes]:
    """Encoded forms of random text, and raw bodies of random pieces (malformed ones too)."""
    bodies = []
    for _ in range(1500):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(0, 12)))
        bodies.append(urlencode({"query": text, "format": rng.choice(["json", "", text])})
                      .encode())
        raw = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(0, 12)))
        bodies.append(raw.encode("utf-8") if rng.random() < 0.2 else
                      raw.encode("ascii", "ignore"))
        bodies.append(("query=" + quote(text, safe=rng.choice(["", "/", "%\\"]))).encode())
    return bodies


def test_fast_form_decoding_gives_werkzeugs_fields() -> None:
    rng = random.Random(13)  # noqa: S311 - reproducible on purpose; nothing here is secret
    decoded_fast = 0
    for body in _bodies(rng):
        expected = _fields_of(Request, body)
        assert _fields_of(FastFormRequest, body) == expected, body
        fast = parse_form(body)
        if fast is not None:
            decoded_fast += 1
            assert fast == expected, body
    assert decoded_fast > 2000  # the fast decoder took most bodies, not only the fallback


def test_a_form_query_reaches_the_engine_unchanged(client: FlaskClient) -> None:
    """A form-encoded query with escapes, backslashes and non-ASCII text is run as sent."""
    text = 'a+b %41 \\\\x41 Swarzędz & = ?'
    query = "SELECT ?x WHERE { BIND(\"" + text.replace("\\", "\\\\") + "\" AS ?x) }"
    answer = client.post("/sparql", data=urlencode({"query": query}),
                         content_type="application/x-www-form-urlencoded",
                         headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.data
    assert answer.json is not None
    assert answer.json["results"]["bindings"][0]["x"]["value"] == text
