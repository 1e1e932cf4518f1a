"""``twinkg build``: read sources, reconcile, validate, load and publish, accounting for every row.

Stages (each timed in summary.json):

1. **read**: every source returns records and rejects (:mod:`graph.ingest.sources`).
2. **normalise**: countries resolved, authority keys minted, type/status/theme names mapped to
   concepts; a row whose country, concept or identity cannot be settled is rejected here.
3. **reconcile**: each distinct authority matched once against GeoNames
(:mod:`graph.gazetteer.reconcile`).
4. **load**: curated Turtle (rebased) and the records' quads bulk-loaded into a fresh
   pyoxigraph store, each source in its own named graph.
5. **validate**: the SHACL shapes run as SPARQL over the store
(:mod:`graph.validation.shacl_sparql`);
   records behind a violating node are removed and rejected with the shape's message. The
   curated data alone is checked first with pyshacl, and the build fails if it does not conform.
6. **publish**: dumps, reports and summary.json are written, then ``current`` is switched.
"""

from __future__ import annotations

import csv
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

from graph.core import iris, store_layout
from graph.core.countries import Country, UnknownCountry, resolve_country, split_place_country
from graph.core.names import fold
from graph.core.namespaces import (
    GEONAMES,
    OWL,
    PERSISTENT_BASE,
    RDF,
    RDFS,
    SKOS,
    TKG,
    WGS,
    sparql_prefixes,
)
from graph.core.subdivisions import region_name, subdivision_kind
from graph.gazetteer.reconcile import Gazetteer, Match, separate_shared_places
from graph.gazetteer.registers import MergedUnits, RegisterIndex, RegisterLink, merge_units
from graph.ingest.bundled import expand_sources
from graph.ingest.records import PartnershipRecord, Reject, SourceBatch
from graph.ingest.sources import read_source
from graph.ingest.sources.wikidata import links_path
from graph.pipeline.progress import BuildProgress
from graph.pipeline.rdfize import Authority, Partnership, Rdfizer

_KIND_WORDS = (("county", "County"), ("powiat", "County"), ("district", "County"),
               ("okres", "County"), ("region", "Region"), ("voivodeship", "Region"),
               ("kraj", "Region"), ("province", "Region"), ("oblast", "Region"))
_AUTHORITY_CLASSES = ("Municipality", "County", "Region", "LocalAuthority")
# Used only when the vocabularies are not there yet: the slugs the model contract fixes.
_CONTRACT_CONCEPTS = {
    "partnership-type": ("twinning", "partnership-agreement", "friendship", "cooperation"),
    "status": ("active", "suspended", "ended"),
}


