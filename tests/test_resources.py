"""The project's own files are found through importlib.resources, and a build that cannot find
them stops with a sentence instead of publishing an empty graph."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.core import resources
from graph.core.resources import DATA, ONTOLOGY, SHAPES, Resource, ResourceMissing
from graph.ingest.bundled import BUNDLE, require_project_files
from graph.ingest.records import SourceError

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("resource", [ONTOLOGY, SHAPES, DATA], ids=lambda r: r.folder)
def test_in_a_checkout_each_resource_is_the_repository_folder(resource: Resource) -> None:
    assert resources.require(resource) == REPO / resource.folder


def test_a_package_that_is_not_installed_is_missing_when_required() -> None:
    """Looking it up does not fail (modules do so when imported); requiring it does."""
    nothing = Resource("graph.resources.nothing", "nothing", ("*.ttl",))
    folder = resources.resource_dir(nothing)
    assert not folder.exists()
    with pytest.raises(ResourceMissing) as raised:
        resources.require(nothing)
    assert str(raised.value) == (f"{folder}: the project's own nothing/ files are missing "
                                 "(no *.ttl); the install is broken: reinstall twinning-kg")


def test_nothing_but_the_settings_looks_for_the_repository() -> None:
    """Finding files relative to the checkout works only in an editable install."""
    users = sorted(str(path.relative_to(REPO)) for folder in ("graph", "service")
                   for path in (REPO / folder).rglob("*.py")
                   if "REPO_ROOT" in path.read_text(encoding="utf-8"))
    assert users == ["graph/core/settings.py"]


def lookup_in(folders: dict[str, Path]) -> Callable[[Resource], Path]:
    """A stand-in for :func:`graph.core.resources.resource_dir` answering ``folders`` by
    resource folder name, the real folder otherwise."""
    real = resources.resource_dir

    def resource_dir(resource: Resource) -> Path:
        return folders.get(resource.folder) or real(resource)

    return resource_dir


@pytest.mark.parametrize("emptied, named", [
    ("ontology", "no twinkg.ttl, vocabularies/*.ttl, curated/*.ttl"),
    ("shapes", "no *.ttl"),
])
def test_a_build_without_the_projects_files_stops_with_a_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emptied: str, named: str) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(resources, "resource_dir", lookup_in({emptied: empty}))
    store = tmp_path / "store"
    result = CliRunner().invoke(main, ["build", "--store", str(store), "--source", "curated"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {empty}: the project's own {emptied}/ files are "
                                    f"missing ({named})")
    assert "Traceback" not in result.output
    assert not (store / "current").exists()


def test_the_default_build_needs_every_bundled_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    partial = tmp_path / "data"
    (partial / "registers").mkdir(parents=True)
    kept = BUNDLE[0].path
    (partial / kept).write_bytes((REPO / "data" / kept).read_bytes())
    monkeypatch.setattr(resources, "resource_dir", lookup_in({"data": partial}))
    require_project_files(with_bundle=False)  # the curated data alone does not need it
    with pytest.raises(SourceError) as raised:
        require_project_files(with_bundle=True)
    lacking = [f.path for f in BUNDLE if f.default and f.path != kept]
    assert str(raised.value).endswith(f"(no wikipedia/*.xz, {', '.join(lacking)}); the "
                                      "install is broken: reinstall twinning-kg")
