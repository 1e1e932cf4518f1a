"""Link the graph's authorities to Wikidata items (Q-ids), from a harvest cache, offline.

Why it decides the way it does (most trusted evidence first):

1. **Official codes**: TERYT (P1653), Czech municipality code (P7606), LAU (P782), NUTS (P605),
   compared in one written form (:func:`code_key`: digits only for TERYT and kód obce, capitals
   without Eurostat's ``CC_`` prefix for LAU; a six-digit TERYT, the form without the gmina-type
   digit, matches the one seven-digit code it abbreviates). A code names one unit; a code that
   two items carry settles nothing and the next evidence is tried. With the registers loaded
   every register unit carries its code, so every unit whose code the harvest holds is linked
   exactly (:func:`summarise` counts them).
2. **GeoNames id** (P1566) against the ``owl:sameAs`` GeoNames link the build's gazetteer
   reconciliation made.
3. **Name, country and distance**: the folded name (and its qualifier-stripped variants, as
   :func:`graph.core.names.name_variants` gives them) against the items' labels in the same country.
   One candidate near enough (or with no coordinates on one side) is linked; several are
   settled by distance only when the nearest is within ``max_km`` and clearly nearer than the
   next. A lone candidate farther than ``max_km`` is not linked: the same name far away is a
   different town more often than a bad coordinate.

Every link records its method (``wikidata:teryt``, ``wikidata:geonames``,
``wikidata:name+country+distance`` ...) as ``tkg:matchMethod`` beside the ``owl:sameAs``; every
authority left unlinked is listed with the reason.

Candidates are the items the harvest holds: every authority of the harvested countries with an
official code, and every partner of theirs that Wikidata names in a P190 statement.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Store

from graph.core.iris import data_base
from graph.core.names import name_variants
from graph.core.namespaces import GEONAMES, OWL, PERSISTENT_DATA_BASE, RDFS, SKOS, TKG, WD, WGS
from graph.gazetteer.reconcile import distance_km
from graph.ingest.harvest_cache import Harvest, Item
from graph.query.solutions import store_solutions

MAX_KM = 25.0
"""A name match farther than this from the authority's coordinates is not the same place."""

_CODES = (("teryt", "teryt"), ("czech_code", "czechMunicipalityCode"), ("lau", "lau"),
          ("nuts", "nuts"))
_CONFIDENCE = {"stated": 1.0, "teryt": 1.0, "czech_code": 1.0, "lau": 0.98, "nuts": 0.95,
               "geonames": 0.95, "name+country+distance": 0.9, "name+country": 0.75}


MUNICIPAL_CODES = ("teryt", "czech_code", "lau")
"""The codes of municipal units (TERYT, kód obce, LAU) whose links :func:`summarise` counts."""


def code_key(attribute: str, code: str) -> str:
    """One written form of an official code, so that the graph's and Wikidata's agree.

    >>> code_key("teryt", " 30 21 163 "), code_key("czech_code", "554-782")
    ('3021163', '554782')
    >>> code_key("lau", "cz_554782"), code_key("lau", "DE09162000"), code_key("nuts", "pl41 ")
    ('554782', 'DE09162000', 'PL41')
    """
    if attribute in ("teryt", "czech_code"):
        return "".join(ch for ch in code if ch.isdigit())
    key = "".join(code.split()).upper()
    if attribute == "lau" and len(key) > 3 and key[2] == "_" and key[:2].isalpha():
        key = key[3:]
    return key


@dataclass
class AuthorityFacts:
    """What the graph knows about one authority that can identify it on Wikidata."""

    iri: str
    name: str
    country: str
    names: set[str] = field(default_factory=set)
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    geonames: set[str] = field(default_factory=set)
    wikidata: set[str] = field(default_factory=set)
    lat: float | None = None
    long: float | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """The outcome for one authority: a Q-id and how it was found, or why there is none."""

    authority: str
    name: str
    country: str
    qid: str = ""
    method: str = ""
    confidence: float = 0.0
    reason: str = ""
    candidates: tuple[str, ...] = ()

    @property
    def linked(self) -> bool:
        """Whether a Q-id was found."""
        return bool(self.qid)