def _peak_rss_mb() -> int:
    """The process's peak resident memory so far, in MiB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _v(term: Any) -> str:
    """The lexical value of a pyoxigraph term (RDF-star triples never occur here)."""
    return str(getattr(term, "value", term))


WARNINGS_PER_MESSAGE = 1000
"""Warnings listed per message in reports/validation.ttl; the rest are counted in the text."""


class BuildError(RuntimeError):
    """The build cannot produce a graph (invalid curated data, unreadable source)."""


@dataclass
class BuildResult:
    """What a build produced: the published build, its summary, rejects and reconciliation."""

    build: store_layout.Published
    summary: dict[str, Any]
    rejects: list[Reject]
    matches: dict[str, tuple[Authority, Match]] = field(default_factory=dict)


class ConceptIndex:
    """Free-text type, status and theme names (pl, cs, en labels or slugs) to concept IRIs,
    read from the SKOS vocabularies loaded with the curated data."""

    def __init__(self, quads: Sequence[Quad], base: str) -> None:
        self.base = base
        self.by_scheme: dict[str, dict[str, str]] = defaultdict(dict)
        in_scheme, labels = str(SKOS.inScheme), {str(SKOS.prefLabel), str(SKOS.altLabel),
                                                 str(SKOS.notation)}
        data = iris.data_base(base)
        schemes: dict[str, str] = {}
        for q in quads:
            if _v(q.predicate) == in_scheme and _v(q.object).startswith(data):
                scheme = _v(q.object)[len(data):]
                schemes[_v(q.subject)] = scheme
                self.by_scheme[scheme][fold(_v(q.subject).rsplit("/", 1)[-1])] = \
                    _v(q.subject)
        for q in quads:
            if _v(q.predicate) in labels and _v(q.subject) in schemes:
                self.by_scheme[schemes[_v(q.subject)]].setdefault(fold(_v(q.object)),
                                                                    _v(q.subject))
        for scheme, slugs in _CONTRACT_CONCEPTS.items():
            if not self.by_scheme.get(scheme):
                self.by_scheme[scheme] = {fold(s): iris.concept_iri(scheme, s, base)
                                          for s in slugs}

    def lookup(self, scheme: str, name: str) -> str:
        """The concept IRI for a name; raises :class:`ValueError` naming it when unknown."""
        found = self.by_scheme.get(scheme, {}).get(fold(name))
        if found is None:
            label = scheme.replace("partnership-", "")
            raise ValueError(f"unknown {label} {name!r}")
        return found


def _authority_kind(name: str, match: Match) -> str:
    if match.subdivision:
        return subdivision_kind(match.subdivision)
    words = fold(name).split()
    for word, kind in _KIND_WORDS:
        if word in words:
            return kind
    # A city's district is some local authority; what else it is, its name does not say.
    return "Municipality" if match.linked and not match.within else "LocalAuthority"


def _country_and_name(name: str, country_text: str) -> tuple[str, Country]:
    """Resolve the country; a blank country may be written into the name ("Varna, Bulgaria").

    Raises :class:`ValueError` with the reason when neither gives a country.
    """
    try:
        return name, resolve_country(country_text)
    except UnknownCountry as error:
        if not country_text.strip():
            split = split_place_country(name)
            if split is not None:
                return split
            raise ValueError(f"no country for {name!r}") from None
        raise ValueError(str(error)) from None


def _rebased(quads: Iterator[Quad], base: str, graph: NamedNode) -> Iterator[Quad]:
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
        self.sources = expand_sources(sources) or ["curated"]
        if "curated" not in {s.split(":", 1)[0] for s in self.sources}:
            # The vocabularies are always needed to resolve concepts and validate themes.
            self.sources.insert(0, "curated")
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
        self.register_links: dict[str, RegisterLink] = {}  # listed key -> its register unit
        self.register_same_as: dict[str, RegisterLink] = {}  # curated key -> its unit
        self.register_reasons: dict[str, str] = {}  # listed key -> why no unit
        self.rdf = Rdfizer(base)
        self.cache_dir: Path | None = None
        self.peak_rss_mb: dict[str, int] = {}

    def _timed(self, stage: str, started: float) -> None:
        self.seconds[stage] = round(time.perf_counter() - started, 3)
        self.peak_rss_mb[stage] = _peak_rss_mb()

    def read(self) -> None:
        """Stage 1: read every source; curated Turtle is parsed here too."""
        started = time.perf_counter()
        for spec in self.sources:
            batch = read_source(spec)
            if batch.source == "wikidata":
                # Links are made in this build (link_wikidata): a links file from an earlier
                # run would only repeat them, or contradict them after the data changed.
                stale = links_path(Path(batch.file))
                batch.rdf_files = [p for p in batch.rdf_files if p != stale]
            self.batches.append(batch)
            self.rejects.extend(batch.rejects)
            graph = self.rdf.graph(batch.source)
            for path in batch.rdf_files:
                try:
                    self.curated.extend(_rebased(parse(path=str(path), format=RdfFormat.TURTLE),
                                                 self.base, graph))
                except SyntaxError as error:
                    raise BuildError(f"{path}: not valid Turtle ({error})") from None
        self.units = merge_units(u for b in self.batches for u in b.units)
        self._timed("read", started)

    def normalise(self) -> None:
        """Stage 2: countries, keys and concepts; rejects what cannot be settled."""
        started = time.perf_counter()
        concepts = ConceptIndex(self.curated, self.base)
        records = [r for b in self.batches for r in b.records]
        for record in self.progress.track(records, "normalise", len(records)):
            try:
                partnership = self._partnership(record, concepts)
            except ValueError as error:
                self.rejects.append(Reject(record.file, record.row, str(error)))
                continue
            self.partnerships.append((record, partnership))
        self._timed("normalise", started)

    def _partnership(self, record: PartnershipRecord, concepts: ConceptIndex) -> Partnership:
        """One record's partnership; raises :class:`ValueError` with the reason it is not."""
        authorities = []
        for participant in record.participants:
            name, country = _country_and_name(participant.name, participant.country)
            key = iris.authority_key(country.alpha2, name)
            authority = self.authorities.get(key) or Authority(key, name, country,
                                                               official_code=participant
                                                               .official_code)
            self.authorities.setdefault(key, authority)
            authorities.append(authority)
        keys = {a.key for a in authorities}
        if len(keys) < len(authorities):
            raise ValueError(f"self-partnership: {authorities[0].name} twinned with itself")
        return Partnership(
            key=iris.partnership_key(keys), source=record.source,
            authorities=tuple(authorities),
            type_iri=concepts.lookup("partnership-type", record.type) if record.type else None,
            status_iri=concepts.lookup("status", record.status) if record.status else None,
            theme_iris=tuple(concepts.lookup("theme", t) for t in record.themes),
            since=record.since, until=record.until, programme=record.programme,
            notes=record.notes, source_url=record.source_url)

    def reconcile(self) -> None:
        """Stage 3: match each distinct authority once."""
        started = time.perf_counter()
        gazetteer = self._gazetteer or Gazetteer.bundled(self.cache_dir)
        curated_located = {_v(q.subject) for q in self.curated
                           if _v(q.predicate).endswith("wgs84_pos#lat")}
        for key, authority in self.progress.track(list(self.authorities.items()), "reconcile",
                                                   len(self.authorities)):
            if self.rdf.authority_node(key).value in curated_located:
                continue  # the curated data already places it; do not add a second location
            match = gazetteer.match(authority.name, authority.country)
            kind = _authority_kind(authority.name, match)
            if kind != authority.kind:
                authority = Authority(authority.key, authority.name, authority.country, kind,
                                      authority.official_code)
                self.authorities[key] = authority
            self.matches[key] = (authority, match)
        partners = {(a.key, b.key) for _, partnership in self.partnerships
                    for i, a in enumerate(partnership.authorities)
                    for b in partnership.authorities[i + 1:]}
        separated = separate_shared_places({k: (a.name, m) for k, (a, m)
                                            in self.matches.items()}, partners)
        for key, match in separated.items():
            self.matches[key] = (self.matches[key][0], match)
        self.link_registers()
        for key, authority in self.curated_to_place().items():
            if key not in self.matches:
                self.curated_keys.add(key)
                self.matches[key] = (authority, gazetteer.match(authority.name,
                                                                authority.country))
        self._timed("reconcile", started)

    def link_registers(self) -> None:
        """Listed authorities of a register country become the register unit they are.

        One real unit is one authority: a partnership of "Warsaw" is a partnership of gmina
        Warszawa (``id/authority/pl/teryt/1465011``), whose partnerships, names and codes
        then sit on one resource. The partnership keeps its IRI (minted from the listed
        names), and the name-based IRI of the authority keeps resolving: it is
        ``owl:sameAs`` the unit. Two partners of one partnership that would land on one unit
        both stay as listed, as for GeoNames places (:func:`separate_shared_places`). An
        authority the curated data describes keeps its authored IRI (curated partnerships
        name it) and is only stated ``owl:sameAs`` its unit.
        """
        if not self.units.units:
            return
        index = RegisterIndex(self.units)
        authored = {_v(q.subject) for q in self.curated if _v(q.predicate) == str(RDF.type)
                    and _v(q.object) in {str(TKG[k]) for k in _AUTHORITY_CLASSES}}
        links: dict[str, RegisterLink] = {}
        for key, (authority, match) in self.matches.items():
            place = match.place if match.identity is not None and match.place else None
            link = index.find(authority.name, authority.country.alpha2,
                              authority.official_code, place, match.subdivision,
                              match.unit.name if match.unit is not None else None)
            if not isinstance(link, RegisterLink):
                if authority.country.alpha2 in index.countries:
                    self.register_reasons[key] = link
                continue
            if self.rdf.authority_node(key).value in authored:
                self.register_same_as[key] = link
            else:
                links[key] = link
        self._link_by_partners(index, links)
        for _, partnership in self.partnerships:
            units = [links[a.key].unit_key for a in partnership.authorities if a.key in links]
            shared = {u for u in units if units.count(u) > 1}
            for authority in partnership.authorities:
                if authority.key in links and links[authority.key].unit_key in shared:
                    shared_key = links.pop(authority.key).unit_key
                    self.register_reasons[authority.key] = (
                        f"its partner in one partnership is also {shared_key}")
        for key, link in links.items():
            listed, match = self.matches[key]
            unit = self.units.units[link.unit_key]
            authority = Authority(link.unit_key, listed.name, listed.country, unit.level)
            self.authorities.setdefault(link.unit_key, authority)
            self.matches[key] = (authority, match)
        self.register_links = links
        self.partnerships = [
            (record, replace(partnership, authorities=tuple(
                self.authorities[links[a.key].unit_key] if a.key in links else a
                for a in partnership.authorities)))
            for record, partnership in self.partnerships]

    def _link_by_partners(self, index: RegisterIndex, links: dict[str, RegisterLink]) -> None:
        """Namesakes without a point of their own, settled by where their partners are."""
        waiting = {k for k, reason in self.register_reasons.items()
                   if "no point to choose" in reason}
        if not waiting:
            return
        points: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for _, partnership in self.partnerships:
            keys = [a.key for a in partnership.authorities]
            for key in set(keys) & waiting:
                for other in keys:
                    point = self._point_of(index, other, links)
                    if other != key and point is not None:
                        points[key].append(point)
        for key in waiting:
            authority = self.matches[key][0]
            link = index.near_partners(authority.name, authority.country.alpha2, points[key])
            if link is not None:
                links[key] = link
                del self.register_reasons[key]

    def _point_of(self, index: RegisterIndex, key: str,
                  links: dict[str, RegisterLink]) -> tuple[float, float] | None:
        """Where an authority is: its register unit's point, else its GeoNames place's."""
        if key in links:
            unit = index.units[links[key].unit_key]
            if unit.lat is not None and unit.long is not None:
                return unit.lat, unit.long
        match = self.matches.get(key, (None, None))[1]
        place = match.place if match is not None else None
        return (place.lat, place.long) if place is not None else None

    def curated_to_place(self) -> dict[str, Authority]:
        """Curated authorities with a label and country code but no location or GeoNames link.

        The curated Turtle is loaded as written, so without this a curated-only build has no
        coordinates at all. Their ``tkg:regionName`` is the region hint; their class is kept
        (the curated data says what they are). Authorities whose code no longer resolves
        are left alone: the shapes report them.
        """
        prefix = iris.data_base(self.base) + "authority/"
        facts: dict[str, dict[str, str]] = defaultdict(dict)
        kinds = {str(TKG[k]): k for k in ("Municipality", "County", "Region",
                                          "LocalAuthority")}
        wanted = {str(RDFS.label): "label", str(TKG.countryCode): "country",
                  str(TKG.regionName): "region", str(RDF.type): "type",
                  str(WGS.lat): "lat", str(OWL.sameAs): "sameAs"}
        for q in self.curated:
            subject, predicate = _v(q.subject), _v(q.predicate)
            field_ = wanted.get(predicate)
            if field_ is None or not subject.startswith(prefix):
                continue
            value = _v(q.object)
            if field_ == "type" and value not in kinds:
                continue
            if field_ == "sameAs" and not value.startswith(str(GEONAMES)):
                continue
            facts[subject].setdefault(field_, value)
        found: dict[str, Authority] = {}
        for subject, fact in sorted(facts.items()):
            if "lat" in fact or "sameAs" in fact or not {"label", "country", "type"} <= set(fact):
                continue
            try:
                country = resolve_country(fact["country"])
            except UnknownCountry:
                continue
            country = Country(country.alpha2, country.alpha3, fact.get("region"))
            found[subject[len(prefix):]] = Authority(subject[len(prefix):], fact["label"],
                                                     country, kinds[fact["type"]])
        return found

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
        for key, (authority, match) in self.matches.items():
            link = self.register_links.get(key)
            if link is not None:
                # The register gives the point, population and region; reconciliation adds
                # the identities (the old name-based IRI, the GeoNames feature) once per unit.
                first = link.unit_key not in linked_units
                linked_units.add(link.unit_key)
                yield from self.rdf.register_link_quads(key, authority, match, link.method,
                                                        link.confidence, first=first)
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
            yield from self.rdf.match_quads(authority, match, region)

    def partnership_quads(self, record: PartnershipRecord,
                          partnership: Partnership) -> Iterator[Quad]:
        """The quads of one record: its partnership and its participants."""
        yield from self.rdf.partnership_quads(partnership)
        for authority in partnership.authorities:
            yield from self.rdf.authority_quads(self.authorities[authority.key], record.source)

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
        started = time.perf_counter()
        authorities = authorities_in_store(store)
        graph = self.rdf.graph("wikidata")
        for path in harvests:
            try:
                harvest = read_cache(path)
            except CacheError as error:
                raise SourceError(path, str(error).removeprefix(f"{path}: ")) from None
            self.wikidata_links = link_all(authorities, harvest)
            store.bulk_extend(list(_rebased(link_quads(self.wikidata_links, self.base),
                                            self.base, graph)))
        self._timed("wikidata_link", started)

    def load(self, store: Store) -> None:
        """Stage 4: bulk-load curated and record quads (into the in-memory store)."""
        started = time.perf_counter()
        store.bulk_extend(self.curated)
        store.bulk_extend(self.unit_quads())
        store.bulk_extend(self.record_quads())
        self._timed("load", started)


