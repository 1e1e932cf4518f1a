"""Helpers for tests and benchmarks that send hostile or unusual queries to a real
``twinkg serve`` process: start it on a small published store, send a query by each protocol
form, and read the documented error shape (``service/errors.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
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
