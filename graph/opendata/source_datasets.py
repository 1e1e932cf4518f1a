"""The sources a build loaded (official registers, GeoNames), as source ``dcat:Dataset`` nodes
of the catalogue.

Each source (:mod:`graph.opendata.register_datasets` holds what its publisher states) gets
its publisher and contact point, landing page, where it covers with extents, its reference date
and one distribution: the source as its publisher offers it, with the licence and credit it is
re-used under. Our dataset names them with ``dct:source`` and ``prov:wasDerivedFrom``.

Where a source covers: for a register, the countries it covers (EU country IRIs); for GeoNames,
which covers every country, the whole Earth (:func:`.catalog_terms.earth`, GeoNames' own
feature for it, with the world's box: a ``dct:Location`` with ``dcat:bbox`` and
``dcat:centroid``, as the DCAT-AP shapes ask, so no violation and no recommendation warning).
Not the countries the graph's GeoNames-linked authorities lie in: that is where the graph uses
GeoNames, not what the source covers, and listing the 246 countries and territories of
``cities500`` would say no more than "the world", at length.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

from graph.core.namespaces import EU_COUNTRY, VCARD
from graph.opendata.catalog_terms import (
    ADMS_LICENCE_TYPE,
    ADMS_PUBLISHER_TYPE,
    DCATAP,
    EU,
    adms_licence_types,
    adms_publisher_types,
    concept,
    country,
    document,
    earth,
    file_type,
    media_type,
    stable_availability,
)
from graph.opendata.coverage import Coverage
from graph.opendata.extents import country_box
from graph.opendata.register_datasets import Publisher, SourceDataset

REGIONS_THEME = URIRef(EU + "data-theme/REGI")
"""The EU data theme of every source ("Regions and cities"), described with the fixed
statements."""


def source_dataset(g: Graph, doc: str, dataset: SourceDataset,
                   coverage: Coverage) -> URIRef:
    """A dataset the graph is built from, as a source ``dcat:Dataset`` minted below the
    catalogue document ``doc``."""
    node = URIRef(f"{doc}#source-{dataset.kind}")
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.title, Literal(dataset.title, lang="en")))
    g.add((node, DCTERMS.description, Literal(dataset.description, lang="en")))
    for word in dataset.keywords:
        g.add((node, DCAT.keyword, Literal(word)))
    g.add((node, DCAT.theme, REGIONS_THEME))
    g.add((node, DCTERMS.publisher, _publisher(g, doc, dataset.publisher)))
    g.add((node, DCAT.contactPoint, _contact(g, doc, dataset.publisher)))
    g.add((node, DCAT.landingPage, document(g, dataset.landing_page)))
    for code in dataset.countries:
        iri = f"{EU_COUNTRY}{code}"
        box = coverage.extents.get(iri) or country_box(iri)
        g.add((node, DCTERMS.spatial, country(g, iri, box)))
    if dataset.worldwide:
        g.add((node, DCTERMS.spatial, earth(g)))
    g.add((node, DCTERMS.temporal, _reference_period(g, doc, dataset)))
    g.add((node, DCAT.distribution, _distribution(g, doc, dataset)))
    return node


def _publisher(g: Graph, doc: str, publisher: Publisher) -> URIRef:
    """The body that publishes a source, as a ``foaf:Organization`` with its ADMS type."""
    node = URIRef(f"{doc}#publisher-{publisher.key}")
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(publisher.name)))
    g.add((node, FOAF.homepage, document(g, publisher.homepage)))
    code, label = publisher.kind
    g.add((node, DCTERMS.type, concept(
        g, ADMS_PUBLISHER_TYPE + code, label, adms_publisher_types(g))))
    return node


def _contact(g: Graph, doc: str, publisher: Publisher) -> URIRef:
    """The publisher's contact point: its name and home page."""
    node = URIRef(f"{doc}#contact-{publisher.key}")
    g.add((node, RDF.type, VCARD.Organization))
    g.add((node, RDF.type, VCARD.Kind))
    g.add((node, VCARD.fn, Literal(publisher.name)))
    g.add((node, VCARD.hasURL, URIRef(publisher.homepage)))
    return node


def _reference_period(g: Graph, doc: str, dataset: SourceDataset) -> URIRef:
    """The source's reference date (a day or a year) as a period of one instant."""
    reference = Literal(dataset.reference_date, datatype=XSD.date
                        if len(dataset.reference_date) == 10 else XSD.gYear)
    period = URIRef(f"{doc}#source-{dataset.kind}-period")
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, reference))
    g.add((period, DCAT.endDate, reference))
    return period


def _distribution(g: Graph, doc: str, dataset: SourceDataset) -> URIRef:
    """The source as its publisher offers it, with its licence and the credit it asks."""
    licence = (URIRef(dataset.licence) if dataset.licence
               else URIRef(f"{doc}#licence-{dataset.kind}"))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, RDFS.label, Literal(dataset.licence_text, lang="en")))
    g.add((licence, DCTERMS.type, concept(
        g, ADMS_LICENCE_TYPE + "Attribution", "Attribution", adms_licence_types(g))))
    rights = URIRef(f"{doc}#source-{dataset.kind}-credit")
    g.add((rights, RDF.type, DCTERMS.RightsStatement))
    g.add((rights, RDFS.label, Literal(f"Credit: {dataset.credit}", lang="en")))
    node = URIRef(f"{doc}#source-{dataset.kind}-distribution")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(dataset.title, lang="en")))
    offering = dataset.offering
    g.add((node, DCTERMS.description, Literal(
        f"The data as {dataset.publisher.name} publishes it; {offering.copy}", lang="en")))
    g.add((node, DCAT.accessURL, URIRef(offering.access_url or dataset.landing_page)))
    if offering.download_url:
        g.add((node, DCAT.downloadURL, URIRef(offering.download_url)))
    if offering.media_type:
        g.add((node, DCAT.mediaType, media_type(g, offering.media_type)))
    g.add((node, DCTERMS.format, file_type(g, offering.file_type)))
    g.add((node, DCTERMS.license, licence))
    g.add((node, DCTERMS.rights, rights))
    g.add((node, DCATAP.availability, stable_availability(g)))
    return node
