"""Linked Data: every IRI the graph mints (``<BASE_IRI>id/...``) resolves here.

Following the W3C note "Cool URIs for the Semantic Web", things and documents have different
IRIs, joined by **303 See Other**:

* ``/id/authority/pl/swarzędz`` names the town itself. A ``GET`` answers ``303`` to the
  document that describes it, chosen by ``Accept`` (``Vary: Accept``): the browsing page
  (``/authority/pl/swarzędz``; ``/doc/...`` for kinds without one) for browsers,
  ``/doc/....ttl`` (``.jsonld``, ``.nt``, ``.rdf``) for RDF clients. A suffix on the thing's IRI
  (``/id/....ttl``) picks that document directly. Unknown IRIs are ``404`` at once.
* ``/doc/authority/pl/swarzędz`` is the description: HTML or RDF by ``Accept`` (or ``?format=``),
  with ``Link: rel="alternate"`` to every other form; the suffixed documents are fixed forms.

A description holds the resource's own triples and its incoming links (an authority's
partnerships). Paths are percent-decoded and NFC-normalised before the IRI is looked up, so
``Ústí nad Labem`` resolves however a client encodes it.
"""

from __future__ import annotations

import unicodedata

from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.urls import iri_to_uri

from graph.core.iris import data_base
from graph.core.namespaces import PREFIXES
from graph.query.backend import NotFound
from graph.views import resources
from service import backend
from service.http import Validators, alternate, entity_tag, set_links
from service.media_types import LINKED_DATA_SUFFIXES, Format, by_suffix, formats_of, negotiate
from service.templating import browsing_page

bp = Blueprint("linked_data", __name__)


def _document_formats() -> list[Format]:
    return formats_of("page") + [f for f in formats_of("graph")
                                 if f.suffix in LINKED_DATA_SUFFIXES]


def _split_suffix(path: str) -> tuple[str, Format | None]:
    stem, dot, suffix = path.rpartition(".")
    found = by_suffix(suffix) if dot else None
    if found is not None and found.suffix in LINKED_DATA_SUFFIXES:
        return stem, found
    return path, None


def resource_iri(path: str) -> str:
    """The IRI that ``/id/<path>`` stands for (NFC, below the configured base)."""
    return data_base(current_app.config["BASE_IRI"]) + unicodedata.normalize("NFC", path)


@bp.route("/id/<path:path>")
def thing(path: str) -> Response:
    """303 See Other from a thing's IRI to the document describing it; 404 if unknown."""
    stem, fixed = _split_suffix(path)
    if not resources.resource_exists(backend(), resource_iri(stem)):
        raise NotFound(f"{resource_iri(stem)} is not in the graph")
    chosen = fixed or negotiate(request.accept_mimetypes, _document_formats(),
                                request.args.get("format"))
    response = Response(status=303)
    if chosen.kind == "page":
        # People get the rich browsing page where the resource's kind has one.
        response.headers["Location"] = (browsing_page(resource_iri(stem))
                                        or _document_url(stem, None))
    else:
        response.headers["Location"] = _document_url(stem, chosen)
    if fixed is None:
        response.vary.add("Accept")
    return response


@bp.route("/doc/<path:path>")
def document(path: str) -> Response:
    """The description of ``/id/<path>`` as HTML or RDF, with links to its other forms."""
    stem, fixed = _split_suffix(path)
    iri = resource_iri(stem)
    chosen = fixed or negotiate(request.accept_mimetypes, _document_formats(),
                                request.args.get("format"))
    validators = _validators(iri, chosen)
    if validators.unchanged():
        response = Response()  # made a 304 by the validators, before any query runs
    elif chosen.kind == "page":
        view = resources.resource_view(backend(), iri)
        response = Response(render_template(
            "resource.html", view=view, alternates=_alternates(stem),
            curie=_curie, href=_href, data_base=data_base(current_app.config["BASE_IRI"])),
            mimetype="text/html")
    else:
        body = resources.describe(backend(), iri, chosen.media_type)
        response = Response(body, mimetype=chosen.media_type)
    if fixed is None:
        response.vary.add("Accept")
    set_links(response, [alternate(url, f.media_type) for f, url in _alternates(stem)
                         if f != chosen])
    return validators.apply(response)


def _validators(iri: str, chosen: Format) -> Validators:
    """The document's validators: its ETag is the published version, the IRI and the format
    (none from a remote backend, whose data has no version)."""
    source = backend()
    etag = None if source.version is None else entity_tag(source.version, iri,
                                                          chosen.media_type)
    return Validators(etag, source.modified, max_age=60)


def _document_url(stem: str, chosen: Format | None) -> str:
    path = stem if chosen is None else f"{stem}.{chosen.suffix}"
    return iri_to_uri(url_for("linked_data.document", path=path))


def _alternates(stem: str) -> list[tuple[Format, str]]:
    return [(f, url_for("linked_data.document", path=stem if f.kind == "page"
                        else f"{stem}.{f.suffix}")) for f in _document_formats()]


def _curie(iri: str) -> str:
    """``tkg:Municipality`` for a known namespace, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _href(iri: str) -> str:
    """Where a link to ``iri`` should go: minted IRIs resolve on this service."""
    base = data_base(current_app.config["BASE_IRI"])
    if iri.startswith(base):
        return url_for("linked_data.thing", path=iri[len(base):])
    return iri
