"""One DCAT distribution per dump file: where to download it, its media and file type, its
size and SHA-256 checksum, its licence and when it was written.

The SPARQL endpoint's distribution does not depend on the build and is one of the fixed
statements (``catalog_fixed.ttl``).
"""

from __future__ import annotations

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, XSD

from graph.core.namespaces import ONTOLOGY_IRI
from graph.opendata.catalog_terms import (
    DCATAP,
    SPDX,
    datetime_literal,
    file_type,
    media_type,
    stable_availability,
    standard,
)
from graph.opendata.deployment import CatalogSettings
from graph.opendata.dumps import DumpFile


def dump_distribution(g: Graph, settings: CatalogSettings, dump: DumpFile,
                      licence: URIRef) -> URIRef:
    """A dump file as a ``dcat:Distribution`` of the dataset, under ``licence``."""
    node = URIRef(f"{settings.url('catalog')}#dump-{dump.name}")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(f"{dump.format.title}, gzipped", lang="en")))
    g.add((node, DCTERMS.description, Literal(
        f"The whole graph as {dump.format.title}, compressed with gzip; "
        "it supports HTTP range requests and ETag.", lang="en")))
    g.add((node, DCAT.accessURL, URIRef(settings.url("downloads/"))))
    g.add((node, DCAT.downloadURL, URIRef(settings.url(f"downloads/{dump.name}"))))
    g.add((node, DCAT.mediaType, media_type(g, dump.format.media_type)))
    g.add((node, DCAT.compressFormat, media_type(g, "application/gzip")))
    g.add((node, DCTERMS.format, file_type(g, dump.format.file_type)))
    g.add((node, DCAT.byteSize, Literal(dump.byte_size, datatype=XSD.nonNegativeInteger)))
    g.add((node, DCTERMS.license, licence))
    g.add((node, DCTERMS.modified, datetime_literal(dump.modified)))
    g.add((node, DCTERMS.conformsTo, standard(g, ONTOLOGY_IRI, "Twinning KG ontology")))
    g.add((node, DCATAP.availability, stable_availability(g)))
    g.add((node, SPDX.checksum, _sha256_checksum(g, dump.sha256)))
    return node


def _sha256_checksum(g: Graph, hex_digest: str) -> BNode:
    """An ``spdx:Checksum`` node holding a SHA-256 digest."""
    checksum = BNode()
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(hex_digest, datatype=XSD.hexBinary)))
    return checksum
