"""The gate before a build loads anything: the curated data alone must conform to the shapes.

Why a gate: the curated data is hand-written and trusted by everything after it; a violation
there is an editing mistake to fix, not a record to reject, so the build stops and says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pyoxigraph import Quad, Store

from graph.validation.results import ValidationReport
from graph.validation.sparql_runner import validate_store

SHOWN_VIOLATIONS = 20
"""Violations the error message lists (the rest are left for the next run)."""


class CuratedDataInvalid(ValueError):
    """The curated data does not conform to the shapes; the message lists the violations."""


def check_curated(curated: Sequence[Quad], files: Sequence[Path] | None = None
                  ) -> ValidationReport:
    """The shapes in ``files`` (default: the project's; an empty list checks nothing) over the
    curated data alone, by the SPARQL runner.

    Raises :class:`CuratedDataInvalid` listing the violations (focus node, path, message).
    """
    if files is not None and not files:
        return ValidationReport()
    store = Store()
    store.bulk_extend(curated)
    report = validate_store(store, files)
    if report.violations:
        lines = [f"{r.focus} {r.path}: {r.message}"
                 for r in report.violations[:SHOWN_VIOLATIONS]]
        raise CuratedDataInvalid("the curated data does not conform to the shapes:\n" +
                                 "\n".join(lines))
    return report
