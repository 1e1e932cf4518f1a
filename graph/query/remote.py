"""A remote SPARQL 1.1 server as the query backend, spoken to by the standard protocol.

Any server fits (Fuseki, Virtuoso, QLever, GraphDB, ``oxigraph serve``): that is how Twinning
KG scales beyond one machine. Queries are read by the same guard as the embedded store's before
they are sent, answers are read within the same limits (bytes, rows), and what a server sends
in another format than the one asked for is converted here, so the service sees no difference
between the two backends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import pyoxigraph
import requests

from graph.query.backend import Backend
from graph.query.errors import (
    BackendError,
    QueryLimitExceeded,
    QueryNotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
)
from graph.query.pool import QueryJob, QueryOutput, QueryRunner
from graph.query.process import ANSWER_BYTES

__all__ = ["RemoteBackend"]


class RemoteBackend(Backend):
    """A remote SPARQL 1.1 server, spoken to by the protocol (POST, form-encoded).

    The server's own dataset rules apply when no graphs are given: start ``oxigraph serve``
    with ``--union-default-graph`` so its default graph is the union, as in the embedded store.
    Every query is read by the guard in a small pool of killable processes that hold no store
    (:meth:`graph.query.pool.QueryRunner.inspect`), exactly as it is sent: some servers run
    updates sent as queries (Virtuoso), and the server would make any ``SERVICE`` call itself.
    Relative IRIs resolve against ``base_iri``, a configured address (never one a request
    names), written as a leading ``BASE`` that the guard reads with the rest.
    """

    def __init__(self, endpoint: str, *, timeout: float = 30.0, allowlist: Iterable[str] = (),
                 result_limit: int = 100_000, answer_bytes: int = ANSWER_BYTES,
                 base_iri: str | None = None, guard_processes: int = 2) -> None:
        super().__init__(allowlist=allowlist, result_limit=result_limit,
                         answer_bytes=answer_bytes)
        self.endpoint = endpoint
        self.timeout = timeout
        self.base_iri = _safe_base(base_iri)
        self._local = threading.local()
        self._guard = QueryRunner(None, processes=guard_processes, timeout=timeout)

    def close(self) -> None:
        self._guard.close()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _run(self, job: QueryJob, remember: bool) -> QueryOutput:
        # the protocol has no base parameter: a leading BASE gives relative IRIs the same base
        text = f"BASE <{self.base_iri}>\n{job.query}" if self.base_iri else job.query
        info = self._guard.inspect(text, self.allowlist)
        graph = info.is_graph
        wanted = job.graph_format if graph else job.results_format
        if wanted is None:
            raise QueryNotAcceptable("graph" if graph else "results")
        form: list[tuple[str, str]] = [("query", text)]
        form += [("default-graph-uri", g) for g in job.default_graphs or ()]
        form += [("named-graph-uri", g) for g in job.named_graphs or ()]
        body, got = self._post(form, _accept_for(wanted, graph))
        if info.form == "ASK":
            body, got = _boolean_answer(body, got)
        return _as_requested(body, got, wanted, graph, self.result_limit)

    def _post(self, form: list[tuple[str, str]], accept: str) -> tuple[bytes, str]:
        """The server's answer (body and media type), read up to the answer-bytes limit.

        :raises QueryTimeout: the server took longer than the time limit.
        :raises QuerySyntaxError: the server refused the query as malformed.
        :raises QueryLimitExceeded: the answer is larger than ``answer_bytes``.
        :raises BackendError: the server could not be reached or failed.
        """
        try:
            response = self._session().post(self.endpoint, data=form, timeout=self.timeout,
                                            headers={"Accept": accept}, stream=True)
            with response:
                body = _read_bounded(response, self.answer_bytes)
        except requests.Timeout:
            raise QueryTimeout(f"the SPARQL server did not answer within {self.timeout:g} s") \
                from None
        except requests.RequestException as error:
            raise BackendError(f"the SPARQL server {self.endpoint} could not be reached: "
                               f"{error}", upstream=True) from error
        text = body[:2000].decode("utf-8", "replace").strip()
        if response.status_code == 400:
            raise QuerySyntaxError(text or "the server refused the query as malformed")
        if response.status_code >= 300:
            raise BackendError(f"the SPARQL server {self.endpoint} answered "
                               f"{response.status_code}: {text[:500]}", upstream=True)
        got = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        return body, got


def _read_bounded(response: requests.Response, limit: int) -> bytes:
    """A streamed response's body, refused past ``limit`` bytes.

    :raises QueryLimitExceeded: the body is larger than ``limit``.
    """
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=65536):
        size += len(chunk)
        if size > limit:
            raise QueryLimitExceeded(f"the answer is larger than the {limit / 2**20:g} MB this "
                                     "endpoint sends; add a LIMIT or narrow the query",
                                     "ANSWER_MAX_MB")
        parts.append(chunk)
    return b"".join(parts)


def _safe_base(base_iri: str | None) -> str | None:
    """A configured base IRI, checked to be one absolute http(s) IRI that cannot end the
    ``BASE <...>`` it is written into.

    :raises ValueError: the setting is not such an IRI.

    >>> _safe_base("http://127.0.0.1:8080/sparql")
    'http://127.0.0.1:8080/sparql'
    >>> _safe_base("http://x/> SELECT")
    Traceback (most recent call last):
    ValueError: the base IRI 'http://x/> SELECT' is not an absolute http(s) IRI
    """
    if not base_iri:
        return None
    if not base_iri.startswith(("http://", "https://")) or any(
            c in base_iri for c in '<>"{}|^`\\') or any(ord(c) <= 0x20 for c in base_iri):
        raise ValueError(f"the base IRI {base_iri!r} is not an absolute http(s) IRI")
    return base_iri


def _accept_for(media_type: str, graph: bool) -> str:
    """The Accept header for a remote server: what we want first, then formats we can convert.

    Servers differ in the RDF formats they produce (Virtuoso has no N-Quads for CONSTRUCT);
    whatever comes back is converted by :func:`_as_requested`.
    """
    fallbacks = (["application/n-triples", "text/turtle;q=0.9", "application/rdf+xml;q=0.8"]
                 if graph else ["application/sparql-results+json;q=0.9",
                                "application/sparql-results+xml;q=0.8"])
    if media_type in ("text/csv", "text/tab-separated-values"):
        # CSV is lossy and servers' TSV varies (Virtuoso omits the '?' of the header): ask for
        # JSON and convert it here
        return ", ".join(fallbacks)
    return ", ".join([media_type, *fallbacks])


def _boolean_answer(body: bytes, got: str) -> tuple[bytes, str]:
    """An ASK answer as a SPARQL boolean, also from servers that send a one-row table instead
    (Virtuoso 7 answers ``ASK`` by POST with a ``__ASK_RETVAL`` binding of 1 or 0).

    :raises BackendError: the answer is unreadable.
    """
    source = pyoxigraph.QueryResultsFormat.from_media_type(_ALIASES.get(got, got))
    if source is None:
        return body, got
    try:
        parsed = pyoxigraph.parse_query_results(body, format=source)
    except SyntaxError as error:
        raise BackendError(f"the SPARQL server sent an unreadable answer: {error}",
                           upstream=True) from error
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        return body, got
    truth = any(term is not None and term.value not in ("0", "false")
                for row in parsed for term in row)
    return (b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false"),
            "application/sparql-results+json")


_ALIASES = {"text/plain": "application/n-triples", "application/json":
            "application/sparql-results+json", "text/rdf+n3": "text/turtle"}


def _as_requested(body: bytes, got: str, wanted: str, graph: bool, limit: int) -> QueryOutput:
    """Convert a remote answer to the requested format when the server sent another one.

    :raises QueryRefused: more rows or triples than ``limit``.
    :raises BackendError: the server sent something unreadable.
    """
    got = _ALIASES.get(got, got)
    try:
        if graph:
            source = pyoxigraph.RdfFormat.from_media_type(got)
            target = pyoxigraph.RdfFormat.from_media_type(wanted)
            if source is None or target is None:
                raise ValueError(f"unknown RDF media type {got or wanted!r}")
            triples = [q.triple for q in pyoxigraph.parse(body, format=source)]
            if len(triples) > limit:
                raise QueryRefused(f"the answer has more than {limit} triples, the limit of "
                                   "this endpoint; add a LIMIT or narrow the query")
            if got != wanted:
                body = pyoxigraph.serialize(triples, format=target) or b""
            return QueryOutput("graph", wanted, body)
        results_source = pyoxigraph.QueryResultsFormat.from_media_type(got)
        results_target = pyoxigraph.QueryResultsFormat.from_media_type(wanted)
        if results_source is None or results_target is None:
            raise ValueError(f"unknown results media type {got or wanted!r}")
        parsed = pyoxigraph.parse_query_results(body, format=results_source)
        if isinstance(parsed, pyoxigraph.QueryBoolean):
            kind = "boolean"
        else:
            kind = "results"
            if len(body) > limit and sum(1 for _ in parsed) > limit:  # every row >= 1 byte
                raise QueryRefused(f"the answer has more than {limit} rows, the limit of this "
                                   "endpoint; add a LIMIT or narrow the query")
        if got != wanted:
            reparsed = pyoxigraph.parse_query_results(body, format=results_source)
            body = reparsed.serialize(format=results_target) or b""
        return QueryOutput(kind, wanted, body)
    except (SyntaxError, ValueError, OSError) as error:
        raise BackendError(f"the SPARQL server sent an unreadable answer ({got}): {error}",
                           upstream=True) from error
