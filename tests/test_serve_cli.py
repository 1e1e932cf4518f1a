"""``twinkg serve`` as a real process: it serves the IRIs the published build minted."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import requests

from graph.core import store_layout
from graph.core.iris import authority_iri
from tests.servers import start_twinkg

BASE = "http://twinkg.test/"


def test_serve_takes_the_base_iri_of_the_published_build(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    build = store_layout.new_build(store_dir)
    store = pyoxigraph.Store(str(build.oxigraph))
    town = pyoxigraph.NamedNode(authority_iri("PL", "Swarzędz", BASE))
    store.add(pyoxigraph.Quad(town, pyoxigraph.NamedNode(
        "http://www.w3.org/2000/01/rdf-schema#label"), pyoxigraph.Literal("Swarzędz"),
        pyoxigraph.NamedNode(BASE + "id/graph/curated")))
    store.flush()
    del store
    store_layout.write_summary(build, {"base_iri": BASE})
    store_layout.switch(store_dir, build)
    service = start_twinkg(tmp_path, store=store_dir, workers=1)
    try:
        response = requests.get(f"{service.url}/id/authority/pl/{quote('swarzędz')}",
                                headers={"Accept": "text/turtle"}, allow_redirects=False,
                                timeout=30)
        assert response.status_code == 303
        document = requests.get(service.url + response.headers["Location"], timeout=30)
        graph = pyoxigraph.Store()
        graph.load(document.content, format=pyoxigraph.RdfFormat.TURTLE)
        assert [q.subject for q in graph] == [town]
    finally:
        service.stop()
