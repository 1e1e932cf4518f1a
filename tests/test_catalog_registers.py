"""The catalogue of a graph built with the registers: source datasets with their licences,
NUTS and country coverage with bounding boxes and centroids, checked with DCAT-AP 3.0.1."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, SH

from graph.opendata.catalog import CatalogSettings, catalog_for_store
from tests.open_data_support import BASE, DATA, SAMPLE, vendor_file

DATASET = URIRef(BASE + "catalog#dataset")
NUTS = "http://data.europa.eu/nuts/code/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
WKT = URIRef("http://www.opengis.net/ont/geosparql#wktLiteral")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    store.load(path=str(DATA / "registers.trig"), format=ox.RdfFormat.TRIG)
    empty: Path = tmp_path_factory.mktemp("dumps")
    return catalog_for_store(store, empty, CatalogSettings(BASE),
                             modified=datetime(2026, 1, 1, tzinfo=UTC))


def _results(data: Graph, names: tuple[str, ...], severity: URIRef) -> list[str]:
    shapes = Graph()
    for name in names:
        shapes.parse(vendor_file("dcat-ap", "3.0.1", "html-shacl", name), format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    assert isinstance(report, Graph)
    return sorted(
        f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
        f"{report.value(r, SH.resultMessage)}"
        for r in report.subjects(SH.resultSeverity, severity))


def test_no_violation_and_no_recommendation_left(catalogue: Graph) -> None:
    assert _results(catalogue, ("shapes.ttl", "range.ttl"), SH.Violation) == []
    assert _results(catalogue, ("shapes_recommended.ttl",), SH.Warning) == []


def test_the_registers_loaded_are_source_datasets_with_licence_and_credit(
    catalogue: Graph,
) -> None:
    sources = set(catalogue.objects(DATASET, DCTERMS.source))
    assert sources == {URIRef(f"{BASE}catalog#source-{kind}")
                       for kind in ("teryt", "cz-obce", "nuts")}  # no LAU graph loaded
    assert set(catalogue.objects(DATASET, PROV.wasDerivedFrom)) == sources
    for source in sources:
        assert (source, RDF.type, DCAT.Dataset) in catalogue
        assert catalogue.value(source, DCTERMS.publisher) is not None
        distribution = catalogue.value(source, DCAT.distribution)
        licence = catalogue.value(distribution, DCTERMS.license)
        assert (licence, RDF.type, DCTERMS.LicenseDocument) in catalogue
        assert catalogue.value(distribution, DCTERMS.rights) is not None
    teryt = URIRef(f"{BASE}catalog#source-teryt")
    assert "GUS" in str(catalogue.value(
        catalogue.value(teryt, DCAT.distribution), DCTERMS.rights) and catalogue.value(
        catalogue.value(catalogue.value(teryt, DCAT.distribution), DCTERMS.rights),
        URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    nuts = URIRef(f"{BASE}catalog#source-nuts")
    assert catalogue.value(catalogue.value(nuts, DCAT.distribution), DCTERMS.license) == \
        URIRef("http://data.europa.eu/eli/dec/2011/833/oj")


def _box(catalogue: Graph, node: URIRef) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(west, south, east, north) of a location's WKT polygon."""
    wkt = catalogue.value(node, DCAT.bbox)
    assert isinstance(wkt, Literal) and wkt.datatype == WKT, f"{node} has no WKT bbox"
    corners = [c.split() for c in str(wkt).removeprefix("POLYGON((").rstrip(")").split(",")]
    longs = [Decimal(c[0]) for c in corners]
    lats = [Decimal(c[1]) for c in corners]
    return min(longs), min(lats), max(longs), max(lats)


def test_spatial_coverage_names_nuts_2_regions_with_their_units_extent(
    catalogue: Graph,
) -> None:
    spatial = {str(s) for s in catalogue.objects(DATASET, DCTERMS.spatial)
               if isinstance(s, URIRef)}
    assert {s for s in spatial if s.startswith(NUTS)} == {NUTS + "PL41", NUTS + "CZ01"}
    # Wielkopolskie: the box around Poznań and Swarzędz, the centroid its centre.
    assert _box(catalogue, URIRef(NUTS + "PL41")) == (
        Decimal("16.91937"), Decimal("52.40569"), Decimal("17.08149"), Decimal("52.41131"))
    assert str(catalogue.value(URIRef(NUTS + "PL41"), DCAT.centroid)) == "POINT(17.00043 52.4085)"


def test_every_country_has_its_own_extent_not_its_towns(catalogue: Graph) -> None:
    """Sweden's one town has no point in the graph; its box still spans Sweden (GeoNames'
    places), and Czechia's covers the whole country, not only Prague and Ústí."""
    sweden = _box(catalogue, URIRef(COUNTRY + "SWE"))
    assert sweden[0] < 12 and sweden[2] > 23 and sweden[1] < 56 and sweden[3] > 67  # Kiruna
    czechia = _box(catalogue, URIRef(COUNTRY + "CZE"))
    assert czechia[0] < Decimal("12.5") and czechia[2] > Decimal("18.5")
    for location in catalogue.subjects(RDF.type, DCTERMS.Location):
        assert catalogue.value(location, DCAT.centroid) is not None, location


def test_a_country_across_the_antimeridian_keeps_its_centroid_inside() -> None:
    """Russia's places run from 19.9 E to 169 W: its box crosses longitude 180 (two polygons),
    and its centroid lies in Siberia, not at longitude 0."""
    from graph.opendata.extents import country_box

    russia = country_box(COUNTRY + "RUS")
    assert russia is not None and russia.wraps
    assert russia.wkt_polygon().startswith("MULTIPOLYGON(((")
    long = Decimal(russia.wkt_centroid().removeprefix("POINT(").split()[0])
    assert 60 < long < 150
