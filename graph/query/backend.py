"""The query backend: one interface over the embedded store or a remote SPARQL 1.1 server.

* :class:`EmbeddedBackend` serves the published graph (:func:`graph.core.store_layout.published`)
  from pyoxigraph, in worker processes that are stopped past the time limit
  (:mod:`graph.query.pool`). Answers are cached in memory, keyed by the published version, so
  a repeated query costs a dictionary look-up until the next build is published. It follows
  the atomic switch of ``STORE/current``: a new build is opened in the background while the
  old one keeps answering, then swapped in; requests already running finish on the old one.
* :class:`RemoteBackend` sends the same queries to any SPARQL 1.1 server by the standard
  protocol (Fuseki, Virtuoso, QLever, GraphDB, ``oxigraph serve``): that is how Twinning KG
  scales beyond one machine.

Both have every query checked by :mod:`graph.query.guard` (read-only, federation allow-list)
in a killable query process, never in the calling thread, and both raise only the exceptions
of :mod:`graph.query.errors` (re-exported here). Caches are keyed by a digest of what was asked,
never by the whole text, and bounded in bytes.

A request pins one graph version for its whole life with :meth:`Backend.pin` (and lets it go
with :meth:`Backend.release`), so its answer, ``ETag`` and ``Last-Modified`` agree even when a
build is published in the middle of it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

import pyoxigraph
import requests

from graph.core.settings import public_base_of
from graph.core.store_layout import CURRENT, NotPublished, published
from graph.query.errors import (
    BackendError,
    GuardUnreadable,
    NotFound,
    QueryError,
    QueryEvaluationError,
    QueryLimitExceeded,
    QueryNotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
)
from graph.query.pool import QueryJob, QueryOutput, QueryRunner
from graph.query.process import ANSWER_BYTES, MEMORY_BYTES

__all__ = [
    "Backend",
    "BackendError",
    "ByteBoundedCache",
    "EmbeddedBackend",
    "GuardUnreadable",
    "NotFound",
    "QueryError",
    "QueryEvaluationError",
    "QueryLimitExceeded",
    "QueryNotAcceptable",
    "QueryOutput",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "RemoteBackend",
    "open_backend",
]

_log = logging.getLogger(__name__)
K = TypeVar("K")
V = TypeVar("V")


class Backend(ABC):
    """What the service needs from a SPARQL engine.

    ``version`` names the published graph (for ``ETag``), ``modified`` is when it was
    published (for ``Last-Modified``); both are ``None`` when unknown (remote servers).
    """

    version: str | None = None
    modified: datetime | None = None

    def __init__(self, *, allowlist: Iterable[str] = (), result_limit: int = 100_000,
                 answer_bytes: int = ANSWER_BYTES) -> None:
        self.allowlist = frozenset(allowlist)
        self.result_limit = result_limit
        self.answer_bytes = answer_bytes

    def pin(self) -> Backend:
        """This backend bound to the graph version published now, for one request; give it
        back with :meth:`release`. Backends without versions return themselves."""
        return self

    def release(self) -> None:  # noqa: B027 - optional hook, only pinned views hold anything
        """End a :meth:`pin`."""

    def query(self, query: str, *,
              results_format: str | None = "application/sparql-results+json",
              graph_format: str | None = "text/turtle",
              default_graphs: Iterable[str] | None = None,
              named_graphs: Iterable[str] | None = None,
              base_iri: str | None = None) -> QueryOutput:
        """Check and run ``query``; SELECT/ASK come back in ``results_format``,
        CONSTRUCT/DESCRIBE in ``graph_format`` (both media types; ``None`` when the client
        accepts no format of that kind). ``base_iri`` resolves relative IRIs (the service
        passes its endpoint's public URL, from configuration).

        :raises QueryRefused: by the guard (an update, ``SERVICE`` off the allow-list);
            :class:`QueryLimitExceeded` past a limit (rows, answer bytes, memory).
        :raises QuerySyntaxError: the query does not parse (:class:`GuardUnreadable`: the
            guard could not read it).
        :raises QueryNotAcceptable: the query's kind of answer has no format (``None``).
        :raises QueryTimeout: the query ran past the time limit.
        :raises BackendError: the engine failed.
        """
        job = QueryJob(query, results_format, graph_format,
                       None if default_graphs is None else tuple(default_graphs),
                       None if named_graphs is None else tuple(named_graphs),
                       self.result_limit, base_iri, self.allowlist, self.answer_bytes)
        return self._run(job)

    @abstractmethod
    def _run(self, job: QueryJob) -> QueryOutput:
        """Run a checked job."""

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release processes and connections."""


@dataclass(eq=False)
class _Generation:
    """One published build being served: its runner, its answer cache, its users."""

    target: str
    version: str
    modified: datetime
    runner: QueryRunner
    cache: ByteBoundedCache[bytes, QueryOutput]
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self) -> bool:
        """Count one more user; False once retired and closed (take the newer one)."""
        with self.lock:
            if self.retired and self.users == 0:
                return False
            self.users += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.users -= 1
            closing = self.retired and self.users == 0
        if closing:
            self.runner.close()

    def retire(self) -> None:
        """No new users; close as soon as the last one leaves (queries in flight finish)."""
        with self.lock:
            self.retired = True
            closing = self.users == 0
        if closing:
            self.runner.close()

    def run(self, job: QueryJob) -> QueryOutput:
        key = job_digest(job)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        output = self.runner.run(job)
        self.cache.put(key, output, len(output.body) + len(key) + 256)
        return output


