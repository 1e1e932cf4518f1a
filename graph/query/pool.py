"""Run SPARQL queries on pyoxigraph with a real time limit.

pyoxigraph's ``Store.query`` has no timeout and cannot be interrupted from Python, so a query
that explodes would hold a thread (and a CPU) for ever. Queries therefore run in a small pool of
worker processes. The caller waits for the answer until the deadline; past it, the worker is
killed (``SIGKILL``: the work really stops) and replaced at once, while the other workers keep
answering.

The workers are forked from one *store process* (a zygote) that holds the published store:
copied into memory (fastest for aggregations) or, in disk mode, opened read-only by each worker
after the fork (RocksDB must not cross a fork). In memory mode the workers share the zygote's
copy page by page (copy-on-write), so the pool costs one copy of the graph, not one per worker,
and a killed worker is replaced by a fork in milliseconds instead of a reload in seconds. Each
worker talks to its caller over its own socket (a persistent pipe), so a query costs one send
and one receive; results are serialized inside the worker by pyoxigraph (Rust), so only bytes
cross it.

Each query is checked by :mod:`graph.query.guard`, parsed and run in the same worker, under the
same time limit: the web worker never parses SPARQL. A worker handles its jobs on a thread with
a large stack (deeply nested queries recurse deeply), under an address-space limit (memory per
query process), and writes answers through a writer that stops past the answer-bytes limit.
When federation is off, the store process (and so every worker) cannot open IP sockets at all
(:mod:`graph.query.sandbox`), so a ``SERVICE`` call that slipped past the guard reaches nothing.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import pickle
import queue
import re
import select
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle
from pathlib import Path
from typing import Any

from graph.query.errors import (
    BackendError,
    GuardUnreadable,
    QueryError,
    QueryEvaluationError,
    QueryLimitExceeded,
    QueryNotAcceptable,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
)
from graph.query.guard import QueryInfo
from graph.query.process import MEMORY_BYTES, WORN_AFTER_SECONDS, QueryJob, zygote_main

__all__ = ["QueryJob", "QueryOutput", "QueryRunner"]

_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_STARTUP_SECONDS = 300.0
_FORK_SECONDS = 30.0
@dataclass(frozen=True)
class QueryOutput:
    """A serialized answer: ``kind`` is ``results``, ``boolean`` or ``graph``."""

    kind: str
    media_type: str
    body: bytes


class QueryRunner:
    """A pool of worker processes answering queries on one store, each within ``timeout``.

    ``processes`` >= 2 keeps one worker free while a killed one is replaced, so the query after
    a timeout is answered at once. ``store_path`` ``None`` makes a pool that only judges
    queries (:meth:`inspect`), for a remote backend. ``memory_bytes`` bounds each worker's
    memory beyond the store; ``sandboxed`` forbids IP sockets in every worker (federation off).

    :raises BackendError: the store cannot be opened (raised by the constructor).

    >>> import tempfile, pyoxigraph
    >>> path = Path(tempfile.mkdtemp())
    >>> pyoxigraph.Store(str(path)).add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://a"),
    ...     pyoxigraph.NamedNode("http://b"), pyoxigraph.Literal("Swarzędz")))
    >>> with QueryRunner(path, processes=1, timeout=30) as runner:
    ...     out = runner.run(QueryJob("SELECT ?o { ?s ?p ?o }", "text/csv", "text/turtle"))
    >>> out.body.decode()
    'o\\r\\nSwarzędz\\r\\n'
    """

    def __init__(self, store_path: Path | None, *, processes: int = 2, timeout: float = 30.0,
                 in_memory: bool = False, worn_after: float = WORN_AFTER_SECONDS,
                 memory_bytes: int = MEMORY_BYTES, sandboxed: bool = True) -> None:
        self.store_path = None if store_path is None else Path(store_path)
        self.timeout = timeout
        self.in_memory = in_memory
        self.memory_bytes = memory_bytes
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._zygote = _Zygote(self.store_path, in_memory, worn_after, memory_bytes, sandboxed)
        try:
            for _ in range(max(1, processes)):
                self._idle.put(self._fork_worker())
        except BackendError:
            self.close()
            raise

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (tests use them to prove a killed query stopped)."""
        with self._lock:
            return [w.pid for w in self._workers]

    def store_pid(self) -> int | None:
        """Process id of the store process the workers are forked from."""
        return self._zygote.process.pid

    def run(self, job: QueryJob) -> QueryOutput:
        """Check, run and serialize one query in a worker and return its answer.

        A worker that dies while answering (killed, out of memory) is replaced and the query,
        a read, is tried once more on a fresh one.

        :raises QuerySyntaxError: the engine could not parse the query (message and position);
            :class:`~graph.query.errors.GuardUnreadable` when the guard could not read it.
        :raises QueryRefused: an update, a ``SERVICE`` off the allow-list;
            :class:`~graph.query.errors.QueryLimitExceeded` past a limit (rows or triples,
            answer bytes, memory: a query that kills two workers in a row).
        :raises QueryNotAcceptable: the job has no format for the kind of answer.
        :raises QueryLimitExceeded: no answer within ``timeout`` seconds (``QUERY_TIMEOUT``);
            the worker is killed and replaced.
        :raises QueryTimeout: no worker became free within ``timeout`` seconds (a busy server).
        :raises BackendError: the pool is closed or cannot make workers.
        """
        output: QueryOutput = _interpret(self._reply(job))
        return output

    def inspect(self, query: str, allowlist: frozenset[str]) -> QueryInfo:
        """The guard's verdict on ``query``, read in a worker under the time limit.

        :raises QueryRefused: an update or a ``SERVICE`` off ``allowlist``.
        :raises GuardUnreadable: the guard cannot read the query.
        :raises QueryLimitExceeded: reading took longer than the time limit.
        """
        reply = self._reply(QueryJob(query, None, None, allowlist=allowlist,
                                     inspect_only=True))
        if reply[0] != "info":
            _interpret(reply)
        return QueryInfo(form=reply[1], services=tuple(reply[2]), has_dataset=reply[3])

    def _reply(self, job: QueryJob) -> tuple[Any, ...]:
        """A worker's reply to ``job``, tried a second time on a fresh worker if the first
        died."""
        if self._closed:
            raise BackendError("the query runner is closed")
        deadline = time.monotonic() + self.timeout
        for attempt in (1, 2):
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout(f"no query worker became free within {self.timeout:g} s; "
                                   "the server is busy, try again later") from None
            try:
                # pickle's own dumps: multiprocessing's pickler copies its dispatch table
                worker.conn.send_bytes(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))
                if not worker.answered_within(max(0.0, deadline - time.monotonic())):
                    self._replace(worker)
                    raise QueryLimitExceeded(f"the query ran longer than the limit of "
                                             f"{self.timeout:g} s and was stopped; narrow it "
                                             "down or add a LIMIT", "QUERY_TIMEOUT")
                reply: tuple[Any, ...]
                reply, worn = worker.conn.recv()
            except (EOFError, OSError):
                self._replace(worker)
                if attempt == 2:
                    raise QueryLimitExceeded(
                        "the query process stopped twice while answering this query; it "
                        "probably needs more than the "
                        f"{self.memory_bytes // 2**20} MB a query process may use",
                        "QUERY_MEMORY_MB") from None
                continue
            if worn:
                threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
            else:
                self._idle.put(worker)
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        """Stop every worker and the store process; further :meth:`run` calls raise
        :class:`BackendError`."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()
        self._zygote.stop()

    def _fork_worker(self) -> _Worker:
        """A new worker forked from the store process, ready to answer.

        :raises BackendError: the store process is gone or the worker cannot open the store.
        """
        worker = self._zygote.fork()
        with self._lock:
            self._workers.add(worker)
        try:
            worker.wait_ready()
        except BackendError:
            with self._lock:
                self._workers.discard(worker)
            worker.stop()
            raise
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now and put a fresh fork in its place (milliseconds in memory mode),
        so the next query does not wait. Also used for workers worn by long queries (see
        :data:`WORN_AFTER_SECONDS`)."""
        with self._lock:
            self._workers.discard(worker)
        worker.stop()
        if self._closed:
            return
        with contextlib.suppress(BackendError):  # the next run() reports a dead pool
            self._idle.put(self._fork_worker())