def read_config(path: Path) -> dict[str, Any]:
    """A TOML build config: ``sources`` (list of KIND:PATH), ``base_iri``, ``store``.

    Relative paths are taken relative to the config file. Raises :class:`BuildError` naming
    the file for bad TOML or an unknown key.
    """
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BuildError(f"{path}: cannot read the build config ({error})") from None
    unknown = set(data) - {"sources", "base_iri", "store"}
    if unknown:
        raise BuildError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    folder = path.parent
    sources = []
    for spec in data.get("sources", []):
        kind, sep, where = str(spec).partition(":")
        sources.append(f"{kind}:{folder / where}" if sep and where else kind)
    data["sources"] = sources
    if "store" in data:
        data["store"] = folder / str(data["store"])
    return data


def build(store_dir: Path, sources: Sequence[str] = (), base: str = PERSISTENT_BASE, *,
          progress: BuildProgress | None = None, gazetteer: Gazetteer | None = None,
          shapes: Sequence[Path] | None = None, open_data: bool = True,
          release_gazetteer: bool = False) -> BuildResult:
    """Build and publish the graph into ``store_dir``; ``current`` moves only at the end.

    ``open_data`` runs :func:`graph.opendata.documents.publish_open_data` (JSON-LD dump, DCAT-AP
    catalogue, VoID) before the switch; the benchmark turns it off to time the rest alone.
    ``release_gazetteer`` drops the gazetteer this build loaded once reconciliation is done
    (~280 MB the later stages need for the store): right for a one-build process such as
    ``twinkg build``; a gazetteer the process held before the build is kept.

    Raises :class:`BuildError` when the curated data does not conform to the shapes, and
    :class:`graph.ingest.records.SourceError` when a source cannot be read at all.
    """
    from graph.validation import shacl_sparql
    started_all = time.perf_counter()
    builder = Builder(sources, base, progress, gazetteer)
    builder.cache_dir = Path(store_dir) / "cache"
    with builder.progress:
        builder.read()
        builder.normalise()
        held = Gazetteer.is_loaded()
        builder.reconcile()
        if release_gazetteer and not held:
            Gazetteer.release()  # what this build loaded, nobody else in the process uses
        started = time.perf_counter()
        shapes_files = list(shapes) if shapes is not None else shacl_sparql.shapes_files()
        shacl_sparql.check_curated(builder.curated, shapes_files)
        builder.seconds["validate_curated"] = round(time.perf_counter() - started, 3)
        # Validate and dump from memory (fast to read); the disk store is loaded from the dump.
        store = Store()
        builder.load(store)
        builder.link_wikidata(store)
        started = time.perf_counter()
        report = shacl_sparql.validate_store(store, shapes_files,
                                             max_warnings=WARNINGS_PER_MESSAGE)
        removed = _remove_violations(builder, store, report)
        removed_units = _remove_violating_units(builder, store, report)
        builder._timed("validate", started)
        started = time.perf_counter()
        target = store_layout.new_build(Path(store_dir))
        shacl_sparql.write_reports(report, target.reports)
        _write_rejects(builder.rejects, target.reports / "rejects.csv")
        _write_reconciliation(builder, target.reports / "reconciliation.csv")
        if builder.wikidata_links:
            from graph.wikidata.reconcile import write_unlinked

            write_unlinked(builder.wikidata_links, target.reports / "wikidata-unlinked.csv")

        def open_data_step() -> None:
            opened = time.perf_counter()
            _publish_open_data(store, target, builder.base, Path(store_dir))
            builder._timed("open_data", opened)

        # The open-data step runs while the on-disk store loads; "publish" is the rest.
        store_layout.write_dumps_and_store(store, target, open_data_step if open_data else None)
        summary = _summary(builder, store, target, removed)
        summary["register_units_rejected_by_shapes"] = removed_units
        builder._timed("publish", started)
        if open_data:
            builder.seconds["publish"] = round(builder.seconds["publish"]
                                               - builder.seconds["open_data"], 3)
        summary["seconds"] = dict(builder.seconds, total=round(time.perf_counter() -
                                                               started_all, 3))
        summary["peak_rss_mb"] = builder.peak_rss_mb
        store_layout.write_summary(target, summary)
        store_layout.switch(Path(store_dir), target)
    return BuildResult(target, summary, builder.rejects, builder.matches)


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