class ItemIndex:
    """The harvest's items indexed by code, GeoNames id and (country, folded name)."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.items: dict[str, Item] = {}
        self.by_code: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
        for item in items:
            self.items[item.qid] = item
            for attribute, _ in (*_CODES, ("geonames", "")):
                for code in getattr(item, attribute):
                    key = code_key(attribute, code) if attribute != "geonames" else code.strip()
                    self.by_code[(attribute, key)].add(item.qid)
                    if attribute == "teryt" and len(key) in (6, 7):
                        self.by_code[("teryt6", key[:6])].add(item.qid)
            for label in item.labels.values():
                for variant in name_variants(label):
                    self.by_name[(item.country, variant.key)].add(item.qid)

    def by_codes(self, attribute: str, codes: Iterable[str]) -> set[str]:
        """Items carrying one of the codes (as :func:`code_key` writes them); a six-digit TERYT
        on either side is compared with the first six digits of a seven-digit one."""
        hits: set[str] = set()
        for code in codes:
            key = code_key(attribute, code)
            found = self.by_code.get((attribute, key), set())
            if not found and attribute == "teryt" and len(key) in (6, 7):
                found = self.by_code.get(("teryt6", key[:6]), set())
                if len(key) == 7:  # only items whose own code is the six-digit one
                    found = {q for q in found
                             if any(len(code_key("teryt", c)) == 6
                                    for c in self.items[q].teryt)}
            hits |= found
        return hits

    def by_names(self, country: str, names: Iterable[str]) -> set[str]:
        """Items of the country one of whose labels matches one of the names; the most literal
        form of a name that matches anything wins."""
        found: set[str] = set()
        for name in names:
            for variant in name_variants(name):
                hits = self.by_name.get((country, variant.key))
                if hits:
                    found |= hits
                    break
        return found


def link_authority(authority: AuthorityFacts, index: ItemIndex,
                   max_km: float = MAX_KM) -> Link:
    """Find the Q-id of one authority; never raises for odd data (it is reported instead).

    >>> from graph.ingest.harvest_cache import Item
    >>> index = ItemIndex([Item("Q1", {"pl": "Swarzędz"}, "PL", teryt=["3021054"]),
    ...                    Item("Q2", {"cs": "Hranice"}, "CZ", 49.55, 17.73),
    ...                    Item("Q3", {"cs": "Hranice"}, "CZ", 50.30, 12.18)])
    >>> link_authority(AuthorityFacts("a", "Gmina Swarzedz", "PL",
    ...                               codes={"teryt": {"3021054"}}), index).method
    'wikidata:teryt'
    >>> link_authority(AuthorityFacts("b", "Hranice", "CZ", lat=49.6, long=17.7), index).qid
    'Q2'
    >>> link_authority(AuthorityFacts("c", "Hranice", "CZ"), index).reason
    '2 items share the name and there are no coordinates to choose: Q2 Q3'
    """
    return _link_by_identity(authority, index) or _link_by_name(authority, index, max_km)


def _made(authority: AuthorityFacts, qid: str, method: str,
          candidates: Iterable[str] = ()) -> Link:
    return Link(authority.iri, authority.name, authority.country, qid,
                f"wikidata:{method}", _CONFIDENCE[method], "", tuple(sorted(candidates)))


def _link_by_identity(authority: AuthorityFacts, index: ItemIndex) -> Link | None:
    """The item a source states, else the one item an official code or GeoNames id names."""
    if len(authority.wikidata) == 1:
        # The curated data (or another source) names the item: people beat heuristics.
        return _made(authority, next(iter(authority.wikidata)), "stated")
    for attribute, _ in _CODES:
        hits = index.by_codes(attribute, authority.codes.get(attribute, ()))
        if len(hits) == 1:
            return _made(authority, hits.pop(), attribute)
    hits = {q for g in authority.geonames for q in index.by_code.get(("geonames", g), ())}
    if len(hits) == 1:
        return _made(authority, hits.pop(), "geonames")
    return None


def _link_by_name(authority: AuthorityFacts, index: ItemIndex, max_km: float) -> Link:
    """The item of the authority's country with its name, chosen by distance when several."""
    candidates = sorted(index.by_names(authority.country, [authority.name,
                                                           *sorted(authority.names)]))

    def unlinked(reason: str) -> Link:
        return Link(authority.iri, authority.name, authority.country, reason=reason,
                    candidates=tuple(candidates))

    if not candidates:
        return unlinked("no item of this country has this name or code")
    distances = _distances(authority, index, candidates)
    if len(candidates) == 1:
        qid = candidates[0]
        if qid not in distances:
            return _made(authority, qid, "name+country", candidates)
        if distances[qid] <= max_km:
            return _made(authority, qid, "name+country+distance", candidates)
        return unlinked(f"the only item with this name, {qid}, is {distances[qid]:.0f} km "
                        "away")
    if not distances:
        return unlinked(f"{len(candidates)} items share the name and there are no coordinates "
                        f"to choose: {' '.join(candidates)}")
    ranked = sorted(distances, key=lambda q: distances[q])
    nearest = ranked[0]
    runner_up = distances[ranked[1]] if len(ranked) > 1 else float("inf")
    if distances[nearest] <= max_km and runner_up > 2 * max(distances[nearest], 1.0):
        return _made(authority, nearest, "name+country+distance", candidates)
    return unlinked(f"{len(candidates)} items share the name and none is clearly nearest: "
                    + " ".join(f"{q} ({distances[q]:.0f} km)" if q in distances else q
                               for q in candidates))


def _distances(authority: AuthorityFacts, index: ItemIndex,
               candidates: Iterable[str]) -> dict[str, float]:
    """Kilometres from the authority to each candidate with a point (none when it has none)."""
    if authority.lat is None or authority.long is None:
        return {}
    distances = {}
    for qid in candidates:
        item = index.items[qid]
        if item.lat is not None and item.long is not None:
            distances[qid] = distance_km(authority.lat, authority.long, item.lat, item.long)
    return distances


