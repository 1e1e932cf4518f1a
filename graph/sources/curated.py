"""The curated data bundled with the project: SKOS vocabularies and hand-written Turtle.

The curated source has no rows: it hands the build its Turtle files, which are loaded as they
are (rebased when the build has its own base IRI) into the ``curated`` named graph. The list of
files comes from :func:`graph.vocabulary.curated_files` when that module is present, else from
the folders the model contract names.
"""

from __future__ import annotations

from pathlib import Path

from graph.records import SourceBatch, SourceError
from graph.settings import REPO_ROOT

KIND = "curated"
FOLDERS = ("ontology/vocabularies", "ontology/curated")


def curated_files() -> list[Path]:
    """The vocabulary and curated-data Turtle files, in a stable order."""
    try:
        from graph import vocabulary  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        vocabulary = None
    if vocabulary is not None and hasattr(vocabulary, "curated_files"):
        return [Path(p) for p in vocabulary.curated_files()]
    return sorted(p for folder in FOLDERS for p in (REPO_ROOT / folder).glob("*.ttl"))


def read(path: Path | None = None) -> SourceBatch:
    """The curated Turtle files (or the ``.ttl`` files under ``path`` when one is given).

    Raises :class:`SourceError` when a given path does not exist.
    """
    if path is None:
        return SourceBatch(KIND, "curated", rdf_files=curated_files())
    if path.is_dir():
        return SourceBatch(KIND, str(path), rdf_files=sorted(path.rglob("*.ttl")))
    if path.is_file():
        return SourceBatch(KIND, str(path), rdf_files=[path])
    raise SourceError(path, "no such file or folder")
