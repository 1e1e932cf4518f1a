"""The catalogue's building blocks that depend on the build: EU vocabulary entries, locations,
dates and media types, each added to the graph with the type the DCAT-AP shapes check.

The official DCAT-AP 3.0.1 shapes check the class of every referenced resource (a licence as
``dct:LicenseDocument``, a country as ``dct:Location``, a file type as
``dct:MediaTypeOrExtent``, ...), and the EU vocabularies cannot be fetched at validation time:
so every entry is described beside the data, with its type, label and scheme, as the EU
publishes it. The entries every catalogue uses are in ``catalog_fixed.ttl``; the ones here are
added only when the build needs them (a dump's file type, a country it covers, a register's
publisher type).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS, XSD

from graph.core.namespaces import GEO
from graph.opendata.extents import BoundingBox

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "http://www.iana.org/assignments/media-types/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"

FILE_TYPE_LABELS = {
    "RDF_N_QUADS": "N-Quads", "RDF_TRIG": "TriG", "RDF_TURTLE": "Turtle",
    "RDF_N_TRIPLES": "N-Triples", "JSON_LD": "JSON-LD", "SPARQLQ": "SPARQL query", "CSV": "CSV",
    "ZIP": "ZIP",
}

EARTH = "https://sws.geonames.org/6295630/"
"""GeoNames' feature for the whole Earth (id 6295630), the place a worldwide source covers."""


def datetime_literal(moment: datetime | date) -> Literal:
    """A moment as ``xsd:dateTime`` in UTC, or a day as ``xsd:date``.

    >>> str(datetime_literal(date(2026, 1, 2)))
    '2026-01-02'
    """
    if isinstance(moment, datetime):
        return Literal(moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       datatype=XSD.dateTime)
    return Literal(moment.isoformat(), datatype=XSD.date)


def concept(g: Graph, iri: str, label: str, scheme: URIRef | None = None) -> URIRef:
    """A vocabulary entry typed and labelled beside the data (see the module docstring)."""
    node = URIRef(iri)
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    if scheme is not None:
        g.add((node, SKOS.inScheme, scheme))
    return node


def scheme(g: Graph, iri: str, title: str) -> URIRef:
    """A concept scheme (an EU authority table or an ADMS vocabulary) with its title."""
    node = URIRef(iri)
    g.add((node, RDF.type, SKOS.ConceptScheme))
    g.add((node, DCTERMS.title, Literal(title, lang="en")))
    return node


def adms_licence_types(g: Graph) -> URIRef:
    """The ADMS licence type scheme."""
    return scheme(g, ADMS_LICENCE_TYPE + "1.0", "ADMS licence type")


def adms_publisher_types(g: Graph) -> URIRef:
    """The ADMS publisher type scheme."""
    return scheme(g, ADMS_PUBLISHER_TYPE + "1.0", "ADMS publisher type")


def document(g: Graph, url: str) -> URIRef:
    """A web page as a ``foaf:Document``."""
    node = URIRef(url)
    g.add((node, RDF.type, FOAF.Document))
    return node


def standard(g: Graph, iri: str, title: str) -> URIRef:
    """A specification a resource conforms to, as a ``dct:Standard``."""
    node = URIRef(iri)
    g.add((node, RDF.type, DCTERMS.Standard))
    g.add((node, DCTERMS.title, Literal(title, lang="en")))
    return node


def legislation(g: Graph, iri: str) -> URIRef:
    """An act named by its ELI IRI, as an ``eli:LegalResource``."""
    node = URIRef(iri)
    g.add((node, RDF.type, ELI.LegalResource))
    return node


def country(g: Graph, iri: str, box: BoundingBox | None) -> URIRef:
    """An EU country authority entry as a ``dct:Location``, with its extent when known."""
    node = URIRef(iri)
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, SKOS.inScheme, scheme(g, EU + "country", "Countries and territories")))
    extent(g, node, box)
    return node


def earth(g: Graph) -> URIRef:
    """The whole Earth as a ``dct:Location``: its box spans every longitude and latitude, its
    centroid (the box's centre) is 0 0."""
    node = URIRef(EARTH)
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, SKOS.prefLabel, Literal("Earth", lang="en")))
    extent(g, node, BoundingBox(Decimal(-180), Decimal(-90), Decimal(180), Decimal(90)))
    return node


def nuts_region(g: Graph, iri: str, name: str, box: BoundingBox | None) -> URIRef:
    """A NUTS region under the EU Publications Office's IRI, as a location of the coverage."""
    node = URIRef(iri)
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, SKOS.prefLabel, Literal(name)))
    g.add((node, SKOS.notation, Literal(iri.rsplit("/", 1)[-1])))
    extent(g, node, box)
    return node


def extent(g: Graph, node: URIRef, box: BoundingBox | None) -> None:
    """A location's bounding box and centroid (see ``graph.opendata.extents`` for how they are
    drawn)."""
    if box is None:
        return
    g.add((node, DCAT.bbox, Literal(box.wkt_polygon(), datatype=GEO.wktLiteral)))
    g.add((node, DCAT.centroid, Literal(box.wkt_centroid(), datatype=GEO.wktLiteral)))


def points_box(g: Graph, bbox: tuple[Decimal, Decimal, Decimal, Decimal]) -> BNode:
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


def media_type(g: Graph, name: str) -> URIRef:
    """An IANA media type, typed as DCAT-AP's ranges want it."""
    node = URIRef(IANA + name)
    g.add((node, RDF.type, DCTERMS.MediaType))
    g.add((node, RDF.type, DCTERMS.MediaTypeOrExtent))
    return node


def file_type(g: Graph, code: str) -> URIRef:
    """An entry of the EU ``file-type`` table (``RDF_TURTLE``, ``CSV``, ...)."""
    node = URIRef(f"{EU}file-type/{code}")
    g.add((node, RDF.type, DCTERMS.MediaTypeOrExtent))
    g.add((node, SKOS.prefLabel, Literal(FILE_TYPE_LABELS.get(code, code), lang="en")))
    g.add((node, SKOS.inScheme, scheme(g, EU + "file-type", "File type")))
    return node


def stable_availability(g: Graph) -> URIRef:
    """The ``planned-availability`` entry every distribution of ours has: stable."""
    return concept(g, EU + "planned-availability/STABLE", "stable",
                   scheme(g, EU + "planned-availability", "Planned availability"))
