"""What the recommender learns from, read out of a store with a few SPARQL queries.

Why arrays: ranking one authority's candidates means comparing it with every other authority
(17,000 on the Wikipedia graph) within a few milliseconds, which numpy vectors and a scipy
sparse adjacency matrix do and a per-request SPARQL traversal does not. The arrays are built
once per published version (see :func:`graph.recommend.published.published_recommender`).

:class:`PartnerGraph` keeps the partnerships themselves (participants, themes, programmes), not
only the adjacency they imply, so that the evaluation can hide some and rebuild exactly what the
recommender would have learnt without them (:meth:`PartnerGraph.without_pairs`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from pyoxigraph import Literal, NamedNode, Store

from graph.core.namespaces import sparql_prefixes
from graph.query.solutions import store_solutions

Row = Mapping[str, str]
"""One SPARQL solution as plain strings (variable name → lexical value or IRI)."""

SelectRows = Callable[[str], Iterable[Row]]
"""Runs a SELECT query against the default graph (the union of the source graphs)."""

AUTHORITIES_QUERY = sparql_prefixes() + """
SELECT ?authority ?label ?countryCode ?lat ?long ?population ?region WHERE {
  VALUES ?type { tkg:Municipality tkg:County tkg:Region tkg:LocalAuthority }
  ?authority a ?type ; tkg:countryCode ?countryCode .
  OPTIONAL { ?authority rdfs:label ?label }
  OPTIONAL { ?authority wgs:lat ?lat ; wgs:long ?long }
  OPTIONAL { ?authority tkg:population ?population }
  OPTIONAL { ?authority tkg:regionName ?region }
}"""
"""Every local authority with what the features use: name, country, place, size, region."""

PARTICIPANTS_QUERY = sparql_prefixes() + """
SELECT ?partnership ?authority WHERE { ?partnership a tkg:Partnership ; tkg:participant ?authority }
"""
"""Who takes part in each partnership (two or more participants)."""

TWINNED_QUERY = sparql_prefixes() + """
SELECT ?authority ?partner WHERE { ?authority tkg:twinnedWith ?partner }
"""
"""Pairwise links stated without a partnership resource (kept so that no link is missed)."""

TOPICS_QUERY = sparql_prefixes() + """
SELECT ?partnership ?kind ?topic ?label WHERE {
  { ?partnership tkg:theme ?topic . BIND("theme" AS ?kind)
    OPTIONAL { ?topic skos:prefLabel ?label FILTER(langMatches(lang(?label), "en")) } }
  UNION
  { ?partnership tkg:programme ?topic . BIND("programme" AS ?kind)
    OPTIONAL { ?topic rdfs:label ?label } }
}"""
"""The themes and programmes of each partnership, with an English label when there is one."""

REGIONS_QUERY = sparql_prefixes() + """
SELECT ?authority ?code ?label WHERE {
  ?authority tkg:partOf* ?unit . ?unit tkg:subdivisionCode ?code .
  OPTIONAL { ?unit rdfs:label ?label }
}"""
"""The ISO 3166-2 subdivisions each authority is or lies in (through ``tkg:partOf``): the
region of an authority without ``tkg:regionName``, such as a register unit."""

NUTS_REGIONS_QUERY = sparql_prefixes() + """
SELECT ?authority ?code ?label WHERE {
  ?authority tkg:nutsRegion ?unit . ?unit skos:broader* ?region .
  ?region tkg:nutsLevel 2 ; skos:notation ?code .
  OPTIONAL { ?region rdfs:label ?label }
}"""
"""The NUTS 2 region each authority lies in (through its ``tkg:nutsRegion``): the region of a
register unit that is part of no unit with an ISO 3166-2 code (a municipality of Eurostat's
LAU list)."""

PAIR_SOURCES_QUERY = sparql_prefixes() + """
SELECT DISTINCT ?source ?authority ?partner WHERE {
  GRAPH ?source {
    { ?partnership tkg:participant ?authority, ?partner }
    UNION { ?authority tkg:twinnedWith ?partner }
  }
  FILTER(?authority != ?partner)
}"""
"""Which source graph states each linked pair (a pair stated by two sources appears twice)."""


@dataclass(frozen=True)
class Partnership:
    """One partnership as indices into :class:`PartnerGraph`'s arrays."""

    participants: tuple[int, ...]
    themes: tuple[int, ...] = ()
    programmes: tuple[int, ...] = ()


