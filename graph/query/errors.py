"""The exceptions of the query layer; the service maps each one to one HTTP status, once.

=====================  ======  =============================================================
exception              status  meaning
=====================  ======  =============================================================
``QuerySyntaxError``   400     the query does not parse; carries the message and position
``GuardUnreadable``    400     the guard cannot read the query, so it is not run
``QueryEvaluationError`` 400   the engine cannot evaluate it (an unknown function, ...)
``QueryRefused``       403     allowed syntax, refused by policy (update, SERVICE)
``QueryLimitExceeded`` 403/413 a limit was hit (time, answer bytes, memory, query length)
``NotFound``           404     no such resource in the graph
``QueryNotAcceptable`` 406     no accepted format fits what the query returns
``QueryTimeout``       503     no query process became free in time (a busy server)
``BackendError``       500/502 our side failed (store unreadable, remote server broke)
=====================  ======  =============================================================

Re-exported by :mod:`graph.query.backend`, which is where callers should import them from.
"""

from __future__ import annotations


class QueryError(Exception):
    """Base of every query-layer error; ``message`` is a sentence a user can act on, ``status``
    the HTTP status the service answers with (the table above)."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuerySyntaxError(QueryError):
    """The query does not parse. ``line`` and ``column`` (1-based) say where, when known.

    >>> str(QuerySyntaxError("expected '}'", line=1, column=6))
    "expected '}' (line 1, column 6)"
    """

    status = 400

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"


class GuardUnreadable(QuerySyntaxError):
    """The guard could not read a query it must read (:mod:`graph.query.guard`), so the query
    is refused instead of being run unchecked.

    >>> str(GuardUnreadable("Expected end of text"))
    'the guard could not read this query, so it was not run: Expected end of text'
    """

    def __init__(self, reason: str) -> None:
        super().__init__(f"the guard could not read this query, so it was not run: {reason}")


class QueryEvaluationError(QueryError):
    """The query parses but the engine cannot evaluate it: it calls a function the engine does
    not know, or with the wrong number of arguments. The query's fault, so a 400."""

    status = 400


class QueryRefused(QueryError):
    """The query is well formed but this endpoint will not run it (policy, not a bug)."""

    status = 403


class QueryLimitExceeded(QueryRefused):
    """A query (or its answer) went past one of the endpoint's limits.

    ``limit`` names the setting that was hit (``QUERY_TIMEOUT``, ``ANSWER_MAX_MB``,
    ``QUERY_MEMORY_MB``, ``MAX_QUERY_CHARS``, ``RESULT_LIMIT``), so the error says which one;
    ``status`` is the HTTP status it maps to (413 for a request that is itself too large).
    """

    def __init__(self, message: str, limit: str, status: int = 403) -> None:
        super().__init__(message)
        self.limit = limit
        self.status = status


class QueryNotAcceptable(QueryError):
    """None of the formats the client accepts fits what the query returns (``kind`` is
    ``results``, ``boolean`` or ``graph``); found once the engine has read the query."""

    status = 406

    def __init__(self, kind: str) -> None:
        what = "an RDF graph" if kind == "graph" else "query results"
        super().__init__(f"this query returns {what}, and none of the accepted formats fits it")
        self.kind = kind


class QueryTimeout(QueryError):
    """No query process became free within the time limit (the server is busy), or a remote
    server did not answer in time. A query that itself runs past the limit is a
    :class:`QueryLimitExceeded` (``QUERY_TIMEOUT``)."""

    status = 503


class NotFound(QueryError):
    """The requested resource is not in the published graph."""

    status = 404


class BackendError(QueryError):
    """Our own side failed: the store cannot be read, a worker died, a remote server broke.

    ``upstream`` is True when a remote SPARQL server (not this process) failed, so the service
    can answer 502 instead of 500.
    """

    def __init__(self, message: str, upstream: bool = False) -> None:
        super().__init__(message)
        self.upstream = upstream
        self.status = 502 if upstream else 500
