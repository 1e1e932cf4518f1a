"""Progress display for long builds: a rich progress bar on a terminal, silence elsewhere.

Logs, CI output and tests get no escape codes; a person at a terminal sees each stage.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")


class BuildProgress:
    """Reports stages and per-item progress; does nothing when ``enabled`` is false.

    >>> progress = BuildProgress(enabled=False)
    >>> list(progress.track([1, 2], "reconcile", total=2))
    [1, 2]
    """

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._progress: Progress | None = None
        if self.enabled:
            self._progress = Progress(TextColumn("{task.description:<12}"), BarColumn(),
                                      MofNCompleteColumn(), TimeElapsedColumn(),
                                      console=Console(stderr=True, log_path=False),
                                      transient=False)

    def __enter__(self) -> BuildProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def track(self, items: Iterable[T], stage: str, total: int | None = None) -> Iterator[T]:
        """Yield the items, advancing a bar named after the stage."""
        if self._progress is None:
            yield from items
            return
        task = self._progress.add_task(stage, total=total)
        for item in items:
            yield item
            self._progress.advance(task)
        self._progress.update(task, completed=total)

    def stage(self, name: str) -> None:
        """Show that a stage has started (each stage summary.json times, by the same name)."""
        if self._progress is not None:
            self._progress.console.log(name)
