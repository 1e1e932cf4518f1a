"""The query editor's gallery: every project example runs on the curated data (plus one
Polish-Czech partnership, which the seed documents do not name) and answers what its title
promises."""

from __future__ import annotations

import pyoxigraph
import pytest

from graph.views.examples import EXAMPLES, example
from graph.vocab.vocabulary import curated_graph

POLISH_CZECH = """
@prefix tkg: <https://w3id.org/twinning-kg/def#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/twinning-kg/id/partnership/cz-testov--pl-testowo> a tkg:Partnership ;
    tkg:participant <https://w3id.org/twinning-kg/id/authority/pl/testowo> ,
        <https://w3id.org/twinning-kg/id/authority/cz/testov> ;
    tkg:startDate "1998"^^xsd:gYear .
<https://w3id.org/twinning-kg/id/authority/pl/testowo> tkg:countryCode "PL" .
<https://w3id.org/twinning-kg/id/authority/cz/testov> tkg:countryCode "CZ" .
"""


@pytest.fixture(scope="module")
def curated_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(curated_graph().serialize(format="nt", encoding="utf-8"),
               format=pyoxigraph.RdfFormat.N_TRIPLES)
    store.load(POLISH_CZECH, format=pyoxigraph.RdfFormat.TURTLE)
    return store


def _rows(store: pyoxigraph.Store, slug: str) -> list[dict[str, str]]:
    found = example(slug)
    assert found is not None
    solutions = store.query(found.query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in solutions]


@pytest.mark.parametrize("slug", [e.slug for e in EXAMPLES])
def test_every_example_answers_on_the_curated_data(curated_store: pyoxigraph.Store,
                                                   slug: str) -> None:
    assert _rows(curated_store, slug), f"{slug} gives no rows on the curated data"


def test_partners_of_a_town_give_the_earliest_start(curated_store: pyoxigraph.Store) -> None:
    rows = {row["name"]: row for row in _rows(curated_store, "partners-of-a-town")}
    assert set(rows) == {"Duclair", "Järfälla", "Ronnenberg"}
    # The youth camps run since 1992; the twinning agreement itself has no date.
    assert rows["Ronnenberg"]["start"] == "1992"
    assert rows["Duclair"]["start"] == "1992"
    assert "start" not in rows["Järfälla"]
    assert rows["Ronnenberg"]["country"] == "DE"


def test_polish_czech_partnerships_are_counted_by_decade(curated_store: pyoxigraph.Store,
                                                         ) -> None:
    assert _rows(curated_store, "polish-czech-by-decade") == [
        {"decade": "1990s", "partnerships": "1"}]


def test_partnerships_of_the_culture_theme(curated_store: pyoxigraph.Store) -> None:
    labels = {row["label"] for row in _rows(curated_store, "partnerships-of-a-theme")}
    assert "Swarzędz – Ronnenberg" in labels  # noqa: RUF001
