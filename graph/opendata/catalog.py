"""The DCAT-AP 3 catalogue that EU data portals harvest: catalogue, dataset, dumps, SPARQL service.

Everything a harvester scores is filled in from the published graph itself: spatial coverage
(the EU country authority IRIs of the authorities' ``tkg:country``), temporal coverage (the
earliest and latest partnership date), the bounding box of the authorities' coordinates, a
bounding box and centroid for every country and NUTS 2 region it names
(``graph.opendata.extents``), the
official registers the build loaded as source datasets (``graph.opendata.register_datasets``), one
distribution per dump file (media type, EU file type, byte size, SHA-256 checksum) and the
build's date as ``dct:modified``. Fixed facts (titles and descriptions in en/pl/cs, keywords,
EU data themes, licence, publisher) are constants here.

Conformance: the output must pass the official DCAT-AP 3.0.1 SHACL shapes (``shapes.ttl`` +
``range.ttl``). Their class-range checks need every referenced resource typed (a licence as
``dct:LicenseDocument``, a country as ``dct:Location``, a data theme as ``skos:Concept``, ...).
The EU vocabularies cannot be fetched at validation time, so the catalogue describes the few
entries it uses beside the data, with their type, label and scheme, as the EU publishes them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, SKOS, XSD

from graph.core.iris import data_base
from graph.core.namespaces import EU_COUNTRY, GEO, ONTOLOGY_IRI, PREFIXES, TKG, VCARD, WGS
from graph.opendata.extents import BoundingBox, country_box, country_point_boxes, nuts_boxes
from graph.opendata.register_datasets import RegisterDataset, registers_in

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"

LICENCE = URIRef(EU + "licence/CC_BYSA_4_0")
"""The data licence: CC BY-SA 4.0 (the Wikipedia-derived lists are CC BY-SA 4.0)."""

DATA_THEMES: dict[str, str] = {
    "GOVE": "Government and public sector",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "EDUC": "Education, culture and sport",
}
"""EU data themes (the ``data-theme`` authority table) the dataset belongs to, with labels."""

TITLES = {
    "en": "Twinning KG: municipal partnerships in Europe",
    "pl": "Twinning KG: partnerstwa samorządów w Europie",
    "cs": "Twinning KG: partnerství obcí a měst v Evropě",
}
DESCRIPTIONS = {
    "en": "An open linked-data knowledge graph of town twinning and other partnerships of "
    "local authorities, starting with Poland and Czechia: the authorities and their partners "
    "abroad, partnership types, themes, funding programmes and legal bases, linked to "
    "Wikidata and GeoNames.",
    "pl": "Otwarty graf wiedzy (linked data) o miastach partnerskich i innych formach "
    "współpracy samorządów, na początek z Polski i Czech: samorządy i ich partnerzy za "
    "granicą, rodzaje partnerstw, tematy, programy finansowania i podstawy prawne, "
    "powiązane z Wikidata i GeoNames.",
    "cs": "Otevřený znalostní graf (linked data) o partnerstvích měst a dalších formách "
    "spolupráce územních samospráv, zatím z Polska a Česka: samosprávy a jejich partneři "
    "v zahraničí, druhy partnerství, témata, programy financování a právní základy, "
    "propojený s Wikidata a GeoNames.",
}
KEYWORDS = {
    "en": ("town twinning", "sister cities", "municipal partnership", "local government",
           "municipalities", "linked data"),
    "pl": ("miasta partnerskie", "współpraca partnerska", "samorząd terytorialny", "gminy",
           "współpraca zagraniczna"),
    "cs": ("partnerská města", "partnerství měst", "obce", "územní samospráva",
           "zahraniční spolupráce"),
}
LANGUAGES = {"en": "ENG", "pl": "POL", "cs": "CES"}
"""Catalogue languages: BCP 47 tag -> EU ``language`` authority code."""


@dataclass(frozen=True)
class DumpFormat:
    """How one kind of dump file is described: title, media type and EU file type code."""

    title: str
    media_type: str
    file_type: str


DUMP_FORMATS: dict[str, DumpFormat] = {
    ".nq.gz": DumpFormat("N-Quads (every source in its own named graph)",
                         "application/n-quads", "RDF_N_QUADS"),
    ".trig.gz": DumpFormat("TriG (every source in its own named graph)",
                           "application/trig", "RDF_TRIG"),
    ".ttl.gz": DumpFormat("Turtle (the union of all sources)", "text/turtle", "RDF_TURTLE"),
    ".nt.gz": DumpFormat("N-Triples (the union of all sources)",
                         "application/n-triples", "RDF_N_TRIPLES"),
    ".jsonld.gz": DumpFormat("JSON-LD (every source in its own named graph)",
                             "application/ld+json", "JSON_LD"),
}
"""Dump file suffixes the catalogue knows; other files in the dumps folder are not data."""

FILE_TYPE_LABELS = {
    "RDF_N_QUADS": "N-Quads", "RDF_TRIG": "TriG", "RDF_TURTLE": "Turtle",
    "RDF_N_TRIPLES": "N-Triples", "JSON_LD": "JSON-LD", "SPARQLQ": "SPARQL query", "CSV": "CSV",
}


@dataclass(frozen=True)
class DumpFile:
    """One dump as the catalogue and the downloads page describe it."""

    name: str
    format: DumpFormat
    byte_size: int
    sha256: str
    modified: datetime


def dump_format(name: str) -> DumpFormat | None:
    """The format of a dump file from its name, or ``None`` for a file that is not a dump.

    >>> dump_format("twinkg.nq.gz").media_type
    'application/n-quads'
    >>> dump_format("context.jsonld") is None
    True
    """
    for suffix, fmt in DUMP_FORMATS.items():
        if name.endswith(suffix):
            return fmt
    return None


@lru_cache(maxsize=64)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, cached by (path, size, mtime) so a page view never rehashes a dump."""
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe_dumps(dumps_dir: Path) -> list[DumpFile]:
    """Every dump file in ``dumps_dir`` (sorted by name) with its size and checksum.

    A missing folder has no dumps; :class:`OSError` is raised when a file cannot be read.
    """
    if not dumps_dir.is_dir():
        return []
    files = []
    for path in sorted(dumps_dir.iterdir()):
        fmt = dump_format(path.name)
        if fmt is None or not path.is_file():
            continue
        stat = path.stat()
        files.append(DumpFile(
            name=path.name,
            format=fmt,
            byte_size=stat.st_size,
            sha256=_sha256(path, stat.st_size, stat.st_mtime_ns),
            modified=datetime.fromtimestamp(stat.st_mtime, UTC),
        ))
    return files