def _remove_violating_units(builder: Builder, store: Store, report: Any) -> int:
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


def _remove_violations(builder: Builder, store: Store, report: Any) -> int:
    """Take out every record behind a violating focus node and reject its row."""
    by_focus: dict[str, list[tuple[PartnershipRecord, Partnership]]] = defaultdict(list)
    for record, partnership in builder.partnerships:
        by_focus[builder.rdf.partnership_node(partnership).value].append((record, partnership))
        for authority in partnership.authorities:
            by_focus[builder.rdf.authority_node(authority.key).value].append(
                (record, partnership))
    bad: dict[int, str] = {}
    for result in report.violations:
        for record, _ in by_focus.get(result.focus, ()):
            bad.setdefault(id(record), result.message)
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
    # An authority no kept record names leaves with its gazetteer link.
    still_named = {a.key for _, p in related for a in p.authorities}
    for key in {a.key for _, p in removed for a in p.authorities} - still_named:
        if key in builder.matches:
            authority, match = builder.matches.pop(key)
            for quad in builder.rdf.match_quads(authority, match, None):
                store.remove(quad)
            for quad in list(store.quads_for_pattern(builder.rdf.authority_node(key), None,
                                                     None, builder.rdf.graph("geonames"))):
                store.remove(quad)
    builder.partnerships = kept
    return len(removed)


