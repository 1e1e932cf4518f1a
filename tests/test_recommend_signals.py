"""The recommender's signals beyond distance and partners (issue 16): each one's value on a
small real store, and the reason it gives in English, Polish and Czech, citing data that hold.

The store is the recommender fixture plus two pairs of namesakes in different countries (Essen
in Germany and in Belgium; Linz and Linz am Rhein). Each reason is asked for alone (only its
feature's contribution positive), as the suggestion list asks for the strongest ones.
"""

from __future__ import annotations

import numpy as np
import pytest
from pyoxigraph import Store

from graph.core.store_layout import published
from graph.recommend.data import PartnerGraph, load_partner_graph, store_rows
from graph.recommend.features import COLUMN, FEATURES, FeatureContext
from graph.recommend.geography import AREA_RADIUS_KM, haversine_km
from graph.recommend.reasons import Reason, reasons_for
from tests.recommend_support import BASE, publish_fixture

NAMESAKES = f"""
@prefix tkg: <https://w3id.org/twinning-kg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
<https://w3id.org/twinning-kg/id/graph/curated> {{
  <{BASE}de/essen> a tkg:Municipality ; rdfs:label "Essen" ; tkg:countryCode "DE" ;
    wgs:lat 51.4556 ; wgs:long 7.0116 ; tkg:population 580000 .
  <{BASE}be/essen> a tkg:Municipality ; rdfs:label "Essen" ; tkg:countryCode "BE" ;
    wgs:lat 51.4667 ; wgs:long 4.4667 ; tkg:population 19000 .
  <{BASE}at/linz> a tkg:Municipality ; rdfs:label "Linz" ; tkg:countryCode "AT" ;
    wgs:lat 48.3064 ; wgs:long 14.2858 ; tkg:population 205000 .
  <{BASE}de/linz-am-rhein> a tkg:Municipality ; rdfs:label "Linz am Rhein" ;
    tkg:countryCode "DE" ; wgs:lat 50.5694 ; wgs:long 7.2847 ; tkg:population 6000 .
}}
"""


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> PartnerGraph:
    store_dir = publish_fixture(tmp_path_factory.mktemp("signals"), model=False,
                                extra_trig=NAMESAKES)
    return load_partner_graph(store_rows(Store.read_only(str(published(store_dir).oxigraph))))


@pytest.fixture(scope="module")
def context(graph: PartnerGraph) -> FeatureContext:
    return FeatureContext(graph)


def at(graph: PartnerGraph, name: str) -> int:
    return graph.index[BASE + name]


def value(context: FeatureContext, query: int, candidate: int, column: str) -> float:
    return float(context.pair_features(np.array([query]), np.array([candidate]))[0,
                                                                                 COLUMN[column]])


def only_reason(context: FeatureContext, query: int, candidate: int, *columns: str) -> Reason:
    """The reason given when only ``columns`` speak for the candidate."""
    contributions = np.zeros(len(FEATURES))
    contributions[[COLUMN[c] for c in columns]] = 1.0
    reasons = reasons_for(context, query, candidate, contributions)
    assert len(reasons) == 1, reasons
    assert set(reasons[0].texts) == {"en", "pl", "cs"}
    return reasons[0]


def test_namesakes_abroad_are_a_signal_and_say_so(graph: PartnerGraph,
                                                  context: FeatureContext) -> None:
    essen, essen_be = at(graph, "de/essen"), at(graph, "be/essen")
    linz, linz_rhein = at(graph, "at/linz"), at(graph, "de/linz-am-rhein")
    assert value(context, essen, essen_be, "same_name") == 1.0
    assert value(context, essen, essen_be, "name_within") == 0.0
    assert value(context, linz, linz_rhein, "name_within") == 1.0
    assert value(context, linz, linz_rhein, "same_name") == 0.0
    # Different names, and the same name at home, are no signal.
    assert value(context, essen, linz_rhein, "same_name") == 0.0
    assert value(context, essen, linz_rhein, "name_within") == 0.0
    same = only_reason(context, essen, essen_be, "same_name")
    assert same.kind == "names" and same.facts == {"names": ["Essen", "Essen"], "same": True}
    assert same.texts["en"] == "The same name as yours, in Belgium"
    assert "Belgia" in same.texts["pl"] and "Belgie" in same.texts["cs"]
    within = only_reason(context, linz_rhein, linz, "name_within")
    assert within.facts == {"names": ["Linz am Rhein", "Linz"], "same": False}
    assert all("Linz" in text and "Linz am Rhein" in text for text in within.texts.values())


