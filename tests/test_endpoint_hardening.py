"""Issue 13's findings on the query path, each over HTTP against a real ``twinkg serve``.

One server (two web workers, real query processes) on the service fixture, with small
limits so that each limit can be reached cheaply; a loopback HTTP listener stands for an
internal service an attacker would like the endpoint to call.
"""

from __future__ import annotations

import contextlib
import http.server
import itertools
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph
import pytest
import requests

from graph.query.errors import QueryError
from graph.query.pool import QueryRunner
from graph.query.process import QueryJob
from tests.conftest import SERVICE_DATA, build_store
from tests.servers import Server, start_oxigraph, start_twinkg

JSON = "application/sparql-results+json"
CURATED = "https://w3id.org/twinning-kg/id/graph/curated"
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l "
        "FILTER(?l != {n}) }}")
"""About two seconds on the fixture; ``n`` makes each one new to every cache."""
LIMITS = {"TWINKG_ANSWER_MAX_MB": "1", "TWINKG_QUERY_MEMORY_MB": "256",
          "TWINKG_MAX_QUERY_CHARS": "60000", "TWINKG_QUERY_TIMEOUT": "8",
          "TWINKG_PUBLIC_BASE": "http://public.example/"}


class Listener:
    """A loopback HTTP server that counts the requests it gets."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                self.wfile.write(b'{"head":{"vars":["secret"]},"results":{"bindings":[{"secret"'
                                 b':{"type":"literal","value":"internal"}}]}}')

            do_POST = do_GET

            def log_message(self, *args: object) -> None:
                """Quiet."""

        self.hits = hits
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/internal"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("hardening")
    store = build_store(workdir / "store", SERVICE_DATA / "fixture.trig")
    started = start_twinkg(workdir, store=store, workers=2, extra_env=LIMITS)
    yield started
    started.stop()


def ask(server: Server, query: str, method: str = "GET", **headers: str) -> requests.Response:
    headers.setdefault("Accept", JSON)
    if method == "GET":
        return requests.get(server.sparql, params={"query": query}, headers=headers,
                            timeout=60)
    return requests.post(server.sparql, data=query.encode("utf-8"), timeout=60,
                         headers={**headers, "Content-Type": "application/sparql-query"})


def error_of(response: requests.Response) -> dict[str, object]:
    error: dict[str, object] = response.json()["error"]
    return error


def count(response: requests.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# 1. SSRF past the guard
@pytest.mark.parametrize("escape", ["ex:a\\#", "ex:a\\' ORDER BY ("])
def test_service_hidden_behind_an_escape_is_refused_unread(
        server: Server, listener: Listener, escape: str) -> None:
    query = (f"PREFIX ex: <http://e/> SELECT ?secret WHERE {{ {{ ?a ?b {escape} }} UNION "
             f"{{ SERVICE <{listener.url}> {{ ?secret ?p ?o }} }} }}")
    for method in ("GET", "POST"):
        response = ask(server, query, method)
        assert response.status_code == 400
        assert str(error_of(response)["message"]).startswith(
            "the guard could not read this query")
    assert listener.hits == []


def test_a_service_call_past_the_guard_reaches_nothing(store_dir: Path,
                                                       listener: Listener) -> None:
    """The second wall: with federation off, query processes cannot open IP sockets, so even
    a SERVICE the guard let through (here: allow-listed in the job itself) calls nobody. The
    same job in an unsandboxed pool does reach the listener: the test can fail."""
    store = store_dir / os.readlink(store_dir / "current") / "oxigraph"
    job = QueryJob(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", JSON,
                   None, allowlist=frozenset({listener.url}))
    with QueryRunner(store, processes=1, timeout=20, sandboxed=True) as runner:
        with pytest.raises(Exception, match="network") as refused:
            runner.run(job)
        assert getattr(refused.value, "status", 0) == 403
    assert listener.hits == []
    # whatever the engine made of the listener's answer, the call was made
    with QueryRunner(store, processes=1, timeout=20, sandboxed=False) as runner, \
            contextlib.suppress(QueryError):
        runner.run(job)
    assert len(listener.hits) == 1
    listener.hits.clear()


# 2. answer bytes and memory
def test_an_answer_past_the_byte_limit_is_refused_naming_the_limit(server: Server) -> None:
    doublings = "".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(12))
    rows = " ".join(str(n) for n in range(64))
    query = (f'SELECT ?v12 WHERE {{ VALUES ?n {{ {rows} }} '
             f'BIND("abcdefghijklmnopqrstuvwxyz012345" AS ?v0) {doublings}}}')
    response = ask(server, query)
    assert response.status_code == 403
    assert error_of(response)["limit"] == "ANSWER_MAX_MB"
    assert count(ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == 60


def test_a_query_past_the_memory_limit_is_refused_and_the_server_goes_on(
        server: Server) -> None:
    doublings = "".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1}) " for i in range(26))
    query = (f'SELECT (STRLEN(?v26) AS ?n) WHERE {{ BIND("abcdefghijklmnopqrstuvwxyz012345" '
             f'AS ?v0) {doublings}}}')
    response = ask(server, query)
    assert response.status_code == 403, response.text
    assert error_of(response)["limit"] == "QUERY_MEMORY_MB"
    assert count(ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == 60


# 3. and 4. what the web worker does with large texts
def test_a_query_longer_than_the_limit_is_refused_before_anything_reads_it(
        server: Server) -> None:
    query = "ASK { ?s ?p ?o FILTER(?o IN (" + ",".join(map(str, range(20_000))) + ")) }"
    response = ask(server, query, "POST")
    assert response.status_code == 413
    assert error_of(response)["limit"] == "MAX_QUERY_CHARS"


def test_guard_reading_runs_under_the_time_limit(server: Server) -> None:
    """10,000 list items that the guard must read (the comment names SERVICE) take rdflib
    longer than the 8-second limit: the query process is stopped, and the next query is
    answered."""
    query = ("# service\nASK { ?s ?p ?o FILTER(?o IN (" + ",".join(map(str, range(10_000)))
             + ")) }")
    response = ask(server, query, "POST")
    assert response.status_code == 403
    assert error_of(response)["limit"] == "QUERY_TIMEOUT"
    assert "limit of 8 s" in str(error_of(response)["message"])
    assert count(ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) == 60


def test_updates_are_refused_unread(server: Server) -> None:
    body = "INSERT DATA { " + " ".join(f"<http://e/{n}> <http://e/p> {n} ." for n in
                                       range(3000)) + " }"
    for response in (
            requests.post(server.sparql, data={"update": body}, timeout=30),
            requests.post(server.sparql, data=body, timeout=30,
                          headers={"Content-Type": "application/sparql-update"}),
            ask(server, "CLEAR ALL"), ask(server, "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }")):
        assert response.status_code == 403
        assert "read-only" in str(error_of(response)["message"])


# 5. distinct queries from many clients, each read by the guard
def test_many_clients_with_distinct_guarded_queries_get_answers(server: Server) -> None:
    def query(n: int) -> str:
        return (f"# from service {n}\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                f"SELECT (COUNT(*) AS ?n) FROM <{CURATED}> WHERE {{ ?s ?p ?o "
                f"FILTER(?o != {n} && ?o != \"label {n}\") }}")

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: ask(server, query(n), "POST" if n % 2 else "GET")
                                 .status_code, range(200)))
    assert statuses == [200] * 200
    for n in range(40):
        assert count(ask(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o "
                                 f'FILTER(!sameTerm(?o, "absent {n}")) }}')) == 60


# 6. large legitimate queries
def test_large_legitimate_queries_are_answered(server: Server) -> None:
    patterns = " . ".join(f"OPTIONAL {{ ?s <http://e/p{i}> ?o{i} }}" for i in range(100))
    wide = f"# service\nSELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o {patterns} }}"
    assert count(ask(server, wide, "POST")) == 60
    deep = ("# from\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(" + "(" * 50 + "true"
            + ")" * 50 + ") }")
    assert count(ask(server, deep)) == 60


# 7. a query process that dies mid-request
def test_a_query_process_killed_mid_request_is_retried(server: Server) -> None:
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(ask, server, SLOW.format(n=time.time_ns()))
        time.sleep(0.8)
        killed = [pid for pid in query_workers(server.process.pid) if busy(pid)]
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        response = pending.result()
    assert killed, "no query process was busy with the slow query"
    assert response.status_code == 200, response.text
    assert count(response) > 0


def query_workers(root: int) -> list[int]:
    """The query processes under ``root``: forks of a store process (grandchildren of a web
    worker's store process, which is itself a child of a web worker)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    web_workers = children.get(root, [])
    stores = list(itertools.chain.from_iterable(children.get(w, []) for w in web_workers))
    return list(itertools.chain.from_iterable(children.get(s, []) for s in stores))


def busy(pid: int) -> bool:
    """Whether a thread of ``pid`` is running on a CPU now (state R), as the answering thread
    of a query process mid-query is."""
    try:
        return any((task / "stat").read_text().rsplit(")", 1)[1].split()[0] == "R"
                   for task in Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return False


# 12. relative IRIs resolve against the configured address, never the Host header
RELATIVE = "SELECT ?x WHERE { BIND(<relative> AS ?x) }"


def test_relative_iris_resolve_against_the_public_base(server: Server) -> None:
    response = ask(server, RELATIVE, Host="evil.example")
    assert response.json()["results"]["bindings"][0]["x"]["value"] == \
        "http://public.example/relative"


def test_remote_mode_sends_base_from_configuration(tmp_path: Path) -> None:
    quads = list(pyoxigraph.parse(path=str(SERVICE_DATA / "fixture.trig")))
    remote = start_oxigraph(quads, tmp_path / "oxigraph")
    service = start_twinkg(tmp_path, endpoint=remote.sparql, workers=1,
                           extra_env={"TWINKG_PUBLIC_BASE": "http://public.example/"})
    try:
        for host in ("evil.example", "x> } SERVICE <http://127.0.0.1:9/> { ?a ?b ?c"):
            response = ask(service, RELATIVE, Host=host)
            if response.status_code == 200:
                assert response.json()["results"]["bindings"][0]["x"]["value"] == \
                    "http://public.example/relative"
            else:
                assert response.status_code == 400  # Werkzeug refuses a Host it cannot read
        escaped = ("PREFIX ex: <http://e/> SELECT * WHERE { { ?a ?b ex:a\\# } UNION "
                   "{ SERVICE <http://127.0.0.1:9/x> { ?a ?b ?c } } }")
        assert ask(service, escaped).status_code == 400
    finally:
        service.stop()
        remote.stop()


# 13. FROM under the union default graph
def test_from_names_the_default_graph(server: Server) -> None:
    union = count(ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    curated = count(ask(server, f"SELECT (COUNT(*) AS ?n) FROM <{CURATED}> "
                                "WHERE { ?s ?p ?o }"))
    named = count(ask(server, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{CURATED}> "
                              "WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert 0 < curated < union
    assert named == curated
    nothing = count(ask(server, "SELECT (COUNT(*) AS ?n) FROM <http://e/none> "
                                "WHERE { ?s ?p ?o }"))
    assert nothing == 0


# With a non-empty allow-list only the guard stands: every escape form of IRIs and prefixed
# names that could name a forbidden endpoint must be refused, in a pool that can reach it.
def escape_forms(forbidden: str) -> list[str]:
    """Queries that call ``forbidden`` (``http://127.0.0.1:PORT/internal``) in disguise."""
    root, _, local = forbidden.rpartition("/")
    host_escaped = forbidden.replace(":", "\\u003A", 2)
    body = "{ ?s ?p ?o }"
    return [
        f"SELECT * WHERE {{ SERVICE <{forbidden}> {body} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{forbidden}> {body} }}",
        f"SELECT * WHERE {{ SERVICE <{host_escaped}> {body} }}",
        f"SELECT * WHERE {{ SERVICE <{forbidden.replace('/', chr(92) + 'U0000002F')}> {body} }}",
        f"PREFIX p: <{root}/> SELECT * WHERE {{ SERVICE p:{local} {body} }}",
        f"PREFIX p: <{root}/> SELECT * WHERE {{ SERVICE p:inter\\-nal {body} }}",
        f"PREFIX p: <{root}/> SELECT * WHERE {{ SERVICE p:%69nternal {body} }}",
        f"PREFIX p: <http://allowed.example/> PREFIX p: <{root}/> "
        f"SELECT * WHERE {{ SERVICE p:{local} {body} }}",
        f"BASE <{root}/> SELECT * WHERE {{ SERVICE <{local}> {body} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{forbidden}> }} SERVICE ?e {body} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{forbidden}> {body} }}",
        f"SELECT * WHERE {{ \\U00000053ervice <{forbidden}> {body} }}",
        f"SELECT * WHERE {{ sErViCe # a comment\n <{forbidden}> {body} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ SERVICE <{forbidden}> {body} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SELECT * WHERE {{ SERVICE <{forbidden}> {body} }} }} }}",
        f"ASK {{ SERVICE <{forbidden}#fragment> {body} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{forbidden}?x=1> {body} }}",
        f'SELECT * WHERE {{ ?s ?p "\\"" . SERVICE <{forbidden}> {body} }}',
        f"SELECT * WHERE {{ ?s ?p '''a'b''' . SERVICE <{forbidden}> {body} }}",
    ]


def test_escape_forms_cannot_reach_an_endpoint_off_the_allow_list(store_dir: Path) -> None:
    allowed, forbidden = Listener(), Listener()
    store = store_dir / os.readlink(store_dir / "current") / "oxigraph"
    try:
        with QueryRunner(store, processes=1, timeout=20, sandboxed=False) as runner:
            for query in escape_forms(forbidden.url):
                job = QueryJob(query, JSON, "text/turtle",
                               allowlist=frozenset({allowed.url}))
                with pytest.raises(QueryError) as refused:
                    runner.run(job)
                assert refused.value.status in (400, 403), query
            assert forbidden.hits == []
            # the allowed endpoint, named in the same forms, is called
            root, _, local = allowed.url.rpartition("/")
            with contextlib.suppress(QueryError):
                runner.run(QueryJob(f"PREFIX a: <{root}/> SELECT * WHERE {{ SERVICE a:{local} "
                                    "{ ?s ?p ?o } }", JSON, None,
                                    allowlist=frozenset({allowed.url})))
            assert len(allowed.hits) == 1
    finally:
        allowed.close()
        forbidden.close()


# found by the fuzzer: the guard's reading of odd but valid texts, and unknown functions
@pytest.mark.parametrize("query", [
    "PREFIX : <http://e/> SELECT (COUNT(*) AS ?n) FROM <" + CURATED + "> WHERE { ?s ?p ?o }",
    "PREFIX : <http://e/> SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != :service) }",
])
def test_the_empty_prefix_is_read(server: Server, query: str) -> None:
    assert count(ask(server, query)) > 0


@pytest.mark.parametrize("query", [
    "PREFIX : <http://example/> SELECT (:abs(1) AS ?x) {}",
    "SELECT (<file:///etc/passwd>(1) AS ?x) {}",
    "SELECT ?x WHERE { BIND(<http://www.w3.org/2001/XMLSchema#integer>() AS ?x) }",
])
def test_an_unknown_function_is_the_query_s_fault(server: Server, query: str) -> None:
    response = ask(server, query)
    assert response.status_code == 400
    assert error_of(response)["type"] == "query-evaluation"


def test_an_escape_beyond_unicode_is_unreadable(server: Server) -> None:
    response = ask(server, "# from\nSELECT * WHERE { ?s ?p '\\U00110000' }")
    assert response.status_code == 400
    assert str(error_of(response)["message"]).startswith("the guard could not read")


# a web worker that dies (killed, out of memory) is replaced; the other one answers meanwhile
def test_a_killed_web_worker_is_replaced(server: Server) -> None:
    before = web_workers(server.process.pid)
    assert len(before) == 2, before
    os.kill(before[0], signal.SIGKILL)
    # connections the dying worker had taken are lost with it; ask once it is gone
    gone = time.monotonic() + 10
    while before[0] in web_workers(server.process.pid) and time.monotonic() < gone:
        time.sleep(0.01)
    answered = [ask(server, f"SELECT ({n} AS ?n) {{}}").status_code for n in range(20)]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = web_workers(server.process.pid)
        if len(now) == 2 and before[0] not in now:
            break
        time.sleep(0.2)
    assert answered == [200] * 20
    assert len(now) == 2 and before[0] not in now, (before, now)
    # the new worker opens its store before it takes requests: every request still answers
    assert all(count(ask(server, "SELECT (COUNT(*) AS ?n) WHERE { SELECT ?s WHERE "
                               f"{{ ?s ?p ?o }} LIMIT {n + 1} }}")) == n + 1
               for n in range(20))


def web_workers(root: int) -> list[int]:
    """The web worker processes of the ``twinkg serve`` process ``root``: its children that
    are not multiprocessing's resource tracker."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
                if parent == root and b"resource_tracker" not in command:
                    found.append(int(entry.name))
    return sorted(found)
