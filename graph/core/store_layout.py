"""The published store layout and its atomic switch (see docs/model-contract.md).

::

    STORE/current -> builds/<version>      relative symlink, switched with os.replace
    STORE/builds/<version>/oxigraph/       pyoxigraph Store directory
    STORE/builds/<version>/summary.json    counts and seconds per stage
    STORE/builds/<version>/dumps/          twinkg.nq.gz, twinkg.ttl.gz
    STORE/builds/<version>/reports/        validation.ttl, validation.txt, rejects.csv,
                                           reconciliation.csv
    STORE/builds/<version>/recommend/      model.json, the partner model fitted on this build

Why: a build writes everything into a fresh ``builds/<version>`` folder; only when that folder
is complete does ``current`` move, by renaming a new symlink over the old one (``os.replace``
is atomic on POSIX). A reader resolves ``current`` once and sees either the old build or the
new one, never a mix, and a build killed half-way leaves ``current`` untouched. Older builds
are pruned after a grace period, so readers that still have them open can finish.

This module says where things are and when a build counts as published; what fills the
folder (dumps, store, reports, the recommender's model) is the build's (:mod:`graph.pipeline`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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


def new_build(store_dir: Path, version: str | None = None) -> Published:
    """A fresh, empty build folder under ``STORE/builds`` with a new version name.

    ``version`` names it instead, for a fixture that needs the same name in every run; it must
    have the same form (``YYYYMMDDTHHMMSSZ-suffix``), since the build date is read from it.
    """
    version = version or (datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-"
                          + secrets.token_hex(4))
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


def write_summary(build: Published, summary: dict[str, Any]) -> None:
    """Write summary.json last but one: its presence marks the build complete."""
    build.summary.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
