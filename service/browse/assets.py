"""Front-end files from the npm registry: Leaflet, topojson-client, world-atlas (Natural Earth
country outlines, the offline base layer) and CodeMirror 5 with its SPARQL mode.

Why copied: ``scripts/setup`` installs them with ``npm ci`` into ``node_modules`` and then
copies the files the pages load (:data:`VENDOR_FILES`, with each package's licence) into
``service/static/vendor`` (git-ignored), so that they are package data: a wheel carries them
and the service finds them beside its own code wherever it is installed, never in a checkout's
``node_modules``. They are served at ``/assets/vendor/<package>/<name>``; only the packages
named there are reachable, and only below their folders (:func:`flask.send_from_directory`
refuses paths that climb out).
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from flask import Response, abort, current_app, send_from_directory

from service.browse import bp

VENDOR_FILES: dict[str, str] = {
    "leaflet/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet/images/layers.png": "leaflet/dist/images/layers.png",
    "leaflet/images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "leaflet/images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "leaflet/LICENSE": "leaflet/LICENSE",
    "topojson-client/topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "topojson-client/LICENSE": "topojson-client/LICENSE",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
    "world-atlas/LICENSE": "world-atlas/LICENSE",
    "codemirror/lib/codemirror.js": "codemirror/lib/codemirror.js",
    "codemirror/lib/codemirror.css": "codemirror/lib/codemirror.css",
    "codemirror/mode/sparql/sparql.js": "codemirror/mode/sparql/sparql.js",
    "codemirror/LICENSE": "codemirror/LICENSE",
}
"""Each vendored file (its path under ``/assets/vendor/``) and where ``npm ci`` puts it under
``node_modules``: what the pages load (the images are those ``leaflet.css`` names), and the
licences that must travel with the files."""

REQUIRED_FILES: tuple[str, ...] = tuple(VENDOR_FILES)
"""The files set-up must have copied (a test checks every one)."""

PACKAGES: frozenset[str] = frozenset(name.split("/", 1)[0] for name in VENDOR_FILES)
"""The package names ``/assets/vendor/<package>/`` accepts."""

VENDOR_DIR = Path(str(resources.files("service").joinpath("static", "vendor")))
"""Where set-up copies the files; the ``VENDOR_DIR`` config key may point elsewhere."""


def copy_vendor_files(node_modules: Path, target: Path = VENDOR_DIR) -> list[Path]:
    """Copy :data:`VENDOR_FILES` from ``node_modules`` (after ``npm ci``) into ``target``,
    replacing what an earlier run left there. Returns the files written.

    :raises FileNotFoundError: a file is not under ``node_modules`` (npm did not run, or
        ``package.json`` names another version); nothing is copied then.
    """
    lacking = [source for source in VENDOR_FILES.values()
               if not (node_modules / source).is_file()]
    if lacking:
        raise FileNotFoundError(f"{node_modules}: no {', '.join(lacking)}; run npm ci first")
    shutil.rmtree(target, ignore_errors=True)
    written = []
    for name, source in VENDOR_FILES.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / source, path)
        written.append(path)
    return written


def vendor_root() -> Path:
    """The folder the app serves vendored files from."""
    return Path(current_app.config.get("VENDOR_DIR", VENDOR_DIR))


def vendor_file(name: str) -> Path:
    """The file behind ``/assets/vendor/<name>`` (it may not exist when set-up did not run)."""
    return vendor_root() / name


@bp.route("/assets/vendor/<package>/<path:name>")
def vendor(package: str, name: str) -> Response:
    """A file of an allowed npm package, cached for a day."""
    if package not in PACKAGES:
        abort(404)
    return send_from_directory(vendor_root() / package, name, max_age=86400)
