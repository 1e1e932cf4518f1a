"""Records and reconciled authorities to pyoxigraph quads, each source in its own named graph.

Every IRI comes from :mod:`graph.core.iris`. What goes where:

* a source's graph (``id/graph/wikipedia``) holds what that source states: the partnership,
  its participants, type, status, dates, themes, ``dct:source`` and ``prov:wasDerivedFrom``,
  ``tkg:twinnedWith`` both ways, and the authorities' names and countries;
* ``id/graph/geonames`` holds what reconciliation adds: ``owl:sameAs`` to GeoNames,
  coordinates (WGS84 and GeoSPARQL), population, region, match method and confidence, and the
  place's other names (``skos:altLabel``, untagged: :mod:`graph.gazetteer.alternate_names`).

The same partnership from two sources is one IRI with triples in two graphs, so the union
shows two ``prov:wasDerivedFrom`` values: one per source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Quad

from graph.core import iris
from graph.core.countries import Country
from graph.core.namespaces import (
    DCTERMS,
    EU_COUNTRY,
    GEO,
    GEONAMES,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TKG,
    WGS,
)
from graph.gazetteer.alternate_names import alternate_labels
from graph.gazetteer.place_table import Place
from graph.gazetteer.reconcile import Match
from graph.ingest.records import NutsRegion, RegisterUnit

XSD = "http://www.w3.org/2001/XMLSchema#"
_DATATYPES = {4: "gYear", 7: "gYearMonth", 10: "date"}
SOURCE_DOCUMENTS = {
    "wikipedia": "https://en.wikipedia.org/wiki/Lists_of_twin_towns_and_sister_cities",
}
"""The document each list-shaped source was taken from (its ``dct:source``)."""
SOURCE_LANGUAGES = {"wikipedia": "en"}
"""The language a list-shaped source names places in (English Wikipedia's lists)."""


def _n(iri: object) -> NamedNode:
    return NamedNode(str(iri))


A = _n(RDF.type)
LABEL = _n(RDFS.label)
_P = {name: _n(TKG[name]) for name in (
    "participant", "partnershipType", "status", "startDate", "endDate", "theme", "programme",
    "twinnedWith", "country", "countryCode", "regionName", "teryt", "czechMunicipalityCode",
    "population", "matchMethod", "matchConfidence", "subdivisionCode", "seat", "lau", "nuts",
    "partOf", "unitKind", "populationYear", "nutsRegion", "nutsLevel", "czechDistrictCode")}
_CLASSES = {name: _n(TKG[name]) for name in (
    "Partnership", "Municipality", "County", "Region", "LocalAuthority", "FundingProgramme",
    "NutsRegion")}
SAME_AS, DCT_SOURCE, DESCRIPTION = _n(OWL.sameAs), _n(DCTERMS.source), _n(DCTERMS.description)
DERIVED_FROM = _n(PROV.wasDerivedFrom)
LAT, LONG = _n(WGS.lat), _n(WGS.long)
HAS_GEOMETRY, AS_WKT, GEOMETRY = _n(GEO.hasGeometry), _n(GEO.asWKT), _n(GEO.Geometry)
SF_WITHIN = _n(GEO.sfWithin)
WKT = _n(GEO.wktLiteral)
DECIMAL, INTEGER = NamedNode(XSD + "decimal"), NamedNode(XSD + "integer")
G_YEAR = NamedNode(XSD + "gYear")
PREF_LABEL, ALT_LABEL = _n(SKOS.prefLabel), _n(SKOS.altLabel)
NOTATION, BROADER = _n(SKOS.notation), _n(SKOS.broader)
HISTORY_NOTE = _n(SKOS.historyNote)


@dataclass(frozen=True, slots=True)
class Authority:
    """One local authority after country resolution, as the build identifies it."""

    key: str
    name: str
    country: Country
    kind: str = "LocalAuthority"
    official_code: str = ""


@dataclass(frozen=True, slots=True)
class Partnership:
    """One record's partnership with its concepts resolved to IRIs."""

    key: str
    source: str
    authorities: tuple[Authority, ...]
    type_iri: str | None = None
    status_iri: str | None = None
    theme_iris: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    programme: str = ""
    notes: str = ""
    source_url: str = ""


class Rdfizer:
    """Turns authorities and partnerships into quads under one base IRI."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._graphs: dict[str, NamedNode] = {}

    def graph(self, source: str) -> NamedNode:
        """The named graph of a source."""
        if source not in self._graphs:
            self._graphs[source] = NamedNode(iris.source_graph_iri(source, self.base))
        return self._graphs[source]

    def authority_node(self, key: str) -> NamedNode:
        """The IRI of an authority from its key (``pl/swarzędz``)."""
        return NamedNode(f"{iris.data_base(self.base)}authority/{key}")

    def authority_quads(self, authority: Authority, source: str, *,
                        named_by_register: bool = False) -> Iterator[Quad]:
        """What a source states about an authority: class, name, country, official code.

        A register unit (``named_by_register``) has its name from the register: the source's
        name for it is another name, a ``skos:altLabel`` in the source's language where
        known ("Prague 6 (Prague)"@en for Praha 6)."""
        node, g = self.authority_node(authority.key), self.graph(source)
        yield Quad(node, A, _CLASSES[authority.kind], g)
        if named_by_register:
            yield Quad(node, ALT_LABEL, Literal(authority.name,
                                                language=SOURCE_LANGUAGES.get(source)), g)
        else:
            yield Quad(node, LABEL, Literal(authority.name), g)
        yield Quad(node, _P["country"], NamedNode(str(EU_COUNTRY[authority.country.alpha3])), g)
        yield Quad(node, _P["countryCode"], Literal(authority.country.alpha2), g)
        if authority.official_code:
            code = "teryt" if authority.country.alpha2 == "PL" else "czechMunicipalityCode"
            yield Quad(node, _P[code], Literal(authority.official_code), g)

    def unit_node(self, unit: RegisterUnit) -> NamedNode:
        """The IRI of a register unit, from its country, scheme and official code."""
        return self.authority_node(iris.register_unit_key(unit.country, unit.scheme,
                                                          unit.code))

    @staticmethod
    def _former_name_quads(node: NamedNode, unit: RegisterUnit, g: NamedNode) -> Iterator[Quad]:
        """A former name as another name to find the unit by, and a history note that says
        it is one and where it comes from (the earlier list)."""
        for former in unit.former_names:
            yield Quad(node, ALT_LABEL, Literal(former, language=unit.language or None), g)
            yield Quad(node, HISTORY_NOTE, Literal(
                f"Named \u201c{former}\u201d in Eurostat's list of local administrative units "
                f"of 2020; \u201c{unit.name}\u201d in the register this build read.",
                language="en"), g)

    def unit_quads(self, unit: RegisterUnit, country: Country) -> Iterator[Quad]:
        """What a register states about one of its units, in the register's graph: class,
        native name, country, official codes, kinds, place in the hierarchy (a city district
        also ``geo:sfWithin`` its city), population with its year and, where the register
        gives one, a point."""
        node, g = self.unit_node(unit), self.graph(unit.source)
        yield Quad(node, A, _CLASSES[unit.level], g)
        yield Quad(node, LABEL, Literal(unit.name), g)
        if unit.language:
            yield Quad(node, PREF_LABEL, Literal(unit.name, language=unit.language), g)
        for other in unit.other_names:
            yield Quad(node, ALT_LABEL, Literal(other), g)
        yield from self._former_name_quads(node, unit, g)
        yield Quad(node, _P["country"], NamedNode(str(EU_COUNTRY[country.alpha3])), g)
        yield Quad(node, _P["countryCode"], Literal(country.alpha2), g)
        for prop, value in unit.codes:
            yield Quad(node, _P[prop], Literal(value), g)
        for kind in unit.kinds:
            yield Quad(node, _P["unitKind"], NamedNode(iris.concept_iri("unit-kind", kind,
                                                                        self.base)), g)
        if unit.parent is not None:
            parent = self.authority_node(iris.register_unit_key(unit.country, *unit.parent))
            yield Quad(node, _P["partOf"], parent, g)
            if "city-district" in unit.kinds:
                # A district lies within its city (GeoSPARQL), as one no register has lies
                # within the city's GeoNames feature (match_quads).
                yield Quad(node, SF_WITHIN, parent, g)
        if unit.subdivision:
            yield Quad(node, _P["subdivisionCode"], Literal(unit.subdivision), g)
        if unit.population is not None:
            yield Quad(node, _P["population"], Literal(str(unit.population), datatype=INTEGER),
                       g)
            if unit.population_year:
                yield Quad(node, _P["populationYear"], Literal(unit.population_year,
                                                               datatype=G_YEAR), g)
        if unit.lat is not None and unit.long is not None:
            yield from self._point_quads(node, iris.register_unit_key(
                unit.country, unit.scheme, unit.code), unit.lat, unit.long, g)

    def register_link_quads(self, listed_key: str, authority: Authority, match: Match,
                            method: str, confidence: float, *, first: bool = True,
                            same_place: bool = True,
                            labels: Iterable[str] = ()) -> Iterator[Quad]:
        """What linking a listed authority to its register unit adds, in the ``geonames``
        graph: the name-based IRI ``owl:sameAs`` the unit (so that it keeps resolving) and,
        once per unit (``first``), how it was found and the GeoNames feature the unit is
        (unless the registers found that feature to be another place: ``same_place``), with
        that place's other names the unit's ``labels`` do not already give.
        No point, population or region: the register gives those."""
        node, g = self.authority_node(authority.key), self.graph("geonames")
        if listed_key != authority.key:
            yield Quad(self.authority_node(listed_key), SAME_AS, node, g)
        if not first:
            return
        yield Quad(node, _P["matchMethod"], Literal(method), g)
        yield Quad(node, _P["matchConfidence"], Literal(f"{confidence:.3f}", datatype=DECIMAL),
                   g)
        if match.identity is not None and same_place:
            yield Quad(node, SAME_AS, NamedNode(f"{GEONAMES}{match.identity}/"), g)
            if match.place is not None and match.place.geonameid == match.identity:
                yield from self.alternate_name_quads(authority.key, match.place, labels)

    def alternate_name_quads(self, key: str, place: Place,
                             labels: Iterable[str]) -> Iterator[Quad]:
        """The GeoNames place's other names (:mod:`graph.gazetteer.alternate_names`) as
        ``skos:altLabel`` of the authority that is it, in the ``geonames`` graph: untagged,
        because GeoNames' names come to us without their language; none the authority's
        ``labels`` already give."""
        node, g = self.authority_node(key), self.graph("geonames")
        for name in alternate_labels(place.alternates, labels):
            yield Quad(node, ALT_LABEL, Literal(name), g)

    def nuts_quads(self, region: NutsRegion) -> Iterator[Quad]:
        """A NUTS region under the EU Publications Office's IRI, in the ``nuts`` graph: name,
        code, level and the region one level up."""
        node, g = NamedNode(iris.nuts_iri(region.code)), self.graph(region.source)
        yield Quad(node, A, _CLASSES["NutsRegion"], g)
        yield Quad(node, LABEL, Literal(region.name), g)
        yield Quad(node, NOTATION, Literal(region.code), g)
        yield Quad(node, _P["nutsLevel"], Literal(str(region.level), datatype=INTEGER), g)
        if region.level > 1:
            yield Quad(node, BROADER, NamedNode(iris.nuts_iri(region.code[:-1])), g)

    def nuts_link_quad(self, unit: RegisterUnit, code: str) -> Quad:
        """A register unit in the NUTS region its code names, in the ``nuts`` graph."""
        return Quad(self.unit_node(unit), _P["nutsRegion"], NamedNode(iris.nuts_iri(code)),
                    self.graph("nuts"))

    def _point_quads(self, node: NamedNode, key: str, lat_value: float, long_value: float,
                     g: NamedNode) -> Iterator[Quad]:
        """A point as WGS84 coordinates and a GeoSPARQL geometry (WKT, longitude first)."""
        lat, long = f"{lat_value:.5f}", f"{long_value:.5f}"
        yield Quad(node, LAT, Literal(lat, datatype=DECIMAL), g)
        yield Quad(node, LONG, Literal(long, datatype=DECIMAL), g)
        # A blank node labelled from the key keeps dumps of two builds identical.
        geometry = BlankNode("g" + hashlib.sha1(key.encode()).hexdigest()[:16])  # noqa: S324
        yield Quad(node, HAS_GEOMETRY, geometry, g)
        yield Quad(geometry, A, GEOMETRY, g)
        yield Quad(geometry, AS_WKT, Literal(f"POINT({long} {lat})", datatype=WKT), g)

    def match_quads(self, authority: Authority, match: Match, region: str | None, *,
                    within_unit: str | None = None) -> Iterator[Quad]:
        """What reconciliation adds about an authority, in the ``geonames`` graph; a district
        within a city is also within the city's register unit (``within_unit``), if any."""
        node, g = self.authority_node(authority.key), self.graph("geonames")
        yield Quad(node, _P["matchMethod"], Literal(match.method), g)
        if match.linked or match.subdivision:
            yield Quad(node, _P["matchConfidence"], Literal(f"{match.confidence:.3f}",
                                                            datatype=DECIMAL), g)
        if match.subdivision:
            # pycountry's ISO 3166-2 entry: a gazetteer link without a point.
            yield Quad(node, _P["subdivisionCode"], Literal(match.subdivision), g)
        if match.unit is not None:
            # The GeoNames division itself (ADM1/ADM2): an identity without a point.
            yield Quad(node, SAME_AS, NamedNode(f"{GEONAMES}{match.unit.geonameid}/"), g)
        if match.place is None:
            return
        place = match.place
        feature = NamedNode(f"{GEONAMES}{place.geonameid}/")
        if match.seat or match.within:
            # Another feature than the authority: named, so that a page can say which.
            yield Quad(feature, LABEL, Literal(place.name), g)
        if match.within:
            # A district GeoNames lacks, within the city its name gives: the city's feature
            # (GeoSPARQL's topological relation), and neither its point nor its population.
            yield Quad(node, SF_WITHIN, feature, g)
            if within_unit is not None:
                # The city's unit, and GeoNames' name for it ("Vienna" for Wien) as another
                # of its names.
                city = self.authority_node(within_unit)
                yield Quad(node, SF_WITHIN, city, g)
                yield Quad(city, ALT_LABEL, Literal(place.name), g)
        else:
            yield from self._place_quads(authority, place, feature, seat=match.seat)
        if region:
            yield Quad(node, _P["regionName"], Literal(region), g)

    def _place_quads(self, authority: Authority, place: Place, feature: NamedNode, *,
                     seat: bool) -> Iterator[Quad]:
        """The GeoNames place an authority is, or is seated in: the link, its point, and (for
        the place itself, not a seat) its population and other names."""
        node, g = self.authority_node(authority.key), self.graph("geonames")
        # A seat is another feature than the authority: its link, and no population of its own.
        yield Quad(node, _P["seat"] if seat else SAME_AS, feature, g)
        yield from self._point_quads(node, authority.key, place.lat, place.long, g)
        if place.population > 0 and not seat:
            yield Quad(node, _P["population"], Literal(str(place.population), datatype=INTEGER),
                       g)
        if not seat:
            yield from self.alternate_name_quads(authority.key, place, [authority.name])

    def partnership_node(self, partnership: Partnership) -> NamedNode:
        """The IRI of a partnership from its key."""
        return NamedNode(f"{iris.data_base(self.base)}partnership/{partnership.key}")

    def partnership_quads(self, partnership: Partnership) -> Iterator[Quad]:
        """What a source states about a partnership, in that source's graph."""
        node, g = self.partnership_node(partnership), self.graph(partnership.source)
        nodes = [self.authority_node(a.key) for a in partnership.authorities]
        yield Quad(node, A, _CLASSES["Partnership"], g)
        yield Quad(node, LABEL, Literal(" – ".join(a.name for a in partnership.authorities)), g)  # noqa: RUF001
        for participant in nodes:
            yield Quad(node, _P["participant"], participant, g)
        if len(nodes) == 2:
            yield Quad(nodes[0], _P["twinnedWith"], nodes[1], g)
            yield Quad(nodes[1], _P["twinnedWith"], nodes[0], g)
        yield Quad(node, DERIVED_FROM, g, g)
        document = partnership.source_url or SOURCE_DOCUMENTS.get(partnership.source)
        if document:
            yield Quad(node, DCT_SOURCE, NamedNode(document), g)
        if partnership.type_iri:
            yield Quad(node, _P["partnershipType"], NamedNode(partnership.type_iri), g)
        if partnership.status_iri:
            yield Quad(node, _P["status"], NamedNode(partnership.status_iri), g)
        for theme in partnership.theme_iris:
            yield Quad(node, _P["theme"], NamedNode(theme), g)
        for predicate, value in (("startDate", partnership.since),
                                 ("endDate", partnership.until)):
            if value:
                datatype = NamedNode(XSD + _DATATYPES[len(value)])
                yield Quad(node, _P[predicate], Literal(value, datatype=datatype), g)
        if partnership.notes:
            yield Quad(node, DESCRIPTION, Literal(partnership.notes), g)
        if partnership.programme:
            programme = NamedNode(iris.concept_iri("programme", iris.slugify(
                partnership.programme), self.base))
            yield Quad(node, _P["programme"], programme, g)
            yield Quad(programme, A, _CLASSES["FundingProgramme"], g)
            yield Quad(programme, LABEL, Literal(partnership.programme), g)