@dataclass(frozen=True)
class Coverage:
    """What the graph covers in space and time, as the catalogue states it.

    ``countries`` are EU country authority IRIs, ``start``/``end`` date literals exactly as
    the graph holds them (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear`` or ``xsd:dateTime``),
    ``bbox`` is (min long, min lat, max long, max lat) of the authorities' coordinates.
    ``extents`` gives a country or NUTS region IRI its bounding box, ``regions`` maps the NUTS
    regions covered to their names and ``graphs`` lists the store's named graphs (the sources
    it was built from).
    """

    countries: tuple[str, ...] = ()
    start: Literal | None = None
    end: Literal | None = None
    bbox: tuple[Decimal, Decimal, Decimal, Decimal] | None = None
    regions: dict[str, str] = field(default_factory=dict)
    extents: dict[str, BoundingBox] = field(default_factory=dict)
    graphs: tuple[str, ...] = ()


_DATE = re.compile(r"^(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?")
_DATE_TYPES = {
    str(XSD.date), str(XSD.dateTime), str(XSD.gYear), str(XSD.gYearMonth),
}


def _date_key(lexical: str, latest: bool) -> tuple[int, int, int] | None:
    """A sortable (year, month, day) for a date-like lexical form; a partial date counts as its
    first day when looking for the earliest date and as its last day for the latest.

    >>> _date_key("1992", latest=False), _date_key("1992-05", latest=True)
    ((1992, 1, 1), (1992, 5, 31))
    >>> _date_key("May 1992", latest=False) is None
    True
    """
    match = _DATE.match(lexical)
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2) or (12 if latest else 1))
    day = int(match.group(3) or (31 if latest else 1))
    return year, month, day


def _select(store: ox.Store, query: str) -> ox.QuerySolutions:
    solutions = store.query(query)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError(f"not a SELECT query: {query}")
    return solutions