def _write_rejects(rejects: list[Reject], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "row", "reason"])
        for reject in sorted(rejects, key=lambda r: (r.file, r.row)):
            writer.writerow([reject.file, reject.row, reject.reason])


def _write_reconciliation(builder: Builder, path: Path) -> None:
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
                     link.method if link else builder.register_reasons.get(key, "")])
    rows.sort(key=lambda r: (r[3] == "linked", float(str(r[5])), str(r[0])))
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["authority", "name", "country", "status", "method", "confidence",
                         "candidates", "geonames_id", "matched_name", "lat", "long",
                         "register_unit", "register_method_or_reason"])
        writer.writerows(rows)


def _count(store: Store, pattern: str) -> int:
    """Distinct ``?a`` matching a pattern over the union of the store's graphs."""
    query = (sparql_prefixes() + f"PREFIX geonames: <{GEONAMES}>\n"
             f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ {pattern} }}")
    for solution in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
        return int(_v(solution["n"]))
    return 0


def _published_path(path: str | Path, source: str | Path | None = None) -> str:
    """A source's path as summary.json publishes it: relative to its source folder when it
    lies in one (a curated folder's files), else the file name alone.

    summary.json is published with the build; the build machine's absolute paths (home
    directories, user names, folder layout) are none of its readers' business.

    >>> _published_path("/home/someone/data/partnerships.csv")
    'partnerships.csv'
    >>> _published_path("/home/someone/data/curated/x/a.ttl", "/home/someone/data/curated")
    'curated/x/a.ttl'
    """
    file = Path(path)
    if source is not None:
        folder = Path(source)
        if file.is_relative_to(folder) and file != folder:
            return (Path(folder.name) / file.relative_to(folder)).as_posix()
    return file.name


