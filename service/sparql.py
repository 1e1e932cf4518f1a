"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (query operation, read-only).

* query by ``GET ?query=``, by ``POST`` form-encoded and by ``POST application/sparql-query``;
  ``default-graph-uri`` / ``named-graph-uri`` set the dataset (the URL's and the form's count);
* SELECT/ASK as SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle, JSON-LD, N-Triples,
  N-Quads, RDF/XML; by ``Accept`` or ``format=`` (see :mod:`service.media_types`); 406 if none;
* ``GET /sparql`` without parameters is the SPARQL 1.1 Service Description (HTML for people);
  ``?format=`` (one of its forms) and ``?lang=`` may pick its form and its page's language;
* updates (``update=``, ``application/sparql-update``) are refused: the endpoint is read-only.

The view only parses the protocol; the backend checks and runs the query. In front of the app
(installed by :func:`service.create_app`), :class:`AnswerCache` hands back whole responses to
repeated requests (same query, same negotiation) while the published version stays the same,
without going through Flask.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph
from flask import Blueprint, Flask, Response, current_app, render_template, request, url_for
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from graph.query.backend import (
    Backend,
    ByteBoundedCache,
    QueryLimitExceeded,
    QueryRefused,
)
from graph.query.guard import UPDATE_REFUSED
from graph.query.version import PublishedVersion
from service import backend
from service.http import Validators, WebLink, entity_tag, set_links
from service.media_types import Format, formats_of, negotiate, negotiate_or_none
from service.public_url import public_url
from service.templating import has_endpoint

bp = Blueprint("sparql", __name__)
ENDPOINT_PATHS = ("/sparql", "/sparql/")
_CACHED_BODY_LIMIT = 64 * 1024

SD = "http://www.w3.org/ns/sparql-service-description#"
_RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SEE_ALSO = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")


@bp.route("/sparql/", methods=["GET", "POST"])
@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer one protocol request (see the module docstring).

    The view reads no SPARQL: it negotiates a format for each kind of answer, and the query
    process, which reads the query, picks the one that applies (406 when that one is missing).
    """
    if _asks_for_description():
        return service_description()
    query, default_graphs, named_graphs = _protocol_request()
    results, graph = _answer_formats(_format_parameter())
    source = backend()
    validators = validators_of(source, query, default_graphs, named_graphs, results, graph)
    if validators.unchanged():
        response = Response()  # made a 304 by the validators, before any query runs
    else:
        # the answer cache in front of the app keeps the answer with the version it came from
        request.environ[ANSWERED_FROM] = source.published
        output = source.query(
            query, results_format=results.media_type if results else None,
            graph_format=graph.media_type if graph else None,
            default_graphs=default_graphs, named_graphs=named_graphs, base_iri=_base_iri(),
            remember=False)  # AnswerCache keeps whole responses: no second copy
        response = Response(output.body, mimetype=output.media_type)
    response.headers["Vary"] = "Accept"  # a new response: no Vary to merge with yet
    return validators.apply(response)


BASE_IRI = "twinkg.sparql_base_iri"
"""Where :func:`_base_iri` keeps the app's base IRI (in ``app.extensions``)."""


def _base_iri() -> str:
    """The base of relative IRIs in queries: the endpoint's public URL, from configuration
    alone (made once per app: every query needs it)."""
    found: str | None = current_app.extensions.get(BASE_IRI)
    if found is None:
        found = current_app.extensions[BASE_IRI] = public_url(url_for("sparql.endpoint"))
    return found


DESCRIPTION_PARAMETERS = frozenset({"format", "lang"})
"""The parameters a GET for the service description may carry: ``format`` picks one of its
forms (its page links to each) and ``lang`` the language of its page (the switcher's links)."""


def _asks_for_description() -> bool:
    """Whether the request is a GET for the service description: no parameter but
    :data:`DESCRIPTION_PARAMETERS`, and a ``format`` (if any) that the description comes in.
    Anything else is a protocol request (``?format=json`` alone is a query without a query)."""
    if request.method != "GET" or not set(request.args) <= DESCRIPTION_PARAMETERS:
        return False
    wanted = request.args.get("format", "").strip().lower()
    return not wanted or any(wanted in f.names or wanted == f.media_type
                             for f in formats_of("page", "graph"))