def coverage_of(store: ox.Store) -> Coverage:
    """Spatial and temporal coverage of the graph, computed with SPARQL.

    Dates that do not parse as a date are left out of the period (the SHACL shapes report
    them); coordinates outside the valid range are left out of the bounding box.

    >>> store = ox.Store()
    >>> store.load(b'''<http://e/p> <https://w3id.org/twinning-kg/def#startDate>
    ...   "1992"^^<http://www.w3.org/2001/XMLSchema#gYear> .
    ... <http://e/q> <https://w3id.org/twinning-kg/def#endDate>
    ...   "2004-05-01"^^<http://www.w3.org/2001/XMLSchema#date> .''', ox.RdfFormat.TURTLE)
    >>> cover = coverage_of(store)
    >>> str(cover.start), str(cover.end)
    ('1992', '2004-05-01')
    """
    def anywhere(pattern: str) -> str:
        return f"{{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }}"

    query = f"SELECT DISTINCT ?c WHERE {{ {anywhere(f'?a <{TKG.country}> ?c')} }}"
    countries = sorted({
        term.value
        for term in (solution["c"] for solution in _select(store, query))
        if isinstance(term, ox.NamedNode) and term.value.startswith(str(EU_COUNTRY))
    })
    dates: list[tuple[tuple[int, int, int], tuple[int, int, int], Literal]] = []
    query = (f"SELECT DISTINCT ?d WHERE {{ {anywhere(f'?x <{TKG.startDate}> ?d')} UNION "
             f"{anywhere(f'?x <{TKG.endDate}> ?d')} }}")
    for solution in _select(store, query):
        term = solution["d"]
        if not isinstance(term, ox.Literal) or term.datatype.value not in _DATE_TYPES:
            continue
        low, high = _date_key(term.value, False), _date_key(term.value, True)
        if low and high:
            dates.append((low, high, Literal(term.value, datatype=URIRef(term.datatype.value))))
    start = min(dates, key=lambda d: d[0])[2] if dates else None
    end = max(dates, key=lambda d: d[1])[2] if dates else None

    bbox = None
    query = (f"SELECT (MIN(?lat) AS ?s) (MIN(?long) AS ?w) (MAX(?lat) AS ?n) (MAX(?long) AS ?e)"
             f" WHERE {{ {anywhere(f'?a <{WGS.lat}> ?lat ; <{WGS.long}> ?long')}"
             f" FILTER(isNumeric(?lat) && isNumeric(?long) && ?lat >= -90 && ?lat <= 90"
             f" && ?long >= -180 && ?long <= 180) }}")
    for solution in _select(store, query):
        values = [solution[v] for v in ("w", "s", "e", "n")]
        numbers = [Decimal(v.value) for v in values if isinstance(v, ox.Literal)]
        if len(numbers) == 4:
            west, south, east, north = numbers
            bbox = (west, south, east, north)

    extents = nuts_boxes(store)
    regions = {iri: iri.rsplit("/", 1)[-1] for iri in extents}
    query = (f"SELECT ?r ?name WHERE {{ {anywhere(f'?r <{RDFS.label}> ?name')} "
             f"VALUES ?r {{ {' '.join(f'<{iri}>' for iri in regions)} }} }}")
    if regions:
        for solution in _select(store, query):
            region, name = solution["r"], solution["name"]
            if isinstance(region, ox.NamedNode) and isinstance(name, ox.Literal):
                regions[region.value] = name.value
    points = country_point_boxes(store)
    for country in countries:
        box = country_box(country) or points.get(country)
        if box is not None:
            extents[country] = box.union(points.get(country))
    graphs = tuple(sorted(
        term.value for term in (s["g"] for s in _select(
            store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"))
        if isinstance(term, ox.NamedNode)))
    return Coverage(countries=tuple(countries), start=start, end=end, bbox=bbox,
                    regions=regions, extents=extents, graphs=graphs)


@dataclass(frozen=True)
class CatalogSettings:
    """Where the service lives and who publishes; everything else comes from the graph.

    ``applicable_legislation`` lists ELI IRIs of legislation that mandates the dataset
    (DCAT-AP's ``dcatap:applicableLegislation``). None does today: the dataset is not a
    high-value dataset under Regulation (EU) 2023/138 and no act requires it, so it is empty
    by default rather than stretched to fit.
    """

    base_iri: str
    publisher_name: str = "Twinning KG project"
    contact_email: str | None = None
    licence: URIRef = LICENCE
    applicable_legislation: tuple[str, ...] = ()

    def url(self, path: str = "") -> str:
        """A URL of the service below the base IRI.

        >>> CatalogSettings("http://127.0.0.1:8080").url("catalog")
        'http://127.0.0.1:8080/catalog'
        """
        base = self.base_iri if self.base_iri.endswith("/") else self.base_iri + "/"
        return base + path


@dataclass(frozen=True)
class CatalogIris:
    """The IRIs the catalogue mints, all hash IRIs of the catalogue document, so that they
    dereference to it."""

    catalog: URIRef
    dataset: URIRef
    service: URIRef
    publisher: URIRef
    contact: URIRef
    extra: dict[str, URIRef] = field(default_factory=dict)

    @classmethod
    def below(cls, settings: CatalogSettings) -> CatalogIris:
        """The catalogue's IRIs for a deployment."""
        doc = settings.url("catalog")
        return cls(URIRef(doc), URIRef(doc + "#dataset"), URIRef(doc + "#sparql"),
                   URIRef(doc + "#publisher"), URIRef(doc + "#contact"))


def catalog_graph(
    settings: CatalogSettings,
    coverage: Coverage,
    dumps: Sequence[DumpFile],
    *,
    modified: datetime,
    issued: datetime | date | None = None,
    version: str | None = None,
) -> Graph:
    """The DCAT-AP catalogue as an rdflib graph.

    ``modified`` is when the published build was made, ``issued`` when the dataset was first
    published (defaults to ``modified``), ``version`` the build's version name.
    """
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("spdx", SPDX)
    g.bind("dcatap", DCATAP)
    iris = CatalogIris.below(settings)
    issued = issued or modified

    catalog, dataset, service = iris.catalog, iris.dataset, iris.service
    g.add((catalog, RDF.type, DCAT.Catalog))
    _texts(g, catalog, DCTERMS.title, {k: f"{v} (catalogue)" for k, v in TITLES.items()})
    _texts(g, catalog, DCTERMS.description, {
        "en": "The catalogue of Twinning KG: its dataset and its SPARQL endpoint.",
        "pl": "Katalog Twinning KG: zbiór danych i punkt dostępowy SPARQL.",
        "cs": "Katalog Twinning KG: datová sada a přístupový bod SPARQL.",
    })
    g.add((catalog, DCTERMS.publisher, iris.publisher))
    g.add((catalog, FOAF.homepage, _document(g, settings.url())))
    g.add((catalog, DCTERMS.license, _licence(g, settings.licence)))
    g.add((catalog, DCTERMS.issued, _datetime(issued)))
    g.add((catalog, DCTERMS.modified, _datetime(modified)))
    g.add((catalog, DCAT.themeTaxonomy, _scheme(g, "data-theme", "Data theme")))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, service))
    for language in LANGUAGES.values():
        g.add((catalog, DCTERMS.language, _language(g, language)))
    for country in coverage.countries:
        g.add((catalog, DCTERMS.spatial, _country(g, country, coverage.extents.get(country))))

    _agent(g, iris.publisher, settings)
    _contact(g, iris.contact, settings)

    g.add((dataset, RDF.type, DCAT.Dataset))
    _texts(g, dataset, DCTERMS.title, TITLES)
    _texts(g, dataset, DCTERMS.description, DESCRIPTIONS)
    for lang, words in KEYWORDS.items():
        for word in words:
            g.add((dataset, DCAT.keyword, Literal(word, lang=lang)))
    for code in DATA_THEMES:
        g.add((dataset, DCAT.theme, _theme(g, code)))
    g.add((dataset, DCTERMS.publisher, iris.publisher))
    g.add((dataset, DCAT.contactPoint, iris.contact))
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    g.add((dataset, DCTERMS.issued, _datetime(issued)))
    g.add((dataset, DCTERMS.modified, _datetime(modified)))
    if version:
        # rdflib's closed DCAT namespace predates DCAT 3's dcat:version.
        g.add((dataset, URIRef(str(DCAT) + "version"), Literal(version)))
    g.add((dataset, DCAT.landingPage, _document(g, settings.url())))
    g.add((dataset, FOAF.page, _document(g, settings.url("downloads/"))))
    g.add((dataset, DCTERMS.conformsTo, _standard(g, ONTOLOGY_IRI, "Twinning KG ontology")))
    g.add((dataset, DCTERMS.accessRights, _access_public(g)))
    g.add((dataset, DCTERMS.accrualPeriodicity, _frequency(g)))
    g.add((dataset, DCTERMS.provenance, _provenance(g, settings)))
    for language in LANGUAGES.values():
        g.add((dataset, DCTERMS.language, _language(g, language)))
    for country in coverage.countries:
        g.add((dataset, DCTERMS.spatial, _country(g, country, coverage.extents.get(country))))
    for region, name in sorted(coverage.regions.items()):
        g.add((dataset, DCTERMS.spatial, _nuts_region(g, region, name,
                                                      coverage.extents.get(region))))
    for register in registers_in(coverage.graphs):
        source = _register_dataset(g, settings, register, coverage)
        g.add((dataset, DCTERMS.source, source))
        g.add((dataset, PROV.wasDerivedFrom, source))
    if coverage.bbox:
        g.add((dataset, DCTERMS.spatial, _bbox(g, coverage.bbox)))
    if coverage.start is not None or coverage.end is not None:
        period = BNode()
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if coverage.start is not None:
            g.add((period, DCAT.startDate, coverage.start))
        if coverage.end is not None:
            g.add((period, DCAT.endDate, coverage.end))
        g.add((dataset, DCTERMS.temporal, period))
    for act in settings.applicable_legislation:
        g.add((dataset, DCATAP.applicableLegislation, _legislation(g, act)))

    for dump in dumps:
        g.add((dataset, DCAT.distribution, _distribution(g, settings, dump)))
    g.add((dataset, DCAT.distribution, _sparql_distribution(g, settings, service)))

    g.add((service, RDF.type, DCAT.DataService))
    _texts(g, service, DCTERMS.title, {
        "en": "Twinning KG SPARQL endpoint", "pl": "Punkt dostępowy SPARQL Twinning KG",
        "cs": "Přístupový bod SPARQL Twinning KG",
    })
    _texts(g, service, DCTERMS.description, {
        "en": "SPARQL 1.1 query endpoint over the whole graph; the default graph is the union "
        "of the per-source named graphs. GET without a query returns its service description.",
    })
    g.add((service, DCAT.endpointURL, URIRef(settings.url("sparql"))))
    g.add((service, DCAT.endpointDescription, URIRef(settings.url("sparql"))))
    g.add((service, DCTERMS.conformsTo, _standard(
        g, "https://www.w3.org/TR/sparql11-protocol/", "SPARQL 1.1 Protocol")))
    g.add((service, DCAT.servesDataset, dataset))
    g.add((service, DCTERMS.publisher, iris.publisher))
    g.add((service, DCAT.contactPoint, iris.contact))
    g.add((service, DCTERMS.license, _licence(g, settings.licence)))
    g.add((service, DCTERMS.accessRights, _access_public(g)))
    for code in DATA_THEMES:
        g.add((service, DCAT.theme, _theme(g, code)))
    for word in ("SPARQL", "linked data", "town twinning"):
        g.add((service, DCAT.keyword, Literal(word, lang="en")))
    return g


