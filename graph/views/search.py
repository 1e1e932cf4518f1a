"""A search index over the names and official codes of authorities, themes, programmes and
legal bases, built once per published version and held in memory.

Why not SPARQL ``CONTAINS`` / ``REGEX``: they scan every label for every keystroke, cannot
ignore diacritics ("swarzedz" must find Swarzędz) and cannot rank. The index folds every name
with :func:`graph.core.names.fold` (the same key reconciliation uses) and answers in
milliseconds:

* exact key look-ups in a dict;
* prefix look-ups by bisecting a sorted list of keys;
* word-prefix ("labem" in "usti nad labem") and substring matches by one scan over the keys,
  which are stored in ranking order (larger population first), so the first hits found are
  already the best ones.

Ranking: exact before prefix before word-prefix before substring; within a class larger places
first, then the label alphabetically. Official codes (TERYT, Czech municipality and city
district codes, LAU) are keys too, so ``3021094`` finds Swarzędz and ``500178`` Praha 6.

>>> index = SearchIndex([
...     Entry("https://w3id.org/twinning-kg/id/authority/pl/swarzędz", "authority",
...           {"": "Swarzędz"}, codes=("3021094",), country="PL", population=31000),
...     Entry("https://w3id.org/twinning-kg/id/authority/pl/swarzędz-wieś", "authority",
...           {"": "Swarzędz-Wieś"}, country="PL", population=900),
...     Entry("https://w3id.org/twinning-kg/id/authority/cz/ústí-nad-labem", "authority",
...           {"": "Ústí nad Labem", "de": "Aussig"}, country="CZ", population=92000),
... ])
>>> [hit.label for hit in index.search("swarzedz")]
['Swarzędz', 'Swarzędz-Wieś']
>>> [(hit.label, hit.match) for hit in index.search("labem")]
[('Ústí nad Labem', 'word')]
>>> index.search("aussig")[0].matched
'Aussig'
>>> index.search("3021094")[0].label
'Swarzędz'
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph

from graph.core.names import fold
from graph.query.solutions import Row, SparqlSource, rows_of, values_of
from graph.views.queries import INDEX_CODES, INDEX_NAMES

KINDS = ("authority", "theme", "programme", "legal")
"""The kinds of resource the index holds, named by the IRI segment after ``id/``."""

MATCH_ORDER = ("exact", "prefix", "word", "substring")
"""How a hit matched, best first; the first element of the ranking key."""

@dataclass(frozen=True)
class Entry:
    """One resource in the index: ``labels`` maps a language tag ("" for none) to its preferred
    name, ``names`` holds every other name it may be searched by (alternative labels)."""

    iri: str
    kind: str
    labels: Mapping[str, str]
    codes: Sequence[str] = ()
    names: Sequence[str] = ()
    country: str | None = None
    population: int | None = None
    higher_level: bool = False
    """A county or region: ranked after a municipality of the same name and population."""

    def label(self, languages: Sequence[str] = ()) -> str:
        """The name in the first of ``languages`` that has one, else the plain name, else any.

        >>> Entry("x", "authority", {"": "Praha", "en": "Prague"}).label(["en", "pl"])
        'Prague'
        >>> Entry("x", "authority", {"cs": "Praha"}).label(["pl"])
        'Praha'
        """
        for language in (*languages, "", "en"):
            if language in self.labels:
                return self.labels[language]
        return next(iter(self.labels.values()), self.iri.rsplit("/", 1)[-1])


@dataclass(frozen=True)
class SearchHit:
    """A found resource, how it matched (one of :data:`MATCH_ORDER`) and which name or code."""

    entry: Entry
    match: str
    matched: str
    label: str

    def as_json(self) -> dict[str, Any]:
        """The hit as plain JSON for ``/search?format=json`` and ``/autocomplete``."""
        return {"iri": self.entry.iri, "label": self.label, "kind": self.entry.kind,
                "country": self.entry.country, "population": self.entry.population,
                "match": self.match, "matched": self.matched}


@dataclass
class SearchIndex:
    """Folded keys of every entry's names and codes, in ranking order (see module doc)."""

    entries: list[Entry]
    _keys: list[str] = field(init=False, repr=False)
    _owners: list[int] = field(init=False, repr=False)
    _shown: list[str] = field(init=False, repr=False)
    _exact: dict[str, list[int]] = field(init=False, repr=False)
    _sorted: list[tuple[str, int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Ranking order: larger population first, then the plain label; key positions in
        # ``_keys`` follow it, so scans meet better candidates first.
        self.entries = sorted(self.entries, key=lambda e: (-(e.population or 0),
                                                           fold(e.label()), e.higher_level,
                                                           e.iri))
        self._keys, self._owners, self._shown, self._exact = [], [], [], {}
        for number, entry in enumerate(self.entries):
            seen: set[str] = set()
            for text in (*entry.labels.values(), *entry.names, *entry.codes):
                key = fold(text)
                if key and key not in seen:
                    seen.add(key)
                    self._keys.append(key)
                    self._owners.append(number)
                    self._shown.append(text)
                    self._exact.setdefault(key, []).append(len(self._keys) - 1)
        self._sorted = sorted((key, position) for position, key in enumerate(self._keys))

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, text: str, limit: int = 20, kinds: Iterable[str] | None = None,
               languages: Sequence[str] = ()) -> list[SearchHit]:
        """The best ``limit`` resources whose names or codes contain ``text``.

        ``kinds`` restricts the kinds (:data:`KINDS`); labels come in the first of
        ``languages`` that has one. An empty or punctuation-only ``text`` finds nothing.
        """
        query = fold(text)
        if not query or limit <= 0:
            return []
        wanted = set(kinds) if kinds is not None else None
        hits: list[SearchHit] = []
        taken: set[int] = set()

        def take(positions: Iterable[int], match: str) -> bool:
            """Add hits in the given key positions' order; True once ``limit`` is reached."""
            for position in positions:
                owner = self._owners[position]
                entry = self.entries[owner]
                if owner in taken or (wanted is not None and entry.kind not in wanted):
                    continue
                taken.add(owner)
                hits.append(SearchHit(entry, match, self._shown[position],
                                      entry.label(languages)))
                if len(hits) >= limit:
                    return True
            return False

        if take(self._exact.get(query, ()), "exact"):
            return hits
        start = bisect.bisect_left(self._sorted, (query, -1))
        end = bisect.bisect_left(self._sorted, (query + "\uffff", -1))
        prefixed = sorted(position for _, position in self._sorted[start:end])
        if take(prefixed, "prefix"):
            return hits
        keys = self._keys
        word = " " + query
        if take((i for i, key in enumerate(keys) if word in key), "word"):
            return hits
        take((i for i, key in enumerate(keys) if query in key and not key.startswith(query)
              and word not in key), "substring")
        return hits

    def get(self, iri: str) -> Entry | None:
        """The entry of ``iri``, if the index holds it."""
        for entry in self.entries:
            if entry.iri == iri:
                return entry
        return None


class StoreSource:
    """A pyoxigraph store read directly (union default graph), for benchmarks and the CLI,
    where no :class:`graph.query.backend.Backend` is running."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def query(self, query: str) -> bytes:
        """SELECT results as SPARQL results JSON.

        :raises SyntaxError: the query does not parse.
        """
        results = self.store.query(query, use_default_graph_as_union=True)
        if not isinstance(results, pyoxigraph.QuerySolutions):
            raise TypeError("StoreSource answers SELECT queries only")
        body = results.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
        return body if isinstance(body, bytes) else b""


def kind_of(iri: str) -> str | None:
    """The kind of a minted IRI: the path segment after ``id/``, if it is one of :data:`KINDS`.

    >>> kind_of("http://127.0.0.1:8080/id/authority/pl/swarzędz")
    'authority'
    >>> kind_of("https://w3id.org/twinning-kg/id/partnership/a--b") is None
    True
    """
    _, found, rest = iri.partition("/id/")
    if not found:
        return None
    kind = rest.split("/", 1)[0]
    return kind if kind in KINDS else None


def entries_from_rows(names: Iterable[Mapping[str, str]], codes: Iterable[Mapping[str, str]],
                      languages: Mapping[tuple[str, str], str] | None = None) -> list[Entry]:
    """Entries from the rows of :data:`graph.views.queries.INDEX_NAMES` and
    :data:`graph.views.queries.INDEX_CODES`.

    ``names`` rows may carry ``lang`` (a language tag) and ``alternative`` (a name that is
    never the label shown: GeoNames' "Varsovie" must not head Warszawa's hit, whatever order
    the rows come in); rows of resources outside :data:`KINDS` are skipped.

    >>> warsaw = "https://w3id.org/twinning-kg/id/authority/pl/teryt/1465011"
    >>> [entry] = entries_from_rows([
    ...     {"resource": warsaw, "name": "Varsovie", "alternative": "true"},
    ...     {"resource": warsaw, "name": "Warszawa"}], [])
    >>> dict(entry.labels), entry.names
    ({'': 'Warszawa'}, ('Varsovie',))
    """
    labels: dict[str, dict[str, str]] = {}
    other_names: dict[str, list[str]] = {}
    country: dict[str, str] = {}
    population: dict[str, int] = {}
    higher: set[str] = set()
    for row in names:
        iri = row["resource"]
        if kind_of(iri) is None:
            continue
        own = labels.setdefault(iri, {})
        language = row.get("lang", "")
        if row.get("alternative") == "true":
            other_names.setdefault(iri, []).append(row["name"])
        elif language not in own:
            own[language] = row["name"]
        elif row["name"] != own[language]:
            other_names.setdefault(iri, []).append(row["name"])
        if row.get("country"):
            country[iri] = row["country"]
        if row.get("population", "").lstrip("-").isdigit():
            population[iri] = max(population.get(iri, 0), int(row["population"]))
        if row.get("level"):
            higher.add(iri)
    for iri, own in labels.items():
        if not own and other_names.get(iri):
            own[""] = other_names[iri].pop(0)  # a resource known by other names alone
    code_map: dict[str, list[str]] = {}
    for row in codes:
        if row["resource"] in labels:
            code_map.setdefault(row["resource"], []).append(row["code"])
    return [Entry(iri, kind_of(iri) or "", names_of, tuple(code_map.get(iri, ())),
                  tuple(other_names.get(iri, ())), country.get(iri), population.get(iri),
                  iri in higher)
            for iri, names_of in labels.items()]


def _names_with_languages(rows: list[Row]) -> list[dict[str, str]]:
    """Rows of :data:`graph.views.queries.INDEX_NAMES` as plain text, with the name's language
    tag as ``lang``."""
    return [{**values_of(row), "lang": row["name"].lang} for row in rows]


def build_index(source: SparqlSource) -> SearchIndex:
    """The index of the graph behind ``source``: two SELECTs, then folding in memory.

    :raises graph.query.backend.QueryError: from the backend (timeout, unreadable store).
    """
    names = _names_with_languages(rows_of(source.query(INDEX_NAMES)))
    codes = [values_of(row) for row in rows_of(source.query(INDEX_CODES))]
    return SearchIndex(entries_from_rows(names, codes))
