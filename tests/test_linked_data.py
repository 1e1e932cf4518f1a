"""Linked Data: minted IRIs resolve by 303 See Other to HTML or RDF documents."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pyoxigraph
import pytest
from flask.testing import FlaskClient

from graph.core.iris import authority_iri, data_base, partnership_iri

TKG = "https://w3id.org/twinning-kg/def#"
BASE = data_base()
FORMATS = {
    "text/turtle": ("ttl", pyoxigraph.RdfFormat.TURTLE),
    "application/ld+json": ("jsonld", pyoxigraph.RdfFormat.JSON_LD),
    "application/n-triples": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
    "application/rdf+xml": ("rdf", pyoxigraph.RdfFormat.RDF_XML),
}
TOWNS = [("PL", "Swarzędz"), ("SE", "Järfälla"), ("CZ", "Ústí nad Labem")]


def path_of(iri: str) -> str:
    return iri[len(BASE):]


def graph_of(body: bytes, media_type: str) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in pyoxigraph.parse(body, format=FORMATS[media_type][1])}


@pytest.mark.parametrize(("country", "name"), TOWNS)
@pytest.mark.parametrize("media_type", list(FORMATS))
def test_thing_redirects_303_to_rdf_document(client: FlaskClient, country: str, name: str,
                                             media_type: str) -> None:
    iri = authority_iri(country, name)
    response = client.get("/id/" + quote(path_of(iri)), headers={"Accept": media_type})
    assert response.status_code == 303
    assert "Accept" in response.vary
    location = response.headers["Location"]
    assert unquote(location) == f"/doc/{path_of(iri)}.{FORMATS[media_type][0]}"
    document = client.get(location)
    assert document.status_code == 200 and document.mimetype == media_type
    assert (iri, "http://www.w3.org/2000/01/rdf-schema#label", name) in graph_of(
        document.data, media_type)


def test_browser_gets_html_with_alternates(client: FlaskClient) -> None:
    iri = authority_iri("CZ", "Ústí nad Labem")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/id/" + path_of(iri), headers={"Accept": browser})
    assert response.status_code == 303
    # browsers are sent to the browsing page of the authority ...
    assert unquote(response.headers["Location"]) == f"/{path_of(iri)}"
    browsing = client.get(response.headers["Location"], headers={"Accept": browser})
    assert browsing.status_code == 200 and browsing.mimetype == "text/html"
    assert "Ústí nad Labem" in browsing.get_data(as_text=True)
    assert 'type="text/turtle"' in browsing.headers["Link"]
    # ... and the plain Linked Data document stays available as HTML too
    page = client.get(f"/doc/{quote(path_of(iri))}", headers={"Accept": browser})
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Ústí nad Labem" in page.get_data(as_text=True)
    links = page.headers["Link"]
    for suffix, media_type in [("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                               ("nt", "application/n-triples"), ("rdf", "application/rdf+xml")]:
        assert f'{quote(path_of(iri))}.{suffix}>; rel="alternate"; type="{media_type}"' in links
    assert "Accept" in page.vary


def test_description_includes_incoming_links(client: FlaskClient) -> None:
    iri = authority_iri("PL", "Swarzędz")
    response = client.get(f"/doc/{quote(path_of(iri))}.nt")
    graph = graph_of(response.data, "application/n-triples")
    for partner in (["de/ronnenberg"], ["se/järfälla"]):
        partnership = partnership_iri(["pl/swarzędz", *partner])
        assert (partnership, TKG + "participant", iri) in graph
    assert (authority_iri("DE", "Ronnenberg"), TKG + "twinnedWith", iri) in graph
    # the geometry blank node comes with it
    assert any(p == "http://www.opengis.net/ont/geosparql#asWKT" for _, p, _ in graph)


def test_suffix_on_the_thing_iri_picks_that_document(client: FlaskClient) -> None:
    iri = partnership_iri(["pl/swarzędz", "de/ronnenberg"])
    response = client.get(f"/id/{path_of(iri)}.ttl")
    assert response.status_code == 303
    assert unquote(response.headers["Location"]) == f"/doc/{path_of(iri)}.ttl"
    graph = graph_of(client.get(response.headers["Location"]).data, "text/turtle")
    assert (iri, TKG + "participant", authority_iri("PL", "Swarzędz")) in graph


def test_decomposed_unicode_in_the_path_still_resolves(client: FlaskClient) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "authority/cz/ústí-nad-labem")
    response = client.get("/id/" + quote(nfd), headers={"Accept": "text/turtle"})
    assert response.status_code == 303


@pytest.mark.parametrize("path", ["/id/authority/pl/nowhere", "/doc/authority/pl/nowhere.ttl",
                                  "/id/authority/pl/a%3E%20%7D"])
def test_unknown_iris_are_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.json is not None and response.json["error"]["type"] == "not-found"


def test_document_revalidates_with_etag(client: FlaskClient) -> None:
    url = "/doc/" + quote(path_of(authority_iri("PL", "Swarzędz"))) + ".ttl"
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
