"""The dump files of a published build, as the catalogue and the downloads page describe them.

A dump is known by its suffix (:data:`DUMP_FORMATS`): its media type and EU file type come from
there, its size and SHA-256 checksum from the file itself, so the catalogue can never announce a
checksum the file does not have.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True)
class DumpFormat:
    """How one kind of dump file is described: title, media type and EU file type code."""

    title: str
    media_type: str
    file_type: str


DUMP_FORMATS: dict[str, DumpFormat] = {
    ".nq.gz": DumpFormat("N-Quads (every source in its own named graph)",
                         "application/n-quads", "RDF_N_QUADS"),
    ".trig.gz": DumpFormat("TriG (every source in its own named graph)",
                           "application/trig", "RDF_TRIG"),
    ".ttl.gz": DumpFormat("Turtle (the union of all sources)", "text/turtle", "RDF_TURTLE"),
    ".nt.gz": DumpFormat("N-Triples (the union of all sources)",
                         "application/n-triples", "RDF_N_TRIPLES"),
    ".jsonld.gz": DumpFormat("JSON-LD (every source in its own named graph)",
                             "application/ld+json", "JSON_LD"),
}
"""Dump file suffixes the catalogue knows; other files in the dumps folder are not data."""


@dataclass(frozen=True)
class DumpFile:
    """One dump as the catalogue and the downloads page describe it."""

    name: str
    format: DumpFormat
    byte_size: int
    sha256: str
    modified: datetime


def dump_format(name: str) -> DumpFormat | None:
    """The format of a dump file from its name, or ``None`` for a file that is not a dump.

    >>> dump_format("twinkg.nq.gz").media_type
    'application/n-quads'
    >>> dump_format("context.jsonld") is None
    True
    """
    for suffix, fmt in DUMP_FORMATS.items():
        if name.endswith(suffix):
            return fmt
    return None


@lru_cache(maxsize=64)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, cached by (path, size, mtime) so a page view never rehashes a dump."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_dumps(dumps_dir: Path) -> list[DumpFile]:
    """Every dump file in ``dumps_dir`` (sorted by name) with its size and checksum.

    A missing folder has no dumps; :class:`OSError` is raised when a file cannot be read.
    """
    if not dumps_dir.is_dir():
        return []
    files = []
    for path in sorted(dumps_dir.iterdir()):
        fmt = dump_format(path.name)
        if fmt is None or not path.is_file():
            continue
        stat = path.stat()
        files.append(DumpFile(
            name=path.name,
            format=fmt,
            byte_size=stat.st_size,
            sha256=_sha256(path, stat.st_size, stat.st_mtime_ns),
            modified=datetime.fromtimestamp(stat.st_mtime, UTC),
        ))
    return files
