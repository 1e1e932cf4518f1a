"""Fuzzing the public SPARQL endpoint of a real ``twinkg serve`` process (issue 13).

5,000 queries from :func:`tests.fuzz_queries.fuzz_queries` (seeded, so a failure replays) go to
the endpoint from 8 client threads, by GET, POST form and POST ``application/sparql-query`` in
turn, on the small service fixture. No answer may be a 5xx (each one is printed with its
query), no request may go unanswered within the client's time limit, and afterwards the server
must still answer an everyday query within a second. A longer, configurable run is
``benchmarks/fuzz_endpoint.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.endpoint_support import fuzz_endpoint, send, serve_fixture_store
from tests.fuzz_queries import EVERYDAY, fuzz_queries
from tests.servers import Server

SEED = 13
COUNT = 5_000
CLIENTS = 8
QUERY_TIMEOUT = 10
CLIENT_TIMEOUT = 45.0
"""Seconds a client waits for an answer: the server's time limit plus room for queueing."""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    service = serve_fixture_store(Path(tmp_path_factory.mktemp("fuzz")), extra_env={
        "TWINKG_QUERY_TIMEOUT": str(QUERY_TIMEOUT)})
    yield service
    service.stop()


def test_fuzzed_queries_get_no_5xx_and_the_server_keeps_answering(server: Server) -> None:
    started = time.monotonic()
    outcome = fuzz_endpoint(server.sparql, fuzz_queries(SEED, COUNT), CLIENTS, CLIENT_TIMEOUT)
    print(f"\nfuzz seed {SEED}, {COUNT} queries, {CLIENTS} clients, "
          f"{time.monotonic() - started:.1f} s wall\n{outcome.report()}")

    with requests.Session() as session:
        begun = time.monotonic()
        after = send(session, server.sparql, EVERYDAY[0], timeout=CLIENT_TIMEOUT)
        answered_in = time.monotonic() - begun
    print(f"an everyday query afterwards: {after.status} in {answered_in:.3f} s")

    assert server.process.poll() is None, "twinkg serve exited during the fuzz run"
    assert not outcome.offenders, f"{len(outcome.offenders)} answers were a 5xx (above)"
    assert not outcome.no_answer, f"{len(outcome.no_answer)} requests got no answer (above)"
    assert after.status == 200, after.describe()
    assert answered_in < 1.0
