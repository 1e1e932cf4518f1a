"""Where the project's own files are, in a checkout or installed from a wheel: the ontology
(with the vocabularies and the curated data), the SHACL shapes and the bundled data.

Why one module: these folders sit at the top of the repository (``ontology/``, ``shapes/``,
``data/``) and ship inside the wheel as the packages ``graph.resources.ontology``,
``graph.resources.shapes`` and ``graph.resources.data`` (``pyproject.toml`` maps them).
Finding them through :mod:`importlib.resources`, never relative to a repository, is what lets
``pip install`` followed by ``twinkg build`` work from any directory. Looking a folder up
does not check its contents, so that importing a module never fails; :func:`require` does,
and a build calls it before reading anything, so that a broken install stops with a sentence
instead of publishing an empty graph.

>>> ontology_dir().joinpath("twinkg.ttl").is_file()
True
>>> require(SHAPES).name
'shapes'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Resource:
    """One folder of the project's own files: the package it is installed as, the folder of
    the repository it is made from, and glob patterns of what it must hold."""

    package: str
    folder: str
    needs: tuple[str, ...]


ONTOLOGY = Resource("graph.resources.ontology", "ontology",
                    ("twinkg.ttl", "vocabularies/*.ttl", "curated/*.ttl"))
"""The OWL ontology, the SKOS vocabularies and the curated data."""
SHAPES = Resource("graph.resources.shapes", "shapes", ("*.ttl",))
"""The SHACL shapes, violations and recommendations."""
DATA = Resource("graph.resources.data", "data", ("registers/*.xz", "wikipedia/*.xz"))
"""The bundled registers and Wikipedia list the default build reads."""


class ResourceMissing(FileNotFoundError):
    """The project's own files are not where the installed package says: an install that
    lacks its package data (or a folder emptied by hand). ``where`` names the package or
    folder, ``reason`` what it lacks and what to do."""

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


def resource_dir(resource: Resource) -> Path:
    """The folder ``resource`` is installed in (its contents unchecked).

    When its package is not installed at all (a wheel built without its package data), the
    folder it should be in, inside the ``graph`` package: modules take these folders as
    constants when imported, and :func:`require` then names what is missing in a sentence
    rather than an import failing with a traceback.

    :raises ResourceMissing: the package is installed but not as a folder on disk (a zipped
        install, which the build and the service cannot read files from).
    """
    try:
        found = resources.files(resource.package)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / "resources" / resource.folder
    if not isinstance(found, Path):
        raise ResourceMissing(str(found), f"the package {resource.package} is not a folder "
                              "on disk; install twinning-kg unzipped")
    return found


def ontology_dir() -> Path:
    """The folder of the ontology (``twinkg.ttl``), ``vocabularies/`` and ``curated/``."""
    return resource_dir(ONTOLOGY)


def shapes_dir() -> Path:
    """The folder of the SHACL shapes."""
    return resource_dir(SHAPES)


def data_dir() -> Path:
    """The folder of the bundled data (``registers/``, ``wikipedia/``)."""
    return resource_dir(DATA)


def missing(folder: Path, patterns: Iterable[str]) -> list[str]:
    """The glob ``patterns`` that match nothing under ``folder``.

    >>> missing(ontology_dir(), ["twinkg.ttl", "no-such-*.ttl"])
    ['no-such-*.ttl']
    """
    return [pattern for pattern in patterns if not any(folder.glob(pattern))]


def require(resource: Resource, also: Iterable[str] = ()) -> Path:
    """The folder of ``resource`` once it holds everything it needs (its ``needs`` and the
    files or patterns ``also`` names).

    :raises ResourceMissing: something is missing; the message lists all of it.
    """
    folder = resource_dir(resource)
    lacking = missing(folder, (*resource.needs, *also))
    if lacking:
        raise ResourceMissing(str(folder), f"the project's own {resource.folder}/ files are "
                              f"missing (no {', '.join(lacking)}); the install is broken: "
                              "reinstall twinning-kg")
    return folder
