"""Find a partner: ranked, explained partner suggestions learnt from the graph itself.

* :mod:`graph.recommend.data`: what the recommender learns from, out of a store in 4 queries;
* :mod:`graph.recommend.geography`: distances, neighbourhoods and areas, ranks by distance and
  size, the most alike authorities abroad;
* :mod:`graph.recommend.namesakes`: authorities in other countries with the same name;
* :mod:`graph.recommend.profiles`: how each country's partnerships spread over distances and
  alike ranks;
* :mod:`graph.recommend.features`: distance, borders, countries, size, network, themes, names,
  and the neighbourhood, area and region signals that need no partner of the asker;
* :mod:`graph.recommend.sampling`: the training rows: set-aside partners and the authorities
  drawn against them, with how likely each was drawn;
* :mod:`graph.recommend.model`: one fitted curve per feature, fitted as a ranking;
* :mod:`graph.recommend.evidence`, :mod:`graph.recommend.reasons` and
  :mod:`graph.recommend.surroundings`: the strong features in plain words, citing the data;
* :mod:`graph.recommend.wording`: those words in English, Polish and Czech;
* :mod:`graph.recommend.suggest`: preferences, ranking, the recommender of a published store;
* :mod:`graph.recommend.published`: the service's recommender of a published version: the
  model its build published, the partner graph read through the query backend, never fitted;
* :mod:`graph.recommend.evaluation`: four hidden-partnership protocols against baselines;
  :mod:`graph.recommend.splits` chooses what each hides.
"""

from graph.recommend.suggest import (
    BadPreference,
    Preferences,
    Recommender,
    Suggestion,
    Suggestions,
    UnknownAuthority,
    recommender_for,
)

__all__ = ["BadPreference", "Preferences", "Recommender", "Suggestion", "Suggestions",
           "UnknownAuthority", "recommender_for"]