@dataclass(frozen=True)
class PartnerGraph:
    """Authorities as parallel arrays, partnerships as index tuples.

    ``lat``, ``long`` and ``population`` are ``nan`` where the graph does not know them;
    ``region`` is ``""`` where unknown.
    """

    iris: tuple[str, ...]
    labels: tuple[str, ...]
    countries: np.ndarray
    regions: tuple[str, ...]
    lat: np.ndarray
    long: np.ndarray
    population: np.ndarray
    partnerships: tuple[Partnership, ...]
    theme_iris: tuple[str, ...] = ()
    theme_labels: tuple[str, ...] = ()
    programme_iris: tuple[str, ...] = ()
    programme_labels: tuple[str, ...] = ()
    index: dict[str, int] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.index:
            self.index.update({iri: i for i, iri in enumerate(self.iris)})

    @property
    def size(self) -> int:
        """How many authorities there are."""
        return len(self.iris)

    @cached_property
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric 0/1 matrix: ``[i, j]`` is 1 when i and j share a partnership."""
        rows: list[int] = []
        cols: list[int] = []
        for partnership in self.partnerships:
            members = partnership.participants
            for a in members:
                for b in members:
                    if a != b:
                        rows.append(a)
                        cols.append(b)
        matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                               shape=(self.size, self.size))
        matrix.data[:] = 1.0  # duplicates (two partnerships of one pair) count once
        matrix.sum_duplicates()
        matrix.data[:] = 1.0
        return matrix

    @cached_property
    def degree(self) -> np.ndarray:
        """How many partners each authority has."""
        return np.asarray(self.adjacency.sum(axis=1)).ravel()

    @cached_property
    def theme_matrix(self) -> sp.csr_matrix:
        """``[i, t]``: how many of i's partnerships are on theme t."""
        return self._topic_matrix("themes", len(self.theme_iris))

    @cached_property
    def programme_matrix(self) -> sp.csr_matrix:
        """``[i, p]``: how many of i's partnerships belong to programme p."""
        return self._topic_matrix("programmes", len(self.programme_iris))

    def _topic_matrix(self, attribute: str, width: int) -> sp.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        for partnership in self.partnerships:
            for topic in getattr(partnership, attribute):
                for member in partnership.participants:
                    rows.append(member)
                    cols.append(topic)
        return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(self.size, width))

    def partners_of(self, i: int) -> np.ndarray:
        """Indices of i's partners, sorted."""
        start, end = self.adjacency.indptr[i], self.adjacency.indptr[i + 1]
        return np.sort(self.adjacency.indices[start:end])

    def pairs(self) -> np.ndarray:
        """Every linked pair once, as an ``(m, 2)`` array with the smaller index first."""
        upper = sp.triu(self.adjacency, k=1).tocoo()
        return np.column_stack([upper.row, upper.col]).astype(np.int64)

    def without_pairs(self, hidden: Iterable[tuple[int, int]]) -> PartnerGraph:
        """The same authorities with the given pairs unlinked, as if never recorded.

        A two-party partnership of a hidden pair disappears with its themes; a partnership of
        three or more loses only the link between the hidden pair (it keeps its themes, which
        the other participants still share).
        """
        gone = {(min(a, b), max(a, b)) for a, b in hidden}
        kept: list[Partnership] = []
        for partnership in self.partnerships:
            members = partnership.participants
            if len(members) == 2:
                if (min(members), max(members)) not in gone:
                    kept.append(partnership)
                continue
            # Split a larger partnership into its pairs, drop the hidden ones.
            for x, a in enumerate(members):
                for b in members[x + 1:]:
                    if (min(a, b), max(a, b)) not in gone:
                        kept.append(Partnership((a, b), partnership.themes,
                                                partnership.programmes))
        return PartnerGraph(self.iris, self.labels, self.countries, self.regions, self.lat,
                            self.long, self.population, tuple(kept), self.theme_iris,
                            self.theme_labels, self.programme_iris, self.programme_labels,
                            self.index)


def store_rows(store: Store) -> SelectRows:
    """A :data:`SelectRows` over a pyoxigraph store, its default graph being the union."""

    def run(query: str) -> Iterable[Row]:
        solutions = store_solutions(store, query, union=True)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row: dict[str, str] = {}
            for name in names:
                term = solution[name]
                if isinstance(term, NamedNode | Literal):
                    row[name] = term.value
            yield row

    return run


def _number(text: str | None) -> float:
    try:
        return float(text) if text else float("nan")
    except ValueError:
        return float("nan")


def load_partner_graph(select: SelectRows) -> PartnerGraph:
    """Run the queries above and assemble a :class:`PartnerGraph`.

    Authorities with several values for one property (two sources disagree) keep the first
    label and the largest population; a participant that is not a described authority is
    ignored rather than invented.
    """
    authorities = _read_authorities(select)
    _name_missing_regions(select, authorities)
    order = authorities.order
    members = _members_by_partnership(select, order)
    topics = _read_topics(select)
    partnerships: list[Partnership] = []
    for iri, group in sorted(members.items()):
        if len(group) < 2:
            continue
        found = topics.by_partnership.get(iri, {"theme": set(), "programme": set()})
        partnerships.append(Partnership(tuple(sorted(group)), tuple(sorted(found["theme"])),
                                        tuple(sorted(found["programme"]))))
    partnerships.extend(Partnership(pair) for pair in _twinned_only(select, order, members))
    return PartnerGraph(
        iris=tuple(order), labels=tuple(authorities.labels),
        countries=np.array(authorities.countries, dtype="<U2"),
        regions=tuple(authorities.regions), lat=np.array(authorities.lat),
        long=np.array(authorities.long), population=np.array(authorities.population),
        partnerships=tuple(partnerships),
        theme_iris=tuple(topics.iris["theme"]), theme_labels=tuple(topics.labels["theme"]),
        programme_iris=tuple(topics.iris["programme"]),
        programme_labels=tuple(topics.labels["programme"]))


