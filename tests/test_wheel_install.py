"""``pip install`` of the built wheel, not editable, then ``twinkg build`` and ``twinkg serve``
from a directory that is not the repository: as a new user would, without the checkout.

The wheel is built from a copy of the sources (so that no stale ``build/`` folder of the
checkout leaks into it) with the test environment's setuptools, and installed into a fresh
virtual environment without its dependencies, which it takes from this one through a ``.pth``
file naming this environment's site-packages. Python does not read the ``.pth`` files of a
folder a ``.pth`` file adds, so the editable install's finder stays out and ``graph`` is the
wheel's (checked). Nothing leaves 127.0.0.1: pip runs with ``--no-index``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from rdflib import OWL, RDF, Graph, URIRef

from graph.core.namespaces import TKG
from service.browse.assets import REQUIRED_FILES, VENDOR_DIR
from tests.servers import Server, free_port, wait_until_up

REPO = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "graph", "service", "ontology", "shapes", "data")
"""What the wheel is built from (everything ``pyproject.toml`` names)."""
RESOURCES = {"ontology": "graph/resources/ontology", "shapes": "graph/resources/shapes",
             "data": "graph/resources/data"}
"""Top-level folders of the repository and where the wheel puts them."""


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment with the wheel installed in it."""

    wheel: Path
    venv: Path

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)


def clean_env() -> dict[str, str]:
    """This process's environment without settings or paths that could lead to the checkout."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith("TWINKG_") and k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def run(args: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run ``args``, failing the test with its output when it fails."""
    done = subprocess.run(args, cwd=cwd, env=clean_env(), capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def build_wheel(out: Path) -> Path:
    """The project's wheel, built from a copy of its sources into ``out``."""
    source = out / "source"
    source.mkdir(parents=True)
    for name in SOURCES:
        path = REPO / name
        if path.is_dir():
            shutil.copytree(path, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(out / "dist"), str(source)], cwd=out)
    (wheel,) = (out / "dist").glob("twinning_kg-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> None:
    """A fresh virtual environment at ``venv`` with ``wheel`` and this one's dependencies."""
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv.parent)
    python = str(venv / "bin" / "python")
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
               cwd=venv).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "twinkg-test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         str(wheel)], cwd=venv)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    folder = tmp_path_factory.mktemp("wheel")
    wheel = build_wheel(folder)
    install(wheel, folder / "venv")
    return Installed(wheel, folder / "venv")


def shipped(root: Path) -> set[str]:
    """Every file under ``root`` but Python's caches, relative to ``root``."""
    return {path.relative_to(root).as_posix() for path in root.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts}


def test_wheel_holds_every_module_template_and_resource(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    expected = {f"{package}/{name}" for package in ("graph", "service")
                for name in shipped(REPO / package)}
    expected |= {f"{RESOURCES[folder]}/{name}" for folder in RESOURCES
                 for name in shipped(REPO / folder)}
    expected |= {f"service/static/vendor/{name}" for name in REQUIRED_FILES}
    assert "graph/resources/ontology/twinkg.ttl" in expected
    assert not expected - names, sorted(expected - names)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Installed) -> None:
    code = ("import json, graph, service\n"
            "from graph.core import resources\n"
            "print(json.dumps([graph.__file__, service.__file__, str(resources.ontology_dir()),"
            " str(resources.require(resources.SHAPES)), str(resources.data_dir())]))")
    places = json.loads(run([installed.bin("python"), "-c", code], cwd=installed.venv).stdout)
    for place in places:
        assert Path(place).is_relative_to(installed.venv), place


