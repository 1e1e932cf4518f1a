"""Reasons from the surroundings: what the authorities near the asker, near the candidate and
in their regions already do (:mod:`graph.recommend.features`' neighbourhood and region
signals), each citing the partnerships it counts. :mod:`graph.recommend.reasons` picks among
them and the asker's own reasons by the model's weights.
"""

from __future__ import annotations

from graph.recommend.evidence import Reason, listed, neighbours_of, reason_of
from graph.recommend.features import FeatureContext
from graph.recommend.geography import AREA_RADIUS_KM, NEIGHBOUR_RADIUS_KM
from graph.recommend.wording import Count, Country, Names


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
    return reason_of("region-countries", "region-countries", weight,
                     {"region": graph.regions[query], "country": country, "partnerships": count},
                     region=graph.regions[query], count=Count(count), country=Country(country))


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
    return reason_of("region-pair", "region-pair", weight,
                     {"regions": [graph.regions[query], graph.regions[candidate]],
                      "partnerships": count},
                     region=graph.regions[query], their_region=graph.regions[candidate],
                     count=Count(count))


def _nearby_partner(context: FeatureContext, query: int, candidate: int, weight: float,
                    area: bool = False) -> Reason | None:
    graph = context.graph
    theirs = set(graph.partners_of(candidate).tolist())
    near = [j for j in neighbours_of(context, query, area) if j in theirs]
    if not near:
        return None
    radius = AREA_RADIUS_KM if area else NEIGHBOUR_RADIUS_KM
    return reason_of("area-partner" if area else "nearby-partner", "nearby-partner", weight,
                     {"neighbours": [graph.iris[j] for j in near], "radius_km": radius},
                     radius=Count(radius), name=graph.labels[candidate],
                     names=listed(context, near))


def _area_partner(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    return _nearby_partner(context, query, candidate, weight, area=True)


def _nearby_countries(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    country = str(graph.countries[candidate])
    near = [j for j in neighbours_of(context, query)
            if any(graph.countries[p] == country for p in graph.partners_of(j).tolist())]
    if not near:
        return None
    return reason_of("nearby-countries", "nearby-countries", weight,
                     {"neighbours": [graph.iris[j] for j in near], "country": country,
                      "radius_km": NEIGHBOUR_RADIUS_KM},
                     count=Count(len(near)), radius=Count(NEIGHBOUR_RADIUS_KM),
                     country=Country(country), names=listed(context, near))


def _nearby_pairs(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    around_them = set(neighbours_of(context, candidate))
    pairs: list[tuple[int, int]] = []
    for j in neighbours_of(context, query):
        pairs += [(j, int(k)) for k in graph.partners_of(j).tolist() if int(k) in around_them]
    if not pairs:
        return None
    shown = sorted(f"{graph.labels[a]} – {graph.labels[b]}" for a, b in pairs)  # noqa: RUF001
    return reason_of("nearby-pairs", "nearby-pairs", weight,
                     {"pairs": [[graph.iris[a], graph.iris[b]] for a, b in pairs]},
                     name=graph.labels[candidate], pairs=Names(shown))


def _partner_nearby(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    around_them = set(neighbours_of(context, candidate))
    mine = [int(p) for p in graph.partners_of(query).tolist() if int(p) in around_them]
    if not mine:
        return None
    return reason_of("partner-nearby", "partner-nearby", weight,
                     {"partners": [graph.iris[p] for p in mine]}, name=graph.labels[candidate],
                     names=listed(context, mine))


def _partner_area(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    around_them = set(neighbours_of(context, candidate, area=True))
    mine = [int(p) for p in graph.partners_of(query).tolist() if int(p) in around_them]
    if not mine:
        return None
    return reason_of("partner-area", "partner-area", weight,
                     {"partners": [graph.iris[p] for p in mine], "radius_km": AREA_RADIUS_KM},
                     name=graph.labels[candidate], radius=Count(AREA_RADIUS_KM),
                     names=listed(context, mine))


def _their_partner_countries(context: FeatureContext, query: int, candidate: int,
                             weight: float) -> Reason | None:
    graph = context.graph
    country = str(graph.countries[query])
    partners = graph.partners_of(candidate)
    there = [int(p) for p in partners if graph.countries[p] == country]
    if not there:
        return None
    return reason_of("their-partner-countries", "their-partner-countries", weight,
                     {"country": country, "partners_there": [graph.iris[i] for i in there],
                      "partners": len(partners)},
                     name=graph.labels[candidate], count=Count(len(there)),
                     total=Count(len(partners)), country=Country(country),
                     names=listed(context, there))


def _their_nearby_countries(context: FeatureContext, query: int, candidate: int,
                            weight: float) -> Reason | None:
    graph = context.graph
    country = str(graph.countries[query])
    count = int(context.nearby_countries[candidate, context.country_ids[query]])
    if count == 0:
        return None
    return reason_of("their-nearby-countries", "their-nearby-countries", weight,
                     {"country": country, "partnerships": count},
                     name=graph.labels[candidate], count=Count(count), country=Country(country))


def _region_partners(context: FeatureContext, query: int, candidate: int, weight: float) -> \
        Reason | None:
    graph = context.graph
    region = context.region_ids[query]
    if region < 0:
        return None
    theirs = graph.partners_of(candidate)
    there = [int(p) for p in theirs if context.region_ids[p] == region]
    if not there:
        return None
    return reason_of("region-partners", "region-partners", weight,
                     {"region": graph.regions[query],
                      "authorities": [graph.iris[i] for i in there]},
                     region=graph.regions[query], name=graph.labels[candidate],
                     count=Count(len(there)), names=listed(context, there))


def _their_region_countries(context: FeatureContext, query: int, candidate: int,
                            weight: float) -> Reason | None:
    graph = context.graph
    region = context.region_ids[candidate]
    if region < 0:
        return None
    count = int(context.region_counts[region, context.country_ids[query]])
    if count == 0:
        return None
    country = str(graph.countries[query])
    return reason_of("their-region-countries", "region-countries", weight,
                     {"region": graph.regions[candidate], "country": country,
                      "partnerships": count},
                     region=graph.regions[candidate], count=Count(count), country=Country(country))


SURROUNDINGS = {
    "region-countries": _region_countries,
    "region-pair": _region_pair,
    "region-partners": _region_partners,
    "their-region-countries": _their_region_countries,
    "nearby-partner": _nearby_partner,
    "nearby-countries": _nearby_countries,
    "nearby-pairs": _nearby_pairs,
    "partner-nearby": _partner_nearby,
    "area-partner": _area_partner,
    "partner-area": _partner_area,
    "their-partner-countries": _their_partner_countries,
    "their-nearby-countries": _their_nearby_countries,
}
"""The sentence of each kind of reason from the surroundings, by kind."""
