"""Everything the service derives from a published version goes with it.

The app serves real published stores (the recommender fixture, with its partner model written
into the build before the switch, as the build's recommend stage does). Requests through the
Flask test client fill every value derived from the version served: the query answers, the
whole ``/sparql`` responses, the search index, the catalogue and VoID, the sitemap's pages
and the partner recommender. A newer build is switched in; once it is served, the old version
holds none of them and the answers come from the new graph.

A build published without a partner model (by an older build) gets a 503 that says how to
get one from ``/find-partner`` and ``/api/suggest``, and nothing is written into it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.core import store_layout
from graph.query.backend import Backend
from graph.query.embedded import ANSWERS
from graph.query.version import PublishedVersion
from graph.recommend.published import RECOMMENDER
from graph.recommend.suggest import MODEL_FILE
from service import create_app
from service.browse import SEARCH_INDEX
from service.open_data import OPEN_DATA, RESOURCE_IRIS
from service.sparql import AnswerCache
from tests.recommend_support import BASE, publish_fixture

BASE_IRI = "https://w3id.org/twinning-kg/"
NEWCOMER = BASE + "cz/nové-město"
NEWCOMER_TRIG = f"""
@prefix tkg: <https://w3id.org/twinning-kg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/twinning-kg/id/graph/curated> {{
  <{NEWCOMER}> a tkg:Municipality ; rdfs:label "Nové Město" ; tkg:countryCode "CZ" .
}}
"""
COUNT_AUTHORITIES = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a "
                     "<https://w3id.org/twinning-kg/def#Municipality> }")


def publish_with_newcomer(store_dir: Path) -> store_layout.Published:
    """Publish the fixture plus one more authority, model included, as a new build."""
    return store_layout.published(publish_fixture(store_dir, extra_trig=NEWCOMER_TRIG))


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def _derived_names(app: Flask) -> list[Hashable]:
    answer_cache = app.wsgi_app
    assert isinstance(answer_cache, AnswerCache)
    return [ANSWERS, answer_cache.name, SEARCH_INDEX, (OPEN_DATA, BASE_IRI),
            (RESOURCE_IRIS, BASE_IRI), RECOMMENDER]


def _use_everything(client: FlaskClient) -> None:
    """One request for each value derived from the version served."""
    for _ in range(2):  # the second is answered by the answer cache
        assert client.get("/sparql", query_string={"query": COUNT_AUTHORITIES}, headers={
            "Accept": "application/sparql-results+json"}).status_code == 200
    assert client.get("/search", query_string={"q": "Swarzędz", "format": "json"}
                      ).status_code == 200
    assert client.get("/catalog", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/api/suggest", query_string={"authority": "Swarzędz, PL"}
                      ).status_code == 200


def _count(client: FlaskClient) -> int:
    answer = client.get("/sparql", query_string={"query": COUNT_AUTHORITIES}, headers={
        "Accept": "application/sparql-results+json"}).get_json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def _search(client: FlaskClient, text: str) -> list[str]:
    answer = client.get("/search", query_string={"q": text, "format": "json"}).get_json()
    return [hit["iri"] for hit in answer["results"]]


def test_a_switch_drops_everything_derived_from_the_old_version(tmp_path: Path) -> None:
    store_dir = publish_fixture(tmp_path / "store")
    app = create_app({"TESTING": True, "STORE": str(store_dir), "BASE_IRI": BASE_IRI})
    client = app.test_client()
    _use_everything(client)
    backend: Backend = app.extensions["twinkg.backend"]
    old: PublishedVersion = backend.published
    names = _derived_names(app)
    assert [name for name in names if not old.holds(name)] == []
    assert NEWCOMER not in _search(client, "Nové Město")
    counted_before = _count(client)

    new_build = publish_with_newcomer(store_dir)
    _wait_for(lambda: NEWCOMER in _search(client, "Nové Město"), "the new build to be served")
    # the old version's last request has ended: it keeps nothing
    _wait_for(lambda: not any(old.holds(name) for name in names), "the old version to drop")
    new = backend.published
    assert new is not old and new.version == new_build.version
    assert old.build is not None and new.build is not None and new.build.root != old.build.root

    _use_everything(client)
    assert [name for name in names if not new.holds(name)] == []
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/id/authority/cz/nov%C3%A9-m%C4%9Bsto" in sitemap
    assert _count(client) == counted_before + 1
    suggested = client.get("/api/suggest", query_string={"authority": "Nové Město, CZ"})
    assert suggested.status_code == 200
    assert suggested.get_json()["authority"]["iri"] == NEWCOMER


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))}


def test_a_build_without_a_partner_model_is_a_503_and_is_not_written(tmp_path: Path) -> None:
    store_dir = publish_fixture(tmp_path / "store", model=False)
    build = store_layout.published(store_dir)
    before = _files(build.root)
    client = create_app({"TESTING": True, "STORE": str(store_dir)}).test_client()

    api = client.get("/api/suggest", query_string={"authority": "Swarzędz, PL"})
    assert api.status_code == 503
    assert "this build has no partner model; rebuild with twinkg build" in \
        api.get_json()["error"]["message"]
    page = client.get("/find-partner", query_string={"authority": "Swarzędz, PL"})
    assert page.status_code == 503
    assert "rebuild with twinkg build" in page.get_data(as_text=True)

    assert not (build.root / MODEL_FILE).exists()
    assert _files(build.root) == before


def test_a_build_too_small_for_a_model_says_why_not_to_rebuild(tmp_path: Path) -> None:
    store_dir = publish_fixture(tmp_path / "store", model=False)
    build = store_layout.published(store_dir)
    reason = "only 3 partnerships; the model needs at least 20"
    store_layout.write_summary(build, {"version": build.version,
                                       "recommender": {"model": None, "reason": reason}})
    client = create_app({"TESTING": True, "STORE": str(store_dir)}).test_client()
    api = client.get("/api/suggest", query_string={"authority": "Swarzędz, PL"})
    assert api.status_code == 503
    message = api.get_json()["error"]["message"]
    assert f"this build has no partner model: {reason}" in message
    assert "rebuild" not in message
