"""The official registers a build loaded, as source ``dcat:Dataset`` nodes of the catalogue.

Each register (:mod:`graph.opendata.register_datasets` holds what its publisher states) gets
its publisher and contact point, landing page, the countries it covers with their extents, its
reference date and one distribution: the register as its publisher offers it, with the licence
and credit it is re-used under. Our dataset names them with ``dct:source`` and
``prov:wasDerivedFrom``.
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
    file_type,
    stable_availability,
)
from graph.opendata.coverage import Coverage
from graph.opendata.extents import country_box
from graph.opendata.register_datasets import Publisher, RegisterDataset

REGIONS_THEME = URIRef(EU + "data-theme/REGI")
"""The EU data theme of every register ("Regions and cities"), described with the fixed
statements."""


def register_dataset(g: Graph, doc: str, register: RegisterDataset,
                     coverage: Coverage) -> URIRef:
    """An official register the graph is built from, as a source ``dcat:Dataset`` minted below
    the catalogue document ``doc``."""
    node = URIRef(f"{doc}#source-{register.kind}")
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.title, Literal(register.title, lang="en")))
    g.add((node, DCTERMS.description, Literal(register.description, lang="en")))
    for word in register.keywords:
        g.add((node, DCAT.keyword, Literal(word)))
    g.add((node, DCAT.theme, REGIONS_THEME))
    g.add((node, DCTERMS.publisher, _publisher(g, doc, register.publisher)))
    g.add((node, DCAT.contactPoint, _contact(g, doc, register.publisher)))
    g.add((node, DCAT.landingPage, document(g, register.landing_page)))
    for code in register.countries:
        iri = f"{EU_COUNTRY}{code}"
        box = coverage.extents.get(iri) or country_box(iri)
        g.add((node, DCTERMS.spatial, country(g, iri, box)))
    g.add((node, DCTERMS.temporal, _reference_period(g, doc, register)))
    g.add((node, DCAT.distribution, _distribution(g, doc, register)))
    return node


def _publisher(g: Graph, doc: str, publisher: Publisher) -> URIRef:
    """The body that publishes a register, as a ``foaf:Organization`` with its ADMS type."""
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


def _reference_period(g: Graph, doc: str, register: RegisterDataset) -> URIRef:
    """The register's reference date (a day or a year) as a period of one instant."""
    reference = Literal(register.reference_date, datatype=XSD.date
                        if len(register.reference_date) == 10 else XSD.gYear)
    period = URIRef(f"{doc}#source-{register.kind}-period")
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, reference))
    g.add((period, DCAT.endDate, reference))
    return period


def _distribution(g: Graph, doc: str, register: RegisterDataset) -> URIRef:
    """The register as its publisher offers it, with its licence and the credit it asks."""
    licence = (URIRef(register.licence) if register.licence
               else URIRef(f"{doc}#licence-{register.kind}"))
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, RDFS.label, Literal(register.licence_text, lang="en")))
    g.add((licence, DCTERMS.type, concept(
        g, ADMS_LICENCE_TYPE + "Attribution", "Attribution", adms_licence_types(g))))
    rights = URIRef(f"{doc}#source-{register.kind}-credit")
    g.add((rights, RDF.type, DCTERMS.RightsStatement))
    g.add((rights, RDFS.label, Literal(f"Credit: {register.credit}", lang="en")))
    node = URIRef(f"{doc}#source-{register.kind}-distribution")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(register.title, lang="en")))
    g.add((node, DCTERMS.description, Literal(
        f"The register as {register.publisher.name} publishes it; the graph reads a copy "
        "trimmed to the columns it uses (data/registers/ in the project's repository).",
        lang="en")))
    g.add((node, DCAT.accessURL, URIRef(register.landing_page)))
    g.add((node, DCTERMS.format, file_type(g, "CSV")))
    g.add((node, DCTERMS.license, licence))
    g.add((node, DCTERMS.rights, rights))
    g.add((node, DCATAP.availability, stable_availability(g)))
    return node
