"""The recommender over a real published pyoxigraph store built from tests/data/recommend/.

Every check compares what the recommender says with what a separate SPARQL query over the
same store returns: the partners it must not suggest, the countries it must keep to, and the
numbers its reasons cite.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from graph.core.store_layout import published
from graph.recommend import (
    BadPreference,
    Preferences,
    Recommender,
    UnknownAuthority,
    recommender_for,
)
from graph.recommend.model import PartnerModel
from graph.recommend.suggest import MODEL_FILE
from tests.recommend_support import BASE, partners, publish_fixture, select

SWARZEDZ = BASE + "pl/swarzędz"
KUTNA_HORA = BASE + "cz/kutná-hora"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return publish_fixture(tmp_path_factory.mktemp("recommend-store"))


@pytest.fixture(scope="module")
def recommender(store_dir: Path) -> Recommender:
    return recommender_for(store_dir)


def all_authorities(store_dir: Path) -> list[str]:
    return sorted(r["a"] for r in select(store_dir, "SELECT ?a WHERE { ?a tkg:countryCode ?c }"))


def facts_of(store_dir: Path, iri: str) -> dict[str, str]:
    rows = select(store_dir, f"SELECT ?cc ?lat ?long ?pop WHERE {{ <{iri}> tkg:countryCode ?cc "
                             f"OPTIONAL {{ <{iri}> wgs:lat ?lat ; wgs:long ?long }} "
                             f"OPTIONAL {{ <{iri}> tkg:population ?pop }} }}")
    return rows[0]


def test_never_suggests_the_authority_itself_or_its_partners(store_dir: Path,
                                                             recommender: Recommender) -> None:
    for iri in all_authorities(store_dir):
        answer = recommender.suggest(iri, n=100)
        suggested = {s.iri for s in answer.suggestions}
        assert iri not in suggested
        assert not suggested & partners(store_dir, iri), iri
        # Everybody else is a candidate: the list is cut by n only, not lost.
        assert answer.candidates == len(all_authorities(store_dir)) - 1 - len(
            partners(store_dir, iri))


@pytest.mark.parametrize("countries", [("DE",), ("CZ", "SK"), ("France",)])
def test_a_country_filter_never_returns_another_country(store_dir: Path,
                                                        recommender: Recommender,
                                                        countries: tuple[str, ...]) -> None:
    wanted = {"France": "FR"}.get(countries[0])
    codes = {wanted} if wanted else set(countries)
    for iri in all_authorities(store_dir):
        answer = recommender.suggest(iri, Preferences(countries=countries), n=100)
        for suggestion in answer.suggestions:
            assert facts_of(store_dir, suggestion.iri)["cc"] in codes
            assert suggestion.country in codes


def test_distance_and_size_preferences_are_honoured(store_dir: Path,
                                                    recommender: Recommender) -> None:
    answer = recommender.suggest(SWARZEDZ, Preferences(max_distance_km=300,
                                                       min_population=20_000,
                                                       max_population=100_000), n=100)
    assert answer.suggestions
    home = facts_of(store_dir, SWARZEDZ)
    for suggestion in answer.suggestions:
        there = facts_of(store_dir, suggestion.iri)
        assert 20_000 <= int(there["pop"]) <= 100_000
        assert haversine(home, there) <= 300


def test_a_theme_preference_keeps_authorities_working_on_that_theme(
        store_dir: Path, recommender: Recommender) -> None:
    answer = recommender.suggest(KUTNA_HORA, Preferences(themes=("culture",)), n=100)
    rows = select(store_dir, "SELECT DISTINCT ?a WHERE { ?p tkg:participant ?a ; tkg:theme "
                             "<https://w3id.org/twinning-kg/id/theme/culture> }")
    assert {s.iri for s in answer.suggestions} == {r["a"] for r in rows}


def test_bad_preferences_are_refused_with_a_sentence(recommender: Recommender) -> None:
    with pytest.raises(BadPreference, match="unknown country 'Atlantis'"):
        recommender.suggest(SWARZEDZ, Preferences(countries=("Atlantis",)))
    with pytest.raises(BadPreference, match="unknown theme 'knitting'"):
        recommender.suggest(SWARZEDZ, Preferences(themes=("knitting",)))
    with pytest.raises(BadPreference, match="size range is empty"):
        recommender.suggest(SWARZEDZ, Preferences(min_population=10, max_population=5))


def test_an_authority_with_no_partners_gets_suggestions_from_geography_and_size(
        store_dir: Path, recommender: Recommender) -> None:
    assert partners(store_dir, KUTNA_HORA) == set()
    answer = recommender.suggest("Kutná Hora, CZ", n=5)
    assert answer.authority.iri == KUTNA_HORA and answer.authority.partners == 0
    assert len(answer.suggestions) == 5
    kinds = {r.kind for s in answer.suggestions for r in s.reasons}
    assert kinds & {"geography", "size"}
    assert "network" not in kinds and "partner-countries" not in kinds
    assert all(s.reasons for s in answer.suggestions)


@pytest.mark.parametrize("text", [SWARZEDZ, "Swarzędz, PL", "swarzedz, pl", "Swarzędz, Poland",
                                  "Swarzędz",
                                  "https://w3id.org/twinning-kg/id/authority/pl/swarz%C4%99dz"])
def test_authorities_are_found_by_iri_or_name_and_country(recommender: Recommender,
                                                          text: str) -> None:
    assert recommender.graph.iris[recommender.find(text)] == SWARZEDZ


@pytest.mark.parametrize(("text", "message"), [
    ("Atlantis, PL", "no authority named 'Atlantis' in Poland"),
    ("https://example.org/nowhere", "no authority with the IRI https://example.org/nowhere"),
    ("Nowhere", "no authority named 'Nowhere'"),
])
def test_unknown_authorities_raise_a_clear_error(recommender: Recommender, text: str,
                                                 message: str) -> None:
    with pytest.raises(UnknownAuthority, match=re.escape(message)):
        recommender.suggest(text)


def haversine(a: dict[str, str], b: dict[str, str]) -> float:
    """An independent great-circle distance (spherical law of haversines) in km."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (a["lat"], a["long"], b["lat"],
                                                               b["long"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_reasons_cite_the_data_they_rest_on(store_dir: Path, recommender: Recommender) -> None:
    seen: set[str] = set()
    for iri in all_authorities(store_dir):
        mine = partners(store_dir, iri)
        home = facts_of(store_dir, iri)
        for suggestion in recommender.suggest(iri, n=8).suggestions:
            there = facts_of(store_dir, suggestion.iri)
            for reason in suggestion.reasons:
                seen.add(reason.kind)
                facts = reason.facts
                if reason.kind == "network" and "common_partners" in facts:
                    common = mine & partners(store_dir, suggestion.iri)
                    assert set(facts["common_partners"]) == common
                    if len(common) > 1:
                        assert reason.text.startswith(f"{len(common)} of your partners")
                elif reason.kind == "network":
                    partner, link = facts["path"]
                    assert partner in mine and link in partners(store_dir, partner)
                    assert link in partners(store_dir, suggestion.iri)
                elif reason.kind == "geography":
                    distance = haversine(home, there)
                    assert facts["distance_km"] == pytest.approx(distance, abs=0.5)
                    assert f"{round(distance):,} km away" in reason.text
                    assert facts["countries"] == [home["cc"], there["cc"]]
                elif reason.kind == "size":
                    assert facts["population"] == int(there["pop"])
                    assert f"{int(there['pop']):,}" in reason.text
                    if "your_population" in facts:
                        assert facts["your_population"] == int(home["pop"])
                elif reason.kind == "partner-countries":
                    there_partners = {p for p in mine
                                      if facts_of(store_dir, p)["cc"] == there["cc"]}
                    assert set(facts["partners_there"]) == there_partners
                    assert reason.text.startswith(f"{len(there_partners)} of your {len(mine)} ")
                elif reason.kind == "country-pair":
                    a, b = facts["countries"]
                    rows = select(store_dir, f"""SELECT DISTINCT ?x ?y WHERE {{
                        ?p tkg:participant ?x, ?y . FILTER(?x != ?y)
                        ?x tkg:countryCode "{a}" . ?y tkg:countryCode "{b}" }}""")
                    pairs = {frozenset((r["x"], r["y"])) for r in rows}
                    assert facts["partnerships"] == len(pairs)
                elif reason.kind == "activity":
                    assert facts["partners"] == len(partners(store_dir, suggestion.iri))
                elif reason.kind in ("themes", "programmes"):
                    predicate = "tkg:theme" if reason.kind == "themes" else "tkg:programme"
                    both = [{r["t"] for r in select(store_dir, f"SELECT ?t WHERE {{ ?p "
                                                    f"tkg:participant <{x}> ; {predicate} ?t }}")}
                            for x in (iri, suggestion.iri)]
                    assert set(facts[reason.kind]) == both[0] & both[1]
    assert {"network", "geography", "size", "country-pair"} <= seen


def test_the_model_published_with_the_build_reads_back_the_same(
        store_dir: Path, recommender: Recommender) -> None:
    path = published(store_dir).root / MODEL_FILE
    cached = PartnerModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    again = Recommender(recommender.graph, cached)
    first = recommender.suggest(SWARZEDZ, n=10)
    second = again.suggest(SWARZEDZ, n=10)
    assert [(s.iri, round(s.score, 9)) for s in first.suggestions] == [
        (s.iri, round(s.score, 9)) for s in second.suggestions]
    assert recommender.model.to_json() == cached.to_json()
