"""``twinkg serve`` as a real process: it serves the IRIs the published build minted, and its
access log follows the ``ACCESS_LOG`` setting."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pyoxigraph
import pytest
import requests
from click.testing import CliRunner

from graph.core import store_layout
from graph.core.iris import authority_iri
from service.cli import main
from tests.conftest import SERVICE_DATA, build_store
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


@pytest.mark.parametrize(("value", "logged"), [(None, True), ("off", False)])
def test_access_log_setting_reaches_the_server(tmp_path: Path, value: str | None,
                                               logged: bool) -> None:
    """``TWINKG_ACCESS_LOG`` (on by default) decides whether the server writes a line per
    request; the server's own start-up lines are written either way."""
    store_dir = build_store(tmp_path / "store", SERVICE_DATA / "fixture.trig")
    env = {} if value is None else {"TWINKG_ACCESS_LOG": value}
    service = start_twinkg(tmp_path, store=store_dir, workers=1, extra_env=env)
    try:
        probe = requests.get(service.url + "/access-log-probe", timeout=30)
        assert probe.status_code == 404
    finally:
        service.stop()  # ends the workers, whose log lines are then all written
    log = (tmp_path / f"twinkg-{service.url.rsplit(':', 1)[1]}.log").read_text()
    assert "Listening at" in log
    assert ('"GET /access-log-probe HTTP/1.1" 404' in log) is logged


def test_an_unreadable_access_log_value_is_a_sentence() -> None:
    result = CliRunner().invoke(main, ["serve"], env={"TWINKG_ACCESS_LOG": "maybe"})
    assert result.exit_code == 1
    assert "TWINKG_ACCESS_LOG must be one of 1, true, yes, on, 0, false, no, off, not 'maybe'" \
        in result.output
