"""What a build tells its readers about itself: rejects, reconciliation and summary.json.

Every input row is either in the graph or in ``reports/rejects.csv`` with a reason;
``reports/reconciliation.csv`` lists every reconciled authority, least certain first, as a
to-do list for a data owner; ``summary.json`` counts what went in and came out, and how long
each stage took. The summary's content is decided here; writing it, which marks the build
folder complete, is the layout's (:func:`graph.core.store_layout.write_summary`).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Store

from graph.core import store_layout
from graph.core.namespaces import GEONAMES, sparql_prefixes
from graph.ingest.records import Reject
from graph.pipeline.normalise import term_value
from graph.query.solutions import store_solutions

if TYPE_CHECKING:
    from graph.pipeline.builder import Builder
    from graph.validation import ValidationReport

_AUTHORITY_TYPES = "VALUES ?t { tkg:Municipality tkg:County tkg:Region tkg:LocalAuthority }"


def write_reports(builder: Builder, report: ValidationReport,
                  target: store_layout.Published) -> None:
    """The validation report, rejects, reconciliation and (when linked) Wikidata's unlinked
    authorities, into the new build's ``reports/`` folder."""
    from graph import validation

    validation.write_reports(report, target.reports)
    write_rejects(builder.rejects, target.reports / "rejects.csv")
    write_reconciliation(builder, target.reports / "reconciliation.csv")
    if builder.wikidata_links:
        from graph.wikidata.reconcile import write_unlinked

        write_unlinked(builder.wikidata_links, target.reports / "wikidata-unlinked.csv")


def write_rejects(rejects: list[Reject], path: Path) -> None:
    """Every rejected row with its file, row number and reason, in file and row order."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "row", "reason"])
        for reject in sorted(rejects, key=lambda r: (r.file, r.row)):
            writer.writerow([reject.file, reject.row, reject.reason])


def write_reconciliation(builder: Builder, path: Path) -> None:
    """Every reconciled authority, least certain first, so the list reads as a to-do list."""
    rows = []
    for key, (authority, match) in builder.matches.items():
        place, unit = match.place, match.unit
        status = ("seat" if match.seat else "within" if match.within else "linked" if place
                  else "subdivision" if match.subdivision else "admin-unit" if unit
                  else "unmatched")
        matched = place.name if place else match.subdivision or (unit.name if unit else "")
        located = None if match.within else place  # a district has no point of its own
        link = builder.register_links.get(key) or builder.register_same_as.get(key)
        rows.append([builder.rdf.authority_node(key).value, authority.name,
                     authority.country.alpha2, status, match.method,
                     f"{match.confidence:.3f}", match.candidates, match.geonameid or "",
                     matched, located.lat if located else "", located.long if located else "",
                     builder.rdf.authority_node(link.unit_key).value if link else "",
                     (f"{link.method} ({link.why})" if link.why else link.method) if link
                     else builder.register_reasons.get(key, "")])
    rows.sort(key=lambda r: (r[3] == "linked", float(str(r[5])), str(r[0])))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["authority", "name", "country", "status", "method", "confidence",
                         "candidates", "geonames_id", "matched_name", "lat", "long",
                         "register_unit", "register_method_or_reason"])
        writer.writerows(rows)


def count_distinct(store: Store, pattern: str) -> int:
    """Distinct ``?a`` matching a pattern over the union of the store's graphs."""
    query = (sparql_prefixes() + f"PREFIX geonames: <{GEONAMES}>\n"
             f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {pattern} }}")
    for solution in store_solutions(store, query, union=True):
        return int(term_value(solution["n"]))
    return 0


def published_path(path: str | Path, source: str | Path | None = None) -> str:
    """A source's path as summary.json publishes it: relative to its source folder when it
    lies in one (a curated folder's files), else the file name alone.

    summary.json is published with the build; the build machine's absolute paths (home
    directories, user names, folder layout) are none of its readers' business.

    >>> published_path("/home/someone/data/partnerships.csv")
    'partnerships.csv'
    >>> published_path("/home/someone/data/curated/x/a.ttl", "/home/someone/data/curated")
    'curated/x/a.ttl'
    """
    file = Path(path)
    if source is not None:
        folder = Path(source)
        if file.is_relative_to(folder) and file != folder:
            return (Path(folder.name) / file.relative_to(folder)).as_posix()
    return file.name


def _sources(builder: Builder) -> list[dict[str, Any]]:
    """Each source read: its kind, published file name, rows read and rejected, RDF files;
    a reference source (``lau-linked``) says so and how many of its units were published."""
    described = []
    for b in builder.batches:
        source: dict[str, Any] = {
            "kind": b.source, "file": published_path(b.file), "rows_read": b.rows_read,
            "rows_rejected": len([r for r in builder.rejects if r.file == b.file]),
            "rdf_files": [published_path(p, b.file) for p in b.rdf_files]}
        if b.reference:
            source["reference"] = True
            source["units_published"] = sum(1 for rows in builder.units.rows.values()
                                            if any(file == b.file for file, _ in rows))
        described.append(source)
    return described


def summary(builder: Builder, store: Store, target: store_layout.Published,
            removed: int) -> dict[str, Any]:
    """The counts of summary.json: rows in and out, authorities, links and partnerships.

    ``removed`` is the number of records the shapes took out (already among the rejects).
    """
    # A reference source's rows are candidates, not input the graph accounts for row by row.
    reference = {b.file for b in builder.batches if b.reference}
    rows_read = sum(b.rows_read for b in builder.batches if not b.reference)
    rows_rejected = len([r for r in builder.rejects if r.file not in reference])
    partnerships = {p.key for _, p in builder.partnerships}
    curated_partnerships = {term_value(q.subject) for q in builder.curated
                            if term_value(q.object).endswith("#Partnership")}
    record_partnerships = {builder.rdf.partnership_node(p).value for _, p in builder.partnerships}
    matches = builder.matches.values()
    return {
        "version": target.version,
        "base_iri": builder.base,
        "sources": _sources(builder),
        "rows_read": rows_read,
        "rows_imported": rows_read - rows_rejected,
        "rows_rejected": rows_rejected,
        "rows_rejected_by_shapes": removed,
        # Counted in the graph, so curated authorities (and their links) count too.
        "authorities": count_distinct(store, f"?a a ?t . {_AUTHORITY_TYPES}"),
        "authorities_linked": count_distinct(
            store, f"?a a ?t ; owl:sameAs ?g . {_AUTHORITY_TYPES} "
                   "FILTER(STRSTARTS(STR(?g), STR(geonames:)))"),
        "authorities_reconciled": len(builder.matches),
        "authorities_reconciled_linked": sum(1 for _, m in matches if m.linked),
        "authorities_subdivision": sum(1 for _, m in matches if m.subdivision),
        "authorities_register_linked": len(builder.register_links)
        + len(builder.register_same_as),
        "register_link_methods": dict(sorted(Counter(
            link.method for link in builder.register_links.values()).items())),
        "register_units": builder.units.counts(),
        "partnerships": len(curated_partnerships | record_partnerships),
        "partnerships_from_records": len(partnerships),
        "quads": len(store),
    }
