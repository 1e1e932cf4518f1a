"""The build's dumps and its on-disk store, written from the in-memory store it validated.

``dumps/twinkg.nq.gz`` holds every named graph, ``dumps/twinkg.ttl.gz`` their union; the
pyoxigraph store under ``oxigraph/`` is bulk-loaded from the same N-Quads, so the dump and the
store the service queries hold exactly the same quads. Where these go in a build folder is the
layout's (:mod:`graph.core.store_layout`); this module only fills them.
"""

from __future__ import annotations

import gzip
import itertools
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, cast

from pyoxigraph import RdfFormat, Store, serialize

from graph.core.namespaces import PREFIXES
from graph.core.store_layout import Published


def write_dumps_and_store(store: Store, build: Published,
                          meanwhile: Callable[[], object] | None = None) -> list[Path]:
    """Gzipped N-Quads (every named graph) and Turtle (their union), and the on-disk store.

    ``store`` is the build's in-memory store: pyoxigraph reads it several times faster than
    a disk store. The on-disk store is bulk-loaded from the N-Quads file in Rust, without
    Python objects, on a thread of its own (pyoxigraph releases the GIL while it loads): the
    Turtle dump and then ``meanwhile`` (the build's open-data step, which reads the finished
    dumps) run beside it, and this returns once all are done. Raises :class:`OSError` when
    the build folder cannot be written, or what ``meanwhile`` raises.
    """
    raw = build.dumps / ".twinkg.nq"
    store.dump(str(raw), RdfFormat.N_QUADS)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="disk-store") as pool:
        loading = pool.submit(load_disk_store, raw, build.oxigraph)
        nquads = build.dumps / "twinkg.nq.gz"
        with raw.open("rb") as source, nquads.open("wb") as target, gzip.GzipFile(
                fileobj=target, mode="wb", compresslevel=5, mtime=0) as out:
            shutil.copyfileobj(source, out, 1 << 20)
        turtle = build.dumps / "twinkg.ttl.gz"
        with turtle.open("wb") as target, gzip.GzipFile(fileobj=target, mode="wb",
                                                        compresslevel=5, mtime=0) as out:
            # Turtle holds one graph: the union; CONSTRUCT gives each triple once, by subject.
            union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
            serialize(union, cast(IO[bytes], out), RdfFormat.TURTLE,  # type: ignore[arg-type]
                      prefixes=dict(PREFIXES))
        if meanwhile is not None:
            meanwhile()
        loading.result()
    raw.unlink()
    return [nquads, turtle]


def load_disk_store(nquads: Path, folder: Path) -> None:
    """A pyoxigraph store in ``folder``, bulk-loaded from an N-Quads file and flushed."""
    disk = Store(str(folder))
    bulk_load_in_slices(disk, nquads)
    disk.flush()
    del disk


LOAD_SLICE = 250_000
"""Quads per bulk load: pyoxigraph's loader holds a whole input in memory, so the default
build's dump loaded in slices of this size needs about a quarter of the memory it needs in one
go, for a little more time (``benchmarks/build_benchmark.py`` reports the peak per stage)."""


def bulk_load_in_slices(disk: Store, nquads: Path, size: int = LOAD_SLICE) -> None:
    r"""Bulk-load an N-Quads file ``size`` lines at a time.

    Each load gives the blank node labels it reads fresh identities, so the quads naming a
    blank node (a geometry and the authority pointing to it) are kept together and loaded in
    one last slice of their own.

    >>> import tempfile
    >>> from pyoxigraph import NamedNode
    >>> path = Path(tempfile.mkdtemp()) / "d.nq"
    >>> _ = path.write_text('<http://e/a> <http://e/geo> _:g .\n<http://e/a> <http://e/n> "a" .\n'
    ...                     '_:g <http://e/wkt> "POINT(1 2)" .\n', encoding="utf-8")
    >>> store = Store()
    >>> bulk_load_in_slices(store, path, size=1)
    >>> geometry = next(store.quads_for_pattern(None, NamedNode("http://e/geo"), None)).object
    >>> len(store), len(list(store.quads_for_pattern(geometry, None, None)))
    (3, 1)
    """
    blank: list[bytes] = []
    with nquads.open("rb") as lines:
        while True:
            chunk = list(itertools.islice(lines, size))
            if not chunk:
                break
            plain = [line for line in chunk if b"_:" not in line]
            blank.extend(line for line in chunk if b"_:" in line)
            if plain:
                disk.bulk_load(b"".join(plain), RdfFormat.N_QUADS)
    if blank:
        disk.bulk_load(b"".join(blank), RdfFormat.N_QUADS)
