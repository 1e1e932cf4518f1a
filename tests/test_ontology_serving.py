"""The ontology at /def and the SKOS vocabularies below it: HTML for people, RDF for machines."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import OWL, RDF, Graph, URIRef
from rdflib.namespace import SKOS

from graph.vocab import ontology_files
from tests.open_data_support import BASE, make_app, parse_rdf, publish_sample

ONTOLOGY = URIRef("https://w3id.org/twinning-kg/def")
THEME = BASE + "id/theme/"


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    publish_sample(tmp_path)
    return make_app(tmp_path).test_client()


@pytest.fixture
def real_client(tmp_path: Path) -> FlaskClient:
    """The app serving the project's own ``ontology/`` folder, not the stand-in."""
    publish_sample(tmp_path)
    return make_app(tmp_path, ONTOLOGY_DIR=str(ontology_files.ONTOLOGY_DIR)).test_client()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]
        self.ids |= {v for k, v in attrs if k == "id" and v}


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("*/*", "text/turtle"),
])
def test_machines_get_the_ontology_as_rdf(client: FlaskClient, accept: str, media: str) -> None:
    response = client.get("/def", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media
    graph = parse_rdf(response.data, media)
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    turtle = parse_rdf(client.get("/def?format=ttl").data, "text/turtle")
    assert graph.isomorphic(turtle)


def test_browsers_get_html_docs(client: FlaskClient) -> None:
    response = client.get("/def", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.mimetype == "text/html"
    assert "Accept" in {v.strip() for v in response.headers["Vary"].split(",")}
    page = response.get_data(as_text=True)
    assert 'id="Partnership"' in page and "partnerství" in page
    assert "/def/vocabularies/theme" in _links(page)


def test_unacceptable_format_is_406(client: FlaskClient) -> None:
    assert client.get("/def", headers={"Accept": "application/pdf"}).status_code == 406


def test_vocabularies_are_browsable(client: FlaskClient) -> None:
    index = client.get("/def/vocabularies/", headers={"Accept": "text/html"})
    assert "/def/vocabularies/theme" in _links(index.get_data(as_text=True))
    page = client.get("/def/vocabularies/theme", headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    links = _links(html)
    # Every concept links to its IRI; the narrower concept is nested under its broader one.
    assert {THEME + "culture", THEME + "infrastructure", THEME + "water"} <= set(links)
    assert html.index("infrastructure") < html.index("water supply")
    assert "wodociągi" in html and "vodovody" in html


def test_a_vocabulary_as_rdf(client: FlaskClient) -> None:
    response = client.get("/def/vocabularies/theme", headers={"Accept": "text/turtle"})
    graph = parse_rdf(response.data, "text/turtle")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts == {URIRef(THEME + s) for s in ("culture", "infrastructure", "water")}


def test_unknown_vocabulary_is_404(client: FlaskClient) -> None:
    assert client.get("/def/vocabularies/nope").status_code == 404


def test_missing_ontology_is_404_not_500(tmp_path: Path) -> None:
    publish_sample(tmp_path)
    app = make_app(tmp_path, ONTOLOGY_DIR=str(tmp_path / "nowhere"))
    assert app.test_client().get("/def").status_code == 404


@pytest.mark.parametrize("media", ["text/turtle", "application/ld+json", "application/rdf+xml"])
def test_real_ontology_is_served_whole(real_client: FlaskClient, media: str) -> None:
    response = real_client.get("/def", headers={"Accept": media})
    assert response.status_code == 200 and response.mimetype == media
    served = parse_rdf(response.data, media)
    source = Graph().parse(ontology_files.ONTOLOGY_DIR / ontology_files.ONTOLOGY_FILE)
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in served
    assert served.isomorphic(source)


def test_real_docs_are_served_and_anchor_every_term(real_client: FlaskClient) -> None:
    response = real_client.get("/def", headers={"Accept": "text/html"})
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    docs = ontology_files.ONTOLOGY_DIR / ontology_files.DOCS_FILE
    assert page == docs.read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(page)
    source = Graph().parse(ontology_files.ONTOLOGY_DIR / ontology_files.ONTOLOGY_FILE)
    namespace = str(ONTOLOGY) + "#"
    terms = {str(term)[len(namespace):]
             for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for term in source.subjects(RDF.type, kind) if str(term).startswith(namespace)}
    assert len(terms) > 20
    assert terms <= parser.ids, sorted(terms - parser.ids)


def test_real_vocabularies_are_all_browsable(real_client: FlaskClient) -> None:
    schemes = ontology_files.schemes(BASE)
    assert schemes
    index = _links(real_client.get("/def/vocabularies/",
                                   headers={"Accept": "text/html"}).get_data(as_text=True))
    for scheme in schemes:
        assert f"/def/vocabularies/{scheme.slug}" in index
        response = real_client.get(f"/def/vocabularies/{scheme.slug}",
                                   headers={"Accept": "text/turtle"})
        served = parse_rdf(response.data, "text/turtle")
        assert served.isomorphic(ontology_files.scheme_graph(scheme.slug))
        assert set(served.subjects(RDF.type, SKOS.Concept))
