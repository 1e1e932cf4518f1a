"""The federated gallery examples, run for real: our small graph in a pyoxigraph store, the
Wikidata-shaped fixture behind ``oxigraph serve`` standing in for Wikidata's endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyoxigraph import QuerySolutions, Store

from graph.views.wikidata_examples import WIKIDATA_SPARQL, examples
from tests.wikidata_support import DATA, oxigraph_server

ID = "http://127.0.0.1:8080/id/authority/"
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("wikidata")) as url:
        yield url


@pytest.fixture(scope="module")
def ours() -> Store:
    store = Store()
    store.bulk_load(path=str(DATA / "ours.trig"))
    return store


def run(store: Store, endpoint: str, slug: str) -> list[tuple[str, ...]]:
    query = next(e for e in examples(endpoint) if e.slug == slug).sparql
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [tuple(s[n].value if s[n] is not None else "" for n in names) for s in solutions]


def test_every_example_names_wikidata_and_is_documented() -> None:
    found = examples()
    assert len({e.slug for e in found}) == len(found) == 4
    for example in found:
        assert f"SERVICE <{WIKIDATA_SPARQL}>" in example.sparql
        assert example.title and example.description.endswith(".")
        assert "wikibase:label" not in example.sparql


def test_partnerships_wikidata_lacks(ours: Store, endpoint: str) -> None:
    rows = run(ours, endpoint, "wikidata-lacks-polish-partnerships")
    assert rows == [(ID + "pl/poznań", "Poznań", ID + "cz/kolín", "Kolín", WD + "Q9100006",
                     WD + "Q9100003")]


def test_twins_known_only_to_wikidata(ours: Store, endpoint: str) -> None:
    rows = run(ours, endpoint, "polish-twins-on-wikidata-only")
    assert [(name, item.removeprefix(WD), label) for _, name, item, label in rows] == [
        ("Poznań", "Q9100007", "Hanover"), ("Poznań", "Q9100008", "Lviv"),
        ("Poznań", "Q9100009", "Košice"), ("Poznań", "Q9100010", "Szeged"),
        ("Poznań", "Q9100011", "Rennes")]


def test_population_from_wikidata(ours: Store, endpoint: str) -> None:
    rows = run(ours, endpoint, "czech-population-from-wikidata")
    assert [(name, population) for _, name, _, population in rows] == [
        ("Brno", "380000"), ("Kolín", "31000")]


def test_german_names(ours: Store, endpoint: str) -> None:
    rows = run(ours, endpoint, "german-names-of-polish-authorities")
    assert [(name, german) for _, name, german in rows] == [
        ("Poznań", "Posen"), ("Swarzędz", "Schwarzenau")]
