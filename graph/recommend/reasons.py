"""Plain-words reasons for a suggestion, each citing the data it rests on.

The model says which features pushed a candidate up (their contributions); this module turns
each of those into a sentence built from the graph itself: the names of the common partners,
the distance in km, both populations, the number of partners in a country. A reason is only
given when the data behind it exist, and its ``facts`` carry the same numbers and IRIs as the
sentence, so that a reader (or a test) can check one against the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.recommend.features import COLUMN, FeatureContext, country_name, haversine_km

GROUPS: dict[str, tuple[str, ...]] = {
    "network": ("common_partners", "adamic_adar", "paths_of_three"),
    "geography": ("log_distance", "log_distance_squared", "distance_unknown",
                  "neighbouring_country", "same_country"),
    "partner-countries": ("partner_country_share",),
    "region-countries": ("region_country_share",),
    "country-pair": ("country_pair_share",),
    "size": ("size_gap", "size_unknown", "candidate_size", "candidate_size_unknown"),
    "activity": ("candidate_partners",),
    "themes": ("shared_themes",),
    "programmes": ("shared_programmes",),
}
"""Which feature columns each kind of reason speaks for."""

SIMILAR_SIZE_RATIO = 2.0
"""Populations within this factor of each other are called "similar"."""

MAX_NAMES = 3
MAX_REASONS = 4
"""At most this many reasons per suggestion: the strongest ones."""


@dataclass(frozen=True)
class Reason:
    """One sentence, what kind of evidence it is, and the facts it cites."""

    kind: str
    text: str
    weight: float
    facts: dict[str, Any] = field(default_factory=dict)


def _number(value: float) -> str:
    """A count or population with thousands separators.

    >>> _number(31000.0)
    '31,000'
    """
    return f"{round(value):,}"


def _names(context: FeatureContext, indices: list[int]) -> str:
    labels = sorted(context.graph.labels[i] for i in indices)
    shown = ", ".join(labels[:MAX_NAMES])
    return shown if len(labels) <= MAX_NAMES else f"{shown} and {len(labels) - MAX_NAMES} more"


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
        iris = [graph.iris[i] for i in common]
        if len(common) == 1:
            text = f"Your partner {graph.labels[common[0]]} is also twinned with {name}"
        else:
            text = (f"{len(common)} of your partners are also twinned with {name}: "
                    f"{_names(context, common)}")
        return Reason("network", text, weight, {"common_partners": iris})
    # No common partner: cite one path  you - partner - their partner - candidate.
    for partner in mine.tolist():
        middle = np.intersect1d(graph.partners_of(partner), theirs)
        middle = middle[middle != query]
        if len(middle):
            link = int(middle[0])
            text = (f"{name} is twinned with {graph.labels[link]}, a partner of your partner "
                    f"{graph.labels[partner]}")
            return Reason("network", text, weight, {"path": [graph.iris[partner],
                                                             graph.iris[link]]})
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
    text = f"{_number(distance)} km away"
    facts: dict[str, Any] = {"distance_km": round(distance, 1), "countries": [mine, theirs]}
    if mine == theirs:
        text += f", also in {country_name(mine)}"
    elif context.neighbours[context.country_ids[query], context.country_ids[candidate]]:
        text += f", across the border ({country_name(mine)} – {country_name(theirs)})"  # noqa: RUF001
        facts["neighbouring"] = True
    else:
        text += f", in {country_name(theirs)}"
    return Reason("geography", text, weight, facts)


def _partner_countries(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    country = str(graph.countries[candidate])
    partners = graph.partners_of(query)
    there = [int(p) for p in partners if graph.countries[p] == country]
    if not there:
        return None
    verb = "is" if len(there) == 1 else "are"
    text = (f"{len(there)} of your {len(partners)} partners {verb} in {country_name(country)} "
            f"({_names(context, there)})")
    return Reason("partner-countries", text, weight,
                  {"country": country, "partners_there": [graph.iris[i] for i in there],
                   "partners": len(partners)})


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
    text = (f"Authorities in {graph.regions[query]} already have {_number(count)} "
            f"partner{'s' if count != 1 else ''} in {country_name(country)}")
    return Reason("region-countries", text, weight,
                  {"region": graph.regions[query], "country": country, "partnerships": count})


def _country_pair(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    mine, theirs = context.country_ids[query], context.country_ids[candidate]
    count = int(context.pair_counts[mine, theirs])
    if mine == theirs:
        count //= 2  # a domestic partnership is counted from both of its ends
    if count == 0:
        return None
    a, b = context.codes[mine], context.codes[theirs]
    if a == b:
        text = (f"{country_name(a)} has {_number(count)} domestic partnership"
                f"{'s' if count != 1 else ''} in the graph")
    else:
        text = (f"Authorities in {country_name(a)} and {country_name(b)} share "
                f"{_number(count)} partnership{'s' if count != 1 else ''} in the graph")
    return Reason("country-pair", text, weight, {"countries": [a, b], "partnerships": count})


def _size(context: FeatureContext, query: int, candidate: int, weight: float) -> Reason | None:
    graph = context.graph
    theirs, mine = float(graph.population[candidate]), float(graph.population[query])
    if not np.isfinite(theirs):
        return None
    facts: dict[str, Any] = {"population": int(theirs)}
    if np.isfinite(mine) and mine > 0:
        facts["your_population"] = int(mine)
        if max(mine, theirs) / max(min(mine, theirs), 1.0) <= SIMILAR_SIZE_RATIO:
            text = f"Similar size ({_number(theirs)} vs your {_number(mine)} inhabitants)"
        else:
            text = f"{_number(theirs)} inhabitants (you have {_number(mine)})"
    else:
        text = f"{_number(theirs)} inhabitants"
    return Reason("size", text, weight, facts)


def _activity(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    count = int(context.degree[candidate])
    if count == 0:
        return None
    name = context.graph.labels[candidate]
    text = f"{name} is open to twinning: already {_number(count)} partner" + \
        ("s" if count != 1 else "")
    return Reason("activity", text, weight, {"partners": count})


def _topics(kind: str, matrix_name: str, labels_name: str, phrase: str) -> Any:
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
        return Reason(kind, f"{phrase}: {', '.join(names)}", weight,
                      {kind: [iris[t] for t in shared]})
    return sentence


_SENTENCES = {
    "network": _network,
    "geography": _geography,
    "partner-countries": _partner_countries,
    "region-countries": _region_countries,
    "country-pair": _country_pair,
    "size": _size,
    "activity": _activity,
    "themes": _topics("themes", "theme_matrix", "theme_labels",
                      "Works on the same themes as you"),
    "programmes": _topics("programmes", "programme_matrix", "programme_labels",
                          "Took part in the same programmes as you"),
}
