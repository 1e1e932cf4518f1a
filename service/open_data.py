"""What harvesters and crawlers fetch: DCAT-AP catalogue, VoID, dumps, ontology, robots, sitemap.

Routes (all read the build the request's query backend is pinned to, so what they describe is
the graph the request queries; what they derive from it is kept by that published version):

* ``/catalog`` — the DCAT-AP 3 catalogue (Turtle, RDF/XML, JSON-LD, N-Triples; HTML for people)
* ``/.well-known/void`` — the VoID description (same formats)
* ``/downloads/`` — the dumps page; ``/downloads/<file>`` the files themselves, served by
  Flask's ``send_from_directory`` (``safe_join``: nothing outside the dumps folder), with
  ``ETag`` = the file's SHA-256, conditional and HTTP range requests
* ``/def`` — the ontology: generated HTML docs for browsers, Turtle/JSON-LD/RDF/XML for
  machines; ``/def/vocabularies/`` and ``/def/vocabularies/<scheme>`` browse the SKOS schemes
* ``/favicon.ico`` (the SVG icon, for answers that are not pages)
* ``/robots.txt`` and ``/sitemap.xml`` (a sitemap index when there are more than 50,000 pages)

Formats come from the project's one registry (:mod:`service.media_types`): picked from
``Accept`` (q-values and wildcards) with ``?format=`` as an override; 406 when nothing fits.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask import send_from_directory as flask_send_from_directory
from rdflib import Graph

from graph.core.store_layout import Published
from graph.opendata import documents as od
from graph.opendata.catalog import describe_dumps
from graph.opendata.jsonld_dump import CONTEXT_NAME, jsonld_context
from graph.query.backend import BackendError
from graph.views.sitemap import resource_iris
from graph.vocab import ontology_files
from service import backend
from service.http import Validators, WebLink, alternate, entity_tag, set_links
from service.media_types import Format, formats_of, negotiate
from service.public_url import public_base, public_url

bp = Blueprint("open_data", __name__)

SERIALIZERS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}
"""Media type -> rdflib serializer of the graph formats these descriptions come in (no
N-Quads: a catalogue, VoID or ontology is one graph)."""

GRAPH_FORMATS: list[Format] = [f for f in formats_of("graph") if f.media_type in SERIALIZERS]
"""The registry's graph formats these routes serve, in its order of preference (Turtle first)."""

RDF_FORMATS: dict[str, tuple[str, str]] = {
    f.name: (f.media_type, SERIALIZERS[f.media_type]) for f in GRAPH_FORMATS
}
"""Canonical ``?format=`` name -> (media type, rdflib serializer), for links in pages."""

SITEMAP_LIMIT = 50_000
"""Most URLs in one sitemap file (sitemaps.org protocol)."""


OPEN_DATA = "open-data"
RESOURCE_IRIS = "resource-iris"
"""Names of what a published version keeps for these routes (:meth:`PublishedVersion.derived`,
with the base IRI): its catalogue and VoID, the IRIs of its resource pages."""


def _build() -> Published:
    """The build this request is pinned to (the query backend's, so the catalogue, the dumps
    and the sitemap describe the graph the request queries); 503 with a sentence when there is
    none: nothing published yet, or the service queries a remote SPARQL server."""
    try:
        build = backend().published.build
    except BackendError as error:
        abort(503, description=error.message)
    if build is None:
        abort(503, description="the catalogue, VoID, dumps and sitemap describe a build "
                               "published in STORE; this service queries a remote SPARQL "
                               "server")
    return build


def _open_data(build: Published) -> od.OpenData:
    """The catalogue and VoID of ``build``, read once per published version."""
    base = _base_iri()
    return backend().published.derived(
        (OPEN_DATA, base), lambda: od.open_data_of(build.root, base, build.version))


def _resource_iris() -> list[str]:
    """The IRIs of the resource pages of the pinned version, asked for once per version."""
    source, base = backend(), _base_iri()
    return source.published.derived((RESOURCE_IRIS, base),
                                    lambda: resource_iris(source, base))


def _base_iri() -> str:
    base: str = current_app.config["BASE_IRI"]
    return base if base.endswith("/") else base + "/"


def _negotiate(html: bool) -> Format:
    """The chosen format (HTML only where ``html``), by :func:`service.media_types.negotiate`:
    a browser naming ``text/html`` gets HTML over its ``*/*``, a bare ``*/*`` (curl,
    harvesters) Turtle. Raises :class:`werkzeug.exceptions.NotAcceptable` (406) if none fits.
    """
    candidates = GRAPH_FORMATS + (formats_of("page") if html else [])
    return negotiate(request.accept_mimetypes, candidates, request.args.get("format"))