def _summary(builder: Builder, store: Store, target: store_layout.Published,
             removed: int) -> dict[str, Any]:
    rows_read = sum(b.rows_read for b in builder.batches)
    rows_rejected = len(builder.rejects)
    partnerships = {p.key for _, p in builder.partnerships}
    curated_partnerships = {_v(q.subject) for q in builder.curated
                            if _v(q.object).endswith("#Partnership")}
    record_partnerships = {builder.rdf.partnership_node(p).value for _, p in builder.partnerships}
    return {
        "version": target.version,
        "base_iri": builder.base,
        "sources": [{"kind": b.source, "file": _published_path(b.file),
                     "rows_read": b.rows_read,
                     "rows_rejected": len([r for r in builder.rejects if r.file == b.file]),
                     "rdf_files": [_published_path(p, b.file) for p in b.rdf_files]}
                    for b in builder.batches],
        "rows_read": rows_read,
        "rows_imported": rows_read - rows_rejected,
        "rows_rejected": rows_rejected,
        "rows_rejected_by_shapes": removed,
        # Counted in the graph, so curated authorities (and their links) count too.
        "authorities": _count(store, "?a a ?t . VALUES ?t { tkg:Municipality tkg:County "
                                     "tkg:Region tkg:LocalAuthority }"),
        "authorities_linked": _count(store, "?a a ?t ; owl:sameAs ?g . VALUES ?t { "
                                            "tkg:Municipality tkg:County tkg:Region "
                                            "tkg:LocalAuthority } FILTER(STRSTARTS(STR(?g), "
                                            "STR(geonames:)))"),
        "authorities_reconciled": len(builder.matches),
        "authorities_reconciled_linked": sum(1 for _, m in builder.matches.values()
                                             if m.linked),
        "authorities_subdivision": sum(1 for _, m in builder.matches.values()
                                       if m.subdivision),
        "authorities_register_linked": len(builder.register_links)
        + len(builder.register_same_as),
        "register_link_methods": dict(sorted(Counter(
            link.method for link in builder.register_links.values()).items())),
        "register_units": builder.units.counts(),
        "partnerships": len(curated_partnerships | record_partnerships),
        "partnerships_from_records": len(partnerships),
        "quads": len(store),
    }
