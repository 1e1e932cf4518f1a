"""The embedded backend: real published stores, real worker processes, a real time limit."""

from __future__ import annotations

import gzip
import os
import time
from pathlib import Path

import pyoxigraph
import pytest

from graph.core.iris import authority_iri, partnership_iri
from graph.query.backend import (
    GuardUnreadable,
    QueryLimitExceeded,
    QueryRefused,
    QuerySyntaxError,
)
from graph.query.embedded import EmbeddedBackend
from graph.query.guard import UNREAD, check_query
from graph.query.pool import QueryJob, QueryRunner
from tests.conftest import SERVICE_DATA, build_store

JSON = "application/sparql-results+json"
EXPLOSIVE = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
             "?m ?n2 ?o }")


def _rows(body: bytes) -> list[dict[str, str]]:
    parsed = pyoxigraph.parse_query_results(body, format=pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    return [{str(v)[1:]: s[v].value for v in parsed.variables if s[v] is not None}
            for s in parsed]


def test_fixture_iris_are_minted_by_graph_iris() -> None:
    dataset = pyoxigraph.Dataset(pyoxigraph.parse(path=str(SERVICE_DATA / "fixture.trig")))
    subjects = {q.subject.value for q in dataset if isinstance(q.subject, pyoxigraph.NamedNode)}
    for cc, name in [("PL", "Swarzędz"), ("SE", "Järfälla"), ("CZ", "Ústí nad Labem")]:
        assert authority_iri(cc, name) in subjects
    assert partnership_iri(["pl/swarzędz", "de/ronnenberg"]) in subjects


def test_default_graph_is_the_union_of_named_graphs(embedded_backend: EmbeddedBackend) -> None:
    out = embedded_backend.query(
        "SELECT ?label WHERE { ?a a <https://w3id.org/twinning-kg/def#Municipality> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label")
    assert out.kind == "results"
    labels = [r["label"] for r in _rows(out.body)]
    assert labels == sorted(["Swarzędz", "Järfälla", "Ronnenberg", "Ústí nad Labem",
                             "Chemnitz"])


def test_protocol_dataset_restricts_the_default_graph(embedded_backend: EmbeddedBackend) -> None:
    wikipedia = "https://w3id.org/twinning-kg/id/graph/wikipedia"
    out = embedded_backend.query(
        "SELECT ?label WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?label . "
        "?a a <https://w3id.org/twinning-kg/def#Municipality> }", default_graphs=[wikipedia])
    assert {r["label"] for r in _rows(out.body)} == {"Ústí nad Labem", "Chemnitz"}


def test_syntax_error_carries_message_and_position(embedded_backend: EmbeddedBackend) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        embedded_backend.query("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = }")
    assert (caught.value.line, caught.value.column) == (3, 16)
    assert "expected" in caught.value.message


def test_result_limit_refuses_larger_answers(store_dir: Path) -> None:
    backend = EmbeddedBackend(store_dir, processes=1, result_limit=5, in_memory=False)
    try:
        small = backend.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5")
        assert len(_rows(small.body)) == 5
        with pytest.raises(QueryRefused, match="more than 5 rows"):
            backend.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        for graph_format in ("text/turtle", "application/n-triples"):
            with pytest.raises(QueryRefused, match="more than 5 triples"):
                backend.query("CONSTRUCT WHERE { ?s ?p ?o }", graph_format=graph_format)
        five = backend.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5",
                             graph_format="application/n-triples")
        assert five.body.count(b"\n") == 5
    finally:
        backend.close()


@pytest.mark.parametrize("line_format", ["application/n-triples", "application/n-quads"])
def test_line_format_graph_answers_hold_the_same_triples_once(
        embedded_backend: EmbeddedBackend, line_format: str) -> None:
    """N-Triples and N-Quads are written by the engine, Turtle through Python with prefixes:
    both give the same set of triples, and a template that repeats a triple gives it once."""
    swarzedz = authority_iri("PL", "Swarzędz")
    describe = f"DESCRIBE <{swarzedz}>"
    lines = embedded_backend.query(describe, graph_format=line_format)
    turtle = embedded_backend.query(describe, graph_format="text/turtle")
    as_lines = set(pyoxigraph.parse(lines.body, format=pyoxigraph.RdfFormat.N_QUADS))
    as_turtle = set(pyoxigraph.parse(turtle.body, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(as_lines) > 3
    assert as_lines == as_turtle
    assert lines.media_type == line_format
    repeated = embedded_backend.query(
        "CONSTRUCT { <http://example.org/a> <http://example.org/b> 1 } WHERE { ?s ?p ?o }",
        graph_format=line_format)
    assert repeated.body == b'<http://example.org/a> <http://example.org/b> "1"^^' \
        b"<http://www.w3.org/2001/XMLSchema#integer> .\n"


def test_timeout_stops_the_work_and_the_next_query_is_answered(store_dir: Path) -> None:
    store = Path(os.readlink(store_dir / "current"))
    runner = QueryRunner(store_dir / store / "oxigraph", processes=2, timeout=1.0)
    try:
        before = set(runner.worker_pids())
        with pytest.raises(QueryLimitExceeded, match="longer than the limit of 1 s"):
            runner.run(QueryJob(EXPLOSIVE, JSON, "text/turtle"))
        killed = before - set(runner.worker_pids())
        assert len(killed) == 1
        (pid,) = killed
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # the process that ran the explosive query is gone
        answer = runner.run(QueryJob("ASK { ?s ?p ?o }", JSON, "text/turtle"))
        assert answer.kind == "boolean"
        assert bool(pyoxigraph.parse_query_results(
            answer.body, format=pyoxigraph.QueryResultsFormat.JSON))
    finally:
        runner.close()


def test_repeated_query_is_served_from_the_version_cache(
        embedded_backend: EmbeddedBackend) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = embedded_backend.query(query)
    assert embedded_backend.query(query) is first


@pytest.mark.parametrize("query", [
    "CLEAR ALL",
    "LOAD <http://example.org/data.ttl>",
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX ex: <http://e/> DELETE WHERE { ?s ex:p ?o }",
    "DELETE { ?s ?p ?o } USING <http://e/g> WHERE { ?s ?p ?o }",  # read by the guard (USING)
])
def test_updates_are_refused(query: str, embedded_backend: EmbeddedBackend) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        embedded_backend.query(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "PREFIX in: <http://10.0.0.1/> SELECT * WHERE { SERVICE in:sparql { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe <http://10.0.0.1/sparql> { ?s ?p 'x' } }",
])
def test_service_off_the_allow_list_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused):
        check_query(query, frozenset({"https://query.wikidata.org/sparql"}))


