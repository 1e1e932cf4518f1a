"""What runs inside the query processes: the store process (a zygote) and its workers.

The store process loads the published store once and forks a worker per request
(:class:`graph.query.pool.QueryRunner` asks). A worker reads jobs from its socket and answers
each one: the guard's verdict (:mod:`graph.query.guard`), then the engine's answer, serialized
by pyoxigraph into bytes that stop at the answer-bytes limit, all under the caller's time limit
(the caller kills a worker that overruns it). Every outcome is a picklable reply tuple; the
caller turns it back into an answer or an exception.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import gc
import gzip
import io
import itertools
import os
import pickle
import resource
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import send_handle
from pathlib import Path
from typing import IO, Any, cast

from graph.core.namespaces import PREFIXES
from graph.query.errors import GuardUnreadable, QueryRefused
from graph.query.guard import UPDATE_REFUSED, check_query, is_update, read_query
from graph.query.sandbox import forbid_network

_JOB_STACK_BYTES = 256 * 2**20
"""Stack of the thread a worker answers on: rdflib's grammar recurses once per nesting level
and per triple pattern, and Python's default stack is too small for a few hundred."""
_JOB_RECURSION_LIMIT = 100_000
ANSWER_BYTES = 32 * 2**20
"""Default bound of one serialized answer."""
MEMORY_BYTES = 1024 * 2**20
"""Default memory a query process may take beyond the store it shares."""
WORN_AFTER_SECONDS = 5.0
"""Default query time after which a worker is replaced by a fresh fork. Reading the in-memory
store writes to the pages it visits (reference counts), and each write copies a shared page into
the worker, so a worker that has scanned much of the graph holds a private copy of it; a fresh
fork shares the store process's copy again. The copying also costs time: a scan runs slower on a
fresh fork than on a warm one, and renewing workers often made heavy queries markedly slower
(benchmarks/endpoint_benchmark.py), so workers are renewed rarely. Cheap queries never wear a
worker out."""


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker. Formats are media types (``application/sparql-results+json``);
    ``None`` says no accepted format fits that kind of answer (the worker answers
    :class:`~graph.query.errors.QueryNotAcceptable` once it knows the query's kind).

    ``default_graphs`` / ``named_graphs`` are the protocol's ``default-graph-uri`` /
    ``named-graph-uri``; ``None`` means "as the query says, else the union of all graphs".
    ``base_iri`` resolves relative IRIs in the query (the protocol lets it be the endpoint).
    ``allowlist`` holds the ``SERVICE`` endpoints the guard lets through; ``answer_bytes``
    bounds the serialized answer. ``inspect_only`` asks for the guard's verdict alone (for a
    remote backend, whose server runs the query).
    """

    query: str
    results_format: str | None
    graph_format: str | None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    result_limit: int = 100_000
    base_iri: str | None = None
    allowlist: frozenset[str] = frozenset()
    answer_bytes: int = ANSWER_BYTES
    inspect_only: bool = False


def zygote_main(conn: Connection, store_path: str | None, in_memory: bool, worn_after: float,
                 memory_bytes: int, sandboxed: bool) -> None:
    """The store process: open the store, then fork a worker per request until the pipe closes.

    Forked workers are reaped by the kernel (``SIGCHLD`` ignored), so killing one leaves no
    zombie. In disk mode each worker opens the store itself, after the fork. Without a store
    path the workers only judge queries. The network ban is set here, once, before any fork,
    so no worker ever runs without it.
    """
    import pyoxigraph  # noqa: F401 - imported once here, inherited by every fork

    store: Any = None
    try:
        if store_path is not None and in_memory:
            store = _memory_copy(store_path)
        elif store_path is not None and not Path(store_path).is_dir():
            raise OSError(f"no store directory at {store_path}")
        if sandboxed:
            forbid_network()
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
                _worker_main(Connection(theirs.detach()), store_path, store, worn_after,
                             memory_bytes)
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


def _worker_main(conn: Connection, store_path: str | None, store: Any, worn_after: float,
                 memory_bytes: int) -> None:
    """A worker: answer jobs on ``store`` (opened here in disk mode) until the socket closes.

    The jobs are answered on a thread with a large stack (see :data:`_JOB_STACK_BYTES`), whose
    address space is then bounded to what the process holds now plus ``memory_bytes``.
    """
    import pyoxigraph

    if store is None and store_path is not None:
        try:
            store = pyoxigraph.Store.read_only(store_path)
        except (OSError, ValueError) as error:
            conn.send(("error", f"{store_path}: {error}"))
            return
    sys.setrecursionlimit(_JOB_RECURSION_LIMIT)
    threading.stack_size(_JOB_STACK_BYTES)
    answering = threading.Thread(target=_answer_jobs, name="twinkg-query",
                                 args=(conn, store, worn_after, memory_bytes))
    answering.start()
    answering.join()


def _answer_jobs(conn: Connection, store: Any, worn_after: float, memory_bytes: int) -> None:
    _limit_memory(memory_bytes)
    conn.send(("ready", ""))
    busy = 0.0
    while True:
        try:
            job: QueryJob = conn.recv()
        except (EOFError, OSError):
            return
        started = time.monotonic()
        try:
            reply = _execute(store, job)
        except MemoryError:
            reply = _memory_refusal(memory_bytes)
        except Exception as error:  # our own bug: a 500 for this query, the worker lives on
            reply = ("error", f"{type(error).__name__}: {error}")
        busy += time.monotonic() - started
        try:
            conn.send_bytes(pickle.dumps((reply, busy >= worn_after), pickle.HIGHEST_PROTOCOL))
        except (EOFError, OSError):
            return


def _limit_memory(memory_bytes: int) -> None:
    """Bound this process's address space to what it maps now plus ``memory_bytes``: a query
    that needs more fails here (``MemoryError``, or the engine aborts and the process dies)
    instead of taking the machine's memory."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = mapped + memory_bytes
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _memory_refusal(memory_bytes: int) -> tuple[Any, ...]:
    return ("limit", f"the query needed more than the {memory_bytes // 2**20} MB a query "
            "process may use; narrow it down or add a LIMIT", "QUERY_MEMORY_MB")


