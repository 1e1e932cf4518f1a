"""The query backend: one interface over the embedded store or a remote SPARQL 1.1 server.

* :class:`graph.query.embedded.EmbeddedBackend` serves the published graph
  (:func:`graph.core.store_layout.published`) from pyoxigraph, in worker processes that are
  stopped past the time limit (:mod:`graph.query.pool`), and follows the atomic switch of
  ``STORE/current``.
* :class:`graph.query.remote.RemoteBackend` sends the same queries to any SPARQL 1.1 server by
  the standard protocol (Fuseki, Virtuoso, QLever, GraphDB, ``oxigraph serve``): that is how
  Twinning KG scales beyond one machine.

This module holds what both share: the :class:`Backend` interface, the byte-bounded cache and
the cache key of a query, and :func:`open_backend`, which picks one from the settings. Both
have every query checked by :mod:`graph.query.guard` (read-only, federation allow-list) in a
killable query process, never in the calling thread, and both raise only the exceptions of
:mod:`graph.query.errors` (re-exported here, where callers import them from).

A request pins one graph version for its whole life with :meth:`Backend.pin` (and lets it go
with :meth:`Backend.release`), so its answer, ``ETag`` and ``Last-Modified`` agree even when a
build is published in the middle of it. What the service derives from a version (cached
answers, the search index, the catalogue, the recommender) is kept by that version's
:class:`graph.query.version.PublishedVersion`, :attr:`Backend.published`, and goes with it.
"""

from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from graph.core.settings import public_base_of
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
from graph.query.pool import QueryJob, QueryOutput
from graph.query.process import ANSWER_BYTES, MEMORY_BYTES
from graph.query.version import PublishedVersion

__all__ = [
    "Backend",
    "BackendError",
    "ByteBoundedCache",
    "GuardUnreadable",
    "NotFound",
    "PublishedVersion",
    "QueryError",
    "QueryEvaluationError",
    "QueryLimitExceeded",
    "QueryNotAcceptable",
    "QueryOutput",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "job_digest",
    "open_backend",
    "public_endpoint",
]

K = TypeVar("K")
V = TypeVar("V")


class Backend(ABC):
    """What the service needs from a SPARQL engine.

    :attr:`published` is the graph version served (the one a pinned backend is bound to), with
    what is derived from it; ``version`` names it (for ``ETag``), ``modified`` is when it was
    published (for ``Last-Modified``); both are ``None`` when unknown (remote servers).
    """

    def __init__(self, *, allowlist: Iterable[str] = (), result_limit: int = 100_000,
                 answer_bytes: int = ANSWER_BYTES) -> None:
        self.allowlist = frozenset(allowlist)
        self.result_limit = result_limit
        self.answer_bytes = answer_bytes
        self._unversioned = PublishedVersion(None)

    @property
    def published(self) -> PublishedVersion:
        """The version served now, keeper of what is derived from it. A backend without
        versions has one for its whole life."""
        return self._unversioned

    @property
    def version(self) -> str | None:
        """The name of the version served now (``None``: unknown)."""
        return self.published.version

    @property
    def modified(self) -> datetime | None:
        """When the version served now was published (``None``: unknown)."""
        return self.published.modified

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
              base_iri: str | None = None, remember: bool = True) -> QueryOutput:
        """Check and run ``query``; SELECT/ASK come back in ``results_format``,
        CONSTRUCT/DESCRIBE in ``graph_format`` (both media types; ``None`` when the client
        accepts no format of that kind). ``base_iri`` resolves relative IRIs (the service
        passes its endpoint's public URL, from configuration). ``remember`` ``False`` keeps
        the answer out of the backend's cache of answers: for a caller that keeps whole
        responses itself (the SPARQL endpoint), where a second copy would only cost a digest
        of the query and memory.

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
        return self._run(job, remember)

    @abstractmethod
    def _run(self, job: QueryJob, remember: bool) -> QueryOutput:
        """Run a job (``remember``: keep its answer in the cache, where there is one)."""

    def close(self) -> None:  # noqa: B027 - optional hook, most backends hold nothing
        """Release processes and connections."""


def job_digest(job: QueryJob) -> bytes:
    """A cache key for ``job``: a digest of everything its answer depends on, so a cache holds
    16 bytes per entry instead of the query's text."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((job.query, job.results_format, job.graph_format, job.default_graphs,
                        job.named_graphs, job.result_limit, job.base_iri,
                        sorted(job.allowlist), job.answer_bytes)).encode("utf-8"))
    return digest.digest()


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
    # imported here: both modules build on this one
    from graph.query.embedded import EmbeddedBackend
    from graph.query.remote import RemoteBackend

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
