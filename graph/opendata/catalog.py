"""The DCAT-AP 3 catalogue that EU data portals harvest: catalogue, dataset, dumps, SPARQL service.

The catalogue is assembled from two parts. What no build changes (titles and descriptions in
en/pl/cs, keywords, EU data themes, languages, licence, publisher, contact point, the SPARQL
service and its distribution, and the EU vocabulary entries they use) is stated once in
``catalog_fixed.ttl``, with IRIs relative to the catalogue document, so that a data owner can
read and edit it as RDF. Everything a harvester scores that the published graph decides is
added here from the graph itself: spatial and temporal coverage (:mod:`.coverage`, with a
bounding box and centroid for every country and NUTS 2 region from :mod:`.extents`), the
official registers and GeoNames the build loaded as source datasets (:mod:`.source_datasets`),
one distribution per dump file (:mod:`.distributions`) and the build's dates and version.

Conformance: the output must pass the official DCAT-AP 3.0.1 SHACL shapes (``shapes.ttl`` +
``range.ttl``), which check the class of every referenced resource; see
:mod:`.catalog_terms` for how the EU vocabulary entries are described beside the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV

from graph.core.iris import data_base
from graph.core.namespaces import PREFIXES, VCARD
from graph.opendata.catalog_terms import (
    DCATAP,
    SPDX,
    country,
    datetime_literal,
    legislation,
    nuts_region,
    points_box,
)
from graph.opendata.coverage import Coverage, coverage_of
from graph.opendata.deployment import CatalogIris, CatalogSettings
from graph.opendata.distributions import dump_distribution
from graph.opendata.dumps import DumpFile, describe_dumps
from graph.opendata.register_datasets import sources_in
from graph.opendata.source_datasets import source_dataset

# The deployment's settings and the dump listing are part of this module's face: callers
# describe a build with them and catalog_graph takes them.
__all__ = ["CatalogIris", "CatalogSettings", "catalog_for_store", "catalog_graph",
           "describe_dumps", "fixed_statements"]

FIXED_STATEMENTS = "catalog_fixed.ttl"
"""The Turtle file (beside this module) of the statements no build changes."""


@lru_cache(maxsize=1)
def _fixed_turtle() -> str:
    """The fixed statements as written, read once from the installed package."""
    return resources.files("graph.opendata").joinpath(FIXED_STATEMENTS).read_text(encoding="utf-8")


def fixed_statements(settings: CatalogSettings) -> Graph:
    """The statements no build changes, their relative IRIs resolved against the catalogue
    document of this deployment.

    >>> g = fixed_statements(CatalogSettings("http://127.0.0.1:8080"))
    >>> print(g.value(URIRef("http://127.0.0.1:8080/catalog#sparql"), DCAT.endpointURL))
    http://127.0.0.1:8080/sparql
    """
    return Graph().parse(data=_fixed_turtle(), format="turtle",
                         publicID=settings.url("catalog"))


def _licence(g: Graph, catalog: URIRef) -> URIRef:
    """The licence the fixed statements give the catalogue, for every dump too.

    Raises :class:`ValueError` when ``catalog_fixed.ttl`` names none (a broken edit of it).
    """
    licence = g.value(catalog, DCTERMS.license)
    if not isinstance(licence, URIRef):
        raise ValueError(f"{FIXED_STATEMENTS} gives the catalogue no dct:license IRI")
    return licence


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
    g = fixed_statements(settings)
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("spdx", SPDX)
    g.bind("dcatap", DCATAP)
    iris = CatalogIris.below(settings)
    licence = _licence(g, iris.catalog)
    issued = issued or modified
    for node in (iris.catalog, iris.dataset):
        g.add((node, DCTERMS.issued, datetime_literal(issued)))
        g.add((node, DCTERMS.modified, datetime_literal(modified)))
    g.add((iris.dataset, DCTERMS.identifier, Literal(str(iris.dataset))))
    if version:
        # rdflib's closed DCAT namespace predates DCAT 3's dcat:version.
        g.add((iris.dataset, URIRef(str(DCAT) + "version"), Literal(version)))
    g.add((iris.dataset, DCTERMS.provenance, _provenance(g, settings)))
    if settings.contact_email:
        g.add((iris.contact, VCARD.hasEmail, URIRef(f"mailto:{settings.contact_email}")))
    for act in settings.applicable_legislation:
        g.add((iris.dataset, DCATAP.applicableLegislation, legislation(g, act)))
    _add_coverage(g, iris, coverage)
    for dataset in sources_in(coverage.graphs):
        source = source_dataset(g, str(iris.catalog), dataset, coverage)
        g.add((iris.dataset, DCTERMS.source, source))
        g.add((iris.dataset, PROV.wasDerivedFrom, source))
    for dump in dumps:
        g.add((iris.dataset, DCAT.distribution, dump_distribution(g, settings, dump, licence)))
    return g


def _add_coverage(g: Graph, iris: CatalogIris, coverage: Coverage) -> None:
    """Where and when the dataset is about: countries (on the catalogue too), NUTS regions,
    the box around the authorities' points and the period of the partnerships."""
    for iri in coverage.countries:
        location = country(g, iri, coverage.extents.get(iri))
        g.add((iris.catalog, DCTERMS.spatial, location))
        g.add((iris.dataset, DCTERMS.spatial, location))
    for region, name in sorted(coverage.regions.items()):
        g.add((iris.dataset, DCTERMS.spatial, nuts_region(g, region, name,
                                                          coverage.extents.get(region))))
    if coverage.bbox:
        g.add((iris.dataset, DCTERMS.spatial, points_box(g, coverage.bbox)))
    if coverage.start is not None or coverage.end is not None:
        period = BNode()
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if coverage.start is not None:
            g.add((period, DCAT.startDate, coverage.start))
        if coverage.end is not None:
            g.add((period, DCAT.endDate, coverage.end))
        g.add((iris.dataset, DCTERMS.temporal, period))


def _provenance(g: Graph, settings: CatalogSettings) -> BNode:
    """How the dataset was made, naming where this deployment keeps each source's graph."""
    node = BNode()
    g.add((node, RDF.type, DCTERMS.ProvenanceStatement))
    g.add((node, RDFS.label, Literal(
        "Built from hand-curated facts (with their sources), Wikipedia's lists of twin towns "
        "and Wikidata, reconciled to GeoNames and Wikidata; each source's statements are kept "
        f"in their own named graph ({data_base(settings.base_iri)}graph/...) and every "
        "partnership cites its source.", lang="en")))
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
