"""The SPARQL behind every browsing page, as named queries, and the functions that shape their
answers into plain data for the templates.

Each page shows the query that produces it (a newcomer can open it in the editor and change
it), so every query here is a complete, runnable SPARQL text once its ``$resource`` (or
``$country``) is bound by :func:`bound`. Resource IRIs are validated before binding
(:func:`graph.views.queries.iri_ref` rules), a country code must be two letters: request input can
never inject SPARQL.

Labels: queries return names in every language; :func:`pick_label` chooses the reader's
language, then the other interface languages, then the untagged name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.core.namespaces import GEO, OWL, PREFIXES, RDF, RDFS, SKOS, TKG
from graph.query.errors import NotFound
from graph.views.queries import iri_ref


class SparqlSource(Protocol):
    """What pages need from a backend (:class:`graph.query.backend.Backend` fits)."""

    def query(self, query: str) -> Any:
        """Run a SELECT; the answer's ``body`` is SPARQL results JSON."""


@dataclass(frozen=True)
class Cell:
    """One value of a result row: lexical ``value``, ``kind`` (uri, literal, bnode), ``lang``
    and ``datatype`` when it is a literal."""

    value: str
    kind: str = "literal"
    lang: str = ""
    datatype: str = ""

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"


Row = dict[str, Cell]


def prefixed(body: str) -> str:
    """``body`` after the PREFIX lines of just the project prefixes it uses, so that the query a
    page shows (and a newcomer edits) starts with what matters.

    >>> print(prefixed("SELECT ?s WHERE { ?s a tkg:Partnership }"), end="")
    PREFIX tkg: <https://w3id.org/twinning-kg/def#>
    SELECT ?s WHERE { ?s a tkg:Partnership }
    """
    used = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items()
            if re.search(rf"(?<![\w?$]){re.escape(p)}:", body)]
    return "\n".join([*used, body.strip()]) + "\n"

# ---------------------------------------------------------------------------------------------
# The named queries. ``$resource`` is an IRI in angle brackets, ``$country`` a quoted code.

RESOURCE_STATEMENTS = prefixed("""
SELECT ?property ?value ?graph WHERE {
  GRAPH ?graph { $resource ?property ?value }
}
ORDER BY ?property ?value
""")
"""Everything the graph says about the resource, with the source graph of each statement."""

AUTHORITY_PARTNERS = prefixed("""
SELECT ?partnership ?partner ?name ?country ?lat ?long ?start ?end ?status ?type
       (GROUP_CONCAT(DISTINCT STR(?theme); separator=" ") AS ?themes)
WHERE {
  ?partnership tkg:participant $resource, ?partner .
  FILTER(?partner != $resource)
  OPTIONAL { ?partner rdfs:label ?name }
  OPTIONAL { ?partner tkg:countryCode ?country }
  OPTIONAL { ?partner wgs:lat ?lat ; wgs:long ?long }
  OPTIONAL { ?partnership tkg:startDate ?start }
  OPTIONAL { ?partnership tkg:endDate ?end }
  OPTIONAL { ?partnership tkg:status ?status }
  OPTIONAL { ?partnership tkg:partnershipType ?type }
  OPTIONAL { ?partnership tkg:theme ?theme }
}
GROUP BY ?partnership ?partner ?name ?country ?lat ?long ?start ?end ?status ?type
ORDER BY ?start ?name
""")
"""An authority's partners, with the dates, status, type and themes of each partnership."""

PARTNERSHIP_PARTICIPANTS = prefixed("""
SELECT ?participant ?name ?country ?lat ?long ?population WHERE {
  $resource tkg:participant ?participant .
  OPTIONAL { ?participant rdfs:label ?name }
  OPTIONAL { ?participant tkg:countryCode ?country }
  OPTIONAL { ?participant wgs:lat ?lat ; wgs:long ?long }
  OPTIONAL { ?participant tkg:population ?population }
}
ORDER BY ?name
""")
"""The participants of a partnership, with where they are."""

