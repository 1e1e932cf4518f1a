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


REGISTER_UNITS = Path(__file__).parent / "data" / "valid" / "register-units.ttl"


@pytest.fixture(scope="module")
def register_index() -> SearchIndex:
    store = pyoxigraph.Store()
    store.load(path=str(REGISTER_UNITS), format=pyoxigraph.RdfFormat.TURTLE)
    return build_index(StoreSource(store))


@pytest.mark.parametrize(("code", "unit"), [
    ("500178", "cz/momc/500178"),  # a city district's code (Praha 6)
    ("554782", "cz/obec/554782"),  # a kód obce (Praha)
    ("CZ0100", "cz/okres/CZ0100"),  # a LAU code (okres Hlavní město Praha)
])
def test_official_codes_find_their_unit(register_index: SearchIndex, code: str,
                                        unit: str) -> None:
    hits = register_index.search(code, limit=1)
    assert hits and hits[0].entry.iri == AUTHORITY + unit
    assert (hits[0].match, hits[0].matched) == ("exact", code)


def test_other_names_never_head_a_hit() -> None:
    """An untagged skos:altLabel (GeoNames' names carry no language) is a name to search by,
    not the label a hit shows, even where the resource has no untagged label of its own."""
    store = pyoxigraph.Store()
    store.load(input=f"""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <{AUTHORITY}pl/teryt/1465011> skos:altLabel "Varsovie" , "Warschau" ;
            skos:prefLabel "Warszawa"@pl .
        <{AUTHORITY}cz/obec/554782> skos:altLabel "Prag" .
        """, format=pyoxigraph.RdfFormat.TURTLE)
    index = build_index(StoreSource(store))
    for text in ("Varsovie", "warschau", "warszawa"):
        hit = index.search(text, limit=1)[0]
        assert (hit.entry.iri, hit.label) == (AUTHORITY + "pl/teryt/1465011", "Warszawa")
    assert index.search("varsovie")[0].matched == "Varsovie"
    # A resource known by other names alone is shown by one of them.
    assert index.search("prag")[0].label == "Prag"