def _texts(g: Graph, node: URIRef, predicate: URIRef, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        g.add((node, predicate, Literal(text, lang=lang)))


def _datetime(moment: datetime | date) -> Literal:
    if isinstance(moment, datetime):
        return Literal(moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       datatype=XSD.dateTime)
    return Literal(moment.isoformat(), datatype=XSD.date)


def _concept(g: Graph, iri: str, label: str, scheme: URIRef | None = None) -> URIRef:
    """An EU vocabulary entry typed and labelled beside the data (see the module docstring)."""
    node = URIRef(iri)
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    if scheme is not None:
        g.add((node, SKOS.inScheme, scheme))
    return node


def _scheme(g: Graph, table: str, title: str) -> URIRef:
    node = URIRef(EU + table)
    g.add((node, RDF.type, SKOS.ConceptScheme))
    g.add((node, DCTERMS.title, Literal(title, lang="en")))
    return node


def _theme(g: Graph, code: str) -> URIRef:
    return _concept(g, f"{EU}data-theme/{code}", DATA_THEMES[code],
                    _scheme(g, "data-theme", "Data theme"))


def _document(g: Graph, url: str) -> URIRef:
    node = URIRef(url)
    g.add((node, RDF.type, FOAF.Document))
    return node


def _standard(g: Graph, iri: str, title: str) -> URIRef:
    node = URIRef(iri)
    g.add((node, RDF.type, DCTERMS.Standard))
    g.add((node, DCTERMS.title, Literal(title, lang="en")))
    return node


def _licence(g: Graph, licence: URIRef) -> URIRef:
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    if licence == LICENCE:
        g.add((licence, RDFS.label, Literal("Creative Commons Attribution-ShareAlike 4.0 "
                                            "International", lang="en")))
        g.add((licence, FOAF.page, URIRef("https://creativecommons.org/licenses/by-sa/4.0/")))
        scheme = _adms_licence_types(g)
        for kind in ("Attribution", "ShareAlike"):
            g.add((licence, DCTERMS.type, _concept(
                g, f"http://purl.org/adms/licencetype/{kind}", kind, scheme)))
    return licence


def _language(g: Graph, code: str) -> URIRef:
    node = URIRef(f"{EU}language/{code}")
    g.add((node, RDF.type, DCTERMS.LinguisticSystem))
    g.add((node, SKOS.inScheme, _scheme(g, "language", "Languages")))
    return node


def _country(g: Graph, iri: str, box: BoundingBox | None) -> URIRef:
    node = URIRef(iri)
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, SKOS.inScheme, _scheme(g, "country", "Countries and territories")))
    _extent(g, node, box)
    return node