PARTNERSHIPS_LINKED_TO = prefixed("""
SELECT ?partnership ?start ?a ?aName ?aCountry ?aLat ?aLong ?b ?bName ?bCountry ?bLat ?bLong
WHERE {
  ?partnership ?link $resource ; tkg:participant ?a, ?b .
  FILTER(?link IN (tkg:theme, tkg:programme, tkg:legalBasis, tkg:activity)
         && STR(?a) < STR(?b))
  OPTIONAL { ?partnership tkg:startDate ?start }
  OPTIONAL { ?a rdfs:label ?aName } OPTIONAL { ?a tkg:countryCode ?aCountry }
  OPTIONAL { ?a wgs:lat ?aLat ; wgs:long ?aLong }
  OPTIONAL { ?b rdfs:label ?bName } OPTIONAL { ?b tkg:countryCode ?bCountry }
  OPTIONAL { ?b wgs:lat ?bLat ; wgs:long ?bLong }
}
ORDER BY ?start ?aName
LIMIT 2000
""")
"""Partnerships that have the resource as theme, programme, legal basis or activity."""

COUNTRY_AUTHORITIES = prefixed("""
SELECT ?authority ?name ?population (COUNT(DISTINCT ?partnership) AS ?partnerships) WHERE {
  ?authority tkg:countryCode $country .
  OPTIONAL { ?authority rdfs:label ?name }
  OPTIONAL { ?authority tkg:population ?population }
  OPTIONAL { ?partnership tkg:participant ?authority }
}
GROUP BY ?authority ?name ?population
ORDER BY DESC(?partnerships) ?name
LIMIT 1000
""")
"""A country's authorities, most partnerships first."""

COUNTRY_PARTNER_COUNTRIES = prefixed("""
SELECT ?partnerCountry (COUNT(DISTINCT ?partnership) AS ?partnerships) WHERE {
  ?authority tkg:countryCode $country .
  ?partnership tkg:participant ?authority, ?partner .
  ?partner tkg:countryCode ?partnerCountry .
  FILTER(?partner != ?authority)
}
GROUP BY ?partnerCountry
ORDER BY DESC(?partnerships) ?partnerCountry
""")
"""How many partnerships a country's authorities have, by the partner's country."""

HOME_COUNTS = prefixed("""
SELECT
  (COUNT(DISTINCT ?authority) AS ?authorities)
  (COUNT(DISTINCT ?country) AS ?countries)
WHERE { ?authority tkg:countryCode ?country }
""")
"""How many authorities and countries the graph holds."""

HOME_PARTNERSHIP_COUNTS = prefixed("""
SELECT (COUNT(DISTINCT ?partnership) AS ?partnerships) (COUNT(DISTINCT ?theme) AS ?themes)
WHERE { ?partnership a tkg:Partnership OPTIONAL { ?partnership tkg:theme ?theme } }
""")
"""How many partnerships and themes in use."""

HOME_TWINNED = prefixed("""
SELECT (COUNT(DISTINCT ?authority) AS ?twinned) WHERE {
  ?partnership tkg:participant ?authority .
  ?authority tkg:countryCode ?country .
  MINUS { ?authority owl:sameAs ?same . ?same tkg:countryCode ?sameCountry }
}
""")
"""How many authorities take part in at least one partnership. A name-based IRI that is
``owl:sameAs`` another authority (the curated data's, for a register unit) is not counted; its
unit is when it takes part itself (MINUS, not a path through owl:sameAs: 0.7 s against minutes
on the default graph)."""

HOME_SOURCES = prefixed("""
SELECT (COUNT(DISTINCT ?graph) AS ?sources) WHERE { GRAPH ?graph { ?s a ?type } }
""")
"""How many source graphs contribute."""

HOME_MAP = prefixed("""
SELECT ?partnership ?a ?aName ?aCountry ?aLat ?aLong ?b ?bName ?bCountry ?bLat ?bLong WHERE {
  ?partnership tkg:participant ?a, ?b .
  ?a tkg:countryCode ?aCountry ; wgs:lat ?aLat ; wgs:long ?aLong .
  ?b tkg:countryCode ?bCountry ; wgs:lat ?bLat ; wgs:long ?bLong .
  FILTER(?aCountry IN ("PL", "CZ") && (?bCountry NOT IN ("PL", "CZ") || STR(?a) < STR(?b)))
  OPTIONAL { ?a rdfs:label ?aName } OPTIONAL { ?b rdfs:label ?bName }
}
LIMIT 800
""")
"""Partnerships with a Polish or Czech participant, for the home page's map."""