class _Zygote:
    """The store process: loads the store once, then forks workers on request.

    Its pipe carries one request at a time (``fork``), answered with the worker's pid and one
    end of a fresh socket pair (passed as a file descriptor, ``SCM_RIGHTS``).
    """

    def __init__(self, store_path: Path | None, in_memory: bool, worn_after: float,
                 memory_bytes: int, sandboxed: bool) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=zygote_main, daemon=True, name="twinkg-store",
            args=(child, None if store_path is None else str(store_path), in_memory,
                  worn_after, memory_bytes, sandboxed))
        self.process.start()
        child.close()
        self._lock = threading.Lock()
        try:
            if not self.conn.poll(_STARTUP_SECONDS):
                raise BackendError(f"the store process did not open {store_path} in time")
            status, message = self.conn.recv()
        except (EOFError, OSError) as error:
            self.stop()
            raise BackendError(f"the store process died while opening {store_path}: "
                               f"{error!r}") from error
        if status != "ready":
            self.stop()
            raise BackendError(f"the store could not be opened: {message}")

    def fork(self) -> _Worker:
        """A new worker process (not yet known to be ready).

        :raises BackendError: the store process does not answer.
        """
        with self._lock:
            try:
                self.conn.send("fork")
                if not self.conn.poll(_FORK_SECONDS):
                    raise BackendError("the store process did not fork a worker in time")
                pid: int = self.conn.recv()
                handle = recv_handle(self.conn)
            except (EOFError, OSError) as error:
                raise BackendError(f"the store process is gone: {error!r}") from error
        return _Worker(pid, Connection(handle))

    def stop(self) -> None:
        self.conn.close()  # the store process exits when its pipe closes
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)