def _protocol_request() -> tuple[str, list[str] | None, list[str] | None]:
    """(query, default graphs, named graphs) from a protocol request.

    :raises BadRequest: no query, or more than one.
    :raises UnsupportedMediaType: a POST that is neither form-encoded nor a SPARQL query.
    :raises QueryRefused: the request is an update (refused unread: the endpoint is read-only).
    :raises QueryLimitExceeded: the query is longer than ``MAX_QUERY_CHARS``.
    """
    params = request.args
    if request.method == "POST":
        mimetype = request.mimetype
        if mimetype == "application/x-www-form-urlencoded":
            params = request.values  # the form, then the URL
        elif mimetype in ("application/sparql-query", "application/sparql-update"):
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset.replace("-", "") != "utf8":
                raise UnsupportedMediaType(f"a SPARQL body must be UTF-8, not {charset}")
            try:
                text = request.get_data().decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest("the request body is not valid UTF-8") from None
            if mimetype == "application/sparql-update":
                raise QueryRefused(UPDATE_REFUSED)
            return _bounded(text), _graphs("default-graph-uri"), _graphs("named-graph-uri")
        else:
            raise UnsupportedMediaType(
                "POST a query as application/x-www-form-urlencoded (query=...) or as "
                f"application/sparql-query, not {mimetype or 'a body without Content-Type'}")
    if params.getlist("update"):
        raise QueryRefused(UPDATE_REFUSED)
    queries = params.getlist("query")
    if len(queries) > 1:
        raise BadRequest("send exactly one query parameter, not several")
    if not queries or not queries[0].strip():
        raise BadRequest("missing query: send it as ?query=, as a form field or as an "
                         "application/sparql-query body")
    return _bounded(queries[0]), _graphs("default-graph-uri"), _graphs("named-graph-uri")


def _bounded(query: str) -> str:
    """``query``, unless it is longer than the ``MAX_QUERY_CHARS`` setting.

    :raises QueryLimitExceeded: it is (HTTP 413).
    """
    limit = int(current_app.config["MAX_QUERY_CHARS"])
    if len(query) > limit:
        raise QueryLimitExceeded(f"the query has {len(query):,} characters, more than the "
                                 f"{limit:,} this endpoint reads", "MAX_QUERY_CHARS", 413)
    return query


def _graphs(name: str) -> list[str] | None:
    values = request.values.getlist(name) if request.mimetype == \
        "application/x-www-form-urlencoded" else request.args.getlist(name)
    return values or None


def _format_parameter() -> str | None:
    if request.mimetype == "application/x-www-form-urlencoded":
        return request.values.get("format")
    return request.args.get("format")


_NEGOTIATED: dict[tuple[str, str | None], tuple[Format | None, Format | None]] = {}
"""The answer formats negotiated for each ``Accept`` header and ``format`` parameter seen
(clients send few distinct ones), kept up to :data:`_NEGOTIATED_ENTRIES` short headers."""
_NEGOTIATED_ENTRIES = 256
_NEGOTIATED_HEADER_CHARS = 512


def _answer_formats(format_name: str | None) -> tuple[Format | None, Format | None]:
    """The format of a results answer and of a graph answer for this request (``None``: the
    client accepts none of that kind), negotiated once per distinct ``Accept`` and
    ``format``.

    :raises NotAcceptable: the client accepts no format of either kind (HTTP 406).
    """
    accept = request.environ.get("HTTP_ACCEPT", "")
    found = negotiated(accept, format_name)
    if found is not None:
        return found
    results = negotiate_or_none(request.accept_mimetypes, formats_of("results"), format_name)
    graph = negotiate_or_none(request.accept_mimetypes, formats_of("graph"), format_name)
    if results is None and graph is None:
        negotiate(request.accept_mimetypes, formats_of("results", "graph"), format_name)
    if len(accept) + len(format_name or "") <= _NEGOTIATED_HEADER_CHARS:
        if len(_NEGOTIATED) >= _NEGOTIATED_ENTRIES:
            _NEGOTIATED.clear()
        _NEGOTIATED[accept, format_name] = (results, graph)
    return results, graph