class _AnswerTooLarge(Exception):
    """Raised by :class:`_BoundedWriter` past its bound; stops pyoxigraph's serializer."""


class _BoundedWriter:
    """A binary file pyoxigraph serializes into, which stops it past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _AnswerTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the parts are joined when the answer is complete."""

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _execute(store: Any, job: QueryJob) -> tuple[Any, ...]:
    """Check, run and serialize ``job`` on ``store``; every outcome becomes a picklable reply.

    The union of all graphs is the default graph unless the request or the query names its
    own dataset (``FROM``), as SPARQL 1.1 says.
    """
    import pyoxigraph

    try:
        info = read_query(job.query, job.allowlist) if job.inspect_only or store is None \
            else check_query(job.query, job.allowlist)
    except GuardUnreadable as error:
        return ("unreadable", error.message.rsplit("so it was not run: ", 1)[-1])
    except QueryRefused as error:
        return ("refused", error.message)
    if job.inspect_only or store is None:
        return ("info", info.form, list(info.services), info.has_dataset)
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = not info.has_dataset
    else:
        options["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.default_graphs or ()]
        options["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.named_graphs or ()]
    writer = _BoundedWriter(job.answer_bytes)
    try:
        result = store.query(job.query, **options)
        if isinstance(result, pyoxigraph.QueryTriples):
            return _graph_answer(result, job, writer)
        kind = "boolean" if isinstance(result, pyoxigraph.QueryBoolean) else "results"
        if job.results_format is None:
            return ("unacceptable", kind)
        results_format = pyoxigraph.QueryResultsFormat.from_media_type(job.results_format)
        result.serialize(output=writer, format=results_format)
        body = writer.getvalue()
        # Every row takes at least one byte, so only a large answer needs counting.
        if kind == "results" and len(body) > job.result_limit and \
                _count_rows(body, results_format) > job.result_limit:
            return ("limit", _too_many("rows", job.result_limit), "RESULT_LIMIT")
        return ("ok", kind, job.results_format, body)
    except _AnswerTooLarge:
        return ("limit", f"the answer is larger than the {job.answer_bytes / 2**20:g} MB this "
                "endpoint sends; add a LIMIT or narrow the query", "ANSWER_MAX_MB")
    except SyntaxError as error:
        if is_update(job.query):
            return ("refused", UPDATE_REFUSED)
        return ("syntax", str(error))
    except RuntimeError as error:  # pyoxigraph's evaluation errors: an unknown function, ...
        return ("evaluation", str(error))
    except PermissionError:
        return ("refused", "the query tried to reach the network, which this endpoint does "
                "not do")
    except (OSError, ValueError) as error:
        return ("error", f"{type(error).__name__}: {error}")


_LINE_FORMATS = frozenset({"application/n-triples", "application/n-quads"})
"""Graph formats with one triple a line and no prefixes, which pyoxigraph writes straight from
the engine's answer (:func:`_graph_answer`)."""


def _graph_answer(result: Any, job: QueryJob, writer: _BoundedWriter) -> tuple[Any, ...]:
    """A CONSTRUCT/DESCRIBE answer as a set of triples.

    In a line format (N-Triples, N-Quads) the engine's answer is written by pyoxigraph without
    a Python object per triple, which took a quarter of a DESCRIBE's time in the query process
    (600 against 450 µs for an authority's 33 triples); the engine already leaves out repeated
    triples, and its lines count the triples. Other formats go through Python to get the
    graph's prefixes (Turtle, RDF/XML, JSON-LD are read by people too).
    """
    import pyoxigraph

    if job.graph_format is None:
        return ("unacceptable", "graph")
    if job.graph_format in _LINE_FORMATS:
        result.serialize(output=writer, format=pyoxigraph.RdfFormat.N_TRIPLES)
        body = writer.getvalue()
        if body.count(b"\n") > job.result_limit:
            return ("limit", _too_many("triples", job.result_limit), "RESULT_LIMIT")
        return ("ok", "graph", job.graph_format, body)
    triples = list(dict.fromkeys(itertools.islice(result, job.result_limit + 1)))
    if len(triples) > job.result_limit:
        return ("limit", _too_many("triples", job.result_limit), "RESULT_LIMIT")
    pyoxigraph.serialize(triples, output=cast(IO[bytes], writer), prefixes=PREFIXES,
                         format=pyoxigraph.RdfFormat.from_media_type(job.graph_format))
    return ("ok", "graph", job.graph_format, writer.getvalue())


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
