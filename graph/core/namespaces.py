"""Every namespace the project writes or reads, defined once.

Two kinds of IRI live here, and they behave differently:

* the ontology namespace (``TKG``) is fixed: SHACL shapes, SPARQL queries and outside users
  depend on its terms, so it never changes with a deployment;
* the data namespace (``PERSISTENT_DATA_BASE`` + ``id/...``) holds everything the project
  mints or authors as data (authorities, partnerships, SKOS concepts, programmes, legal bases).
  A build may rebase it (``--base-iri``) so that a deployment, or a test on 127.0.0.1, serves
  IRIs that dereference on itself. See :mod:`graph.core.iris`.
"""

import re

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


def sparql_prefixes(used_in: str | None = None) -> str:
    """The PREFIX header of the project's SPARQL queries: every project prefix, or only those
    the query body ``used_in`` uses (so that a query a page shows, and a newcomer edits,
    starts with what matters). The one place a query's prefixes come from.

    >>> "PREFIX tkg: <https://w3id.org/twinning-kg/def#>" in sparql_prefixes()
    True
    >>> print(sparql_prefixes("SELECT ?s WHERE { ?s a tkg:Partnership ; rdfs:label ?x }"), end="")
    PREFIX tkg: <https://w3id.org/twinning-kg/def#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    """
    used = [(p, ns) for p, ns in PREFIXES.items()
            if used_in is None or re.search(rf"(?<![\w?$]){re.escape(p)}:", used_in)]
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in used)


def prefixed(body: str) -> str:
    """``body`` after the PREFIX lines of just the project prefixes it uses.

    >>> print(prefixed("SELECT ?s WHERE { ?s a tkg:Partnership }"), end="")
    PREFIX tkg: <https://w3id.org/twinning-kg/def#>
    SELECT ?s WHERE { ?s a tkg:Partnership }
    """
    return sparql_prefixes(body) + body.strip() + "\n"
