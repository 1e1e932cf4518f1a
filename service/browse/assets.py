"""Front-end files installed from the npm registry by ``scripts/setup`` (``npm ci``), served
from ``node_modules`` without copying: Leaflet, topojson-client, world-atlas (Natural Earth
country outlines, the offline base layer) and CodeMirror 5 with its SPARQL mode.

Only the packages listed in :data:`PACKAGES` are reachable, and only below their folders
(:func:`flask.send_from_directory` refuses paths that climb out).
"""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, current_app, send_from_directory

from graph.core.settings import REPO_ROOT
from service.browse import bp

NODE_MODULES = REPO_ROOT / "node_modules"
"""Where ``npm ci`` installs; the ``NODE_MODULES`` config key may point elsewhere."""

PACKAGES: dict[str, str] = {
    "leaflet": "leaflet/dist",
    "topojson-client": "topojson-client/dist",
    "world-atlas": "world-atlas",
    "codemirror": "codemirror",
}
"""URL name of each package to its folder under ``node_modules``."""

REQUIRED_FILES: tuple[str, ...] = (
    "leaflet/leaflet.js", "leaflet/leaflet.css", "topojson-client/topojson-client.min.js",
    "world-atlas/countries-50m.json", "codemirror/lib/codemirror.js",
    "codemirror/lib/codemirror.css", "codemirror/mode/sparql/sparql.js",
)
"""The files the pages load (a test checks that set-up installed every one)."""


def vendor_root() -> Path:
    """The ``node_modules`` folder the app serves from."""
    return Path(current_app.config.get("NODE_MODULES", NODE_MODULES))


def vendor_file(name: str) -> Path:
    """The file behind ``/assets/vendor/<name>`` (it may not exist when npm did not run)."""
    package, _, rest = name.partition("/")
    return vendor_root() / PACKAGES.get(package, package) / rest


@bp.route("/assets/vendor/<package>/<path:name>")
def vendor(package: str, name: str) -> Response:
    """A file of an allowed npm package, cached for a day."""
    folder = PACKAGES.get(package)
    if folder is None:
        abort(404)
    response = send_from_directory(vendor_root() / folder, name, max_age=86400)
    return response