class EmbeddedBackend(Backend):
    """The published pyoxigraph store, queried in killable worker processes, answers cached,
    following ``STORE/current`` when a new build is published.

    ``current`` is read (one ``readlink``) at most every ``switch_check`` seconds, when a query
    runs or a request pins a version. A new build is opened in a background thread while the old
    one keeps answering; once it is ready it is swapped in, and the old one is closed when its
    last request ends. A build that cannot be opened is logged and retried after a minute; the
    old one stays.

    :raises BackendError: nothing is published in ``store_dir`` or the store cannot be opened.
    """

    def __init__(self, store_dir: Path, *, timeout: float = 30.0, processes: int = 2,
                 in_memory: bool = True, cache_bytes: int = 64 * 2**20,
                 allowlist: Iterable[str] = (), result_limit: int = 100_000,
                 switch_check: float = 0.5, answer_bytes: int = ANSWER_BYTES,
                 memory_bytes: int = MEMORY_BYTES) -> None:
        super().__init__(allowlist=allowlist, result_limit=result_limit,
                         answer_bytes=answer_bytes)
        self.store_dir = Path(store_dir)
        self.timeout, self.processes, self.in_memory = timeout, processes, in_memory
        self.memory_bytes = memory_bytes
        self.cache_bytes, self.switch_check = cache_bytes, switch_check
        self._lock = threading.Lock()
        self._loading: str | None = None
        self._failed: dict[str, float] = {}
        self._checked_at = time.monotonic()
        self._closed = False
        try:
            build = published(self.store_dir)
        except NotPublished as error:
            raise BackendError(str(error)) from None
        # graph.core.store_layout's layout
        self._store_folder = build.oxigraph.relative_to(build.root)
        self._generation = self._open(self._target())

    @property
    def version(self) -> str:  # type: ignore[override]
        """The version being served now (the newest opened build)."""
        return self._live().version

    @property
    def modified(self) -> datetime:  # type: ignore[override]
        return self._live().modified

    @property
    def runner(self) -> QueryRunner:
        """The query runner of the version being served now."""
        return self._live().runner

    def pin(self) -> Backend:
        """:raises BackendError: the backend is closed."""
        return _Pinned(self, self._enter())

    def _run(self, job: QueryJob) -> QueryOutput:
        generation = self._enter()
        try:
            return generation.run(job)
        finally:
            generation.leave()

    def _enter(self) -> _Generation:
        """The live generation, counted as used until :meth:`_Generation.leave`.

        :raises BackendError: the backend is closed.
        """
        while not self._closed:
            generation = self._live()
            if generation.enter():
                return generation
            # retired and closed between the two lines above: the newer one is live now
        raise BackendError("the query backend is closed")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            generation = self._generation
        generation.retire()

    def _target(self) -> str:
        """Where ``STORE/current`` points now.

        :raises BackendError: nothing is published.
        """
        try:
            return os.readlink(self.store_dir / CURRENT)
        except OSError:
            raise BackendError(f"no published graph in {self.store_dir} (run twinkg build "
                               f"--store {self.store_dir})") from None

    def _open(self, target: str) -> _Generation:
        """Open the build ``target`` names (it stays complete: builds are never rewritten).

        :raises BackendError: the build cannot be opened.
        """
        runner = QueryRunner(self.store_dir / target / self._store_folder,
                             processes=self.processes, timeout=self.timeout,
                             in_memory=self.in_memory, memory_bytes=self.memory_bytes,
                             sandboxed=not self.allowlist)
        version = Path(target).name
        return _Generation(target, version, _version_time(version), runner,
                           ByteBoundedCache(self.cache_bytes))

    def _live(self) -> _Generation:
        """The generation to use now; starts opening a newer build when ``current`` moved."""
        now = time.monotonic()
        if now - self._checked_at >= self.switch_check and not self._closed:
            self._checked_at = now
            try:
                target = os.readlink(self.store_dir / CURRENT)
            except OSError:
                target = None  # unpublished meanwhile: keep serving what we have
            if target is not None and target != self._generation.target:
                self._start_loading(target, now)
        return self._generation

    def _start_loading(self, target: str, now: float) -> None:
        with self._lock:
            if self._loading is not None or now < self._failed.get(target, 0.0):
                return
            self._loading = target
        threading.Thread(target=self._load, args=(target,), daemon=True,
                         name=f"twinkg-open-{Path(target).name}").start()

    def _load(self, target: str) -> None:
        """Open ``target`` and swap it in (background thread)."""
        try:
            generation = self._open(target)
        except BackendError as error:
            _log.error("could not open the newly published build %s, still serving %s: %s",
                       target, self._generation.version, error)
            with self._lock:
                self._failed[target] = time.monotonic() + 60.0
                self._loading = None
            return
        with self._lock:
            old, self._generation = self._generation, generation
            self._loading = None
            closed = self._closed
        _log.info("now serving build %s (was %s)", generation.version, old.version)
        old.retire()
        if closed:
            generation.retire()


