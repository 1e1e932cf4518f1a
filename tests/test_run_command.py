"""The README's main command, ``scripts/run``, end to end: it installs, builds and serves on
127.0.0.1; with Wikidata reachable (here an ``oxigraph serve`` process holding the
Wikidata-shaped fixture) it harvests, builds with the harvest and links Q-ids, and without it
says so in one line and serves the bundled data alone: the curated data and the Polish and
Czech registers carried in data/."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.servers import wait_until_up
from tests.wikidata_support import free_port, oxigraph_server

ROOT = Path(__file__).resolve().parent.parent
OFFLINE_LINE = "building from the bundled data alone"


@contextmanager
def run_command(tmp: Path, wikidata_endpoint: str) -> Iterator[tuple[str, Path, Path]]:
    """``scripts/run`` with its store, port and harvest cache in ``tmp``; yields the service's
    address, the harvest file and the file its standard error went to."""
    port = free_port()
    harvest = tmp / "wikidata" / "harvest.json"
    env = {**os.environ, "TWINKG_STORE": str(tmp / "store"), "TWINKG_PORT": str(port),
           "TWINKG_WIKIDATA_ENDPOINT": wikidata_endpoint,
           "TWINKG_WIKIDATA_HARVEST": str(harvest)}
    env.pop("TWINKG_BASE_IRI", None)
    errors = tmp / "stderr.log"
    with (tmp / "stdout.log").open("wb") as out, errors.open("wb") as err:
        process = subprocess.Popen([str(ROOT / "scripts" / "run")], cwd=ROOT, env=env,
                                   stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
        try:
            wait_until_up(url + "sparql", process, seconds=600, log=errors)
            yield url, harvest, errors
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _graphs(url: str) -> set[str]:
    answer = requests.get(url + "sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
        headers={"Accept": "application/sparql-results+json"}, timeout=30)
    answer.raise_for_status()
    return {row["g"]["value"] for row in answer.json()["results"]["bindings"]}


def _dereferences(url: str, path: str) -> bool:
    answer = requests.get(url + path, headers={"Accept": "text/turtle"}, timeout=30,
                          allow_redirects=False)
    return answer.status_code == 303


def test_without_wikidata_it_says_so_once_and_serves_the_bundled_data(tmp_path: Path) -> None:
    nothing_listens = f"http://127.0.0.1:{free_port()}/sparql"
    with run_command(tmp_path, nothing_listens) as (url, harvest, errors):
        said = [line for line in errors.read_text(errors="replace").splitlines()
                if OFFLINE_LINE in line]
        assert len(said) == 1 and nothing_listens in said[0], said
        assert not harvest.exists()
        assert _graphs(url) == {url + f"id/graph/{g}" for g in (
            "curated", "geonames", "teryt", "cz-obce", "nuts", "lau", "wikipedia")}
        # Minted at the service's own address, so the curated IRIs dereference on it, and so
        # do the register units' (gmina Warszawa by its TERYT code, Praha by its kód obce).
        assert _dereferences(url, "id/authority/pl/swarzędz")
        assert _dereferences(url, "id/authority/pl/teryt/1465011")
        assert _dereferences(url, "id/authority/cz/obec/554782")


def test_with_wikidata_it_harvests_builds_and_links(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path) as endpoint, run_command(tmp_path, endpoint) as (
            url, harvest, errors):
        assert OFFLINE_LINE not in errors.read_text(errors="replace")
        cache = json.loads(harvest.read_text(encoding="utf-8"))
        assert cache["endpoint"] == endpoint and cache["statements"]
        assert {url + "id/graph/wikidata", url + "id/graph/teryt"} <= _graphs(url)
        links = requests.get(url + "sparql", params={"query": (
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a <http://www.w3.org/2002/07/owl#sameAs>"
            " ?q FILTER(STRSTARTS(STR(?q), 'http://www.wikidata.org/entity/')) } }")},
            headers={"Accept": "application/sparql-results+json"}, timeout=30).json()
        assert int(links["results"]["bindings"][0]["n"]["value"]) > 0
        assert harvest.with_name("harvest.links.ttl").exists()