def _rdf_response(graph: Graph, fmt: Format, tagged: tuple[str, ...],
                  alternates: list[WebLink]) -> Response:
    media, serializer = fmt.media_type, SERIALIZERS[fmt.media_type]
    if serializer == "json-ld":
        body = graph.serialize(format="json-ld", context=jsonld_context(_base_iri()),
                               auto_compact=True)
    else:
        body = graph.serialize(format=serializer)
    response = Response(body, mimetype=media)
    return _finish(response, (*tagged, fmt.name), alternates)


def _finish(response: Response, tagged: tuple[str, ...], alternates: list[WebLink]) -> Response:
    """``response`` negotiated by ``Accept``, linking its other forms, with an ETag made of
    ``tagged`` (the version and the form); 304 when the client holds it already."""
    response.headers["Vary"] = "Accept"
    set_links(response, alternates)
    return Validators(entity_tag(*tagged)).apply(response)


def _alternates(endpoint: str, **values: Any) -> list[WebLink]:
    return [alternate(url_for(endpoint, format=f.name, **values), f.media_type)
            for f in GRAPH_FORMATS]


@bp.get("/catalog")
def catalog() -> Response:
    """The DCAT-AP catalogue."""
    build = _build()
    fmt = _negotiate(html=True)
    data = _open_data(build)
    alternates = _alternates("open_data.catalog")
    if fmt.kind == "page":
        page = render_template("open_data/catalog.html", turtle=data.catalog.serialize(
            format="turtle"), formats=RDF_FORMATS, version=build.version)
        return _finish(Response(page, mimetype="text/html"), (build.version, "html"),
                       alternates)
    return _rdf_response(data.catalog, fmt, (build.version,), alternates)


@bp.get("/.well-known/void")
def void() -> Response:
    """The VoID description."""
    build = _build()
    fmt = _negotiate(html=False)
    data = _open_data(build)
    return _rdf_response(data.void, fmt, (build.version,), _alternates("open_data.void"))


@dataclass(frozen=True)
class _Row:
    name: str
    title: str
    media_type: str
    byte_size: int
    sha256: str


@bp.get("/downloads/")
def downloads() -> Response:
    """The downloads page: every dump with size, checksum and build date."""
    build = _build()
    rows = [_Row(d.name, d.format.title, d.format.media_type, d.byte_size, d.sha256)
            for d in describe_dumps(build.dumps)]
    page = render_template(
        "open_data/downloads.html", rows=rows, version=build.version,
        built_at=od.version_time(build.version),
        context_name=CONTEXT_NAME if (build.dumps / CONTEXT_NAME).is_file() else None,
    )
    response = Response(page, mimetype="text/html")
    return set_links(response, [WebLink(url_for("open_data.catalog"), "describedby")])