@dataclass
class _Authorities:
    """The authorities' columns while they are read, in the order first seen."""

    order: dict[str, int] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    long: list[float] = field(default_factory=list)
    population: list[float] = field(default_factory=list)


def _read_authorities(select: SelectRows) -> _Authorities:
    found = _Authorities()
    for row in select(AUTHORITIES_QUERY):
        iri = row["authority"]
        i = found.order.get(iri)
        if i is None:
            found.order[iri] = len(found.labels)
            found.labels.append(row.get("label") or iri.rsplit("/", 1)[-1])
            found.countries.append(row["countryCode"].upper())
            found.regions.append(row.get("region", ""))
            found.lat.append(_number(row.get("lat")))
            found.long.append(_number(row.get("long")))
            found.population.append(_number(row.get("population")))
            continue
        size = _number(row.get("population"))
        if np.isfinite(size) and not found.population[i] >= size:
            found.population[i] = size
        if not found.regions[i] and row.get("region"):
            found.regions[i] = row["region"]
    return found


def _name_missing_regions(select: SelectRows, found: _Authorities) -> None:
    """Where no region is named: the first-level ISO 3166-2 subdivision the authority is or lies
    in (the shortest code: PL-30 rather than a second-level code such as CZ-201); else its
    NUTS 2 region, named as Eurostat names it (e.g. "Hannover" for DE92)."""
    regions = found.regions
    subdivisions: dict[int, tuple[int, str, str]] = {}
    for row in select(REGIONS_QUERY):
        i = found.order.get(row["authority"])
        if i is None or regions[i]:
            continue
        code = row["code"]
        subdivision = (len(code), code, row.get("label") or code)
        if i not in subdivisions or subdivision < subdivisions[i]:
            subdivisions[i] = subdivision
    for i, (_, _, label) in subdivisions.items():
        regions[i] = label
    for row in select(NUTS_REGIONS_QUERY):
        i = found.order.get(row["authority"])
        if i is not None and not regions[i]:
            regions[i] = row.get("label") or row["code"]


def _members_by_partnership(select: SelectRows, order: dict[str, int]) -> dict[str, list[int]]:
    members: dict[str, list[int]] = {}
    for row in select(PARTICIPANTS_QUERY):
        i = order.get(row["authority"])
        if i is not None:
            group = members.setdefault(row["partnership"], [])
            if i not in group:
                group.append(i)
    return members


def _twinned_only(select: SelectRows, order: dict[str, int],
                  members: dict[str, list[int]]) -> list[tuple[int, int]]:
    """Pairs stated as twinned that no two-member partnership resource already holds."""
    linked = {tuple(sorted(group)) for group in members.values() if len(group) == 2}
    extra: set[tuple[int, int]] = set()
    for row in select(TWINNED_QUERY):
        a, b = order.get(row["authority"]), order.get(row["partner"])
        if a is not None and b is not None and a != b:
            pair = (min(a, b), max(a, b))
            if pair not in linked:
                extra.add(pair)
    return sorted(extra)


@dataclass
class _Topics:
    """Themes and programmes: their IRIs and labels by kind, and each partnership's."""

    iris: dict[str, dict[str, int]] = field(
        default_factory=lambda: {"theme": {}, "programme": {}})
    labels: dict[str, list[str]] = field(
        default_factory=lambda: {"theme": [], "programme": []})
    by_partnership: dict[str, dict[str, set[int]]] = field(default_factory=dict)


def _read_topics(select: SelectRows) -> _Topics:
    topics = _Topics()
    for row in select(TOPICS_QUERY):
        kind, topic = row["kind"], row["topic"]
        known = topics.iris[kind]
        if topic not in known:
            known[topic] = len(known)
            topics.labels[kind].append(row.get("label") or
                                       topic.rsplit("/", 1)[-1].replace("-", " "))
        topics.by_partnership.setdefault(row["partnership"], {"theme": set(), "programme": set()})[
            kind].add(known[topic])
    return topics


def pair_sources(select: SelectRows, graph: PartnerGraph) -> dict[str, set[tuple[int, int]]]:
    """The linked pairs (smaller index first) each source graph states, by graph IRI.

    Used by the cross-source evaluation: the pairs only one source holds are the ones a model
    trained without that source has never seen in any form. Participants that are not
    authorities of ``graph`` are ignored.
    """
    found: dict[str, set[tuple[int, int]]] = {}
    for row in select(PAIR_SOURCES_QUERY):
        a, b = graph.index.get(row["authority"]), graph.index.get(row["partner"])
        if a is not None and b is not None and a != b:
            found.setdefault(row["source"], set()).add((min(a, b), max(a, b)))
    return found
