"""One build's state and its first stages: read, normalise, reconcile, load.

:class:`Builder` holds what the stages hand each other (records, authorities, matches, register
links) so that each stage is a short method or a function of its own module
(:mod:`graph.pipeline.normalise`, :mod:`graph.pipeline.reconciling`); it also times each stage
for summary.json and shows it on the progress display.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from graph.core import iris
from graph.core.countries import resolve_country
from graph.core.namespaces import OWL, PERSISTENT_BASE
from graph.core.subdivisions import region_name
from graph.gazetteer.kreise import kreis_units
from graph.gazetteer.reconcile import Gazetteer, Match
from graph.gazetteer.registers import MergedUnits, RegisterLink, merge_units
from graph.ingest.records import PartnershipRecord, Reject, SourceBatch
from graph.ingest.sources import read_source
from graph.ingest.sources.wikidata import links_path
from graph.pipeline import reconciling
from graph.pipeline.config import BuildError, source_specs
from graph.pipeline.normalise import partnership_of
from graph.pipeline.progress import BuildProgress
from graph.pipeline.rdfize import Authority, Partnership, Rdfizer
from graph.vocab.concepts import indexes_from_quads


def _peak_rss_mb() -> int:
    """The process's peak resident memory so far, in MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def rebased(quads: Iterator[Quad], base: str, graph: NamedNode) -> Iterator[Quad]:
    """Curated quads moved to the build's base IRI and into the curated graph."""
    rebase = base != PERSISTENT_BASE

    def term(t: Any) -> Any:
        return NamedNode(iris.rebase(t.value, base)) if rebase and isinstance(t, NamedNode) \
            else t

    for q in quads:
        yield Quad(term(q.subject), term(q.predicate), term(q.object), graph)


