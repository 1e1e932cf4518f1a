"""Ranked partner suggestions for one authority, with preferences and reasons.

:func:`recommender_for` loads what the recommender learns from out of a published store and
reads the model the build published with it (``builds/<version>/recommend/model.json``); the
service gets its recommender once per published version from :mod:`graph.recommend.published`.
:meth:`Recommender.suggest` then answers without fitting anything: it filters the candidates
by the preferences, scores them all at once, and explains the top ones.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import numpy as np
from pyoxigraph import Store

from graph.core.countries import UnknownCountry, resolve_country
from graph.core.names import fold
from graph.core.store_layout import published
from graph.recommend.data import PartnerGraph, load_partner_graph, store_rows
from graph.recommend.features import FeatureContext
from graph.recommend.geography import country_name, haversine_km
from graph.recommend.model import PartnerModel, train
from graph.recommend.reasons import Reason, reasons_for

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 100
MODEL_FILE = Path("recommend") / "model.json"


class UnknownAuthority(LookupError):
    """The authority asked about is not in the graph (or the name is ambiguous)."""


class BadPreference(ValueError):
    """A preference cannot be understood (an unknown country or theme, a negative range)."""


@dataclass(frozen=True)
class Preferences:
    """What the user wants; every field is a filter, empty means "any".

    ``countries`` are ISO alpha-2 codes or names; ``regions`` first-level subdivisions (as in
    ``tkg:regionName``); ``themes`` theme IRIs, slugs or labels; sizes are inhabitants;
    ``max_distance_km`` limits the great-circle distance. A candidate whose size or place is
    unknown is left out when a size range or a maximum distance is set.
    """

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    min_population: int | None = None
    max_population: int | None = None
    max_distance_km: float | None = None


@dataclass(frozen=True)
class Suggestion:
    """One ranked candidate partner and why."""

    rank: int
    iri: str
    label: str
    country: str
    score: float
    reasons: tuple[Reason, ...]
    region: str = ""
    population: int | None = None
    lat: float | None = None
    long: float | None = None
    distance_km: float | None = None

    def to_json(self, language: str = "en") -> dict[str, Any]:
        """The JSON object of the API and ``twinkg suggest --json``, the reasons in
        ``language`` (English, Polish or Czech; English otherwise), each also in all three."""
        return {"rank": self.rank, "iri": self.iri, "label": self.label,
                "country": self.country, "score": round(self.score, 4),
                "reasons": [r.text_in(language) for r in self.reasons],
                "evidence": [{"kind": r.kind, "text": r.text_in(language), "texts": r.texts,
                              "facts": r.facts} for r in self.reasons],
                "region": self.region or None, "population": self.population,
                "lat": self.lat, "long": self.long, "distance_km": self.distance_km}


@dataclass(frozen=True)
class AuthoritySummary:
    """The authority the suggestions are for, as shown above them."""

    iri: str
    label: str
    country: str
    partners: int
    population: int | None = None
    lat: float | None = None
    long: float | None = None

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"iri": self.iri, "label": self.label, "country": self.country,
                "partners": self.partners, "population": self.population, "lat": self.lat,
                "long": self.long}


@dataclass(frozen=True)
class Suggestions:
    """The answer: who for, with which preferences, how many candidates passed, the ranking."""

    authority: AuthoritySummary
    preferences: Preferences
    candidates: int
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)


def _optional(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


class Recommender:
    """Suggestions over one :class:`PartnerGraph` with one fitted :class:`PartnerModel`."""

    def __init__(self, graph: PartnerGraph, model: PartnerModel, version: str = "") -> None:
        self.graph = graph
        self.model = model
        self.version = version
        self.context = FeatureContext(graph)
        self._by_name: dict[tuple[str, str], list[int]] = {}
        for i, label in enumerate(graph.labels):
            self._by_name.setdefault((fold(label), str(graph.countries[i])), []).append(i)
        self._theme_keys: dict[str, int] = {}
        for t, (iri, label) in enumerate(zip(graph.theme_iris, graph.theme_labels, strict=True)):
            for key in (iri, iri.rsplit("/", 1)[-1], label):
                self._theme_keys[fold(key)] = t

    def find(self, authority: str) -> int:
        """The index of an authority given by IRI or as ``"Name, CC"`` (``"Swarzędz, PL"``).

        Names are compared without case or diacritics; a name without a country must be
        unique. Raises :class:`UnknownAuthority` with a sentence saying what was not found.
        """
        text = authority.strip()
        for candidate in (text, unquote(text)):
            if candidate in self.graph.index:
                return self.graph.index[candidate]
        if text.startswith(("http://", "https://")):
            raise UnknownAuthority(f"no authority with the IRI {text} in the graph")
        name, _, country = text.rpartition(",")
        if name.strip() and country.strip():
            try:
                code = resolve_country(country.strip()).alpha2
            except UnknownCountry:
                raise UnknownAuthority(f"unknown country {country.strip()!r} in "
                                       f"{text!r}; write it as \"Name, CC\"") from None
            found = self._by_name.get((fold(name), code), [])
            if found:
                return found[0]
            raise UnknownAuthority(f"no authority named {name.strip()!r} in "
                                   f"{country_name(code)} in the graph")
        matches = [i for (key, _), indices in self._by_name.items() if key == fold(text)
                   for i in indices]
        if len(matches) == 1:
            return matches[0]
        if matches:
            options = "; ".join(sorted(f"{self.graph.labels[i]}, {self.graph.countries[i]}"
                                       for i in matches))
            raise UnknownAuthority(f"{text!r} is ambiguous: say which one ({options})")
        raise UnknownAuthority(f"no authority named {text!r} in the graph")

    def summary(self, i: int) -> AuthoritySummary:
        """What the page shows about the authority asked about."""
        graph = self.graph
        population = graph.population[i]
        return AuthoritySummary(graph.iris[i], graph.labels[i], str(graph.countries[i]),
                                int(graph.degree[i]),
                                int(population) if np.isfinite(population) else None,
                                _optional(graph.lat[i]), _optional(graph.long[i]))

    def candidate_mask(self, i: int, preferences: Preferences) -> np.ndarray:
        """Who may be suggested: not ``i``, not its partners, and within the preferences.

        Raises :class:`BadPreference` for an unknown country or theme or an empty size range.
        """
        graph = self.graph
        mask = np.ones(graph.size, dtype=bool)
        mask[i] = False
        mask[graph.partners_of(i)] = False
        if preferences.countries:
            codes = set()
            for text in preferences.countries:
                try:
                    codes.add(resolve_country(text).alpha2)
                except UnknownCountry:
                    raise BadPreference(f"unknown country {text!r}") from None
            mask &= np.isin(graph.countries, sorted(codes))
        if preferences.regions:
            wanted = {fold(r) for r in preferences.regions}
            mask &= np.array([fold(r) in wanted if r else False for r in graph.regions])
        if preferences.themes:
            themes = []
            for text in preferences.themes:
                key = fold(unquote(text.strip()))
                if key not in self._theme_keys:
                    known = ", ".join(sorted(set(graph.theme_labels))) or "none in this graph"
                    raise BadPreference(f"unknown theme {text!r} (themes: {known})")
                themes.append(self._theme_keys[key])
            active = np.asarray(graph.theme_matrix[:, themes].sum(axis=1)).ravel() > 0
            mask &= active
        low, high = preferences.min_population, preferences.max_population
        if low is not None and high is not None and low > high:
            raise BadPreference(f"the size range is empty ({low:,} > {high:,})")
        if low is not None:
            mask &= graph.population >= low
        if high is not None:
            mask &= graph.population <= high
        if preferences.max_distance_km is not None:
            if preferences.max_distance_km <= 0:
                raise BadPreference("the maximum distance must be positive")
            distance = haversine_km(graph.lat[i], graph.long[i], graph.lat, graph.long)
            mask &= distance <= preferences.max_distance_km
        return mask

    def suggest(self, authority: str, preferences: Preferences | None = None,
                n: int = 10) -> Suggestions:
        """The ``n`` best candidates for ``authority`` (IRI or ``"Name, CC"``), best first.

        Raises :class:`UnknownAuthority` or :class:`BadPreference`.
        """
        preferences = preferences or Preferences()
        n = max(1, min(n, MAX_SUGGESTIONS))
        i = self.find(authority)
        candidates = np.flatnonzero(self.candidate_mask(i, preferences))
        ranked: list[Suggestion] = []
        if len(candidates):
            features = self.context.pair_features(np.full(len(candidates), i), candidates)
            scores = self.model.score(features)
            top = _top_k(scores, candidates, self.graph, n)
            contributions = self.model.contributions(features[top])
            for rank, (k, shares) in enumerate(zip(top, contributions, strict=True), start=1):
                ranked.append(self._suggestion(rank, i, int(candidates[k]), float(scores[k]),
                                               shares))
        return Suggestions(self.summary(i), preferences, len(candidates), tuple(ranked))

    def _suggestion(self, rank: int, i: int, j: int, score: float,
                    shares: np.ndarray) -> Suggestion:
        graph = self.graph
        reasons = tuple(reasons_for(self.context, i, j, shares))
        distance = next((r.facts["distance_km"] for r in reasons if r.kind == "geography"),
                        None)
        if distance is None and np.isfinite(graph.lat[i]) and np.isfinite(graph.lat[j]):
            distance = round(float(haversine_km(graph.lat[i], graph.long[i],
                                                graph.lat[[j]], graph.long[[j]])[0]), 1)
        population = graph.population[j]
        return Suggestion(rank, graph.iris[j], graph.labels[j], str(graph.countries[j]), score,
                          reasons, graph.regions[j],
                          int(population) if np.isfinite(population) else None,
                          _optional(graph.lat[j]), _optional(graph.long[j]), distance)


def _top_k(scores: np.ndarray, candidates: np.ndarray, graph: PartnerGraph, n: int) -> \
        list[int]:
    """Positions of the ``n`` best scores without sorting everybody; ties go by IRI so that
    the order never depends on the order the graph was loaded in."""
    if len(scores) > n:
        cut = np.partition(scores, len(scores) - n)[len(scores) - n]
        near = np.flatnonzero(scores >= cut)
    else:
        near = np.arange(len(scores))
    order = sorted(near.tolist(), key=lambda k: (-scores[k], graph.iris[candidates[k]]))
    return order[:n]


def recommender_for(store_dir: Path, seed: int = 0) -> Recommender:
    """The recommender of the build ``STORE/current`` points at, for the command line and the
    evaluations: the partner graph read from the store, the model the build published. A build
    published without one gets a model fitted in memory, never written into it (a published
    build is read-only; the service reads models only, see :mod:`graph.recommend.published`).

    Raises :class:`graph.core.store_layout.NotPublished` when nothing is published, and
    :class:`graph.recommend.model.NotEnoughData` when the graph has too few partnerships.
    """
    build = published(Path(store_dir))
    store = Store.read_only(str(build.oxigraph))
    graph = load_partner_graph(store_rows(store))
    del store
    try:
        model = PartnerModel.load(build.root / MODEL_FILE)
    except FileNotFoundError:
        model = train(graph, seed)
    except ValueError as error:
        log.warning("fitting a model in memory, the build's is unreadable: %s", error)
        model = train(graph, seed)
    return Recommender(graph, model, build.version)