def _version_time(version: str) -> datetime:
    """When a build was published, from its version name (see :mod:`graph.core.store_layout`); now,
    for a folder not named like a version."""
    try:
        return datetime.strptime(version.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.now(UTC)


class _Pinned(Backend):
    """An :class:`EmbeddedBackend` bound to one generation for the life of one request."""

    def __init__(self, parent: EmbeddedBackend, generation: _Generation) -> None:
        super().__init__(allowlist=parent.allowlist, result_limit=parent.result_limit,
                         answer_bytes=parent.answer_bytes)
        self.parent, self.generation = parent, generation
        self.version, self.modified = generation.version, generation.modified
        self._released = False

    def _run(self, job: QueryJob) -> QueryOutput:
        if self._released:
            return self.parent._run(job)
        return self.generation.run(job)

    def release(self) -> None:
        if not self._released:
            self._released = True
            self.generation.leave()


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

    def _run(self, job: QueryJob) -> QueryOutput:
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


def job_digest(job: QueryJob) -> bytes:
    """A cache key for ``job``: a digest of everything its answer depends on, so a cache holds
    16 bytes per entry instead of the query's text."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((job.query, job.results_format, job.graph_format, job.default_graphs,
                        job.named_graphs, job.result_limit, job.base_iri,
                        sorted(job.allowlist), job.answer_bytes)).encode("utf-8"))
    return digest.digest()


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


class ByteBoundedCache(Generic[K, V]):
    """A thread-safe LRU bounded by the bytes its values hold (the caller says how many).

    >>> cache: ByteBoundedCache[str, bytes] = ByteBoundedCache(16)
    >>> cache.put("a", b"12345678", 8); cache.put("b", b"12345678", 8)
    >>> cache.put("c", b"1", 1)  # over the bound: the least recently used goes
    >>> cache.get("a") is None, cache.get("c")
    (True, b'1')
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V, size: int) -> None:
        """Keep ``value`` unless it alone would take more than an eighth of the bound."""
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.max_bytes:
                _, (_, old_size) = self._items.popitem(last=False)
                self._size -= old_size


def open_backend(settings: Mapping[str, Any]) -> Backend:
    """The backend the settings ask for: remote when ``SPARQL_ENDPOINT`` is set, else the
    published store in ``STORE``.

    :raises BackendError: the store is not published or cannot be opened.
    """
    allowlist = str(settings.get("FEDERATION_ALLOWLIST", "")).split()
    limit = int(settings.get("RESULT_LIMIT", 100_000))
    timeout = float(settings.get("QUERY_TIMEOUT", 30.0))
    answer_bytes = int(float(settings.get("ANSWER_MAX_MB", ANSWER_BYTES / 2**20)) * 2**20)
    endpoint = str(settings.get("SPARQL_ENDPOINT", "") or "")
    if endpoint:
        return RemoteBackend(endpoint, timeout=timeout, allowlist=allowlist, result_limit=limit,
                             answer_bytes=answer_bytes, base_iri=public_endpoint(settings))
    return EmbeddedBackend(
        Path(settings["STORE"]), timeout=timeout, allowlist=allowlist, result_limit=limit,
        processes=int(settings.get("QUERY_PROCESSES", 2)),
        in_memory=str(settings.get("STORE_MODE", "memory")) == "memory",
        cache_bytes=int(float(settings.get("CACHE_MB", 64)) * 2**20),
        answer_bytes=answer_bytes,
        memory_bytes=int(float(settings.get("QUERY_MEMORY_MB", MEMORY_BYTES / 2**20)) * 2**20))


def public_endpoint(settings: Mapping[str, Any]) -> str:
    """The endpoint's public URL, from configuration alone (``PUBLIC_BASE``, else the address
    served): the base of relative IRIs in queries, whatever ``Host`` a request names.

    >>> public_endpoint({"PUBLIC_BASE": "https://twinning.example/", "HOST": "0.0.0.0"})
    'https://twinning.example/sparql'
    >>> public_endpoint({"HOST": "127.0.0.1", "PORT": 8080})
    'http://127.0.0.1:8080/sparql'
    """
    return public_base_of(settings) + "sparql"