def _nuts_region(g: Graph, iri: str, name: str, box: BoundingBox | None) -> URIRef:
    """A NUTS region under the EU Publications Office's IRI, as a location of the coverage."""
    node = URIRef(iri)
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, SKOS.prefLabel, Literal(name)))
    g.add((node, SKOS.notation, Literal(iri.rsplit("/", 1)[-1])))
    _extent(g, node, box)
    return node


def _extent(g: Graph, node: URIRef, box: BoundingBox | None) -> None:
    """A location's bounding box and centroid (see ``graph.opendata.extents`` for how they are
    drawn)."""
    if box is None:
        return
    g.add((node, DCAT.bbox, Literal(box.wkt_polygon(), datatype=GEO.wktLiteral)))
    g.add((node, DCAT.centroid, Literal(box.wkt_centroid(), datatype=GEO.wktLiteral)))


def _register_dataset(g: Graph, settings: CatalogSettings, register: RegisterDataset,
                      coverage: Coverage) -> URIRef:
    """An official register the graph is built from, as a source ``dcat:Dataset``: publisher,
    contact, landing page, the countries it covers, its reference date and one distribution
    (the register as its publisher offers it) with the licence and credit it is re-used under."""
    doc = settings.url("catalog")
    node = URIRef(f"{doc}#source-{register.kind}")
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.title, Literal(register.title, lang="en")))
    g.add((node, DCTERMS.description, Literal(register.description, lang="en")))
    for word in register.keywords:
        g.add((node, DCAT.keyword, Literal(word)))
    g.add((node, DCAT.theme, _theme(g, "REGI")))
    publisher = URIRef(f"{doc}#publisher-{register.publisher.key}")
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal(register.publisher.name)))
    g.add((publisher, FOAF.homepage, _document(g, register.publisher.homepage)))
    code, label = register.publisher.kind
    g.add((publisher, DCTERMS.type, _concept(
        g, f"http://purl.org/adms/publishertype/{code}", label, _adms_publisher_types(g))))
    g.add((node, DCTERMS.publisher, publisher))
    contact = URIRef(f"{doc}#contact-{register.publisher.key}")
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal(register.publisher.name)))
    g.add((contact, VCARD.hasURL, URIRef(register.publisher.homepage)))
    g.add((node, DCAT.contactPoint, contact))
    g.add((node, DCAT.landingPage, _document(g, register.landing_page)))
    for code in register.countries:
        iri = f"{EU_COUNTRY}{code}"
        box = coverage.extents.get(iri) or country_box(iri)
        g.add((node, DCTERMS.spatial, _country(g, iri, box)))
    reference = Literal(register.reference_date, datatype=XSD.date
                        if len(register.reference_date) == 10 else XSD.gYear)
    period = URIRef(f"{doc}#source-{register.kind}-period")
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, reference))
    g.add((period, DCAT.endDate, reference))
    g.add((node, DCTERMS.temporal, period))

    licence = (URIRef(register.licence) if register.licence
               else URIRef(f"{doc}#licence-{register.kind}"))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, RDFS.label, Literal(register.licence_text, lang="en")))
    g.add((licence, DCTERMS.type, _concept(
        g, "http://purl.org/adms/licencetype/Attribution", "Attribution",
        _adms_licence_types(g))))
    rights = URIRef(f"{doc}#source-{register.kind}-credit")
    g.add((rights, RDF.type, DCTERMS.RightsStatement))
    g.add((rights, RDFS.label, Literal(f"Credit: {register.credit}", lang="en")))
    distribution = URIRef(f"{doc}#source-{register.kind}-distribution")
    g.add((distribution, RDF.type, DCAT.Distribution))
    g.add((distribution, DCTERMS.title, Literal(register.title, lang="en")))
    g.add((distribution, DCTERMS.description, Literal(
        f"The register as {register.publisher.name} publishes it; the graph reads a copy "
        "trimmed to the columns it uses (data/registers/ in the project's repository).",
        lang="en")))
    g.add((distribution, DCAT.accessURL, URIRef(register.landing_page)))
    g.add((distribution, DCTERMS.format, _file_type(g, "CSV")))
    g.add((distribution, DCTERMS.license, licence))
    g.add((distribution, DCTERMS.rights, rights))
    g.add((distribution, DCATAP.availability, _availability(g)))
    g.add((node, DCAT.distribution, distribution))
    return node


