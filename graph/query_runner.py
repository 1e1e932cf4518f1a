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
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import gc
import gzip
import io
import itertools
import multiprocessing
import os
import queue
import re
import signal
import socket
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path
from typing import IO, Any, cast

from graph.namespaces import PREFIXES
from graph.query_errors import BackendError, QueryRefused, QuerySyntaxError, QueryTimeout

_POSITION = re.compile(r"^error at (\d+):(\d+): ")
_STARTUP_SECONDS = 300.0
_FORK_SECONDS = 30.0
WORN_AFTER_SECONDS = 5.0
"""Default query time after which a worker is replaced by a fresh fork. Reading the in-memory
store writes to the pages it visits (reference counts), and each write copies a shared page into
the worker, so a worker that has scanned much of the graph holds a private copy of it; a fresh
fork shares the store process's copy again. The copying also costs time: on the Wikipedia graph
a label scan takes 60-150 ms on a fresh fork and 30 ms on a warm one, an aggregation 380 ms
against 275 ms; renewing after every 0.25 s of work cost a third on heavy queries, so workers
are renewed rarely. Cheap queries never wear a worker out."""


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

    def __init__(self, store_path: Path, *, processes: int = 2, timeout: float = 30.0,
                 in_memory: bool = False, worn_after: float = WORN_AFTER_SECONDS) -> None:
        self.store_path = Path(store_path)
        self.timeout = timeout
        self.in_memory = in_memory
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._zygote = _Zygote(self.store_path, in_memory, worn_after)
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
        """Run one query in a worker and return its serialized answer.

        :raises QuerySyntaxError: the engine could not parse the query (message and position).
        :raises QueryRefused: the answer has more than ``job.result_limit`` rows or triples.
        :raises QueryTimeout: no answer within ``timeout`` seconds (waiting for a free worker
            counts too); the worker is killed and replaced.
        :raises BackendError: a worker failed (store unreadable, crash) or the runner is closed.
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
            reply: tuple[Any, ...]
            reply, worn = worker.conn.recv()
        except (EOFError, OSError) as error:
            self._replace(worker)
            raise BackendError(f"a query worker failed: {error!r}") from error
        if worn:
            threading.Thread(target=self._replace, args=(worker,), daemon=True).start()
        else:
            self._idle.put(worker)
        return _interpret(reply)

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

    def __init__(self, store_path: Path, in_memory: bool, worn_after: float) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_zygote_main, daemon=True, name="twinkg-store",
                                       args=(child, str(store_path), in_memory, worn_after))
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


def _zygote_main(conn: Connection, store_path: str, in_memory: bool, worn_after: float,
                 ) -> None:
    """The store process: open the store, then fork a worker per request until the pipe closes.

    Forked workers are reaped by the kernel (``SIGCHLD`` ignored), so killing one leaves no
    zombie. In disk mode each worker opens the store itself, after the fork.
    """
    import pyoxigraph  # noqa: F401 - imported once here, inherited by every fork

    store: Any = None
    try:
        if in_memory:
            store = _memory_copy(store_path)
        elif not Path(store_path).is_dir():
            raise OSError(f"no store directory at {store_path}")
    except (OSError, ValueError) as error:
        conn.send(("error", f"{store_path}: {error}"))
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    # Python's collector writes into every object it visits, which would copy the shared pages
    # into each worker; frozen objects are never visited.
    gc.collect()
    gc.freeze()
    _return_free_memory()
    conn.send(("ready", ""))
    while True:
        try:
            conn.recv()
        except (EOFError, OSError):
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                conn.close()
                ours.close()
                _worker_main(Connection(theirs.detach()), store_path, store, worn_after)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        try:
            conn.send(pid)
            send_handle(conn, ours.fileno(), pid)
        except (EOFError, OSError):
            return
        finally:
            ours.close()


def _memory_copy(store_path: str) -> Any:
    """The published store copied into memory.

    From the build's N-Quads dump beside the store when there is one (parsed in Rust: about
    twice as fast and a sixth smaller than copying quad by quad through Python, which leaves
    freed objects all over the heap), checked against the store's size; else quad by quad.

    :raises OSError: the store cannot be read.
    """
    import pyoxigraph

    disk = pyoxigraph.Store.read_only(store_path)
    dump = Path(store_path).parent / "dumps" / "twinkg.nq.gz"
    if dump.is_file():
        memory = pyoxigraph.Store()
        try:
            with gzip.open(dump, "rb") as data:
                memory.bulk_load(cast(IO[bytes], data), format=pyoxigraph.RdfFormat.N_QUADS)
            if len(memory) == len(disk):
                return memory
        except (OSError, SyntaxError, EOFError):
            pass  # an unreadable dump: the store itself is the truth
        del memory
    memory = pyoxigraph.Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    return memory


def _return_free_memory() -> None:
    """Give the allocator's free pages back to the system before forking (glibc only), so
    that workers do not copy free-list pages that the allocator writes into."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _worker_main(conn: Connection, store_path: str, store: Any, worn_after: float) -> None:
    """A worker: answer jobs on ``store`` (opened here in disk mode) until the socket closes."""
    import pyoxigraph

    if store is None:
        try:
            store = pyoxigraph.Store.read_only(store_path)
        except (OSError, ValueError) as error:
            conn.send(("error", f"{store_path}: {error}"))
            return
    conn.send(("ready", ""))
    busy = 0.0
    while True:
        try:
            job: QueryJob = conn.recv()
        except (EOFError, OSError):
            return
        started = time.monotonic()
        reply = _execute(store, job)
        busy += time.monotonic() - started
        try:
            conn.send((reply, busy >= worn_after))
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
