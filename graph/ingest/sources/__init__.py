"""One module per source of partnership records; each returns records and has no side effects.

Sources are chosen as ``KIND:PATH`` (``wikipedia:../shared/data/wikipedia_twin_towns_raw.csv``)
or ``KIND`` alone for the curated data. Partnership sources return records; register sources
(``teryt``, ``cz-obce``, ``lau``) return register units
(:class:`graph.ingest.records.RegisterUnit`), ``lau-linked`` the same as candidates for the
listed authorities, ``nuts`` NUTS regions.
:data:`SOURCES` is the registry: another source registers itself by adding its reader here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.ingest.records import SourceBatch, SourceError
from graph.ingest.sources import (
    curated,
    cz_obce,
    lau,
    nuts,
    partnerships,
    teryt,
    wikidata,
    wikipedia,
)

SourceReader = Callable[[Path | None], SourceBatch]


def _needs_path(reader: Callable[[Path], SourceBatch], kind: str) -> SourceReader:
    def read(path: Path | None) -> SourceBatch:
        if path is None:
            raise SourceError(kind, f"the {kind} source needs a path ({kind}:PATH)")
        return reader(path)

    return read


SOURCES: dict[str, SourceReader] = {
    curated.KIND: curated.read,
    wikipedia.KIND: _needs_path(wikipedia.read, wikipedia.KIND),
    partnerships.KIND: _needs_path(partnerships.read, partnerships.KIND),
    wikidata.KIND: _needs_path(wikidata.read, wikidata.KIND),
    teryt.KIND: _needs_path(teryt.read, teryt.KIND),
    cz_obce.KIND: _needs_path(cz_obce.read, cz_obce.KIND),
    lau.KIND: _needs_path(lau.read, lau.KIND),
    lau.LINKED_KIND: _needs_path(lau.read_linked, lau.LINKED_KIND),
    nuts.KIND: _needs_path(nuts.read, nuts.KIND),
}


def parse_source(spec: str) -> tuple[str, Path | None]:
    """Split ``KIND:PATH`` (or ``KIND``) and check the kind is known.

    >>> parse_source("wikipedia:data/x.csv")
    ('wikipedia', PosixPath('data/x.csv'))
    >>> parse_source("curated")
    ('curated', None)
    >>> parse_source("gazette:x")
    Traceback (most recent call last):
    ...
    graph.ingest.records.SourceError: gazette:x: unknown source kind 'gazette' (known: curated, \
cz-obce, lau, lau-linked, nuts, partnerships, teryt, wikidata, wikipedia)

    Raises :class:`SourceError` for an unknown kind.
    """
    kind, _, path = spec.partition(":")
    kind = kind.strip().lower()
    if kind not in SOURCES:
        raise SourceError(spec, f"unknown source kind {kind!r} (known: "
                                f"{', '.join(sorted(SOURCES))})")
    return kind, Path(path) if path else None


def read_source(spec: str) -> SourceBatch:
    """Read one source given as ``KIND:PATH``; raises :class:`SourceError` on a bad spec."""
    kind, path = parse_source(spec)
    return SOURCES[kind](path)
