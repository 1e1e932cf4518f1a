"""The app's compression hook (:mod:`service.compression`) on responses no SPARQL answer
exercises (``tests/test_sparql_lane.py`` compares the fast lane's answers with it): a strong
``ETag`` names the compressed bytes apart, streamed bodies are sent as they are, and every
response says ``Vary: Accept-Encoding``."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

from flask import Flask, Response

from graph.query.backend import Backend
from service import create_app

TEXT = "Swarzędz, Ronnenberg\n" * 40  # above MIN_BYTES


def _app(backend: Backend) -> Flask:
    app = create_app({"TESTING": True, "BACKEND": backend, "BLUEPRINTS": ("service.sparql:bp",)})

    def strong() -> Response:
        response = Response(TEXT, mimetype="text/plain")
        response.set_etag("v1")
        return response

    def streamed() -> Response:
        def lines() -> Iterator[str]:
            yield TEXT

        return Response(lines(), mimetype="text/plain")

    app.add_url_rule("/strong", view_func=strong)
    app.add_url_rule("/streamed", view_func=streamed)
    return app


def test_a_strong_etag_names_the_compressed_bytes(embedded_backend: Backend) -> None:
    client = _app(embedded_backend).test_client()
    zipped = client.get("/strong", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data).decode() == TEXT
    assert zipped.headers["ETag"] == '"v1:gzip"'
    assert zipped.headers["Vary"] == "Accept-Encoding"
    plain = client.get("/strong", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in plain.headers
    assert plain.headers["ETag"] == '"v1"'
    assert plain.data.decode() == TEXT


def test_streamed_bodies_are_sent_as_they_are(embedded_backend: Backend) -> None:
    client = _app(embedded_backend).test_client()
    response = client.get("/streamed", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.data.decode() == TEXT