def _adms_licence_types(g: Graph) -> URIRef:
    scheme = URIRef("http://purl.org/adms/licencetype/1.0")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal("ADMS licence type", lang="en")))
    return scheme


def _bbox(g: Graph, bbox: tuple[Decimal, Decimal, Decimal, Decimal]) -> BNode:
    """The bounding box of the authorities' coordinates as a ``dct:Location`` (WKT, lon lat)."""
    west, south, east, north = bbox
    node = BNode()
    g.add((node, RDF.type, DCTERMS.Location))
    polygon = (f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, "
               f"{west} {south}))")
    g.add((node, DCAT.bbox, Literal(polygon, datatype=GEO.wktLiteral)))
    centre = f"POINT({(west + east) / 2} {(south + north) / 2})"
    g.add((node, DCAT.centroid, Literal(centre, datatype=GEO.wktLiteral)))
    return node


def _access_public(g: Graph) -> URIRef:
    node = URIRef(EU + "access-right/PUBLIC")
    g.add((node, RDF.type, DCTERMS.RightsStatement))
    g.add((node, SKOS.prefLabel, Literal("public", lang="en")))
    g.add((node, SKOS.inScheme, _scheme(g, "access-right", "Access right")))
    return node


def _frequency(g: Graph) -> URIRef:
    node = URIRef(EU + "frequency/IRREG")
    g.add((node, RDF.type, DCTERMS.Frequency))
    g.add((node, SKOS.prefLabel, Literal("irregular", lang="en")))
    g.add((node, SKOS.inScheme, _scheme(g, "frequency", "Frequency")))
    return node


