"""Dumps: parse back to the store's quads, range requests, ETag, no way out of the folder;
robots.txt and the sitemap."""

from __future__ import annotations

import gzip
import hashlib
import http.client
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from graph.core.settings import setting
from service import open_data
from service.public_url import served_base
from tests.open_data_support import make_app, publish_sample, sample_store, served

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLIC = served_base(setting("HOST"), int(setting("PORT"))).rstrip("/")
"""Where absolute URLs point without PUBLIC_BASE: the address served, whatever the Host."""


@pytest.fixture
def published(tmp_path: Path) -> Path:
    publish_sample(tmp_path)
    return tmp_path


@pytest.fixture
def client(published: Path) -> FlaskClient:
    return make_app(published).test_client()


def _get(client: FlaskClient, path: str, **headers: str) -> TestResponse:
    """GET and read the whole body, closing the file a download response holds open."""
    with client.get(path, headers=headers) as response:
        response.get_data()
        return response


def _canonical(quads: object) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)  # type: ignore[arg-type]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


@pytest.mark.parametrize(("name", "fmt"), [
    ("twinkg.nq.gz", ox.RdfFormat.N_QUADS),
    ("twinkg.jsonld.gz", ox.RdfFormat.JSON_LD),
])
def test_quad_dumps_parse_back_to_the_store(client: FlaskClient, name: str,
                                            fmt: ox.RdfFormat) -> None:
    response = _get(client, f"/downloads/{name}")
    assert response.status_code == 200
    quads = list(ox.parse(gzip.decompress(response.data), format=fmt))
    store = sample_store()
    assert len(quads) == len(store) == 43
    assert _canonical(quads) == _canonical(store)


def test_turtle_dump_is_the_union(client: FlaskClient) -> None:
    response = _get(client, "/downloads/twinkg.ttl.gz")
    triples = list(ox.parse(gzip.decompress(response.data), format=ox.RdfFormat.TURTLE))
    assert len(triples) == len({q.triple for q in sample_store()}) == 42


def test_jsonld_context_is_published_and_used(client: FlaskClient) -> None:
    context = _get(client, "/downloads/context.jsonld")
    assert context.mimetype == "application/ld+json"
    terms = context.get_json()["@context"]
    dump = gzip.decompress(_get(client, "/downloads/twinkg.jsonld.gz").data)
    assert json.loads(dump)["@context"] == terms
    assert terms["tkg"] == "https://w3id.org/twinning-kg/def#"


def test_downloads_page_lists_every_dump(client: FlaskClient, published: Path) -> None:
    page = client.get("/downloads/").get_data(as_text=True)
    for path in (published / "current" / "dumps").glob("*.gz"):
        assert f'href="/downloads/{path.name}"' in page
        assert hashlib.sha256(path.read_bytes()).hexdigest() in page
        assert f"{path.stat().st_size:,}" in page


def test_range_requests_resume_a_download(client: FlaskClient, published: Path) -> None:
    whole = (published / "current" / "dumps" / "twinkg.nq.gz").read_bytes()
    head = _get(client, "/downloads/twinkg.nq.gz", Range="bytes=0-99")
    assert head.status_code == 206
    assert head.headers["Content-Range"] == f"bytes 0-99/{len(whole)}"
    tail = _get(client, "/downloads/twinkg.nq.gz", Range="bytes=100-")
    assert tail.status_code == 206
    assert head.data + tail.data == whole
    # Served as a gzip file, not as gzip-encoded N-Quads a client would silently unpack.
    assert head.mimetype == "application/gzip"
    assert "Content-Encoding" not in head.headers


def test_etag_is_the_checksum_and_revalidates(client: FlaskClient, published: Path) -> None:
    path = published / "current" / "dumps" / "twinkg.ttl.gz"
    response = _get(client, "/downloads/twinkg.ttl.gz")
    etag = hashlib.sha256(path.read_bytes()).hexdigest()
    assert response.headers["ETag"] == f'"{etag}"'
    again = _get(client, "/downloads/twinkg.ttl.gz", **{"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304
    stale = _get(client, "/downloads/twinkg.ttl.gz", **{"If-Range": '"other"',
                                                        "Range": "bytes=0-9"})
    assert stale.status_code == 200 and stale.data == path.read_bytes()


TRAVERSALS = [
    "../summary.json", "..%2fsummary.json", "%2e%2e/summary.json", "%2e%2e%2fsummary.json",
    "..%5csummary.json", "%2e%2e%5csummary.json", "..\\summary.json",
    "%252e%252e%252fsummary.json",
    "../../builds", "%2fetc%2fpasswd", "/etc/passwd", "....//summary.json",
    "..%c0%afsummary.json", "twinkg.nq.gz/../../summary.json", "%2e%2e/oxigraph/CURRENT",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused_over_real_http(published: Path, path: str) -> None:
    """Raw request targets over a real socket, so no client normalises the path first."""
    secret = (published / "current" / "summary.json").read_bytes()
    with served(make_app(published)) as url:
        host, port = url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.putrequest("GET", "/downloads/" + path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
    assert secret not in body
    if response.status == 308:  # "//" merged by werkzeug: a redirect that stays below /downloads/
        assert (response.getheader("Location") or "").startswith(url + "/downloads/")
    else:
        assert response.status in (400, 404), (path, response.status)


@pytest.mark.parametrize("path", ["../summary.json", "..%2fsummary.json", "%2e%2e%2fsummary.json"])
def test_traversal_is_refused_through_the_test_client(client: FlaskClient, path: str) -> None:
    assert _get(client, "/downloads/" + path).status_code in (400, 404)


def test_robots_points_to_the_sitemap(client: FlaskClient) -> None:
    lines = client.get("/robots.txt").get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /sparql" in lines
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines


def test_favicon_is_served_where_browsers_look_for_it(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    assert (response.status_code, response.mimetype) == (200, "image/svg+xml")
    assert response.data.lstrip().startswith(b"<svg")
    response.close()


def _locs(xml: bytes, tag: str) -> list[str]:
    root = ET.fromstring(xml)  # noqa: S314 (our own response)
    return [e.text or "" for e in root.iter(f"{SITEMAP_NS}loc")] if root.tag.endswith(
        tag) else []


def test_sitemap_lists_every_resource_page(client: FlaskClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    urls = _locs(response.data, "urlset")
    subjects = {q.subject.value for q in sample_store()
                if isinstance(q.subject, ox.NamedNode) and q.predicate.value.endswith("#type")}
    expected = {f"{PUBLIC}/id/" + s.removeprefix("https://w3id.org/twinning-kg/id/")
                for s in subjects}
    assert {unquote(u) for u in urls if "/id/" in u} == expected
    assert f"{PUBLIC}/id/authority/pl/swarz%C4%99dz" in urls
    assert f"{PUBLIC}/catalog" in urls and f"{PUBLIC}/downloads/" in urls


def test_large_sitemap_becomes_an_index(client: FlaskClient,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    everything = _locs(client.get("/sitemap.xml").data, "urlset")
    monkeypatch.setattr(open_data, "SITEMAP_LIMIT", 4)
    parts = _locs(client.get("/sitemap.xml").data, "sitemapindex")
    assert len(parts) == (len(everything) + 3) // 4
    collected: list[str] = []
    for part in parts:
        collected += _locs(client.get(part.removeprefix(PUBLIC)).data, "urlset")
    assert collected == everything
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404