class Builder:
    """One build: holds the stages' state so that each stage is a small method."""

    def __init__(self, sources: Sequence[str], base: str = PERSISTENT_BASE,
                 progress: BuildProgress | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.sources = source_specs(sources)
        self.base = base
        self.progress = progress or BuildProgress(enabled=False)
        self._gazetteer = gazetteer
        self.seconds: dict[str, float] = {}
        self.rejects: list[Reject] = []
        self.batches: list[SourceBatch] = []
        self.curated: list[Quad] = []
        self.partnerships: list[tuple[PartnershipRecord, Partnership]] = []
        self.authorities: dict[str, Authority] = {}
        self.matches: dict[str, tuple[Authority, Match]] = {}
        self.wikidata_links: list[Any] = []  # graph.wikidata.reconcile.Link, when linked
        self.curated_keys: set[str] = set()  # reconciled from the curated data, not records
        self.units = MergedUnits()  # register units by IRI key (graph.gazetteer.registers)
        self.candidates = MergedUnits()  # reference units, published when a listed one is
        self.register_links: dict[str, RegisterLink] = {}  # listed key -> its register unit
        self.register_same_as: dict[str, RegisterLink] = {}  # curated key -> its unit
        self.register_reasons: dict[str, str] = {}  # listed key -> why no unit
        self.within_units: dict[str, str] = {}  # listed district key -> its city's unit
        self.rdf = Rdfizer(base)
        self.cache_dir: Path | None = None
        self.peak_rss_mb: dict[str, int] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Show a stage on the progress display and time it for summary.json."""
        self.progress.stage(name)
        started = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - started, 3)
        self.peak_rss_mb[name] = _peak_rss_mb()

    def read(self) -> None:
        """Stage 1: read every source; curated Turtle is parsed here too."""
        with self.stage("read"):
            for spec in self.sources:
                batch = read_source(spec)
                if batch.source == "wikidata":
                    # Links are made in this build (link_wikidata): a links file from an
                    # earlier run would only repeat them, or contradict them after the data
                    # changed.
                    stale = links_path(Path(batch.file))
                    batch.rdf_files = [p for p in batch.rdf_files if p != stale]
                self.batches.append(batch)
                self.rejects.extend(batch.rejects)
                self._parse_rdf_files(batch)
            self.units = merge_units(u for b in self.batches if not b.reference
                                     for u in b.units)
            # A reference batch's units of a country a register already gives are that
            # register's units: its own are kept, the reference's dropped.
            covered = {unit.country for unit in self.units.units.values()}
            references = [u for b in self.batches if b.reference for u in b.units
                          if u.country not in covered]
            # Germany's Landkreise are NUTS 3 regions: candidates where the build has
            # Germany's municipalities as candidates and the NUTS table.
            present = {u.country for u in references}
            self.candidates = merge_units([*references, *(
                u for u in kreis_units(r for b in self.batches for r in b.regions)
                if u.country in present)])

    def _parse_rdf_files(self, batch: SourceBatch) -> None:
        """A source's Turtle files, rebased into its graph; :class:`BuildError` if invalid."""
        graph = self.rdf.graph(batch.source)
        for path in batch.rdf_files:
            try:
                self.curated.extend(rebased(parse(path=str(path), format=RdfFormat.TURTLE),
                                            self.base, graph))
            except SyntaxError as error:
                raise BuildError(f"{path}: not valid Turtle ({error})") from None

    def normalise(self) -> None:
        """Stage 2: countries, keys and concepts; rejects what cannot be settled."""
        with self.stage("normalise"):
            concepts = indexes_from_quads(self.curated, self.base)
            records = [r for b in self.batches for r in b.records]
            for record in self.progress.track(records, "normalise", len(records)):
                try:
                    partnership = partnership_of(record, concepts, self.authorities)
                except ValueError as error:
                    self.rejects.append(Reject(record.file, record.row, str(error)))
                    continue
                self.partnerships.append((record, partnership))

    def reconcile(self) -> None:
        """Stage 3: match each distinct authority once (:mod:`graph.pipeline.reconciling`)."""
        with self.stage("reconcile"):
            gazetteer = self._gazetteer or Gazetteer.bundled(self.cache_dir)
            reconciling.match_authorities(self, gazetteer)
            reconciling.link_registers(self, gazetteer)
            reconciling.match_curated(self, gazetteer)

    def unit_quads(self) -> Iterator[Quad]:
        """Every quad the register units and NUTS regions contribute, each in its source's
        graph; a unit whose NUTS code a loaded NUTS table has lies in that region."""
        regions = {r.code: r for b in self.batches for r in b.regions}
        for region in regions.values():
            yield from self.rdf.nuts_quads(region)
        for unit in self.units.units.values():
            yield from self.rdf.unit_quads(unit, resolve_country(unit.country))
            for prop, code in unit.codes:
                if prop == "nuts" and code in regions:
                    yield self.rdf.nuts_link_quad(unit, code)

    def record_quads(self) -> Iterator[Quad]:
        """Every quad the records and reconciliation contribute."""
        for record, partnership in self.partnerships:
            yield from self.partnership_quads(record, partnership)
        linked_units: set[str] = set()
        unit_labels = self._unit_labels()
        for key, (authority, match) in self.matches.items():
            link = self.register_links.get(key)
            if link is not None:
                # The register gives the point, population and region; reconciliation adds
                # the identities (the old name-based IRI, the GeoNames feature) and the
                # feature's other names once per unit.
                first = link.unit_key not in linked_units
                linked_units.add(link.unit_key)
                yield from self.rdf.register_link_quads(
                    key, authority, match, link.method, link.confidence, first=first,
                    same_place=link.geonames,
                    labels=unit_labels[link.unit_key] if first else ())
                continue
            same = self.register_same_as.get(key)
            if same is not None:
                yield Quad(self.rdf.authority_node(key), NamedNode(str(OWL.sameAs)),
                           self.rdf.authority_node(same.unit_key), self.rdf.graph("geonames"))
            region = authority.country.region
            if key in self.curated_keys and region:
                region = None  # the curated data names the region already
            elif match.place is not None:
                region = region_name(authority.country.alpha2, match.place.admin1) or region
            within = self.within_units.get(key)
            yield from self.rdf.match_quads(authority, match, region, within_unit=within)
            city = self.units.units.get(within) if within is not None else None
            if city is not None and within is not None and match.place is not None:
                # The city's unit is the city GeoNames knows (Wien, "Vienna"): its names too.
                yield from self.rdf.alternate_name_quads(
                    within, match.place, [city.name, *city.other_names, match.place.name])

    def _unit_labels(self) -> dict[str, list[str]]:
        """The names each linked register unit carries already: the register's, and every
        listed name linked to it."""
        labels: dict[str, list[str]] = {}
        for key, link in self.register_links.items():
            if link.unit_key not in labels:
                unit = self.units.units[link.unit_key]
                labels[link.unit_key] = [unit.name, *unit.other_names]
            if key in self.matches:
                labels[link.unit_key].append(self.matches[key][0].name)
        return labels

    def partnership_quads(self, record: PartnershipRecord,
                          partnership: Partnership) -> Iterator[Quad]:
        """The quads of one record: its partnership and its participants (a register unit
        with the name the record gives it, as another name of the unit's)."""
        yield from self.rdf.partnership_quads(partnership)
        for authority in partnership.authorities:
            known = self.authorities[authority.key]
            if authority.key in self.units.units:
                yield from self.rdf.authority_quads(replace(known, name=authority.name),
                                                    record.source, named_by_register=True)
            else:
                yield from self.rdf.authority_quads(known, record.source)

    def link_wikidata(self, store: Store) -> None:
        """Link every authority of the loaded store to Wikidata Q-ids, when a harvest is a source.

        One build then carries the links (no build, ``twinkg wikidata link``, build again):
        the same :func:`graph.wikidata.reconcile.link_all` runs over the loaded graph and its
        ``owl:sameAs``/``tkg:matchMethod`` go into the ``wikidata`` graph before validation.
        Raises :class:`graph.ingest.records.SourceError` when the harvest cannot be read again.
        """
        from graph.ingest.harvest_cache import CacheError, read_cache
        from graph.ingest.records import SourceError
        from graph.wikidata.reconcile import authorities_in_store, link_all, link_quads

        harvests = [Path(b.file) for b in self.batches if b.source == "wikidata"]
        if not harvests:
            return
        with self.stage("wikidata_link"):
            authorities = authorities_in_store(store)
            graph = self.rdf.graph("wikidata")
            for path in harvests:
                try:
                    harvest = read_cache(path)
                except CacheError as error:
                    raise SourceError(path, str(error).removeprefix(f"{path}: ")) from None
                self.wikidata_links = link_all(authorities, harvest)
                store.bulk_extend(list(rebased(link_quads(self.wikidata_links, self.base),
                                               self.base, graph)))

    def load(self, store: Store) -> None:
        """Stage 4: bulk-load curated and record quads (into the in-memory store)."""
        with self.stage("load"):
            store.bulk_extend(self.curated)
            store.bulk_extend(self.unit_quads())
            store.bulk_extend(self.record_quads())