LABELS = prefixed("""
SELECT ?resource ?label WHERE {
  VALUES ?resource { $resources }
  ?resource rdfs:label|skos:prefLabel ?label .
}
""")
"""Names of the IRIs a page mentions (concepts, programmes, countries), in every language."""


# ---------------------------------------------------------------------------------------------
# Binding and running

_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def country_term(code: str) -> str:
    """A quoted ISO 3166-1 alpha-2 code for ``$country``.

    :raises NotFound: ``code`` is not two letters.

    >>> country_term("pl")
    '"PL"'
    """
    upper = code.strip().upper()
    if not _COUNTRY_CODE.match(upper):
        raise NotFound(f"not a country code: {code!r}")
    return f'"{upper}"'


def bound(query: str, resource: str | None = None, country: str | None = None) -> str:
    """``query`` with ``$resource`` bound to an IRI or ``$country`` to a code (validated)."""
    if resource is not None:
        query = query.replace("$resource", iri_ref(resource))
    if country is not None:
        query = query.replace("$country", country_term(country))
    return query


def _cell(raw: dict[str, str]) -> Cell:
    return Cell(raw["value"], raw.get("type", "literal").replace("typed-literal", "literal"),
                raw.get("xml:lang", "").lower(), raw.get("datatype", ""))


def select(source: SparqlSource, query: str) -> list[Row]:
    """Rows of a SELECT as ``{variable: Cell}``.

    :raises graph.query.backend.QueryError: from the backend.
    """
    answer = source.query(query)
    body = answer.body if hasattr(answer, "body") else answer
    data = json.loads(body)
    return [{name: _cell(raw) for name, raw in binding.items()}
            for binding in data["results"]["bindings"]]


def pick_label(labels: Iterable[Cell], languages: Sequence[str]) -> str | None:
    """The label in the first of ``languages`` that has one, else an untagged one, else any.

    >>> pick_label([Cell("Praha", lang="cs"), Cell("Prague", lang="en")], ["pl", "en"])
    'Prague'
    >>> pick_label([Cell("Praha", lang="cs"), Cell("Praha")], ["pl"])
    'Praha'
    >>> pick_label([], ["en"]) is None
    True
    """
    found = list(labels)
    for language in (*languages, ""):
        for cell in found:
            if cell.lang == language or (language and cell.lang.split("-")[0] == language):
                return cell.value
    return found[0].value if found else None


def labels_of(source: SparqlSource, iris: Iterable[str],
              languages: Sequence[str]) -> dict[str, str]:
    """The best label of each IRI in ``languages`` (IRIs without a name are left out)."""
    wanted = sorted({iri for iri in iris if iri})
    result: dict[str, str] = {}
    for start in range(0, len(wanted), 400):
        values = " ".join(iri_ref(iri) for iri in wanted[start:start + 400])
        found: dict[str, list[Cell]] = {}
        for row in select(source, LABELS.replace("$resources", values)):
            found.setdefault(row["resource"].value, []).append(row["label"])
        for iri, cells in found.items():
            label = pick_label(cells, languages)
            if label is not None:
                result[iri] = label
    return result


def local_name(iri: str) -> str:
    """The last path segment of an IRI, a readable stand-in when it has no label.

    >>> local_name("https://w3id.org/twinning-kg/id/theme/culture")
    'culture'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


# ---------------------------------------------------------------------------------------------
# Page data

@dataclass
class Statements:
    """A resource's statements grouped by property, with the graphs that assert them."""

    iri: str
    by_property: dict[str, list[Cell]] = field(default_factory=dict)
    graphs: dict[tuple[str, str], set[str]] = field(default_factory=dict)

    def values(self, prop: object) -> list[Cell]:
        return self.by_property.get(str(prop), [])

    def first(self, prop: object) -> str | None:
        found = self.values(prop)
        return found[0].value if found else None

    def iris(self, prop: object) -> list[str]:
        return [cell.value for cell in self.values(prop) if cell.is_iri]