def test_being_the_candidates_most_alike_town_abroad_is_said_with_its_rank(
        graph: PartnerGraph, context: FeatureContext) -> None:
    frankfurt, slubice = at(graph, "de/frankfurt-oder"), at(graph, "pl/słubice")
    # Across the Oder from each other: each is the other's most alike authority abroad.
    assert value(context, frankfurt, slubice, "alike_for_them") == value(
        context, slubice, frankfurt, "alike_for_them") > 0
    reason = only_reason(context, frankfurt, slubice, "alike_for_them")
    assert reason.facts == {"their_abroad_rank": 1}
    assert reason.texts["en"] == ("For Słubice you are no. 1 among authorities abroad by "
                                  "distance and size together")
    assert "nr 1" in reason.texts["pl"] and "č. 1" in reason.texts["cs"]


def test_the_askers_country_profile_counts_its_partnerships(graph: PartnerGraph,
                                                            context: FeatureContext) -> None:
    slubice, frankfurt = at(graph, "pl/słubice"), at(graph, "de/frankfurt-oder")
    # Polish partnerships with an authority's most alike authority abroad, counted directly.
    mine = 0
    polish = 0
    for a, b in graph.pairs().tolist():
        for end, other in ((a, b), (b, a)):
            if graph.countries[end] == "PL":
                polish += 1
                alike = context.ranked_values(end)[1]
                mine += int(np.nanargmin(alike) == other)
    reason = only_reason(context, slubice, frankfurt, "country_alike_share")
    assert reason.kind == "country-alike"
    assert reason.facts == {"country": "PL", "partnerships": mine, "of": polish, "ranks": [1, 1]}
    assert 0 < value(context, slubice, frankfurt, "country_alike_share") < 1
    assert f"{mine} of {polish}" in reason.texts["en"] and f"{mine} z {polish}" in \
        reason.texts["pl"]
    distance = only_reason(context, slubice, frankfurt, "country_distance_share")
    assert distance.facts["abroad"] is True and distance.facts["from_km"] == 0.0
    assert distance.facts["to_km"] == 10.0 and distance.facts["country"] == "PL"


def test_the_askers_region_and_area_speak_for_their_partners(graph: PartnerGraph,
                                                             context: FeatureContext) -> None:
    swarzedz, hanover = at(graph, "pl/swarzędz"), at(graph, "de/hanover")
    zilina, gniezno = at(graph, "sk/žilina"), at(graph, "pl/gniezno")
    # Poznań, in Swarzędz's region, is twinned with Hanover.
    assert value(context, swarzedz, hanover, "region_partners") == pytest.approx(np.log(2))
    region = only_reason(context, swarzedz, hanover, "region_partners")
    assert region.texts["en"] == "Authorities in Greater Poland twinned with Hanover: 1 (Poznań)"
    # Hanover's region (Lower Saxony): Hanover and Ronnenberg, 2 of whose 4 partners are Polish.
    assert value(context, swarzedz, hanover, "their_region_country_share") == 0.5
    theirs = only_reason(context, swarzedz, hanover, "their_region_country_share")
    assert theirs.facts == {"region": "Lower Saxony", "country": "PL", "partnerships": 2}
    # Gniezno, 37 km from Swarzędz: not a neighbour, but in its area; twinned with Žilina.
    assert 25 < haversine_km(graph.lat[swarzedz], graph.long[swarzedz],
                             graph.lat[[gniezno]], graph.long[[gniezno]])[0] < AREA_RADIUS_KM
    assert value(context, swarzedz, zilina, "nearby_partner") == 0.0
    assert value(context, swarzedz, zilina, "area_partner") == pytest.approx(np.log(2))
    area = only_reason(context, swarzedz, zilina, "area_partner")
    assert area.facts["neighbours"] == [BASE + "pl/gniezno"]
    assert area.texts["en"] == "Authorities within 100 km of you are twinned with Žilina: Gniezno"