def negotiated(accept: str, format_name: str | None,
               ) -> tuple[Format | None, Format | None] | None:
    """The formats negotiated before for this ``Accept`` header and ``format`` parameter,
    ``None`` when they have not been (yet)."""
    return _NEGOTIATED.get((accept, format_name))


def validators_of(source: Backend, query: str, default_graphs: list[str] | None,
                  named_graphs: list[str] | None, results: Format | None,
                  graph: Format | None) -> Validators:
    """The answer's validators: its ETag is the published version plus what was asked, in
    which formats (none from a remote backend, whose data has no version)."""
    etag = None if source.version is None else entity_tag(
        source.version, query, repr(default_graphs), repr(named_graphs),
        results.media_type if results else "", graph.media_type if graph else "")
    return Validators(etag, source.modified, max_age=60)


def service_description() -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, linking the VoID description when
    the app serves it (the open data blueprint)."""
    chosen = negotiate(request.accept_mimetypes, formats_of("page", "graph"),
                       request.args.get("format"))
    # Absolute URLs from the configured public base, never the request's Host: this answer
    # and its Link header are publicly cacheable.
    endpoint_url = public_url(url_for("sparql.endpoint"))
    void_url = public_url(url_for("open_data.void")) if has_endpoint("open_data.void") \
        else None
    if chosen.kind == "page":
        response = Response(render_template("sparql.html", endpoint=endpoint_url,
                                            void=void_url, formats=formats_of("graph")))
    else:
        body = pyoxigraph.serialize(_service_description(endpoint_url, void_url),
                                    format=pyoxigraph.RdfFormat.from_media_type(
                                        chosen.media_type))
        response = Response(body, mimetype=chosen.media_type)
    response.vary.add("Accept")
    set_links(response, [WebLink(void_url, "describedby")] if void_url else [])
    return Validators(None, backend().modified, max_age=60).apply(response)


def _service_description(endpoint_url: str, void_url: str | None) -> list[pyoxigraph.Triple]:
    def sd(term: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(SD + term)

    service = pyoxigraph.NamedNode(endpoint_url + "#service")
    dataset, default_graph = pyoxigraph.BlankNode(), pyoxigraph.BlankNode()
    triples = [
        pyoxigraph.Triple(service, _RDF_TYPE, sd("Service")),
        pyoxigraph.Triple(service, sd("endpoint"), pyoxigraph.NamedNode(endpoint_url)),
        pyoxigraph.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        pyoxigraph.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        pyoxigraph.Triple(service, sd("defaultDataset"), dataset),
        pyoxigraph.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        pyoxigraph.Triple(dataset, sd("defaultGraph"), default_graph),
        pyoxigraph.Triple(default_graph, _RDF_TYPE, sd("Graph")),
    ]
    if void_url:
        triples += [pyoxigraph.Triple(dataset, _SEE_ALSO, pyoxigraph.NamedNode(void_url)),
                    pyoxigraph.Triple(service, _SEE_ALSO, pyoxigraph.NamedNode(void_url))]
    for f in formats_of("results", "graph"):
        known = pyoxigraph.RdfFormat.from_media_type(f.media_type) or \
            pyoxigraph.QueryResultsFormat.from_media_type(f.media_type)
        if known is not None:
            iri = known.iri
            triples.append(pyoxigraph.Triple(service, sd("resultFormat"),
                                             pyoxigraph.NamedNode(iri)))
    if backend().allowlist:
        triples.append(pyoxigraph.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    return triples


_Key = bytes
_Answer = tuple[str, list[tuple[str, str]], bytes]
RESPONSES = "sparql-responses"
"""The name of a version's whole ``/sparql`` responses (:meth:`PublishedVersion.derived`)."""
ANSWERED_FROM = "twinkg.answered_from"
"""The WSGI environ key where the endpoint leaves the version it answered from."""
StartResponse = Callable[..., Any]


