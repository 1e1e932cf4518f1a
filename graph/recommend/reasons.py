"""Plain-words reasons for a suggestion, each citing the data it rests on.

The model says which features pushed a candidate up (their contributions); this module turns
each of those into a sentence built from the graph itself: the names of the common partners,
the distance in km, both populations, the number of partners in a country, the neighbours
twinned with the candidate. A reason is only given when the data behind it exist, and its
``facts`` carry the same numbers and IRIs as the sentence, so that a reader (or a test) can
check one against the other. Each sentence is written in English, Polish and Czech
(:mod:`graph.recommend.wording`); ``text`` is the English one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graph.recommend.evidence import Reason, listed, reason_of
from graph.recommend.features import COLUMN, FeatureContext
from graph.recommend.geography import (
    ALIKE_BANDS,
    ALIKE_KEEP,
    alike_band,
    band_bounds,
    distance_band,
    haversine_km,
)
from graph.recommend.namesakes import SAME_NAME
from graph.recommend.profiles import distance_cell
from graph.recommend.surroundings import SURROUNDINGS
from graph.recommend.wording import Count, Country, Names, Slot, say

GROUPS: dict[str, tuple[str, ...]] = {
    "network": ("common_partners", "adamic_adar", "paths_of_three"),
    "geography": ("log_distance", "log_distance_squared", "distance_unknown",
                  "log_distance_abroad", "distance_rank", "abroad_alike_rank",
                  "neighbouring_country", "same_country"),
    "partner-countries": ("partner_country_share",),
    "region-countries": ("region_country_share",),
    "region-pair": ("region_pair_share",),
    "nearby-partner": ("nearby_partner",),
    "nearby-countries": ("nearby_country_share",),
    "nearby-pairs": ("nearby_pairs",),
    "partner-nearby": ("partner_nearby",),
    "their-partner-countries": ("their_partner_country_share",),
    "their-nearby-countries": ("their_nearby_country_share",),
    "country-pair": ("country_pair_share",),
    "size": ("size_gap", "size_unknown", "candidate_size", "candidate_size_unknown"),
    "activity": ("candidate_partners",),
    "themes": ("shared_themes",),
    "programmes": ("shared_programmes",),
    "names": ("same_name", "name_within"),
    "country-distance": ("country_distance_share",),
    "area-partner": ("area_partner",),
    "alike-for-them": ("alike_for_them",),
    "country-alike": ("country_alike_share",),
    "partner-area": ("partner_area",),
    "region-partners": ("region_partners",),
    "their-region-countries": ("their_region_country_share",),
}
"""Which feature columns each kind of reason speaks for."""

ALIKE_RANKS = 100
"""The geography reason says where the candidate ranks abroad by distance and size together
when it is among this many."""

SIMILAR_SIZE_RATIO = 2.0
"""Populations within this factor of each other are called "similar"."""

MAX_REASONS = 4
"""At most this many reasons per suggestion: the strongest ones."""


def group_weights(contributions: np.ndarray) -> dict[str, float]:
    """The summed contribution of each reason kind for one candidate."""
    return {kind: float(sum(contributions[COLUMN[c]] for c in columns))
            for kind, columns in GROUPS.items()}


def reasons_for(context: FeatureContext, query: int, candidate: int,
                contributions: np.ndarray) -> list[Reason]:
    """The reasons for suggesting ``candidate`` to ``query``, strongest first.

    Kinds whose contribution is not positive are left out, and only the :data:`MAX_REASONS`
    strongest are kept; when none is positive, the
    distance (or the lack of it) is still stated so that no suggestion comes unexplained.
    """
    reasons: list[Reason] = []
    for kind, weight in sorted(group_weights(contributions).items(), key=lambda kv: -kv[1]):
        if weight <= 0 or len(reasons) == MAX_REASONS:
            continue
        reason = _SENTENCES[kind](context, query, candidate, weight)
        if reason is not None:
            reasons.append(reason)
    if not reasons:
        fallback = _geography(context, query, candidate, 0.0)
        if fallback is not None:
            reasons.append(fallback)
    return reasons


def _network(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    mine = graph.partners_of(query)
    theirs = graph.partners_of(candidate)
    common = np.intersect1d(mine, theirs).tolist()
    name = graph.labels[candidate]
    if common:
        facts = {"common_partners": [graph.iris[i] for i in common]}
        if len(common) == 1:
            return reason_of("network", "network.common_one", weight, facts,
                             partner=graph.labels[common[0]], name=name)
        return reason_of("network", "network.common_many", weight, facts,
                         count=Count(len(common)), name=name, names=listed(context, common))
    # No common partner: cite one path  you - partner - their partner - candidate.
    for partner in mine.tolist():
        middle = np.intersect1d(graph.partners_of(partner), theirs)
        middle = middle[middle != query]
        if len(middle):
            link = int(middle[0])
            return reason_of("network", "network.path", weight,
                             {"path": [graph.iris[partner], graph.iris[link]]}, name=name,
                             link=graph.labels[link], partner=graph.labels[partner])
    return None


def _geography(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    distance = float(haversine_km(graph.lat[query], graph.long[query],
                                  graph.lat[np.array([candidate])],
                                  graph.long[np.array([candidate])])[0])
    if not np.isfinite(distance):
        return None
    mine, theirs = str(graph.countries[query]), str(graph.countries[candidate])
    facts: dict[str, Any] = {"distance_km": round(distance, 1), "countries": [mine, theirs]}
    if mine == theirs:
        return reason_of("geography", "geography.same", weight, facts, distance=Count(distance),
                         country=Country(mine))
    if context.neighbours[context.country_ids[query], context.country_ids[candidate]]:
        facts["neighbouring"] = True
        reason = reason_of("geography", "geography.border", weight, facts,
                           distance=Count(distance), mine=Country(mine), theirs=Country(theirs))
    else:
        reason = reason_of("geography", "geography.abroad", weight, facts,
                           distance=Count(distance), country=Country(theirs))
    rank = int(context.ranks(query)[1][candidate]) + 1
    if rank > ALIKE_RANKS:
        return reason
    facts["abroad_rank"] = rank
    texts = {language: say("geography.alike", language, place=text, rank=Count(rank))
             for language, text in reason.texts.items()}
    return Reason("geography", texts["en"], weight, facts, texts)


def _partner_countries(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    country = str(graph.countries[candidate])
    partners = graph.partners_of(query)
    there = [int(p) for p in partners if graph.countries[p] == country]
    if not there:
        return None
    facts = {"country": country, "partners_there": [graph.iris[i] for i in there],
             "partners": len(partners)}
    key = "partner-countries.one" if len(there) == 1 else "partner-countries.many"
    return reason_of("partner-countries", key, weight, facts, count=Count(len(there)),
                     total=Count(len(partners)), country=Country(country),
                     names=listed(context, there))


def _country_pair(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    mine, theirs = context.country_ids[query], context.country_ids[candidate]
    count = int(context.pair_counts[mine, theirs])
    if mine == theirs:
        count //= 2  # a domestic partnership is counted from both of its ends
    if count == 0:
        return None
    a, b = context.codes[mine], context.codes[theirs]
    facts = {"countries": [a, b], "partnerships": count}
    if a == b:
        return reason_of("country-pair", "country-pair.domestic", weight, facts,
                         country=Country(a), count=Count(count))
    return reason_of("country-pair", "country-pair.abroad", weight, facts, mine=Country(a),
                     theirs=Country(b), count=Count(count))


def _size(context: FeatureContext, query: int, candidate: int, weight: float) -> Reason | None:
    graph = context.graph
    theirs, mine = float(graph.population[candidate]), float(graph.population[query])
    if not np.isfinite(theirs):
        return None
    facts: dict[str, Any] = {"population": int(theirs)}
    if np.isfinite(mine) and mine > 0:
        facts["your_population"] = int(mine)
        similar = max(mine, theirs) / max(min(mine, theirs), 1.0) <= SIMILAR_SIZE_RATIO
        return reason_of("size", "size.similar" if similar else "size.other", weight, facts,
                         theirs=Count(theirs), mine=Count(mine))
    return reason_of("size", "size.only", weight, facts, theirs=Count(theirs))


def _activity(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    count = int(context.degree[candidate])
    if count == 0:
        return None
    return reason_of("activity", "activity", weight, {"partners": count},
                     name=context.graph.labels[candidate], count=Count(count))


def _topics(kind: str, matrix_name: str, labels_name: str) -> Any:
    def sentence(context: FeatureContext, query: int, candidate: int, weight: float) -> \
            Reason | None:
        graph = context.graph
        matrix = getattr(graph, matrix_name)
        shared = np.intersect1d(matrix[query].indices, matrix[candidate].indices).tolist()
        if not shared:
            return None
        labels = getattr(graph, labels_name)
        names = sorted(labels[t] for t in shared)
        iris = getattr(graph, labels_name.replace("labels", "iris"))
        return reason_of(kind, kind, weight, {kind: [iris[t] for t in shared]},
                         names=Names(names))
    return sentence


def _names_shared(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    value = float(context.namesakes[query, candidate])
    if value == 0:
        return None
    mine, theirs = graph.labels[query], graph.labels[candidate]
    facts = {"names": [mine, theirs], "same": value == SAME_NAME}
    if value == SAME_NAME:
        return reason_of("names", "name.same", weight, facts,
                         country=Country(str(graph.countries[candidate])))
    return reason_of("names", "name.within", weight, facts, name=theirs, mine=mine)


def _country_distance(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    distance = haversine_km(graph.lat[query], graph.long[query], graph.lat[[candidate]],
                            graph.long[[candidate]])
    mine, theirs = context.country_ids[query], context.country_ids[candidate]
    cell = int(distance_cell(distance, np.array([mine != theirs]))[0])
    if cell < 0:
        return None
    count, total = context.distances.counts[mine, cell], context.distances.counts[mine].sum()
    if count == 0:
        return None
    low, high = band_bounds(int(distance_band(distance)[0]))
    country = str(graph.countries[query])
    where = "abroad" if mine != theirs else "home"
    facts = {"country": country, "partnerships": int(count), "of": int(total),
             "from_km": low, "to_km": high, "abroad": bool(mine != theirs)}
    slots: dict[str, Slot] = {"count": Count(count), "total": Count(total),
                              "country": Country(country), "low": Count(low)}
    if high is None:
        return reason_of("country-distance", f"country-distance.{where}-beyond", weight, facts,
                         **slots)
    return reason_of("country-distance", f"country-distance.{where}", weight, facts,
                     high=Count(high), **slots)


def _alike_for_them(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    value = int(context.alike_for[query, candidate])
    if value == 0:
        return None
    rank = ALIKE_KEEP - value + 1
    name = context.graph.labels[candidate]
    return reason_of("alike-for-them", "alike-for-them", weight, {"their_abroad_rank": rank},
                     name=name, rank=Count(rank))


def _country_alike(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    band = int(alike_band(np.array([context.alike[query, candidate]]))[0])
    if band == len(ALIKE_BANDS):
        return None
    mine = context.country_ids[query]
    count, total = context.alikes.counts[mine, band], context.alikes.counts[mine].sum()
    if count == 0:
        return None
    low = ALIKE_BANDS[band - 1] + 1 if band else 1
    high = ALIKE_BANDS[band]
    country = str(context.graph.countries[query])
    facts = {"country": country, "partnerships": int(count), "of": int(total),
             "ranks": [low, high]}
    slots: dict[str, Slot] = {"country": Country(country), "count": Count(count),
                              "total": Count(total), "name": context.graph.labels[candidate],
                              "low": Count(low)}
    if low == high:
        return reason_of("country-alike", "country-alike.one", weight, facts, **slots)
    return reason_of("country-alike", "country-alike.many", weight, facts, high=Count(high),
                     **slots)


_SENTENCES = {
    "network": _network,
    "geography": _geography,
    "partner-countries": _partner_countries,
    "country-pair": _country_pair,
    "size": _size,
    "activity": _activity,
    "themes": _topics("themes", "theme_matrix", "theme_labels"),
    "programmes": _topics("programmes", "programme_matrix", "programme_labels"),
    "names": _names_shared,
    "country-distance": _country_distance,
    "alike-for-them": _alike_for_them,
    "country-alike": _country_alike,
    **SURROUNDINGS,
}
