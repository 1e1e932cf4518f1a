"""The ontology at /def and the SKOS vocabularies below it: HTML for people, RDF for machines."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from rdflib import OWL, RDF, URIRef
from rdflib.namespace import SKOS

from tests.open_data_support import BASE, make_app, parse_rdf, publish_sample

ONTOLOGY = URIRef("https://w3id.org/twinning-kg/def")
THEME = BASE + "id/theme/"


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    publish_sample(tmp_path)
    return make_app(tmp_path).test_client()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hrefs += [v for k, v in attrs if k == "href" and v]


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