def _provenance(g: Graph, settings: CatalogSettings) -> BNode:
    node = BNode()
    g.add((node, RDF.type, DCTERMS.ProvenanceStatement))
    g.add((node, RDFS.label, Literal(
        "Built from hand-curated facts (with their sources), Wikipedia's lists of twin towns "
        "and Wikidata, reconciled to GeoNames and Wikidata; each source's statements are kept "
        f"in their own named graph ({data_base(settings.base_iri)}graph/...) and every "
        "partnership cites its source.", lang="en")))
    return node


def _legislation(g: Graph, iri: str) -> URIRef:
    node = URIRef(iri)
    g.add((node, RDF.type, ELI.LegalResource))
    return node


def _agent(g: Graph, node: URIRef, settings: CatalogSettings) -> None:
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(settings.publisher_name, lang="en")))
    g.add((node, FOAF.homepage, _document(g, settings.url())))
    g.add((node, DCTERMS.type, _concept(
        g, "http://purl.org/adms/publishertype/NonProfitOrganisation",
        "Non-Profit Organisation", _adms_publisher_types(g))))


def _adms_publisher_types(g: Graph) -> URIRef:
    scheme = URIRef("http://purl.org/adms/publishertype/1.0")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal("ADMS publisher type", lang="en")))
    return scheme


