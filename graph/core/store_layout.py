"""The published store layout and its atomic switch (see docs/model-contract.md).

::

    STORE/current -> builds/<version>      relative symlink, switched with os.replace
    STORE/builds/<version>/oxigraph/       pyoxigraph Store directory
    STORE/builds/<version>/summary.json    counts and seconds per stage
    STORE/builds/<version>/dumps/          twinkg.nq.gz, twinkg.ttl.gz
    STORE/builds/<version>/reports/        validation.ttl, validation.txt, rejects.csv,
                                           reconciliation.csv

Why: a build writes everything into a fresh ``builds/<version>`` folder; only when that folder
is complete does ``current`` move, by renaming a new symlink over the old one (``os.replace``
is atomic on POSIX). A reader resolves ``current`` once and sees either the old build or the
new one, never a mix, and a build killed half-way leaves ``current`` untouched. Older builds
are pruned after a grace period, so readers that still have them open can finish.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import secrets
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from pyoxigraph import RdfFormat, Store, serialize

from graph.core.namespaces import PREFIXES

CURRENT = "current"
BUILDS = "builds"
KEEP_BUILDS = 2
GRACE_SECONDS = 60.0
"""How long a retired or abandoned build folder is kept before it is pruned."""


class NotPublished(FileNotFoundError):
    """Raised when a store directory has no published build yet."""


@dataclass(frozen=True)
class Published:
    """Where the parts of one published build are, for the service and the CLI."""

    version: str
    root: Path
    oxigraph: Path
    summary: Path
    dumps: Path
    reports: Path

    @property
    def built_at(self) -> datetime:
        """When the build started, from its version (``20261124T103000Z-1a2b3c4d``)."""
        return datetime.strptime(self.version.split("-")[0], "%Y%m%dT%H%M%SZ").replace(
            tzinfo=UTC)

    def read_summary(self) -> dict[str, Any]:
        """The build's summary.json."""
        data: dict[str, Any] = json.loads(self.summary.read_text(encoding="utf-8"))
        return data


def _layout(version: str, root: Path) -> Published:
    return Published(version, root, root / "oxigraph", root / "summary.json", root / "dumps",
                     root / "reports")


def new_build(store_dir: Path) -> Published:
    """A fresh, empty build folder under ``STORE/builds`` with a new version name."""
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(4)
    root = Path(store_dir) / BUILDS / version
    for part in (root / "dumps", root / "reports"):
        part.mkdir(parents=True)
    return _layout(version, root)


def published(store_dir: Path) -> Published:
    """The build ``STORE/current`` points at now.

    Raises :class:`NotPublished` when there is none; resolve once per use and keep the
    result, so that a switch in between cannot mix two builds.

    >>> import tempfile
    >>> published(Path(tempfile.mkdtemp()))
    Traceback (most recent call last):
    ...
    graph.core.store_layout.NotPublished: no published graph in ... (run twinkg build --store ...)
    """
    current = Path(store_dir) / CURRENT
    try:
        target = os.readlink(current)
    except OSError:
        raise NotPublished(f"no published graph in {store_dir} (run twinkg build --store "
                           f"{store_dir})") from None
    root = (current.parent / target).resolve()
    return _layout(root.name, root)


def switch(store_dir: Path, build: Published) -> None:
    """Point ``STORE/current`` at a complete build, atomically, then prune old builds."""
    store_dir = Path(store_dir)
    temporary = store_dir / f".{CURRENT}-{build.version}"
    temporary.unlink(missing_ok=True)
    os.symlink(Path(BUILDS) / build.version, temporary)
    os.replace(temporary, store_dir / CURRENT)
    _prune(store_dir, build.version)


def _prune(store_dir: Path, keep: str) -> None:
    """Remove builds no reader can still be using.

    A build beyond the newest ``KEEP_BUILDS`` goes once it has been retired (its successor
    published) for ``GRACE_SECONDS``, so that a reader that resolved ``current`` just before a
    switch can finish; a folder without summary.json (a killed build) goes once it has been
    left alone as long, so that a build still running in another process is not touched.
    """
    now = time.time()
    builds = [p for p in (store_dir / BUILDS).iterdir() if p.is_dir()]

    def finished(path: Path) -> float:
        # Versions of builds started within one second do not sort by time; summaries do.
        return now if path.name == keep else (path / "summary.json").stat().st_mtime

    complete = sorted((p for p in builds if (p / "summary.json").exists() or p.name == keep),
                      key=finished, reverse=True)
    for index, path in enumerate(complete):
        if index < KEEP_BUILDS or path.name == keep:
            continue
        successor = complete[index - 1] / "summary.json"
        retired_at = successor.stat().st_mtime if successor.exists() else now
        if now - retired_at >= GRACE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)
    for path in builds:
        if path not in complete and now - path.stat().st_mtime >= GRACE_SECONDS:
            shutil.rmtree(path, ignore_errors=True)


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
        loading = pool.submit(_load_disk_store, raw, build.oxigraph)
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


def _load_disk_store(nquads: Path, folder: Path) -> None:
    disk = Store(str(folder))
    _bulk_load_in_slices(disk, nquads)
    disk.flush()
    del disk


LOAD_SLICE = 250_000
"""Quads per bulk load: pyoxigraph's loader holds a whole input in memory (1.75 GB for 4.75M
quads in one go, 0.44 GB in slices of this size, for 10 % more time; measured)."""


def _bulk_load_in_slices(disk: Store, nquads: Path, size: int = LOAD_SLICE) -> None:
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
    >>> _bulk_load_in_slices(store, path, size=1)
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


def write_summary(build: Published, summary: dict[str, Any]) -> None:
    """Write summary.json last but one: its presence marks the build complete."""
    build.summary.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
