"""The exceptions of the query layer; the service maps each one to one HTTP status, once.

=====================  ======  =============================================================
exception              status  meaning
=====================  ======  =============================================================
``QuerySyntaxError``   400     the query does not parse; carries the message and position
``QueryRefused``       403     allowed syntax, refused by policy (update, SERVICE, too big)
``NotFound``           404     no such resource in the graph
``QueryTimeout``       503     the query ran past the time limit and was stopped
``BackendError``       500/502 our side failed (store unreadable, remote server broke)
=====================  ======  =============================================================

Re-exported by :mod:`graph.backend`, which is where callers should import them from.
"""

from __future__ import annotations


class QueryError(Exception):
    """Base of every query-layer error; ``message`` is a sentence a user can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QuerySyntaxError(QueryError):
    """The query does not parse. ``line`` and ``column`` (1-based) say where, when known.

    >>> str(QuerySyntaxError("expected '}'", line=1, column=6))
    "expected '}' (line 1, column 6)"
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"


class QueryRefused(QueryError):
    """The query is well formed but this endpoint will not run it (policy, not a bug)."""


class QueryTimeout(QueryError):
    """The query ran past the configured time limit; its work was stopped."""


class NotFound(QueryError):
    """The requested resource is not in the published graph."""


class BackendError(QueryError):
    """Our own side failed: the store cannot be read, a worker died, a remote server broke.

    ``upstream`` is True when a remote SPARQL server (not this process) failed, so the service
    can answer 502 instead of 500.
    """

    def __init__(self, message: str, upstream: bool = False) -> None:
        super().__init__(message)
        self.upstream = upstream