def _contact(g: Graph, node: URIRef, settings: CatalogSettings) -> None:
    g.add((node, RDF.type, VCARD.Organization))
    g.add((node, RDF.type, VCARD.Kind))
    g.add((node, VCARD.fn, Literal(settings.publisher_name)))
    g.add((node, VCARD.hasURL, URIRef(settings.url())))
    if settings.contact_email:
        g.add((node, VCARD.hasEmail, URIRef(f"mailto:{settings.contact_email}")))


def _media_type(g: Graph, media_type: str) -> URIRef:
    node = URIRef(IANA + media_type)
    g.add((node, RDF.type, DCTERMS.MediaType))
    g.add((node, RDF.type, DCTERMS.MediaTypeOrExtent))
    return node


def _file_type(g: Graph, code: str) -> URIRef:
    node = URIRef(f"{EU}file-type/{code}")
    g.add((node, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((node, SKOS.prefLabel, Literal(FILE_TYPE_LABELS.get(code, code), lang="en")))
    g.add((node, SKOS.inScheme, _scheme(g, "file-type", "File type")))
    return node


def _availability(g: Graph) -> URIRef:
    return _concept(g, EU + "planned-availability/STABLE", "stable",
                    _scheme(g, "planned-availability", "Planned availability"))


def _distribution(g: Graph, settings: CatalogSettings, dump: DumpFile) -> URIRef:
    url = settings.url(f"downloads/{dump.name}")
    node = URIRef(f"{settings.url('catalog')}#dump-{dump.name}")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(f"{dump.format.title}, gzipped", lang="en")))
    g.add((node, DCTERMS.description, Literal(
        f"The whole graph as {dump.format.title}, compressed with gzip; "
        "it supports HTTP range requests and ETag.", lang="en")))
    g.add((node, DCAT.accessURL, URIRef(settings.url("downloads/"))))
    g.add((node, DCAT.downloadURL, URIRef(url)))
    g.add((node, DCAT.mediaType, _media_type(g, dump.format.media_type)))
    g.add((node, DCAT.compressFormat, _media_type(g, "application/gzip")))
    g.add((node, DCTERMS.format, _file_type(g, dump.format.file_type)))
    g.add((node, DCAT.byteSize, Literal(dump.byte_size, datatype=XSD.nonNegativeInteger)))
    g.add((node, DCTERMS.license, _licence(g, settings.licence)))
    g.add((node, DCTERMS.modified, _datetime(dump.modified)))
    g.add((node, DCTERMS.conformsTo, _standard(g, ONTOLOGY_IRI, "Twinning KG ontology")))
    g.add((node, DCATAP.availability, _availability(g)))
    checksum = BNode()
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    return node


def _sparql_distribution(g: Graph, settings: CatalogSettings, service: URIRef) -> URIRef:
    """The SPARQL endpoint as a distribution too, so that portals list it beside the dumps."""
    node = URIRef(f"{settings.url('catalog')}#sparql-distribution")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((node, DCTERMS.description, Literal(
        "Query the graph live with SPARQL 1.1; results as JSON, XML, CSV, TSV or RDF.",
        lang="en")))
    g.add((node, DCAT.accessURL, URIRef(settings.url("sparql"))))
    g.add((node, DCAT.accessService, service))
    g.add((node, DCTERMS.format, _file_type(g, "SPARQLQ")))
    g.add((node, DCTERMS.license, _licence(g, settings.licence)))
    g.add((node, DCATAP.availability, _availability(g)))
    return node


def catalog_for_store(
    store: ox.Store,
    dumps_dir: Path,
    settings: CatalogSettings,
    *,
    modified: datetime,
    issued: datetime | date | None = None,
    version: str | None = None,
) -> Graph:
    """The catalogue of a published build: coverage from ``store``, distributions from the
    dump files in ``dumps_dir``."""
    return catalog_graph(settings, coverage_of(store), describe_dumps(dumps_dir),
                         modified=modified, issued=issued, version=version)

