"""Find a partner for an authority with no partner yet (issue 16), in every language.

A real published store: the recommender fixture plus a register-like graph holding two units
no partnership names (a gmina near Swarzędz and the voivodeship it lies in, with its ISO
3166-2 code), as the register sources add them. They are absent from every training pair; the
recommender, the API, the page and ``twinkg suggest`` must still answer for them, and every
reason must cite data that hold, in English, Polish and Czech.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from graph.recommend import Recommender, recommender_for
from graph.recommend.features import COLUMN, FEATURES
from graph.recommend.geography import NEIGHBOUR_RADIUS_KM
from graph.recommend.reasons import reasons_for
from graph.recommend.wording import LANGUAGES, SENTENCES
from service import create_app
from service.cli import main
from tests.recommend_support import BASE, publish_fixture

KOSTRZYN = BASE + "pl/teryt/3021043"
GEHRDEN = BASE + "de/lau/03241007"
REGISTER = f"""
@prefix tkg: <https://w3id.org/twinning-kg/def#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix wgs: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
<https://w3id.org/twinning-kg/id/graph/teryt> {{
  <{KOSTRZYN}> a tkg:Municipality ; rdfs:label "Kostrzyn" ; tkg:countryCode "PL" ;
    wgs:lat 52.3967 ; wgs:long 17.2258 ; tkg:population 18500 ;
    tkg:partOf <{BASE}pl/teryt/30> .
  <{BASE}pl/teryt/30> a tkg:Region ; rdfs:label "wielkopolskie" ; tkg:countryCode "PL" ;
    tkg:subdivisionCode "PL-30" .
  <{GEHRDEN}> a tkg:Municipality ; rdfs:label "Gehrden" ; tkg:countryCode "DE" ;
    wgs:lat 52.3133 ; wgs:long 9.6006 ; tkg:population 15000 ;
    tkg:nutsRegion <http://data.europa.eu/nuts/code/DE929> .
}}
<https://w3id.org/twinning-kg/id/graph/nuts> {{
  <http://data.europa.eu/nuts/code/DE929> rdfs:label "Region Hannover" ;
    skos:notation "DE929" ; tkg:nutsLevel 3 ;
    skos:broader <http://data.europa.eu/nuts/code/DE92> .
  <http://data.europa.eu/nuts/code/DE92> rdfs:label "Hannover" ; skos:notation "DE92" ;
    tkg:nutsLevel 2 .
}}
"""


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_fixture(tmp_path_factory.mktemp("cold-start-store"), extra_trig=REGISTER)


@pytest.fixture(scope="module")
def recommender(store_dir: Path) -> Recommender:
    return recommender_for(store_dir)


@pytest.fixture
def client(store_dir: Path) -> FlaskClient:
    return create_app({"TESTING": True, "STORE": str(store_dir)}).test_client()


def km(graph: object, a: int, b: int) -> float:
    lat, long = graph.lat, graph.long  # type: ignore[attr-defined]
    p1, p2 = math.radians(lat[a]), math.radians(lat[b])
    h = (math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) *
         math.sin(math.radians(long[b] - long[a]) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_every_reason_sentence_has_the_same_slots_in_every_language() -> None:
    for key, texts in SENTENCES.items():
        assert len(texts) == len(LANGUAGES), key
        slots = [set(re.findall(r"\{(\w+)\}", text)) for text in texts]
        assert all(text.strip() for text in texts), key
        assert slots[1] == slots[0] and slots[2] == slots[0], key


def test_a_register_unit_without_partners_gets_suggestions_with_true_reasons(
        recommender: Recommender) -> None:
    graph = recommender.graph
    asker = graph.index[KOSTRZYN]
    assert graph.degree[asker] == 0
    # The region comes from the ISO 3166-2 subdivision it is part of, or else from NUTS 2.
    assert graph.regions[asker] == "wielkopolskie"
    assert graph.regions[graph.index[GEHRDEN]] == "Hannover"
    assert recommender.suggest("Gehrden, DE", n=3).authority.partners == 0
    answer = recommender.suggest("Kostrzyn, PL", n=8)
    assert answer.authority.iri == KOSTRZYN and answer.authority.partners == 0
    assert len(answer.suggestions) == 8
    kinds = set()
    for suggestion in answer.suggestions:
        assert suggestion.reasons, suggestion.iri
        candidate = graph.index[suggestion.iri]
        for reason in suggestion.reasons:
            kinds.add(reason.kind)
            assert set(reason.texts) == set(LANGUAGES)
            assert reason.text == reason.texts["en"]
            assert reason.kind not in {"network", "partner-countries", "partner-nearby"}
            facts = reason.facts
            if reason.kind in ("nearby-partner", "nearby-countries"):
                for iri in facts["neighbours"]:
                    j = graph.index[iri]
                    assert km(graph, asker, j) <= NEIGHBOUR_RADIUS_KM
                    partners = graph.partners_of(j).tolist()
                    if reason.kind == "nearby-partner":
                        assert candidate in partners
                    else:
                        assert facts["country"] in {str(graph.countries[p]) for p in partners}
            elif reason.kind == "geography":
                assert facts["distance_km"] == pytest.approx(km(graph, asker, candidate),
                                                             abs=0.5)
                if "abroad_rank" in facts:
                    # Its rank among the authorities abroad by log-distance plus size gap.
                    abroad = [j for j in range(graph.size) if graph.countries[j] != "PL"
                              and math.isfinite(graph.lat[j])]
                    def alike(j: int) -> float:
                        gap = abs(math.log(graph.population[asker] / graph.population[j])) \
                            if math.isfinite(graph.population[j]) else 1.0
                        return math.log1p(km(graph, asker, j)) + gap
                    ordered = sorted(abroad, key=alike)
                    assert ordered.index(candidate) + 1 == facts["abroad_rank"]
                    for language in LANGUAGES:
                        assert str(facts["abroad_rank"]) in reason.texts[language]
    assert kinds & {"geography", "size"}


def test_what_its_neighbours_do_is_said_with_their_names(recommender: Recommender) -> None:
    graph, context = recommender.graph, recommender.context
    asker, ronnenberg = graph.index[KOSTRZYN], graph.index[BASE + "de/ronnenberg"]
    neighbours = {graph.labels[j] for j in range(graph.size)
                  if j != asker and math.isfinite(graph.lat[j])
                  and km(graph, asker, j) <= NEIGHBOUR_RADIUS_KM}
    assert {"Swarzędz", "Poznań"} <= neighbours
    contributions = np.zeros(len(FEATURES))
    contributions[COLUMN["nearby_partner"]] = 2.0
    contributions[COLUMN["nearby_country_share"]] = 1.0
    reasons = {r.kind: r for r in reasons_for(context, asker, ronnenberg, contributions)}
    assert list(reasons) == ["nearby-partner", "nearby-countries"]
    twinned = {graph.labels[j] for j in graph.partners_of(ronnenberg).tolist()}
    cited = {graph.labels[graph.index[iri]] for iri in reasons["nearby-partner"].facts[
        "neighbours"]}
    assert cited == neighbours & twinned and "Swarzędz" in cited
    for language in LANGUAGES:
        assert "Ronnenberg" in reasons["nearby-partner"].texts[language]
        assert "Swarzędz" in reasons["nearby-partner"].texts[language]
    assert "Niemcy" in reasons["nearby-countries"].texts["pl"]
    assert "Německo" in reasons["nearby-countries"].texts["cs"]


def test_api_and_page_answer_for_it_in_the_readers_language(
        client: FlaskClient, recommender: Recommender) -> None:
    expected = recommender.suggest(KOSTRZYN, n=5).suggestions
    for language in LANGUAGES:
        response = client.get("/api/suggest", query_string={"authority": "Kostrzyn, PL",
                                                            "n": "5", "lang": language})
        assert response.status_code == 200
        data = response.get_json()
        assert data["authority"]["partners"] == 0
        assert [s["iri"] for s in data["suggestions"]] == [s.iri for s in expected]
        for got, want in zip(data["suggestions"], expected, strict=True):
            assert got["reasons"] == [r.texts[language] for r in want.reasons]
            assert [e["texts"] for e in got["evidence"]] == [r.texts for r in want.reasons]
        page = client.get("/find-partner", query_string={"authority": KOSTRZYN,
                                                         "lang": language, "n": "5"})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert f'<ul class="reasons" lang="{language}">' in html
    polish = [r.texts["pl"] for s in expected for r in s.reasons]
    english = [r.texts["en"] for s in expected for r in s.reasons]
    assert polish != english


def test_twinkg_suggest_answers_for_it(store_dir: Path) -> None:
    result = CliRunner().invoke(main, ["suggest", "--store", str(store_dir), "Kostrzyn, PL",
                                       "-n", "3", "--json"])
    assert result.exit_code == 0, result.output
    suggestions = json.loads(result.output)
    assert len(suggestions) == 3 and all(s["reasons"] for s in suggestions)
