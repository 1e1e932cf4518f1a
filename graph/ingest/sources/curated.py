"""The curated data bundled with the project: SKOS vocabularies and hand-written Turtle.

The curated source has no rows: it hands the build its Turtle files, which are loaded as they
are (rebased when the build has its own base IRI) into the ``curated`` named graph. The list of
files comes from :func:`graph.vocab.vocabulary.curated_files`.
"""

from __future__ import annotations

from pathlib import Path

from graph.ingest.records import SourceBatch, SourceError
from graph.vocab import vocabulary

KIND = "curated"


def curated_files() -> list[Path]:
    """The vocabulary and curated-data Turtle files, in a stable order (the model's own list)."""
    return [Path(p) for p in vocabulary.curated_files()]


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
