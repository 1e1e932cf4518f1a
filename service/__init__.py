"""Twinning KG's web service: SPARQL endpoint, Linked Data and browsing pages.

A thin layer: views parse the request, call one function of :mod:`graph`, pick a format and
render. Configuration comes from :data:`graph.settings.SETTINGS`, then ``TWINKG_*`` environment
variables, then the dict a caller (a test) passes.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from graph.settings import DEFAULTS


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application factory (Flask's pattern): defaults, then environment, then ``config``."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("TWINKG")
    if config:
        app.config.from_mapping(config)
    return app
