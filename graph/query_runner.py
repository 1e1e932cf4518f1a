"""Run SPARQL queries on pyoxigraph with a real time limit.

pyoxigraph's ``Store.query`` has no timeout and cannot be interrupted from Python, so a query
that explodes would hold a thread (and a CPU) for ever. Queries therefore run in a small pool of
worker processes. The caller waits for the answer until the deadline; past it, the worker is
killed (``SIGKILL``: the work really stops) and a fresh one is started in the background, while
the other workers keep answering. Each worker opens the published store itself: read-only on
disk, or copied into memory (faster for aggregations, costs RAM per worker; see
``benchmarks/endpoint_benchmark.py``).

Results are serialized inside the worker by pyoxigraph (Rust), so only bytes cross the pipe.
"""

from __future__ import annotations

import csv
import io
import itertools
import multiprocessing
import queue
import re
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from graph.namespaces import PREFIXES
from graph.query_errors import BackendError, QueryRefused, QuerySyntaxError, QueryTimeout

_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_STARTUP_SECONDS = 120.0


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker. Formats are media types (``application/sparql-results+json``).

    ``default_graphs`` / ``named_graphs`` are the protocol's ``default-graph-uri`` /
    ``named-graph-uri``; ``None`` means "as the query says, else the union of all graphs".
    ``base_iri`` resolves relative IRIs in the query (the protocol lets it be the endpoint).
    """

    query: str
    results_format: str
    graph_format: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    result_limit: int = 100_000
    base_iri: str | None = None


@dataclass(frozen=True)
class QueryOutput:
    """A serialized answer: ``kind`` is ``results``, ``boolean`` or ``graph``."""

    kind: str
    media_type: str
    body: bytes


class QueryRunner:
    """A pool of worker processes answering queries on one store, each within ``timeout``.

    ``processes`` >= 2 keeps one worker free while a killed one is replaced, so the query after
    a timeout is answered at once.

    >>> import tempfile, pyoxigraph
    >>> path = Path(tempfile.mkdtemp())
    >>> pyoxigraph.Store(str(path)).add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://a"),
    ...     pyoxigraph.NamedNode("http://b"), pyoxigraph.Literal("Swarzędz")))
    >>> with QueryRunner(path, processes=1, timeout=30) as runner:
    ...     out = runner.run(QueryJob("SELECT ?o { ?s ?p ?o }", "text/csv", "text/turtle"))
    >>> out.body.decode()
    'o\\r\\nSwarzędz\\r\\n'
    """

    def __init__(self, store_path: Path, *, processes: int = 2, timeout: float = 30.0,
                 in_memory: bool = False) -> None:
        self.store_path = Path(store_path)
        self.timeout = timeout
        self.in_memory = in_memory
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        started = [self._start_worker() for _ in range(max(1, processes))]
        for worker in started:
            worker.wait_ready()
            self._idle.put(worker)

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def worker_pids(self) -> list[int]:
        """Process ids of the live workers (tests use them to prove a killed query stopped)."""
        with self._lock:
            return [w.process.pid for w in self._workers if w.process.pid is not None]

    def run(self, job: QueryJob) -> QueryOutput:
        """Run one query in a worker and return its serialized answer.

        :raises QuerySyntaxError: the engine could not parse the query (message and position).
        :raises QueryRefused: the answer has more than ``job.result_limit`` rows or triples.
        :raises QueryTimeout: no answer within ``timeout`` seconds (waiting for a free worker
            counts too); the worker is killed and replaced.
        :raises BackendError: a worker failed (store unreadable, crash).
        """
        if self._closed:
            raise BackendError("the query runner is closed")
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"no query worker became free within {self.timeout:g} s; the "
                               "server is busy, try again later") from None
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than the limit of {self.timeout:g} s "
                                   "and was stopped; narrow it down or add a LIMIT")
            reply: tuple[Any, ...] = worker.conn.recv()
        except (EOFError, OSError) as error:
            self._replace(worker)
            raise BackendError(f"a query worker failed: {error!r}") from error
        self._idle.put(worker)
        return _interpret(reply)

    def close(self) -> None:
        """Stop every worker; further :meth:`run` calls raise :class:`BackendError`."""
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.stop()

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, daemon=True,
                                        args=(child, str(self.store_path), self.in_memory))
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; start its successor in the background."""
        with self._lock:
            self._workers.discard(worker)
        worker.stop()
        if not self._closed:
            threading.Thread(target=self._start_spare, daemon=True).start()

    def _start_spare(self) -> None:
        worker = self._start_worker()
        try:
            worker.wait_ready()
        except BackendError:
            with self._lock:
                self._workers.discard(worker)
            worker.stop()
            return
        if self._closed:
            worker.stop()
        else:
            self._idle.put(worker)


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def wait_ready(self) -> None:
        """Block until the worker has opened its store.

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
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def _interpret(reply: tuple[Any, ...]) -> QueryOutput:
    status = reply[0]
    if status == "ok":
        return QueryOutput(reply[1], reply[2], reply[3])
    if status == "syntax":
        match = _POSITION.match(reply[1])
        if match:
            raise QuerySyntaxError(reply[1][match.end():], int(match.group(1)),
                                   int(match.group(2)))
        raise QuerySyntaxError(reply[1])
    if status == "refused":
        raise QueryRefused(reply[1])
    raise BackendError(reply[1])


def _worker_main(conn: Connection, store_path: str, in_memory: bool) -> None:
    """The worker process: open the store, then answer jobs until the pipe closes."""
    import pyoxigraph

    try:
        store = pyoxigraph.Store.read_only(store_path)
        if in_memory:
            memory = pyoxigraph.Store()
            memory.bulk_extend(store.quads_for_pattern(None, None, None, None))
            store = memory
    except (OSError, ValueError) as error:
        conn.send(("error", f"{store_path}: {error}"))
        return
    conn.send(("ready", ""))
    while True:
        try:
            job: QueryJob = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(_execute(store, job))
        except (EOFError, OSError):
            return


def _execute(store: Any, job: QueryJob) -> tuple[Any, ...]:
    """Run ``job`` on ``store``; every outcome becomes a picklable reply tuple."""
    import pyoxigraph

    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graphs or ()]
    try:
        result = store.query(job.query, **options)
        if isinstance(result, pyoxigraph.QueryTriples):
            graph_format = pyoxigraph.RdfFormat.from_media_type(job.graph_format)
            # CONSTRUCT may repeat a triple; an RDF graph is a set.
            triples = list(dict.fromkeys(itertools.islice(result, job.result_limit + 1)))
            if len(triples) > job.result_limit:
                return ("refused", _too_many("triples", job.result_limit))
            body = pyoxigraph.serialize(triples, format=graph_format, prefixes=PREFIXES)
            return ("ok", "graph", job.graph_format, body)
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(job.results_format)
        body = result.serialize(format=results_format)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return ("ok", "boolean", job.results_format, body)
        # Every row takes at least one byte, so only a large answer needs counting.
        if len(body) > job.result_limit and _count_rows(body, results_format) > job.result_limit:
            return ("refused", _too_many("rows", job.result_limit))
        return ("ok", "results", job.results_format, body)
    except SyntaxError as error:
        return ("syntax", str(error))
    except (OSError, ValueError, RuntimeError) as error:
        return ("error", f"{type(error).__name__}: {error}")


def _count_rows(body: bytes, results_format: Any) -> int:
    """Rows in a serialized SELECT answer (CSV is lossy, so pyoxigraph does not parse it)."""
    import pyoxigraph

    if results_format == pyoxigraph.QueryResultsFormat.CSV:
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1
    parsed = pyoxigraph.parse_query_results(body, format=results_format)
    return 0 if isinstance(parsed, pyoxigraph.QueryBoolean) else sum(1 for _ in parsed)


def _too_many(what: str, limit: int) -> str:
    return (f"the answer has more than {limit} {what}, the limit of this endpoint; add a "
            "LIMIT or narrow the query")
