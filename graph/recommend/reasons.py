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

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.recommend.features import COLUMN, FeatureContext
from graph.recommend.geography import NEIGHBOUR_RADIUS_KM, haversine_km
from graph.recommend.wording import Count, Country, Names, Slot, in_every_language, say

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
}
"""Which feature columns each kind of reason speaks for."""

ALIKE_RANKS = 100
"""The geography reason says where the candidate ranks abroad by distance and size together
when it is among this many."""

SIMILAR_SIZE_RATIO = 2.0
"""Populations within this factor of each other are called "similar"."""

MAX_REASONS = 4
"""At most this many reasons per suggestion: the strongest ones."""


@dataclass(frozen=True)
class Reason:
    """One sentence (``text``, English; ``texts`` by language), what kind of evidence it is,
    and the facts it cites."""

    kind: str
    text: str
    weight: float
    facts: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def text_in(self, language: str) -> str:
        """The sentence in ``language`` (English when it is not written in that language)."""
        return self.texts.get(language, self.text)


def _reason(kind: str, key: str, weight: float, facts: dict[str, Any], **slots: Slot) -> Reason:
    texts = in_every_language(key, **slots)
    return Reason(kind, texts["en"], weight, facts, texts)


def _names(context: FeatureContext, indices: list[int]) -> Names:
    return Names(sorted(context.graph.labels[i] for i in indices))


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
            return _reason("network", "network.common_one", weight, facts,
                           partner=graph.labels[common[0]], name=name)
        return _reason("network", "network.common_many", weight, facts,
                       count=Count(len(common)), name=name, names=_names(context, common))
    # No common partner: cite one path  you - partner - their partner - candidate.
    for partner in mine.tolist():
        middle = np.intersect1d(graph.partners_of(partner), theirs)
        middle = middle[middle != query]
        if len(middle):
            link = int(middle[0])
            return _reason("network", "network.path", weight,
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
        return _reason("geography", "geography.same", weight, facts, distance=Count(distance),
                       country=Country(mine))
    if context.neighbours[context.country_ids[query], context.country_ids[candidate]]:
        facts["neighbouring"] = True
        reason = _reason("geography", "geography.border", weight, facts,
                         distance=Count(distance), mine=Country(mine), theirs=Country(theirs))
    else:
        reason = _reason("geography", "geography.abroad", weight, facts,
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
    return _reason("partner-countries", key, weight, facts, count=Count(len(there)),
                   total=Count(len(partners)), country=Country(country),
                   names=_names(context, there))


def _region_countries(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    region = context.region_ids[query]
    if region < 0:
        return None
    count = int(context.region_counts[region, context.country_ids[candidate]])
    if count == 0:
        return None
    country = str(graph.countries[candidate])
    return _reason("region-countries", "region-countries", weight,
                   {"region": graph.regions[query], "country": country, "partnerships": count},
                   region=graph.regions[query], count=Count(count), country=Country(country))


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
        return _reason("country-pair", "country-pair.domestic", weight, facts,
                       country=Country(a), count=Count(count))
    return _reason("country-pair", "country-pair.abroad", weight, facts, mine=Country(a),
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
        return _reason("size", "size.similar" if similar else "size.other", weight, facts,
                       theirs=Count(theirs), mine=Count(mine))
    return _reason("size", "size.only", weight, facts, theirs=Count(theirs))


def _activity(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    count = int(context.degree[candidate])
    if count == 0:
        return None
    return _reason("activity", "activity", weight, {"partners": count},
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
        return _reason(kind, kind, weight, {kind: [iris[t] for t in shared]},
                       names=Names(names))
    return sentence


def _neighbours(context: FeatureContext, i: int) -> list[int]:
    start, end = context.near.indptr[i], context.near.indptr[i + 1]
    return sorted(context.near.indices[start:end].tolist())


def _region_pair(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    mine, theirs = context.region_ids[query], context.region_ids[candidate]
    if mine < 0 or theirs < 0:
        return None
    count = int(context.region_pairs[mine, theirs])
    if mine == theirs:
        count //= 2  # counted from both ends
    if count == 0:
        return None
    return _reason("region-pair", "region-pair", weight,
                   {"regions": [graph.regions[query], graph.regions[candidate]],
                    "partnerships": count},
                   region=graph.regions[query], their_region=graph.regions[candidate],
                   count=Count(count))


def _nearby_partner(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    theirs = set(graph.partners_of(candidate).tolist())
    near = [j for j in _neighbours(context, query) if j in theirs]
    if not near:
        return None
    return _reason("nearby-partner", "nearby-partner", weight,
                   {"neighbours": [graph.iris[j] for j in near],
                    "radius_km": NEIGHBOUR_RADIUS_KM},
                   radius=Count(NEIGHBOUR_RADIUS_KM), name=graph.labels[candidate],
                   names=_names(context, near))


def _nearby_countries(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    country = str(graph.countries[candidate])
    near = [j for j in _neighbours(context, query)
            if any(graph.countries[p] == country for p in graph.partners_of(j).tolist())]
    if not near:
        return None
    return _reason("nearby-countries", "nearby-countries", weight,
                   {"neighbours": [graph.iris[j] for j in near], "country": country,
                    "radius_km": NEIGHBOUR_RADIUS_KM},
                   count=Count(len(near)), radius=Count(NEIGHBOUR_RADIUS_KM),
                   country=Country(country), names=_names(context, near))


def _nearby_pairs(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    around_them = set(_neighbours(context, candidate))
    pairs: list[tuple[int, int]] = []
    for j in _neighbours(context, query):
        pairs += [(j, int(k)) for k in graph.partners_of(j).tolist() if int(k) in around_them]
    if not pairs:
        return None
    shown = sorted(f"{graph.labels[a]} – {graph.labels[b]}" for a, b in pairs)  # noqa: RUF001
    return _reason("nearby-pairs", "nearby-pairs", weight,
                   {"pairs": [[graph.iris[a], graph.iris[b]] for a, b in pairs]},
                   name=graph.labels[candidate], pairs=Names(shown))


def _partner_nearby(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    around_them = set(_neighbours(context, candidate))
    mine = [int(p) for p in graph.partners_of(query).tolist() if int(p) in around_them]
    if not mine:
        return None
    return _reason("partner-nearby", "partner-nearby", weight,
                   {"partners": [graph.iris[p] for p in mine]}, name=graph.labels[candidate],
                   names=_names(context, mine))


def _their_partner_countries(context: FeatureContext, query: int, candidate: int,
                             weight: float) -> Reason | None:
    graph = context.graph
    country = str(graph.countries[query])
    partners = graph.partners_of(candidate)
    there = [int(p) for p in partners if graph.countries[p] == country]
    if not there:
        return None
    return _reason("their-partner-countries", "their-partner-countries", weight,
                   {"country": country, "partners_there": [graph.iris[i] for i in there],
                    "partners": len(partners)},
                   name=graph.labels[candidate], count=Count(len(there)),
                   total=Count(len(partners)), country=Country(country),
                   names=_names(context, there))


def _their_nearby_countries(context: FeatureContext, query: int, candidate: int,
                            weight: float) -> Reason | None:
    graph = context.graph
    country = str(graph.countries[query])
    count = int(context.nearby_countries[candidate, context.country_ids[query]])
    if count == 0:
        return None
    return _reason("their-nearby-countries", "their-nearby-countries", weight,
                   {"country": country, "partnerships": count},
                   name=graph.labels[candidate], count=Count(count), country=Country(country))


_SENTENCES = {
    "network": _network,
    "geography": _geography,
    "partner-countries": _partner_countries,
    "region-countries": _region_countries,
    "region-pair": _region_pair,
    "nearby-partner": _nearby_partner,
    "nearby-countries": _nearby_countries,
    "nearby-pairs": _nearby_pairs,
    "partner-nearby": _partner_nearby,
    "their-partner-countries": _their_partner_countries,
    "their-nearby-countries": _their_nearby_countries,
    "country-pair": _country_pair,
    "size": _size,
    "activity": _activity,
    "themes": _topics("themes", "theme_matrix", "theme_labels"),
    "programmes": _topics("programmes", "programme_matrix", "programme_labels"),
}