def statements(source: SparqlSource, iri: str) -> Statements:
    """What the graph says about ``iri``.

    :raises NotFound: nothing.
    """
    rows = select(source, bound(RESOURCE_STATEMENTS, iri))
    if not rows:
        raise NotFound(f"{iri} is not in the graph")
    result = Statements(iri)
    for row in rows:
        prop, value = row["property"].value, row["value"]
        cells = result.by_property.setdefault(prop, [])
        if value not in cells:
            cells.append(value)
        result.graphs.setdefault((prop, value.value), set()).add(row["graph"].value)
    return result


@dataclass
class Place:
    """An authority as a point on a map and a row in a table."""

    iri: str
    name: str
    country: str | None = None
    lat: float | None = None
    long: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"iri": self.iri, "name": self.name, "country": self.country,
                "lat": self.lat, "long": self.long}


@dataclass
class PartnerRow:
    """One partnership of an authority, as a row of its partners table."""

    partnership: str
    partner: Place
    start: str | None
    end: str | None
    status: str | None
    type: str | None
    themes: list[str]


@dataclass
class AuthorityPage:
    """Everything the authority page shows."""

    iri: str
    label: str
    facts: Statements
    names: list[Cell]
    place: Place
    partners: list[PartnerRow]
    labels: dict[str, str]
    timeline: list[tuple[str, int]]
    queries: dict[str, str]

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Map lines from the authority to each located partner."""
        if self.place.lat is None:
            return []
        return [{"from": self.place.as_json(), "to": row.partner.as_json(),
                 "partnership": row.partnership} for row in self.partners
                if row.partner.lat is not None]


def _float(cell: Cell | None) -> float | None:
    try:
        return float(cell.value) if cell is not None else None
    except ValueError:
        return None


def _distinct_names(facts: Statements) -> list[Cell]:
    """Every name of a resource once: preferred names first, then other names, then the plain
    label, each spelling kept with the first language it was given in ("Swarzędz"@pl, and not
    again as "Swarzędz"@en or as the plain label)."""
    names = facts.values(SKOS.prefLabel) + facts.values(SKOS.altLabel) + facts.values(RDFS.label)
    seen: set[str] = set()
    unique: list[Cell] = []
    for cell in names:
        if cell.value not in seen:
            seen.add(cell.value)
            unique.append(cell)
    return unique


def _name(facts: Statements, languages: Sequence[str]) -> str:
    """The page's heading: the preferred label in the reader's language, with fallback.

    Where one language has several preferred labels (the curated data gives Swarzędz both
    "Swarzędz"@pl and "Gmina Swarzędz"@pl), the one equal to the plain ``rdfs:label`` wins.
    """
    plain = facts.first(RDFS.label)
    labels = sorted(facts.values(SKOS.prefLabel), key=lambda cell: cell.value != plain)
    return pick_label(labels, languages) or plain or local_name(facts.iri)


def authority_page(source: SparqlSource, iri: str, languages: Sequence[str]) -> AuthorityPage:
    """The authority page of ``iri``.

    :raises NotFound: ``iri`` is not an authority in the graph.
    """
    facts = statements(source, iri)
    if facts.first(TKG.countryCode) is None and not facts.values(TKG.twinnedWith):
        raise NotFound(f"{iri} is not a local authority")
    unique = _distinct_names(facts)
    place = Place(iri, _name(facts, languages), facts.first(TKG.countryCode),
                  _float(next(iter(facts.values(_WGS_LAT)), None)),
                  _float(next(iter(facts.values(_WGS_LONG)), None)))
    partners_query = bound(AUTHORITY_PARTNERS, iri)
    partners: dict[tuple[str, str], PartnerRow] = {}
    for row in select(source, partners_query):
        key = (row["partnership"].value, row["partner"].value)
        if key in partners:
            continue
        partner = row["partner"].value
        partners[key] = PartnerRow(
            row["partnership"].value,
            Place(partner, row["name"].value if "name" in row else local_name(partner),
                  row["country"].value if "country" in row else None,
                  _float(row.get("lat")), _float(row.get("long"))),
            _value(row, "start"), _value(row, "end"), _value(row, "status"),
            _value(row, "type"),
            sorted(set(row["themes"].value.split())) if "themes" in row else [])
    rows = list(partners.values())
    mentioned = [iri for r in rows for iri in (r.status, r.type, *r.themes) if iri]
    # The town it is seated in, the city it lies within: features of their own, with names.
    mentioned += [*facts.iris(str(TKG.seat)), *facts.iris(str(GEO.sfWithin))]
    labels = labels_of(source, [*mentioned, *(r.partner.iri for r in rows)], languages)
    for r in rows:
        r.partner.name = labels.get(r.partner.iri, r.partner.name)
    return AuthorityPage(iri, place.name, facts, unique, place, rows, labels,
                         timeline([r.start for r in rows]),
                         {"statements": bound(RESOURCE_STATEMENTS, iri),
                          "partners": partners_query})


_WGS_LAT = "http://www.w3.org/2003/01/geo/wgs84_pos#lat"
_WGS_LONG = "http://www.w3.org/2003/01/geo/wgs84_pos#long"


def _value(row: Row, name: str) -> str | None:
    return row[name].value if name in row else None


def timeline(starts: Iterable[str | None]) -> list[tuple[str, int]]:
    """How many partnerships began in each decade, oldest first ("1990s", 3).

    >>> timeline(["1998", "2004-05", "1991-01-01", None])
    [('1990s', 2), ('2000s', 1)]
    """
    decades = Counter(f"{start[:3]}0s" for start in starts
                      if start and start[:4].isdigit())
    return sorted(decades.items())


@dataclass
class PartnershipPage:
    """Everything the partnership page shows."""

    iri: str
    label: str
    facts: Statements
    participants: list[Place]
    labels: dict[str, str]
    queries: dict[str, str]

    @property
    def lines(self) -> list[dict[str, Any]]:
        """Map lines between every pair of located participants."""
        located = [p for p in self.participants if p.lat is not None]
        return [{"from": a.as_json(), "to": b.as_json(), "partnership": self.iri}
                for i, a in enumerate(located) for b in located[i + 1:]]

    def provenance(self) -> list[tuple[str, str, list[str]]]:
        """(property, value, source graphs) for every statement, in property order."""
        return [(prop, value, sorted(graphs))
                for (prop, value), graphs in sorted(self.facts.graphs.items())]


def partnership_page(source: SparqlSource, iri: str,
                     languages: Sequence[str]) -> PartnershipPage:
    """The partnership page of ``iri``.

    :raises NotFound: ``iri`` is not a partnership in the graph.
    """
    facts = statements(source, iri)
    if not facts.values(TKG.participant):
        raise NotFound(f"{iri} is not a partnership")
    participants_query = bound(PARTNERSHIP_PARTICIPANTS, iri)
    seen: dict[str, Place] = {}
    for row in select(source, participants_query):
        who = row["participant"].value
        seen.setdefault(who, Place(who, _value(row, "name") or local_name(who),
                                   _value(row, "country"), _float(row.get("lat")),
                                   _float(row.get("long"))))
    mentioned = [cell.value for cells in facts.by_property.values() for cell in cells
                 if cell.is_iri]
    labels = labels_of(source, [*mentioned, *seen, iri], languages)
    for place in seen.values():
        place.name = labels.get(place.iri, place.name)
    label = pick_label(facts.values(RDFS.label), languages) or " \u2013 ".join(
        p.name for p in seen.values())
    return PartnershipPage(iri, label, facts, list(seen.values()), labels,
                           {"statements": bound(RESOURCE_STATEMENTS, iri),
                            "participants": participants_query})


@dataclass
class LinkedPartnership:
    """A partnership listed on a theme, programme or legal-basis page."""

    iri: str
    start: str | None
    a: Place
    b: Place


@dataclass
class ConceptPage:
    """A theme, programme or legal basis: what it is and the partnerships that have it."""

    iri: str
    kind: str
    label: str
    facts: Statements
    names: list[Cell]
    description: str | None
    partnerships: list[LinkedPartnership]
    by_country: list[tuple[str, int]]
    labels: dict[str, str]
    queries: dict[str, str]

    @property
    def lines(self) -> list[dict[str, Any]]:
        return [{"from": p.a.as_json(), "to": p.b.as_json(), "partnership": p.iri}
                for p in self.partnerships if p.a.lat is not None and p.b.lat is not None]


def concept_page(source: SparqlSource, iri: str, kind: str,
                 languages: Sequence[str]) -> ConceptPage:
    """The page of a theme, programme or legal basis.

    :raises NotFound: ``iri`` is not in the graph.
    """
    facts = statements(source, iri)
    query = bound(PARTNERSHIPS_LINKED_TO, iri)
    linked: dict[str, LinkedPartnership] = {}
    for row in select(source, query):
        linked.setdefault(row["partnership"].value, LinkedPartnership(
            row["partnership"].value, _value(row, "start"),
            _place(row, "a"), _place(row, "b")))
    countries = Counter(code for p in linked.values() for code in {p.a.country, p.b.country}
                        if code)
    names = _distinct_names(facts)
    description = pick_label(facts.values(SKOS.definition) + facts.values(_DCT_DESCRIPTION),
                             languages)
    return ConceptPage(iri, kind, _name(facts, languages), facts, names, description,
                       list(linked.values()), countries.most_common(),
                       labels_of(source, [t for c in facts.by_property.values() for t in
                                          (x.value for x in c if x.is_iri)], languages),
                       {"statements": bound(RESOURCE_STATEMENTS, iri), "partnerships": query})


_DCT_DESCRIPTION = "http://purl.org/dc/terms/description"


def _place(row: Row, prefix: str) -> Place:
    iri = row[prefix].value
    return Place(iri, _value(row, prefix + "Name") or local_name(iri),
                 _value(row, prefix + "Country"), _float(row.get(prefix + "Lat")),
                 _float(row.get(prefix + "Long")))


@dataclass
class CountryPage:
    """A country: its authorities (most partnerships first) and partner countries."""

    code: str
    authorities: list[tuple[str, str, int | None, int]]
    by_country: list[tuple[str, int]]
    queries: dict[str, str]

    @property
    def partnerships(self) -> int:
        return sum(count for _, count in self.by_country)


def country_page(source: SparqlSource, code: str) -> CountryPage:
    """The page of the country with ISO code ``code``.

    :raises NotFound: not a code, or no authority of the graph is in that country.
    """
    authorities_query = bound(COUNTRY_AUTHORITIES, country=code)
    authorities = [(row["authority"].value,
                    _value(row, "name") or local_name(row["authority"].value),
                    int(row["population"].value) if "population" in row else None,
                    int(row["partnerships"].value))
                   for row in select(source, authorities_query)]
    if not authorities:
        raise NotFound(f"no authority of the graph is in {code!r}")
    countries_query = bound(COUNTRY_PARTNER_COUNTRIES, country=code)
    by_country = [(row["partnerCountry"].value, int(row["partnerships"].value))
                  for row in select(source, countries_query)]
    return CountryPage(code.upper(), authorities, by_country,
                       {"authorities": authorities_query, "partner_countries": countries_query})


@dataclass
class HomePage:
    """The counts and the map on the home page."""

    counts: dict[str, int]
    lines: list[dict[str, Any]]
    queries: dict[str, str]


def home_page(source: SparqlSource) -> HomePage:
    """Counts of authorities (and of those with partnerships), partnerships, countries, themes
    and sources, and the map lines.

    :raises graph.query.backend.QueryError: from the backend.
    """
    counts: dict[str, int] = {}
    for query in (HOME_COUNTS, HOME_TWINNED, HOME_PARTNERSHIP_COUNTS, HOME_SOURCES):
        for row in select(source, query)[:1]:
            counts.update({name: int(cell.value) for name, cell in row.items()})
    lines = [{"from": _place(row, "a").as_json(), "to": _place(row, "b").as_json(),
              "partnership": row["partnership"].value} for row in select(source, HOME_MAP)]
    return HomePage(counts, lines, {"counts": HOME_COUNTS, "twinned": HOME_TWINNED,
                                    "map": HOME_MAP})


RDF_TYPE = str(RDF.type)
SAME_AS = str(OWL.sameAs)
