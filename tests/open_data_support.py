"""Shared set-up of the open-data tests: a really published store and an app serving it.

The store is built with the publish step's own functions (``graph.core.store_layout``: new
build, summary, atomic switch; ``graph.pipeline.dumps``: dumps and on-disk store) from
``tests/data/open_data/sample.trig``, then the open-data hook writes the JSON-LD dump, the
catalogue and VoID, as the build does.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from rdflib import Graph
from werkzeug.serving import make_server

from graph.core import store_layout
from graph.opendata.documents import publish_open_data
from graph.pipeline.dumps import write_dumps_and_store
from service import create_app, open_data

DATA = Path(__file__).resolve().parent / "data" / "open_data"
SAMPLE = DATA / "sample.trig"
TEST_ONTOLOGY = DATA / "ontology"
BASE = "https://w3id.org/twinning-kg/"
VENDOR = Path(__file__).resolve().parent.parent.parent / "shared" / "vendor"


def publish_sample(store_dir: Path, *, hook: bool = True) -> store_layout.Published:
    """Publish the sample graph into ``store_dir``; ``hook=False`` leaves out the open-data
    files, as a build that does not call the hook would."""
    build = store_layout.new_build(store_dir)
    store = sample_store()
    write_dumps_and_store(store, build)
    if hook:
        publish_open_data(store, build.root, version=build.version, base_iri=BASE)
    store_layout.write_summary(build, {"sample": True})
    store_layout.switch(store_dir, build)
    return store_layout.published(store_dir)


def sample_store() -> ox.Store:
    """The sample graph in a fresh in-memory store, to compute expected figures from."""
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    return store


def make_app(store_dir: Path, **config: object) -> Flask:
    """The real application over a published store, with the stand-in ontology.

    Registers the open-data blueprint itself only if ``create_app`` does not (yet).
    """
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BASE_IRI": BASE,
                      "ONTOLOGY_DIR": str(TEST_ONTOLOGY), **config})
    if "open_data" not in app.blueprints:
        app.register_blueprint(open_data.bp)
    return app


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """The app on a real HTTP server on 127.0.0.1 (free port), for raw-request tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def vendor_file(*parts: str) -> Path:
    """A vendored DCAT-AP file; under CI its absence is a failure, elsewhere a skip."""
    path = VENDOR.joinpath(*parts)
    if not path.is_file():
        message = f"vendored file missing: {path} (expected ../shared/vendor beside the repo)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def parse_rdf(data: bytes, media_type: str) -> Graph:
    """Parse a response body with pyoxigraph (a parser independent of the rdflib serializer
    the service uses) into an rdflib graph, for isomorphism checks."""
    triples = ox.parse(data, format=ox.RdfFormat.from_media_type(media_type))
    nt = ox.serialize((q.triple for q in triples), format=ox.RdfFormat.N_TRIPLES)
    if nt is None:  # only when given an output to write to
        raise TypeError("pyoxigraph.serialize without output must return bytes")
    return Graph().parse(data=nt.decode("utf-8"), format="nt")