def test_the_installed_docs_command_writes_where_told_never_into_the_package(
        installed: Installed, tmp_path: Path) -> None:
    """``twinkg docs --out DIR`` writes DIR/index.html, without --out ontology/docs under the
    working directory; a folder inside the installed package is refused, and the package's
    files (the page the service serves among them) stay as the wheel put them."""
    package = Path(run([installed.bin("python"), "-c", "import graph; print(graph.__file__)"],
                       cwd=installed.venv).stdout.strip()).parent
    served_page = package / "resources" / "ontology" / "docs" / "index.html"
    before = {name: (package / name).read_bytes() for name in shipped(package)}
    assert "resources/ontology/docs/index.html" in before
    run([installed.bin("twinkg"), "docs", "--out", "mine"], cwd=tmp_path)
    (tmp_path / "elsewhere").mkdir()
    run([installed.bin("twinkg"), "docs"], cwd=tmp_path / "elsewhere")
    for written in (tmp_path / "mine" / "index.html",
                    tmp_path / "elsewhere" / "ontology" / "docs" / "index.html"):
        assert "<code>twinkg docs</code>" in written.read_text(encoding="utf-8"), written
    refused = subprocess.run([installed.bin("twinkg"), "docs", "--out", str(served_page.parent)],
                             cwd=tmp_path, env=clean_env(), capture_output=True, text=True,
                             timeout=600, check=False)
    assert refused.returncode == 1 and "inside the installed package" in refused.stderr
    assert {name: (package / name).read_bytes() for name in shipped(package)} == before


@dataclass(frozen=True)
class Served:
    """The installed ``twinkg serve`` process and what ``twinkg build`` printed before it."""

    server: Server
    built: str


@pytest.fixture(scope="module")
def served(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``twinkg build`` of the curated data and ``twinkg serve``, both run from an empty
    directory outside the repository."""
    work = tmp_path_factory.mktemp("elsewhere")
    assert not work.is_relative_to(REPO)
    built = run([installed.bin("twinkg"), "build", "--store", "store", "--source", "curated"],
                cwd=work).stdout
    port = free_port()
    log = work / "serve.log"
    handle = log.open("wb")
    process = subprocess.Popen(
        [installed.bin("twinkg"), "serve", "--store", "store", "--host", "127.0.0.1", "--port",
         str(port), "--workers", "1"], cwd=work, env=clean_env(), stdout=handle,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    server = Server("twinkg", process, url, url + "/sparql", work, handle)
    try:
        wait_until_up(server.sparql, process, log=log)
        yield Served(server, built)
    finally:
        server.stop()


def count(server: Server, of_class: URIRef) -> int:
    """How many resources of ``of_class`` the server's SPARQL endpoint answers."""
    query = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{of_class}> }}"
    answer = requests.post(server.sparql, data={"query": query}, timeout=60,
                           headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.text[:500]
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_the_installed_build_publishes_the_curated_authorities(served: Served) -> None:
    numbers = re.search(r"(\d+) authorities .*?, (\d+) partnerships", served.built)
    assert numbers is not None, served.built
    assert int(numbers[1]) > 0
    assert int(numbers[2]) > 0
    assert count(served.server, TKG.Municipality) > 0
    assert count(served.server, TKG.Partnership) == int(numbers[2])


def test_the_installed_service_serves_pages_static_files_and_vendored_assets(
        served: Served) -> None:
    server = served.server
    home = requests.get(server.url + "/", timeout=60)
    assert home.status_code == 200
    assert "text/html" in home.headers["Content-Type"]
    css = requests.get(server.url + "/static/css/site.css", timeout=60)
    assert css.status_code == 200
    assert css.content == (REPO / "service" / "static" / "css" / "site.css").read_bytes()
    for name in ("leaflet/leaflet.js", "codemirror/mode/sparql/sparql.js"):
        asset = requests.get(f"{server.url}/assets/vendor/{name}", timeout=60)
        assert asset.status_code == 200, name
        assert asset.content == (VENDOR_DIR / name).read_bytes()
    ontology = requests.get(server.url + "/def", headers={"Accept": "text/turtle"}, timeout=60)
    assert ontology.status_code == 200
    assert (TKG.LocalAuthority, RDF.type, OWL.Class) in Graph().parse(data=ontology.text,
                                                                      format="turtle")