@bp.get("/downloads/<path:name>")
def download(name: str) -> Response:
    """One file of the dumps folder; ``safe_join`` refuses anything outside it (404)."""
    build = _build()
    # The type of a .gz file is gzip: guessing it from ".nq.gz" would make werkzeug send
    # "Content-Encoding: gzip", and clients would silently unpack what they meant to store.
    mimetype = "application/gzip" if name.endswith(".gz") else None
    if name == CONTEXT_NAME:
        mimetype = "application/ld+json"
    etag: str | bool = True
    for dump in describe_dumps(build.dumps):
        if dump.name == name:
            etag = dump.sha256
    response = flask_send_from_directory(
        build.dumps, name, mimetype=mimetype, etag=etag, conditional=True, max_age=3600
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _ontology_dir() -> Path:
    return Path(current_app.config.get("ONTOLOGY_DIR", ontology_files.ONTOLOGY_DIR))


def _ontology_version() -> str:
    try:
        return ontology_files.version_tag(_ontology_dir())
    except ontology_files.OntologyMissing as error:
        abort(404, description=str(error))


@bp.get("/def")
def ontology() -> Response:
    """The ontology at its namespace IRI: HTML docs for people, RDF for machines."""
    version = _ontology_version()
    fmt = _negotiate(html=True)
    alternates = _alternates("open_data.ontology")
    folder = _ontology_dir()
    if fmt.kind == "page":
        generated = ontology_files.generated_docs(folder)
        page = (generated.read_text(encoding="utf-8") if generated else render_template(
            "open_data/ontology.html", terms=ontology_files.terms(folder),
            schemes=ontology_files.schemes(_base_iri(), folder)))
        return _finish(Response(page, mimetype="text/html"), (version, "html"), alternates)
    return _rdf_response(ontology_files.ontology_graph(folder), fmt, (version,), alternates)


@bp.get("/def/vocabularies/")
def vocabularies() -> Response:
    """The SKOS concept schemes, each with its number of concepts."""
    version = _ontology_version()
    fmt = _negotiate(html=True)
    alternates = _alternates("open_data.vocabularies")
    folder = _ontology_dir()
    if fmt.kind == "page":
        page = render_template("open_data/vocabularies.html",
                               schemes=ontology_files.schemes(_base_iri(), folder))
        return _finish(Response(page, mimetype="text/html"), (version, "html"), alternates)
    return _rdf_response(ontology_files.vocabulary_graph(folder), fmt, (version,), alternates)


@bp.get("/def/vocabularies/<slug>")
def vocabulary(slug: str) -> Response:
    """One SKOS concept scheme as a browsable tree of its concepts (labels in en, pl, cs)."""
    version = _ontology_version()
    folder = _ontology_dir()
    scheme = ontology_files.scheme(slug, _base_iri(), folder)
    if scheme is None:
        abort(404, description=f"no vocabulary {slug!r}")
    fmt = _negotiate(html=True)
    alternates = _alternates("open_data.vocabulary", slug=slug)
    if fmt.kind == "page":
        page = render_template("open_data/vocabulary.html", scheme=scheme)
        return _finish(Response(page, mimetype="text/html"), (version, slug, "html"),
                       alternates)
    return _rdf_response(ontology_files.scheme_graph(slug, folder), fmt, (version, slug),
                         alternates)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site icon where browsers look without a page to tell them: on a JSON or Turtle
    answer opened in a tab, a 404 here would be an error in every visitor's console."""
    response = current_app.send_static_file("favicon.svg")
    response.mimetype = "image/svg+xml"
    response.cache_control.max_age = 86400
    return response


@bp.get("/robots.txt")
def robots() -> Response:
    """Crawl everything people read; keep robots off the query endpoints."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /sparql",
        "Disallow: /search",
        "Disallow: /autocomplete",
        "Disallow: /api/",
        f"Sitemap: {public_url(url_for('open_data.sitemap'))}",
        "",
    ]
    return Response("\n".join(lines), mimetype="text/plain")


def _page_urls() -> list[str]:
    """Fixed pages, then every resource page, as URLs on the public base (never the request's
    Host: sitemaps are cached for everybody)."""
    fixed = [public_url(url_for(endpoint)) for endpoint in (
        "open_data.catalog", "open_data.downloads", "open_data.ontology",
        "open_data.vocabularies")]
    with contextlib.suppress(ontology_files.OntologyMissing):  # no ontology, no vocabularies
        fixed += [public_url(url_for("open_data.vocabulary", slug=s.slug))
                  for s in ontology_files.schemes(_base_iri(), _ontology_dir())]
    base, root = _base_iri(), public_base()
    return fixed + [od.page_url(iri, base, root) for iri in _resource_iris()]


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """The sitemap, or a sitemap index of numbered parts when there are too many pages."""
    build = _build()
    urls = _page_urls()
    lastmod = od.version_time(build.version)
    if len(urls) <= SITEMAP_LIMIT:
        body = render_template("open_data/sitemap.xml", urls=urls, lastmod=lastmod)
    else:
        parts = range(1, (len(urls) + SITEMAP_LIMIT - 1) // SITEMAP_LIMIT + 1)
        body = render_template(
            "open_data/sitemap_index.xml", lastmod=lastmod,
            parts=[public_url(url_for("open_data.sitemap_part", number=n)) for n in parts],
        )
    return _finish(Response(body, mimetype="application/xml"), (build.version, "sitemap"), [])


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int) -> Response:
    """One part of a sitemap too large for one file."""
    build = _build()
    urls = _page_urls()[(number - 1) * SITEMAP_LIMIT : number * SITEMAP_LIMIT]
    if number < 1 or not urls:
        abort(404, description=f"no sitemap part {number}")
    body = render_template("open_data/sitemap.xml", urls=urls,
                           lastmod=od.version_time(build.version))
    return _finish(Response(body, mimetype="application/xml"),
                   (build.version, "sitemap", str(number)), [])
