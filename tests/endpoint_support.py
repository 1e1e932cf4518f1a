"""Helpers for tests and benchmarks that send hostile or unusual queries to a real
``twinkg serve`` process: start it on a small published store, send a query by each protocol
form, and read the documented error shape (``service/errors.py``).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.conftest import SERVICE_DATA, build_store
from tests.servers import Server, start_twinkg

GUARD_REFUSAL = "the guard could not read this query"
"""How the message of a 400 begins when the guard refuses a query it cannot read."""

ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
          "application/json;q=0.5, */*;q=0.1")
METHODS = ("GET", "POST-form", "POST-direct")
"""The three ways SPARQL 1.1 Protocol lets a client send a query."""


def serve_fixture_store(workdir: Path, *, workers: int = 2,
                        extra_env: dict[str, str] | None = None) -> Server:
    """``twinkg serve`` over the service fixture (``tests/data/service/fixture.trig``),
    published into ``workdir / "store"``; the caller stops it."""
    store = build_store(workdir / "store", SERVICE_DATA / "fixture.trig")
    return start_twinkg(workdir, store=store, workers=workers, extra_env=extra_env)


@dataclass(frozen=True)
class Answer:
    """What the endpoint said: ``status`` and, for an error, the documented error object."""

    status: int
    error: dict[str, object] | None
    body: bytes

    @property
    def message(self) -> str:
        return str((self.error or {}).get("message", ""))

    @property
    def guard_refusal(self) -> bool:
        """A 400 saying the guard could not read the query (allowed for valid SPARQL)."""
        return self.status == 400 and self.message.startswith(GUARD_REFUSAL)

    def describe(self) -> str:
        """One line for a report: status, error type and message (or the body's start)."""
        if self.error is not None:
            return f"{self.status} {self.error.get('type')}: {self.message[:200]}"
        return f"{self.status} {self.body[:200]!r}"


def send(session: requests.Session, endpoint: str, query: str | bytes, method: str = "POST-form",
         timeout: float = 30.0) -> Answer:
    """Send ``query`` to ``endpoint`` by ``method`` (one of :data:`METHODS`).

    ``query`` may be bytes to send encodings that are not UTF-8. Raises
    ``requests.Timeout`` when the server does not answer within ``timeout`` seconds.
    """
    headers = {"Accept": ACCEPT}
    if method == "GET":
        response = session.get(endpoint, params={"query": query}, headers=headers,
                               timeout=timeout)
    elif method == "POST-form":
        response = session.post(endpoint, data={"query": query}, headers=headers,
                                timeout=timeout)
    elif method == "POST-direct":
        data = query if isinstance(query, bytes) else query.encode("utf-8")
        response = session.post(endpoint, data=data, timeout=timeout, headers={
            **headers, "Content-Type": "application/sparql-query"})
    else:
        raise ValueError(f"unknown method {method!r}; use one of {METHODS}")
    return Answer(response.status_code, error_of(response), response.content)


def error_of(response: requests.Response) -> dict[str, object] | None:
    """The ``error`` object of a JSON error answer, else None."""
    if response.status_code < 400:
        return None
    try:
        payload = json.loads(response.content)
    except ValueError:
        return None
    error = payload.get("error") if isinstance(payload, dict) else None
    return error if isinstance(error, dict) else None


@dataclass
class FuzzOutcome:
    """What a fuzz run saw: answers by status, every 5xx and every request that got no
    answer (timeout or dropped connection), each with its query."""

    statuses: Counter[int] = field(default_factory=Counter)
    offenders: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(index, method, what happened, query) of each 5xx."""
    no_answer: list[tuple[int, str, str, str]] = field(default_factory=list)
    """(index, method, exception, query) of each request that hung or lost its connection."""
    errors: Counter[str] = field(default_factory=Counter)
    """Error answers by status, type and the start of the message."""
    reconnected: int = 0
    """Requests sent again on a fresh connection after the server had closed theirs."""
    slowest: float = 0.0
    seconds: float = 0.0

    def report(self, limit: int = 200) -> str:
        """The statuses, then each offender with the start of its query (``repr``)."""
        lines = [f"{sum(self.statuses.values())} answers in {self.seconds:.1f} s, by status: "
                 f"{dict(sorted(self.statuses.items()))}; slowest {self.slowest:.1f} s; "
                 f"{self.reconnected} sent again after the server closed the connection"]
        lines.append("most frequent errors:")
        lines += [f"  {count:>6} x {what}" for what, count in self.errors.most_common(15)]
        for title, rows in (("5xx answers", self.offenders), ("no answer", self.no_answer)):
            lines.append(f"{title}: {len(rows)}")
            lines += [f"  #{i} [{method}] {what}\n      {query[:limit]!r}"
                      for i, method, what, query in rows]
        return "\n".join(lines)


def fuzz_endpoint(endpoint: str, queries: list[str], clients: int = 8,
                  timeout: float = 60.0) -> FuzzOutcome:
    """Send every query once from ``clients`` threads, each with its own session; query ``i``
    goes by ``METHODS[i % 3]`` as the bytes :func:`tests.fuzz_queries.query_bytes` gives."""
    from tests.fuzz_queries import query_bytes

    outcome = FuzzOutcome()
    lock = threading.Lock()

    def client(first: int) -> None:
        with requests.Session() as session:
            for i in range(first, len(queries), clients):
                method = METHODS[i % len(METHODS)]
                started = time.monotonic()
                try:
                    try:
                        answer = send(session, endpoint, query_bytes(queries[i]), method,
                                      timeout)
                    except requests.ConnectionError:
                        # A kept-alive connection the server closed as the request went out:
                        # once more on a fresh connection, as any HTTP client would.
                        session.close()
                        with lock:
                            outcome.reconnected += 1
                        answer = send(session, endpoint, query_bytes(queries[i]), method,
                                      timeout)
                except requests.RequestException as error:
                    with lock:
                        outcome.no_answer.append((i, method, repr(error)[:300], queries[i]))
                    session.close()
                    continue
                elapsed = time.monotonic() - started
                with lock:
                    outcome.statuses[answer.status] += 1
                    outcome.slowest = max(outcome.slowest, elapsed)
                    if answer.status >= 400:
                        outcome.errors[f"{answer.status} {(answer.error or {}).get('type')}: "
                                       f"{answer.message[:70]}"] += 1
                    if answer.status >= 500:
                        outcome.offenders.append((i, method, answer.describe(), queries[i]))

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.monotonic() - started
    outcome.offenders.sort()
    outcome.no_answer.sort()
    return outcome
