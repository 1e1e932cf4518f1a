"""The search index on a real pyoxigraph store loaded from tests/data/browse/graph.trig."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from graph.views.search import SearchIndex, StoreSource, build_index

DATA = Path(__file__).parent / "data" / "browse" / "graph.trig"
AUTHORITY = "https://w3id.org/twinning-kg/id/authority/"


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    store = pyoxigraph.Store()
    store.load(path=str(DATA), format=pyoxigraph.RdfFormat.TRIG)
    return build_index(StoreSource(store))


def test_index_holds_authorities_themes_programmes_and_legal_bases(index: SearchIndex) -> None:
    kinds = {entry.kind for entry in index.entries}
    assert kinds == {"authority", "theme", "programme", "legal"}
    assert index.get(AUTHORITY + "pl/swarzędz") is not None
    # Partnerships and status concepts have labels but are not searchable resources.
    assert all("/partnership/" not in e.iri and "/status/" not in e.iri for e in index.entries)


@pytest.mark.parametrize("text", ["swarzedz", "Swarzędz", "SWARZEDZ", "swarz", "arzęd",
                                  "3021094", "gmina swarzedz"])
def test_diacritics_case_prefix_substring_and_codes_find_swarzedz(index: SearchIndex,
                                                                  text: str) -> None:
    assert [hit.entry.iri for hit in index.search(text)][:1] == [AUTHORITY + "pl/swarzędz"]


def test_ranking_exact_then_prefix_then_word_then_substring(index: SearchIndex) -> None:
    # "ronnenberg" exact; "aussig" is another language's name, found exactly too.
    assert index.search("ronnenberg")[0].match == "exact"
    assert index.search("aussig")[0].entry.iri == AUTHORITY + "cz/ústí-nad-labem"
    hits = index.search("a")
    matches = [hit.match for hit in hits]
    assert matches == sorted(matches, key=["exact", "prefix", "word", "substring"].index)
    # Within a class, larger population first: Wałbrzych (110k) before Järfälla (84k).
    substring = [hit.entry.iri for hit in hits if hit.match == "substring"]
    assert substring.index(AUTHORITY + "pl/wałbrzych") < substring.index(AUTHORITY + "se/järfälla")


def test_labels_in_the_chosen_language_with_fallback(index: SearchIndex) -> None:
    theme = index.search("youth", kinds=["theme"], languages=["pl"])[0]
    assert theme.label == "wymiana młodzieży"
    czech = index.search("youth", kinds=["theme"], languages=["cs"])[0]
    assert czech.label == "výměna mládeže"
    # No Czech label for the programme: falls back to the untagged / English name.
    programme = index.search("cerv", languages=["cs"])[0]
    assert programme.entry.kind == "programme"
    assert programme.label == "Citizens, Equality, Rights and Values"


def test_kind_filter_limit_and_empty_queries(index: SearchIndex) -> None:
    assert all(h.entry.kind == "theme" for h in index.search("u", kinds=["theme"]))
    assert len(index.search("a", limit=2)) == 2
    assert index.search("") == []
    assert index.search("  -- ") == []
    assert index.search("<script>") == []
