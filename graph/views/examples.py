"""The gallery of example queries a newcomer can run with one click in the query editor.

Each example is a complete query with the project's prefixes, a slug for shareable links
(``/query?example=partners-of-a-town``) and a title in the interface languages. The federated
examples of :mod:`graph.views.wikidata_examples` (English titles) follow the project's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.core.namespaces import prefixed
from graph.views.wikidata_examples import examples as wikidata_examples


@dataclass(frozen=True)
class Example:
    """One example: ``titles`` maps en/pl/cs to a title; ``query`` runs as it is."""

    slug: str
    titles: dict[str, str]
    query: str

    def title(self, language: str) -> str:
        """The title in ``language``, else in English."""
        return self.titles.get(language) or self.titles["en"]



EXAMPLES: tuple[Example, ...] = (
    Example("partners-of-a-town", {
        "en": "Partners of a town (Swarzędz)", "pl": "Partnerzy miasta (Swarzędz)",
        "cs": "Partneři města (Swarzędz)"}, prefixed("""
SELECT ?partner (SAMPLE(?label) AS ?name) (SAMPLE(?code) AS ?country)
       (SAMPLE(?first) AS ?start) WHERE {
  ?town rdfs:label "Swarzędz" .
  ?partnership tkg:participant ?town, ?partner .
  FILTER(?partner != ?town)
  ?partner rdfs:label ?label .
  OPTIONAL { ?partner tkg:countryCode ?code }
  # The earliest start of any of their partnerships; a subquery, because MIN over a group in
  # which some partnerships have no start date is unbound.
  OPTIONAL {
    SELECT ?partner (MIN(?date) AS ?first) WHERE {
      ?town rdfs:label "Swarzędz" .
      ?dated tkg:participant ?town, ?partner ; tkg:startDate ?date .
    }
    GROUP BY ?partner
  }
}
GROUP BY ?partner
ORDER BY ?name
""")),
    Example("polish-czech-by-decade", {
        "en": "Polish\u2013Czech partnerships by start decade",
        "pl": "Partnerstwa polsko-czeskie według dekady rozpoczęcia",
        "cs": "Polsko-česká partnerství podle desetiletí vzniku"}, prefixed("""
SELECT ?decade (COUNT(DISTINCT ?partnership) AS ?partnerships) WHERE {
  ?partnership tkg:participant ?polish, ?czech .
  ?polish tkg:countryCode "PL" .
  ?czech tkg:countryCode "CZ" .
  OPTIONAL { ?partnership tkg:startDate ?start }
  BIND(IF(BOUND(?start), CONCAT(SUBSTR(STR(?start), 1, 3), "0s"), "unknown") AS ?decade)
}
GROUP BY ?decade
ORDER BY ?decade
""")),
    Example("themes-by-frequency", {
        "en": "Themes by frequency", "pl": "Tematy według częstości",
        "cs": "Témata podle četnosti"}, prefixed("""
SELECT ?theme (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?partnership) AS ?partnerships)
WHERE {
  ?partnership tkg:theme ?theme .
  OPTIONAL { ?theme skos:prefLabel ?name FILTER(LANG(?name) = "en") }
}
GROUP BY ?theme
ORDER BY DESC(?partnerships)
""")),
    Example("authorities-with-most-partners", {
        "en": "Authorities with the most partners",
        "pl": "Samorządy z największą liczbą partnerów",
        "cs": "Samosprávy s nejvíce partnery"}, prefixed("""
SELECT ?authority ?name ?country (COUNT(DISTINCT ?partner) AS ?partners) WHERE {
  ?authority tkg:twinnedWith ?partner .
  OPTIONAL { ?authority rdfs:label ?name }
  OPTIONAL { ?authority tkg:countryCode ?country }
}
GROUP BY ?authority ?name ?country
ORDER BY DESC(?partners)
LIMIT 25
""")),
    Example("partnerships-of-a-theme", {
        "en": "Partnerships of a theme (culture)", "pl": "Partnerstwa o temacie (kultura)",
        "cs": "Partnerství s tématem (kultura)"}, prefixed("""
SELECT ?partnership ?label ?start WHERE {
  ?theme skos:prefLabel "culture and arts"@en .
  ?partnership tkg:theme ?theme .
  OPTIONAL { ?partnership rdfs:label ?label }
  OPTIONAL { ?partnership tkg:startDate ?start }
}
ORDER BY ?start
""")),
)
"""The project's own examples, in gallery order."""


def gallery() -> list[Example]:
    """Every example: the project's own, then the federated Wikidata ones.

    The Wikidata examples name Wikidata's public endpoint; they run where that endpoint is on
    the ``FEDERATION_ALLOWLIST`` and are refused (403) elsewhere, which the editor shows.

    >>> [e.slug for e in gallery()][:2]
    ['partners-of-a-town', 'polish-czech-by-decade']
    >>> "wikidata-lacks-polish-partnerships" in [e.slug for e in gallery()]
    True
    """
    return list(EXAMPLES) + [Example(e.slug, {"en": e.title}, e.sparql)
                             for e in wikidata_examples()]


def example(slug: str) -> Example | None:
    """The example named ``slug``, if there is one."""
    return next((e for e in gallery() if e.slug == slug), None)