class AnswerCache:
    """WSGI middleware: whole ``/sparql`` responses for repeated requests, kept by the published
    version they were answered from (:meth:`graph.query.version.PublishedVersion.derived`), so
    they go with it when a newer build is served.

    A repeated query (a page that many people open, a dashboard's refresh) would otherwise go
    through request parsing, negotiation and response building in Flask, several times the cost
    of the answer itself. The key is everything the answer depends on besides the version: the
    method, the URL's query string, the body and its type, ``Accept``, ``Accept-Encoding`` and
    ``Origin`` (relative IRIs resolve against the configured public address, not the
    ``Host``), kept as a 16-byte digest, not as text. A request is looked up in the version
    served now, and its answer kept by the version the endpoint answered from (it says which in
    ``environ[ANSWERED_FROM]``), which a build switched in meanwhile cannot confuse. Only
    ``200`` answers are kept; conditional requests, other paths and remote backends (their data
    has no version) go to the app. ``max_bytes`` bounds each version's memory, 0 turns the
    cache off.
    """

    def __init__(self, app: Flask, max_bytes: int) -> None:
        self.app = app
        self.wrapped = app.wsgi_app
        self.max_bytes = max_bytes
        # an app's own slot: two apps on one backend (tests) may answer the same request
        # differently (their public address is the base of relative IRIs)
        self.name = (RESPONSES, object())

    def answers(self, version: PublishedVersion) -> ByteBoundedCache[_Key, _Answer]:
        """The responses this app keeps for ``version``."""
        return version.derived(self.name, lambda: ByteBoundedCache(self.max_bytes))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse,
                 ) -> Iterable[bytes]:
        served = self._served()
        key = self._key(environ) if served is not None else None
        if served is None or key is None:
            return self.wrapped(environ, start_response)
        found = self.answers(served).get(key)
        if found is not None:
            status, headers, body = found
            start_response(status, headers)
            return [body]
        captured: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            captured[:] = [status, headers]
            return start_response(status, headers, *exc)

        result = self.wrapped(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        answered_from: PublishedVersion | None = environ.get(ANSWERED_FROM)
        if answered_from is not None and answered_from.version is not None and captured \
                and captured[0].startswith("200 ") and not any(
                name.lower() == "set-cookie" for name, _ in captured[1]):
            self.answers(answered_from).put(key, (captured[0], list(captured[1]), body),
                                            len(body) + 512)
        return [body]

    def _served(self) -> PublishedVersion | None:
        """The version served now, or None when nothing can be cached (the cache is off, no
        backend is open yet, or its data has no version)."""
        backend: Backend | None = self.app.extensions.get("twinkg.backend")
        if self.max_bytes <= 0 or backend is None:
            return None
        served = backend.published
        return served if served.version is not None else None

    def _key(self, environ: dict[str, Any]) -> _Key | None:
        """The cache key of a request, or None when it must go to the app."""
        if environ.get("PATH_INFO") not in ENDPOINT_PATHS:
            return None
        if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            return None
        method = environ.get("REQUEST_METHOD", "")
        body = b""
        if method == "POST":
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return None
            if length <= 0 or length > _CACHED_BODY_LIMIT:
                return None
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)  # the app reads it again on a miss
        elif method != "GET" or not environ.get("QUERY_STRING"):
            return None  # HEAD, OPTIONS, the service description
        digest = hashlib.blake2b(digest_size=16)
        for part in (method, environ.get("QUERY_STRING", ""),
                     environ.get("CONTENT_TYPE", ""), body.decode("latin-1"),
                     environ.get("HTTP_ACCEPT", ""), environ.get("HTTP_ACCEPT_ENCODING", ""),
                     environ.get("HTTP_ORIGIN", ""), environ.get("SCRIPT_NAME", ""),
                     environ.get("wsgi.url_scheme", "")):
            digest.update(part.encode("utf-8", "surrogateescape"))
            digest.update(b"\0")
        return digest.digest()

