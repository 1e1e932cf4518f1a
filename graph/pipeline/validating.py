"""The validate stages: the curated data must conform; loaded records that violate go.

The curated data is the project's own: if it does not conform to the shapes the build stops
(:class:`graph.validation.CuratedDataInvalid`). A source row is someone else's:
a record behind a violating node is taken out of the store and rejected with the shape's
message, so the published graph conforms and every row is still accounted for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pyoxigraph import Store

from graph.core.countries import resolve_country
from graph.ingest.records import PartnershipRecord, Reject
from graph.pipeline.rdfize import Partnership

if TYPE_CHECKING:
    from graph.pipeline.builder import Builder
    from graph.validation import ValidationReport

WARNINGS_PER_MESSAGE = 1000
"""Warnings listed per message in reports/validation.ttl; the rest are counted in the text."""


def check_curated(builder: Builder, shapes: Sequence[Path]) -> None:
    """Stop the build when the curated data alone does not conform (raises
    :class:`graph.validation.CuratedDataInvalid`)."""
    from graph import validation

    with builder.stage("validate_curated"):
        validation.check_curated(builder.curated, list(shapes))


def validate(builder: Builder, store: Store,
             shapes: Sequence[Path]) -> tuple[ValidationReport, int, int]:
    """Validate the loaded store and take out what violates.

    Returns the validation report, the number of records and of register units removed.
    """
    from graph import validation

    with builder.stage("validate"):
        report = validation.validate_store(store, list(shapes),
                                           max_warnings=WARNINGS_PER_MESSAGE)
        removed = remove_violations(builder, store, report)
        removed_units = remove_violating_units(builder, store, report)
    return report, removed, removed_units


def remove_violating_units(builder: Builder, store: Store, report: ValidationReport) -> int:
    """Take out every register unit that is a violating focus node and reject its rows.

    A unit's quads are its register's alone (partnership records add to other graphs), so the
    unit's quads are regenerated and removed; units below it keep their tkg:partOf, which the
    shapes then report on the next build as pointing nowhere.
    """
    focus = {r.focus: r.message for r in report.violations}
    bad = [key for key, unit in builder.units.units.items()
           if builder.rdf.unit_node(unit).value in focus]
    for key in bad:
        unit = builder.units.units.pop(key)
        message = focus[builder.rdf.unit_node(unit).value]
        for quad in builder.rdf.unit_quads(unit, resolve_country(unit.country)):
            store.remove(quad)
        node = builder.rdf.unit_node(unit)
        for quad in list(store.quads_for_pattern(node, None, None, builder.rdf.graph("nuts"))):
            store.remove(quad)
        builder.rejects.extend(builder.units.rejects(key, message))
    return len(bad)


Pair = tuple[PartnershipRecord, Partnership]


def _violating_records(builder: Builder, report: ValidationReport) -> dict[int, str]:
    """The records (by ``id``) whose partnership or participant is a violating focus node,
    each with the first violation's message."""
    by_focus: dict[str, list[Pair]] = defaultdict(list)
    for record, partnership in builder.partnerships:
        by_focus[builder.rdf.partnership_node(partnership).value].append((record, partnership))
        for authority in partnership.authorities:
            by_focus[builder.rdf.authority_node(authority.key).value].append(
                (record, partnership))
    bad: dict[int, str] = {}
    for result in report.violations:
        for record, _ in by_focus.get(result.focus, ()):
            bad.setdefault(id(record), result.message)
    return bad


def remove_violations(builder: Builder, store: Store, report: ValidationReport) -> int:
    """Take out every record behind a violating focus node and reject its row."""
    bad = _violating_records(builder, report)
    if not bad:
        return 0
    kept = [(r, p) for r, p in builder.partnerships if id(r) not in bad]
    removed = [(r, p) for r, p in builder.partnerships if id(r) in bad]
    # Quads another kept record also states must stay: only records sharing a partnership
    # or an authority with a removed one can state them, so only those are expanded.
    keys = {p.key for _, p in removed} | {a.key for _, p in removed for a in p.authorities}
    related = [(r, p) for r, p in kept
               if p.key in keys or any(a.key in keys for a in p.authorities)]
    remaining = {q for r, p in related for q in builder.partnership_quads(r, p)}
    for record, partnership in removed:
        for quad in builder.partnership_quads(record, partnership):
            if quad not in remaining:
                store.remove(quad)
        builder.rejects.append(Reject(record.file, record.row, bad[id(record)]))
    _remove_unnamed_authorities(builder, store, removed, related)
    builder.partnerships = kept
    return len(removed)


def _remove_unnamed_authorities(builder: Builder, store: Store, removed: list[Pair],
                                related: list[Pair]) -> None:
    """An authority no kept record names leaves with its gazetteer link."""
    still_named = {a.key for _, p in related for a in p.authorities}
    for key in {a.key for _, p in removed for a in p.authorities} - still_named:
        if key in builder.matches:
            authority, match = builder.matches.pop(key)
            for quad in builder.rdf.match_quads(authority, match, None):
                store.remove(quad)
            for quad in list(store.quads_for_pattern(builder.rdf.authority_node(key), None,
                                                     None, builder.rdf.graph("geonames"))):
                store.remove(quad)