def link_all(authorities: Iterable[AuthorityFacts], harvest: Harvest,
             max_km: float = MAX_KM) -> list[Link]:
    """One :class:`Link` per authority, in the order given."""
    index = ItemIndex(harvest.items.values())
    return [link_authority(a, index, max_km) for a in authorities]


# The graph is selected too: Q-id links the wikidata graph holds came from an earlier run of
# this module and are not evidence (otherwise a link would confirm itself forever).
_FACTS_QUERY = """
PREFIX tkg: <https://w3id.org/twinning-kg/def#>
SELECT DISTINCT ?a ?p ?o ?g WHERE {
  VALUES ?class { tkg:Municipality tkg:County tkg:Region tkg:LocalAuthority }
  ?a a ?class .
  GRAPH ?g { ?a ?p ?o }
  VALUES ?p { %s }
}"""


def authorities_in_store(store: Store) -> list[AuthorityFacts]:
    """Every authority of a store (the union of its graphs), with names, codes and links;
    Q-id links stated in a ``wikidata`` graph are left out (they are this module's output).

    Raises :class:`OSError` when the store cannot be read.
    """
    predicates = {str(RDFS.label): "label", str(SKOS.prefLabel): "name",
                  str(SKOS.altLabel): "name", str(TKG.countryCode): "country",
                  str(OWL.sameAs): "sameAs", str(WGS.lat): "lat", str(WGS.long): "long",
                  **{str(TKG[term]): attribute for attribute, term in _CODES}}
    query = _FACTS_QUERY % " ".join(f"<{p}>" for p in predicates)
    facts: dict[str, AuthorityFacts] = {}
    for solution in store_solutions(store, query, union=True):
        iri, predicate, value = (solution["a"].value, predicate_of(solution["p"]),
                                 solution["o"].value)
        if value.startswith(str(WD)) and solution["g"].value.endswith("/graph/wikidata"):
            continue
        entry = facts.setdefault(iri, AuthorityFacts(iri, "", ""))
        kind = predicates[predicate]
        if kind == "label":
            entry.name = entry.name or value
            entry.names.add(value)
        elif kind == "name":
            entry.names.add(value)
        elif kind == "country":
            entry.country = value.upper()
        elif kind == "sameAs":
            if value.startswith(str(GEONAMES)):
                entry.geonames.add(value[len(str(GEONAMES)):].strip("/"))
            elif value.startswith(str(WD)):
                entry.wikidata.add(value[len(str(WD)):])
        elif kind in ("lat", "long"):
            setattr(entry, kind, float(value))
        else:
            entry.codes[kind].add(value)
    return sorted((f for f in facts.values() if f.name and f.country), key=lambda f: f.iri)


def predicate_of(term: object) -> str:
    """The IRI string of a query solution's predicate term."""
    return str(getattr(term, "value", term))


def persistent_iri(iri: str, base: str) -> str:
    """An IRI of a store built under ``base`` moved back to the persistent data namespace, so
    that links made from one build load into any later build (which rebases them again).

    >>> persistent_iri("http://127.0.0.1:8080/id/authority/pl/poznań", "http://127.0.0.1:8080/")
    'https://w3id.org/twinning-kg/id/authority/pl/poznań'
    """
    local = data_base(base)
    return PERSISTENT_DATA_BASE + iri[len(local):] if iri.startswith(local) else iri


def link_quads(links: Iterable[Link], base: str) -> Iterator[Quad]:
    """``owl:sameAs`` and ``tkg:matchMethod`` for every linked authority (default graph: the
    build loads the file into the ``wikidata`` graph)."""
    same_as, method = NamedNode(str(OWL.sameAs)), NamedNode(str(TKG.matchMethod))
    for link in links:
        if link.linked:
            node = NamedNode(persistent_iri(link.authority, base))
            yield Quad(node, same_as, NamedNode(f"{WD}{link.qid}"))
            yield Quad(node, method, Literal(link.method))


def write_links(links: list[Link], base: str, path: Path) -> None:
    """The links as Turtle, sorted so that two runs over the same data write the same file.

    Raises :class:`OSError` when the file cannot be written.
    """
    from pyoxigraph import RdfFormat, serialize

    quads = sorted(link_quads(links, base), key=str)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    serialize([q.triple for q in quads], output=str(temporary), format=RdfFormat.TURTLE,
              prefixes={"owl": str(OWL), "tkg": str(TKG), "wd": str(WD)})
    temporary.replace(path)


def write_unlinked(links: list[Link], path: Path) -> int:
    """The authorities left unlinked as CSV (authority, name, country, reason, candidates);
    returns how many. Raises :class:`OSError` when the file cannot be written."""
    rows: list[list[str]] = [[link.authority, link.name, link.country, link.reason,
                              " ".join(link.candidates)] for link in links if not link.linked]
    rows.sort(key=lambda r: (r[2], r[1], r[0]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["authority", "name", "country", "reason", "candidates"])
        writer.writerows(rows)
    return len(rows)


__all__ = ["AuthorityFacts", "ItemIndex", "Link", "authorities_in_store",
           "code_key", "link_all", "link_authority", "link_quads", "write_links",
           "write_unlinked"]
