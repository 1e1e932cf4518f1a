"""Every namespace the project writes or reads, defined once.

Two kinds of IRI live here, and they behave differently:

* the ontology namespace (``TKG``) is fixed: SHACL shapes, SPARQL queries and outside users
  depend on its terms, so it never changes with a deployment;
* the data namespace (``PERSISTENT_DATA_BASE`` + ``id/...``) holds everything the project
  mints or authors as data (authorities, partnerships, SKOS concepts, programmes, legal bases).
  A build may rebase it (``--base-iri``) so that a deployment, or a test on 127.0.0.1, serves
  IRIs that dereference on itself. See :mod:`graph.core.iris`.
"""

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

PERSISTENT_BASE = "https://w3id.org/twinning-kg/"
"""The project's persistent base; ``id/`` below it is the data namespace."""

PERSISTENT_DATA_BASE = PERSISTENT_BASE + "id/"

ONTOLOGY_IRI = PERSISTENT_BASE + "def"
TKG = Namespace(ONTOLOGY_IRI + "#")

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ROV = Namespace("http://www.w3.org/ns/regorg#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
WGS = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
GEONAMES = Namespace("https://sws.geonames.org/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")

PREFIXES: dict[str, str] = {
    "tkg": str(TKG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "void": str(VOID),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "rov": str(ROV),
    "geo": str(GEO),
    "wgs": str(WGS),
    "eli": str(ELI),
    "adms": str(ADMS),
    "vcard": str(VCARD),
    "sh": str(SH),
    "wd": str(WD),
    "wdt": str(WDT),
}
"""Prefixes used in every serialization and every query the project writes."""


def sparql_prefixes() -> str:
    """The PREFIX header shared by the project's SPARQL queries.

    >>> "PREFIX tkg: <https://w3id.org/twinning-kg/def#>" in sparql_prefixes()
    True
    """
    return "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()) + "\n"
