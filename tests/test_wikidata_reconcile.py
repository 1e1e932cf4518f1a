"""Linking authorities to Q-ids: the hard cases (codes against names, shared codes, wrong
countries, two places of one name, a lone namesake far away, diacritics and qualifiers)."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, Store

from graph.ingest.harvest_cache import Item, read_cache
from graph.wikidata.reconcile import (
    AuthorityFacts,
    ItemIndex,
    authorities_in_store,
    link_all,
    link_authority,
)
from tests.wikidata_support import DATA

PRZEROV = (49.55, 17.74)  # Hranice na Moravě
CHEB = (50.29, 12.19)  # Hranice u Aše
PRAGUE = (50.08, 14.43)
BRNO = (49.19, 16.61)


@pytest.fixture(scope="module")
def index() -> ItemIndex:
    return ItemIndex(read_cache(DATA / "harvest.json").items.values())


def facts(name: str, country: str, at: tuple[float, float] | None = None,
          **codes: str) -> AuthorityFacts:
    found = AuthorityFacts("urn:x", name, country, lat=at[0] if at else None,
                           long=at[1] if at else None)
    for kind, code in codes.items():
        if kind == "geonames":
            found.geonames.add(code)
        elif kind == "wikidata":
            found.wikidata.add(code)
        else:
            found.codes[kind].add(code)
    return found


@pytest.mark.parametrize(("authority", "qid", "method"), [
    (facts("Gmina Swarzędz", "PL", teryt="3021054"), "Q9100001", "wikidata:teryt"),
    (facts("Somewhere else", "CZ", czech_code="533165"), "Q9100003", "wikidata:czech_code"),
    (facts("Swarzedz", "PL", teryt="9999999"), "Q9100001", "wikidata:name+country"),
    (facts("Lvov", "UA", geonames="702550"), "Q9100008", "wikidata:geonames"),
    (facts("Poznan", "PL"), "Q9100006", "wikidata:name+country"),
    (facts("Miasto Poznań", "PL", (52.41, 16.93)), "Q9100006", "wikidata:name+country+distance"),
    (facts("Posen", "PL"), "Q9100006", "wikidata:name+country"),
    (facts("Nowa Wies", "PL"), "Q9100016", "wikidata:name+country"),
    (facts("Hranice", "CZ", PRZEROV), "Q9100004", "wikidata:name+country+distance"),
    (facts("Hranice", "CZ", CHEB), "Q9100017", "wikidata:name+country+distance"),
    (facts("Anything", "CZ", wikidata="Q9100012"), "Q9100012", "wikidata:stated"),
], ids=["teryt-beats-name", "czech-code", "unknown-code-then-name", "geonames",
        "no-diacritics", "qualifier-and-distance", "german-label", "mul-label",
        "hranice-moravia", "hranice-as", "stated"])
def test_linked(index: ItemIndex, authority: AuthorityFacts, qid: str, method: str) -> None:
    link = link_authority(authority, index)
    assert (link.qid, link.method) == (qid, method)
    assert 0 < link.confidence <= 1


@pytest.mark.parametrize(("authority", "reason"), [
    (facts("Poznań", "CZ"), "no item of this country has this name or code"),
    (facts("Hranice", "CZ"), "2 items share the name and there are no coordinates to choose: "
                             "Q9100004 Q9100017"),
    (facts("Hranice", "CZ", PRAGUE), "2 items share the name and none is clearly nearest: "
                                     "Q9100004 (244 km) Q9100017 (162 km)"),
    (facts("Kolín", "CZ", BRNO), "the only item with this name, Q9100003, is 138 km away"),
], ids=["wrong-country", "two-namesakes-no-coordinates", "two-namesakes-both-far",
        "lone-namesake-far"])
def test_left_unlinked_with_the_reason(index: ItemIndex, authority: AuthorityFacts,
                                       reason: str) -> None:
    link = link_authority(authority, index)
    assert not link.linked
    assert link.reason == reason


def test_a_code_two_items_share_settles_nothing() -> None:
    index = ItemIndex([Item("Q1", {"de": "Neustadt"}, "DE", lau=["0815"]),
                       Item("Q2", {"de": "Altstadt"}, "DE", lau=["0815"])])
    link = link_authority(facts("Altstadt", "DE", lau="0815"), index)
    assert (link.qid, link.method) == ("Q2", "wikidata:name+country")


def test_only_other_graphs_links_count_as_stated() -> None:
    """A Q-id in the wikidata graph came from an earlier link run: it is not evidence."""
    store = Store()
    store.load(input="""
        @prefix tkg: <https://w3id.org/twinning-kg/def#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix wd: <http://www.wikidata.org/entity/> .
        @prefix a: <https://w3id.org/twinning-kg/id/authority/> .
        <https://w3id.org/twinning-kg/id/graph/partnerships> {
          a:cz\\/kolín a tkg:Municipality ; rdfs:label "Kolín" ; tkg:countryCode "CZ" ;
              tkg:czechMunicipalityCode "533165" .
          a:pl\\/poznań a tkg:Municipality ; rdfs:label "Poznań" ; tkg:countryCode "PL" . }
        <https://w3id.org/twinning-kg/id/graph/wikidata> {
          a:cz\\/kolín owl:sameAs wd:Q9100012 . }
        <https://w3id.org/twinning-kg/id/graph/curated> {
          a:pl\\/poznań owl:sameAs wd:Q9100006 . }
        """.encode(), format=RdfFormat.TRIG)
    authorities = authorities_in_store(store)
    assert [(a.name, a.wikidata, dict(a.codes)) for a in authorities] == [
        ("Kolín", set(), {"czech_code": {"533165"}}), ("Poznań", {"Q9100006"}, {})]
    links = link_all(authorities, read_cache(DATA / "harvest.json"))
    assert [(link.qid, link.method) for link in links] == [
        ("Q9100003", "wikidata:czech_code"), ("Q9100006", "wikidata:stated")]