class _Worker:
    """One worker process (a child of the store process) and our end of its socket."""

    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid = pid
        self.conn = conn
        # One poll object for the worker's life: ``Connection.poll`` builds and registers a
        # new selector on every call, a measurable share of a cheap query's cost.
        self._answer = select.poll()
        self._answer.register(conn.fileno(), select.POLLIN)

    def answered_within(self, seconds: float) -> bool:
        """Whether the worker's answer (or its end) arrives within ``seconds``."""
        return bool(self._answer.poll(max(0, math.ceil(seconds * 1000))))

    def wait_ready(self) -> None:
        """Block until the worker can answer (in disk mode: has opened the store).

        :raises BackendError: the worker could not open the store, or did not start in time.
        """
        try:
            if not self.conn.poll(_STARTUP_SECONDS):
                raise BackendError("a query worker did not start in time")
            status, message = self.conn.recv()
        except (EOFError, OSError) as error:
            raise BackendError(f"a query worker died while starting: {error!r}") from error
        if status != "ready":
            raise BackendError(f"a query worker could not open the store: {message}")

    def stop(self) -> None:
        """Kill the worker and wait until it is gone (the store process reaps it)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.conn.close()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.002)


def _interpret(reply: tuple[Any, ...]) -> QueryOutput:
    """A worker's reply as an answer, or as the exception it stands for."""
    status = reply[0]
    if status == "ok":
        return QueryOutput(reply[1], reply[2], reply[3])
    error: QueryError
    if status == "syntax":
        match = _POSITION.match(reply[1])
        error = QuerySyntaxError(reply[1][match.end():], int(match.group(1)),
                                 int(match.group(2))) if match else QuerySyntaxError(reply[1])
    elif status == "unreadable":
        error = GuardUnreadable(reply[1])
    elif status == "refused":
        error = QueryRefused(reply[1])
    elif status == "limit":
        error = QueryLimitExceeded(reply[1], reply[2])
    elif status == "unacceptable":
        error = QueryNotAcceptable(reply[1])
    elif status == "evaluation":
        error = QueryEvaluationError(reply[1])
    else:
        error = BackendError(reply[1])
    raise error