@pytest.mark.parametrize("query", [
    # rdflib rejects these (an IRI with '#' before SERVICE; escaped local names): a query the
    # guard cannot read is refused, never run unchecked
    "SELECT * WHERE { ?a <http://t/#x> ?p . SERVICE <http://10.0.0.1/> { ?a ?b ?c } }",
    "PREFIX ex: <http://e/> SELECT ?secret WHERE { { ?a ?b ex:a\\# } UNION "
    "{ SERVICE <http://127.0.0.1:9/internal> { ?secret ?p ?o } } }",
    "PREFIX ex: <http://e/> SELECT ?x WHERE { { ?a ?b ex:a\\' } UNION "
    "{ SERVICE <http://127.0.0.1:9/internal> { ?x ?p ?o } } } ORDER BY (",
])
def test_what_the_guard_cannot_read_is_refused(query: str) -> None:
    with pytest.raises(GuardUnreadable, match=r"^the guard could not read this query"):
        check_query(query)


def test_allow_listed_service_and_lookalikes_pass() -> None:
    wikidata = "https://query.wikidata.org/sparql"
    info = check_query(f"SELECT * WHERE {{ SERVICE <{wikidata}> {{ ?s ?p ?o }} }}",
                       frozenset({wikidata}))
    assert info.services == (wikidata,)
    # SERVICE inside a string, a comment or an IRI is not a SERVICE clause
    info = check_query('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }  # SERVICE <http://y/>\n')
    assert info.form == "SELECT" and info.services == ()
    assert check_query("DESCRIBE <http://e/SERVICE>").is_graph


def test_service_is_refused_by_the_backend(embedded_backend: EmbeddedBackend) -> None:
    with pytest.raises(QueryRefused, match="allow-list"):
        embedded_backend.query("ASK { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")


def test_a_query_that_cannot_name_service_or_from_is_not_read() -> None:
    template = ("PREFIX tkg: <https://w3id.org/twinning-kg/def#> CONSTRUCT {{ <{iri}> ?p ?o }} "
                "WHERE {{ <{iri}> ?p ?o FILTER(?o != \"{text}\") }} LIMIT {n}")
    for n in range(5):
        assert check_query(template.format(iri=f"http://e/town/{n}", text=f"name {n}",
                                           n=n + 2)) is UNREAD


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } } LIMIT 5",
    r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    r"SELECT * WHERE { \U00000053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { \u017fERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",  # long s
])
def test_escaped_or_disguised_service_is_read_and_refused(query: str) -> None:
    with pytest.raises((QueryRefused, QuerySyntaxError)):
        check_query(query, frozenset())


def test_worn_workers_are_replaced_by_fresh_forks(store_dir: Path) -> None:
    store = store_dir / os.readlink(store_dir / "current") / "oxigraph"
    with QueryRunner(store, processes=2, timeout=20.0, in_memory=True, worn_after=0.0) as runner:
        first = set(runner.worker_pids())
        for _ in range(4):  # every query wears its worker out; the pool hands them out in turn
            answer = runner.run(QueryJob("ASK { ?s ?p ?o }", JSON, "text/turtle"))
            assert bool(pyoxigraph.parse_query_results(
                answer.body, format=pyoxigraph.QueryResultsFormat.JSON))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (
                len(runner.worker_pids()) != 2 or first & set(runner.worker_pids())):
            time.sleep(0.01)  # replacements are forked in the background
        now = set(runner.worker_pids())
        assert len(now) == 2 and not first & now
        for pid in first:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        store_pid = runner.store_pid()
        assert store_pid is not None and all(_parent_of(pid) == store_pid for pid in now)


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@pytest.mark.parametrize("dropped", [0, 1])
def test_memory_copy_comes_from_the_dump_only_when_it_matches_the_store(
        tmp_path: Path, dropped: int) -> None:
    store_dir = build_store(tmp_path / "store", SERVICE_DATA / "fixture.trig")
    build = store_dir / os.readlink(store_dir / "current")
    quads = list(pyoxigraph.Store.read_only(str(build / "oxigraph")).quads_for_pattern(
        None, None, None, None))
    with gzip.open(build / "dumps" / "twinkg.nq.gz", "wb") as dump:
        dump.write(pyoxigraph.serialize(quads[dropped:], format=pyoxigraph.RdfFormat.N_QUADS)
                   or b"")
    with QueryRunner(build / "oxigraph", processes=1, timeout=20.0, in_memory=True) as runner:
        answer = runner.run(QueryJob("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }",
                                     JSON, "text/turtle"))
    assert _rows(answer.body) == [{"n": str(len(quads))}]  # the store is the truth
