"""The served DCAT-AP catalogue: official 3.0.1 shapes, coverage from the graph, negotiation."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, XSD

from graph.opendata.catalog import CatalogSettings, catalog_graph
from graph.opendata.coverage import Coverage
from tests.open_data_support import BASE, make_app, parse_rdf, publish_sample, vendor_file

SPDX = "http://spdx.org/rdf/terms#"
DATASET = URIRef(BASE + "catalog#dataset")
COUNTRY = "http://publications.europa.eu/resource/authority/country/"


@pytest.fixture
def published(tmp_path: Path) -> Path:
    publish_sample(tmp_path)
    return tmp_path


@pytest.fixture
def client(published: Path) -> FlaskClient:
    return make_app(published).test_client()


def _served(client: FlaskClient) -> Graph:
    response = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


def _shapes(*names: str) -> Graph:
    shapes = Graph()
    for name in names:
        shapes.parse(vendor_file("dcat-ap", "3.0.1", "html-shacl", name), format="turtle")
    return shapes


def _results(data: Graph, shapes: Graph, severity: URIRef) -> list[str]:
    _, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    assert isinstance(report, Graph)
    return sorted(
        f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
        f"{report.value(r, SH.resultMessage)}"
        for r in report.subjects(SH.resultSeverity, severity)
    )


def test_served_catalogue_conforms_to_dcat_ap_3(client: FlaskClient) -> None:
    catalogue = _served(client)
    violations = _results(catalogue, _shapes("shapes.ttl", "range.ttl"), SH.Violation)
    assert violations == []
    # Recommendations are warnings: printed (pytest -rA shows them), not failures.
    for warning in _results(catalogue, _shapes("shapes_recommended.ttl"), SH.Warning):
        print("DCAT-AP recommendation:", warning)


def test_the_shapes_catch_a_broken_catalogue() -> None:
    """The conformance test can fail: a dataset without a title, a distribution without an
    access URL and a wrongly typed byte size are all violations."""
    good = catalog_graph(CatalogSettings(BASE), Coverage(), [], modified=_now())
    bad = Graph()
    for triple in good:
        bad.add(triple)
    bad.remove((DATASET, DCTERMS.title, None))
    distribution = URIRef(BASE + "catalog#sparql-distribution")
    bad.remove((distribution, DCAT.accessURL, None))
    bad.add((distribution, DCAT.byteSize, Literal("big")))
    violations = _results(bad, _shapes("shapes.ttl", "range.ttl"), SH.Violation)
    paths = " ".join(violations)
    assert str(DCTERMS.title) in paths and str(DCAT.accessURL) in paths
    assert str(DCAT.byteSize) in paths


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)


def test_every_dump_is_a_distribution_with_size_and_checksum(
    client: FlaskClient, published: Path
) -> None:
    catalogue = _served(client)
    dumps = sorted((published / "current" / "dumps").glob("*.gz"))
    assert [p.name for p in dumps] == ["twinkg.jsonld.gz", "twinkg.nq.gz", "twinkg.ttl.gz"]
    by_url = {str(catalogue.value(d, DCAT.downloadURL)): d
              for d in catalogue.objects(DATASET, DCAT.distribution)}
    for path in dumps:
        node = by_url[BASE + "downloads/" + path.name]
        assert int(catalogue.value(node, DCAT.byteSize)) == path.stat().st_size  # type: ignore[arg-type]
        checksum = catalogue.value(node, URIRef(SPDX + "checksum"))
        assert isinstance(checksum, BNode)
        value = catalogue.value(checksum, URIRef(SPDX + "checksumValue"))
        assert isinstance(value, Literal) and value.datatype == XSD.hexBinary
        assert str(value) == hashlib.sha256(path.read_bytes()).hexdigest()
        assert catalogue.value(checksum, URIRef(SPDX + "algorithm")) == URIRef(
            SPDX + "checksumAlgorithm_sha256")
        assert catalogue.value(node, DCAT.compressFormat) == URIRef(
            "http://www.iana.org/assignments/media-types/application/gzip")
        assert catalogue.value(node, DCTERMS.license) is not None
        assert str(catalogue.value(node, DCTERMS.format)).startswith(
            "http://publications.europa.eu/resource/authority/file-type/")
    # And the SPARQL endpoint as a data service serving the dataset.
    service = URIRef(BASE + "catalog#sparql")
    assert (service, RDF.type, DCAT.DataService) in catalogue
    assert catalogue.value(service, DCAT.endpointURL) == URIRef(BASE + "sparql")
    assert (service, DCAT.servesDataset, DATASET) in catalogue


def test_coverage_comes_from_the_graph(client: FlaskClient) -> None:
    catalogue = _served(client)
    spatial = {str(s) for s in catalogue.objects(DATASET, DCTERMS.spatial)
               if isinstance(s, URIRef)}
    assert spatial == {COUNTRY + c for c in ("POL", "DEU", "CZE", "SWE")}
    period = catalogue.value(DATASET, DCTERMS.temporal)
    assert catalogue.value(period, DCAT.startDate) == Literal("1991-05",
                                                              datatype=XSD.gYearMonth)
    assert catalogue.value(period, DCAT.endDate) == Literal("2012-06-30", datatype=XSD.date)
    titles = {t.language for t in catalogue.objects(DATASET, DCTERMS.title)
              if isinstance(t, Literal)}
    assert titles == {"en", "pl", "cs"}
    themes = set(catalogue.objects(DATASET, DCAT.theme))
    assert URIRef("http://publications.europa.eu/resource/authority/data-theme/REGI") in themes


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples;q=0.9, text/turtle;q=0.5", "application/n-triples"),
    ("*/*", "text/turtle"),
])
def test_content_negotiation_gives_the_same_graph(
    client: FlaskClient, accept: str, media: str
) -> None:
    response = client.get("/catalog", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media
    assert "Accept" in response.headers["Vary"]
    assert parse_rdf(response.data, media).isomorphic(_served(client))


def test_browsers_get_html_and_unknown_formats_406(client: FlaskClient) -> None:
    page = client.get("/catalog", headers={
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html"
    assert 'rel="alternate"' in page.headers["Link"]
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/catalog?format=xlsx").status_code == 406
    by_override = client.get("/catalog?format=jsonld", headers={"Accept": "text/html"})
    assert by_override.mimetype == "application/ld+json"


def test_etag_revalidation(client: FlaskClient) -> None:
    first = client.get("/catalog", headers={"Accept": "text/turtle"})
    etag = first.headers["ETag"]
    again = client.get("/catalog", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304


def test_the_fixed_statements_follow_the_deployment() -> None:
    """catalog_fixed.ttl is written relative to the catalogue document: deployed elsewhere,
    every catalogue IRI is below that deployment, and the licence it states covers the dumps."""
    from graph.opendata.dumps import DumpFile, dump_format

    local = "http://127.0.0.1:8080/"
    fmt = dump_format("twinkg.nq.gz")
    assert fmt is not None
    dump = DumpFile("twinkg.nq.gz", fmt, 10, "00" * 32, _now())
    g = catalog_graph(CatalogSettings(local), Coverage(), [dump], modified=_now())
    dataset, service = URIRef(local + "catalog#dataset"), URIRef(local + "catalog#sparql")
    assert (URIRef(local + "catalog"), DCAT.dataset, dataset) in g
    assert g.value(dataset, DCAT.landingPage) == URIRef(local)
    assert g.value(service, DCAT.endpointURL) == URIRef(local + "sparql")
    assert g.value(dataset, DCTERMS.publisher) == URIRef(local + "catalog#publisher")
    assert not any(str(term).startswith(BASE + "catalog") for triple in g for term in triple)
    licence = g.value(URIRef(local + "catalog"), DCTERMS.license)
    assert licence == URIRef(
        "http://publications.europa.eu/resource/authority/licence/CC_BYSA_4_0")
    assert g.value(URIRef(local + "catalog#dump-twinkg.nq.gz"), DCTERMS.license) == licence
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in g
