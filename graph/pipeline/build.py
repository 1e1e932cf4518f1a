"""``twinkg build``: read sources, reconcile, validate, load and publish, accounting for every row.

Stages (each timed in summary.json and shown on the progress display):

1. **read**: every source returns records and rejects (:mod:`graph.ingest.sources`).
2. **normalise**: countries resolved, authority keys minted, type/status/theme names mapped to
   concepts; a row whose country, concept or identity cannot be settled is rejected here
   (:mod:`graph.pipeline.normalise`).
3. **reconcile**: each distinct authority matched once against GeoNames and the registers
   (:mod:`graph.pipeline.reconciling`).
4. **load**: curated Turtle (rebased) and the records' quads bulk-loaded into a fresh
   in-memory pyoxigraph store, each source in its own named graph
   (:mod:`graph.pipeline.builder`, :mod:`graph.pipeline.rdfize`).
5. **validate**: the curated data alone is checked first, and the build fails if it does not
   conform; then the SHACL shapes run as SPARQL over the store, and records behind a violating
   node are removed and rejected with the shape's message (:mod:`graph.pipeline.validating`).
6. **recommend**: the partner model is fitted on the validated graph and written into the new
   build folder (:mod:`graph.pipeline.recommending`), in a process of its own that runs while
   the next stage writes; ``recommend_finish`` is the wait for it before the switch.
7. **publish**: reports, dumps, the on-disk store, open data and summary.json are written
   (:mod:`graph.pipeline.reports`, :mod:`graph.pipeline.dumps`), then ``current`` is switched
   (:mod:`graph.core.store_layout`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import Store

from graph.core import store_layout
from graph.core.namespaces import PERSISTENT_BASE
from graph.gazetteer.reconcile import Gazetteer, Match
from graph.ingest.records import Reject
from graph.pipeline import reports, validating
from graph.pipeline.builder import Builder
from graph.pipeline.dumps import write_dumps_and_store
from graph.pipeline.progress import BuildProgress
from graph.pipeline.rdfize import Authority
from graph.pipeline.recommending import start_partner_model

if TYPE_CHECKING:
    from graph.validation import ValidationReport


@dataclass
class BuildResult:
    """What a build produced: the published build, its summary, rejects and reconciliation."""

    build: store_layout.Published
    summary: dict[str, Any]
    rejects: list[Reject]
    matches: dict[str, tuple[Authority, Match]] = field(default_factory=dict)


@dataclass
class _Validated:
    """The validated in-memory store and what validation reported and took out."""

    store: Store
    report: ValidationReport
    removed: int
    removed_units: int


def build(store_dir: Path, sources: Sequence[str] = (), base: str = PERSISTENT_BASE, *,
          progress: BuildProgress | None = None, gazetteer: Gazetteer | None = None,
          shapes: Sequence[Path] | None = None, open_data: bool = True,
          release_gazetteer: bool = False) -> BuildResult:
    """Build and publish the graph into ``store_dir``; ``current`` moves only at the end.

    ``open_data`` runs :func:`graph.opendata.documents.publish_open_data` (JSON-LD dump, DCAT-AP
    catalogue, VoID) before the switch; the benchmark turns it off to time the rest alone.
    ``release_gazetteer`` drops the gazetteer this build loaded once reconciliation is done
    (memory the later stages need for the store): right for a one-build process such as
    ``twinkg build``; a gazetteer the process held before the build is kept.

    Raises :class:`graph.pipeline.config.BuildError` when a curated file is not Turtle,
    :class:`graph.validation.CuratedDataInvalid` when the curated data does not
    conform to the shapes, and :class:`graph.ingest.records.SourceError` when a source cannot
    be read at all.
    """
    started_all = time.perf_counter()
    builder = Builder(sources, base, progress, gazetteer)
    builder.cache_dir = Path(store_dir) / "cache"
    with builder.progress:
        validated = _validated_store(builder, shapes, release_gazetteer)
        target = store_layout.new_build(Path(store_dir))
        with builder.stage("recommend"):  # reads the graph, then fits beside publishing
            fitting = start_partner_model(validated.store, target)
        try:
            summary = _publish(builder, validated, target, Path(store_dir), open_data)
        except BaseException:
            fitting.stop()
            raise
        with builder.stage("recommend_finish"):
            recommender, fitting_peak_mb = fitting.result()
        builder.peak_rss_mb["recommend_process"] = fitting_peak_mb
        summary["register_units_rejected_by_shapes"] = validated.removed_units
        summary["recommender"] = recommender
        summary["seconds"] = dict(builder.seconds, total=round(time.perf_counter() -
                                                               started_all, 3))
        summary["peak_rss_mb"] = builder.peak_rss_mb
        store_layout.write_summary(target, summary)
        store_layout.switch(Path(store_dir), target)
    return BuildResult(target, summary, builder.rejects, builder.matches)


def _validated_store(builder: Builder, shapes: Sequence[Path] | None,
                     release_gazetteer: bool) -> _Validated:
    """Read, normalise, reconcile, load and validate: the graph as it will be published."""
    from graph import validation

    builder.read()
    builder.normalise()
    held = Gazetteer.is_loaded()
    builder.reconcile()
    if release_gazetteer and not held:
        Gazetteer.release()  # what this build loaded, nobody else in the process uses
    shapes_files = list(shapes) if shapes is not None else validation.shapes_files()
    validating.check_curated(builder, shapes_files)
    # Validate and dump from memory (fast to read); the disk store is loaded from the dump.
    store = Store()
    builder.load(store)
    builder.link_wikidata(store)
    report, removed, removed_units = validating.validate(builder, store, shapes_files)
    return _Validated(store, report, removed, removed_units)


def _publish(builder: Builder, validated: _Validated, target: store_layout.Published,
             store_dir: Path, open_data: bool) -> dict[str, Any]:
    """Reports, dumps, the on-disk store and open data into the new build; its summary.

    The open-data step runs while the on-disk store loads; "publish" is timed without it.
    """
    store = validated.store

    def open_data_step() -> None:
        with builder.stage("open_data"):
            _publish_open_data(store, target, builder.base, store_dir)

    with builder.stage("publish"):
        reports.write_reports(builder, validated.report, target)
        write_dumps_and_store(store, target, open_data_step if open_data else None)
        summary = reports.summary(builder, store, target, validated.removed)
    if open_data:
        builder.seconds["publish"] = round(builder.seconds["publish"]
                                           - builder.seconds["open_data"], 3)
    return summary


def _publish_open_data(store: Store, target: store_layout.Published, base: str,
                       store_dir: Path) -> None:
    """The JSON-LD dump, DCAT-AP catalogue and VoID (graph.opendata.documents), before the
    switch."""
    from graph.opendata.documents import publish_open_data

    try:
        previous: Path | None = store_layout.published(store_dir).root
    except store_layout.NotPublished:
        previous = None
    publish_open_data(store, target.root, version=target.version, base_iri=base,
                      previous_build=previous)
