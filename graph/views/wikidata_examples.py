"""Example queries that join Twinning KG with Wikidata through the ``owl:sameAs`` links, for
the query editor's gallery. They run when Wikidata's endpoint is on the federation allow-list
(setting ``FEDERATION_ALLOWLIST``).

Why they are written this way: engines such as Oxigraph send a ``SERVICE`` block to the remote
endpoint as it stands, without the bindings found so far, so every ``SERVICE`` block here is
selective on its own (one country's items) and the join with our data happens locally.
Standard SPARQL 1.1 only (no label service), so a local Wikidata mirror works as well.
"""

from __future__ import annotations

from dataclasses import dataclass

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
"""The endpoint the examples name; :func:`examples` can put another one in its place."""

_PREFIXES = """PREFIX tkg: <https://w3id.org/twinning-kg/def#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
"""


@dataclass(frozen=True, slots=True)
class Example:
    """One gallery entry: a stable slug, a title, what it shows, and the query."""

    slug: str
    title: str
    description: str
    sparql: str


_EXAMPLES = (
    Example(
        "wikidata-lacks-polish-partnerships",
        "Polish partnerships that Wikidata lacks",
        "Pairs of twinned authorities, one of them Polish, both linked to Wikidata items, with "
        "no 'twinned administrative body' (P190) statement between the items either way.",
        _PREFIXES + """SELECT ?authority ?name ?partner ?partnerName ?item ?partnerItem WHERE {
  ?authority tkg:countryCode "PL" ; rdfs:label ?name ; owl:sameAs ?item ;
             tkg:twinnedWith ?partner .
  ?partner rdfs:label ?partnerName ; owl:sameAs ?partnerItem .
  FILTER(STRSTARTS(STR(?item), STR(wd:)) && STRSTARTS(STR(?partnerItem), STR(wd:)))
  MINUS { SERVICE <{endpoint}> { ?item wdt:P17 wd:Q36 ; wdt:P190 ?partnerItem . } }
  MINUS { SERVICE <{endpoint}> { ?item wdt:P17 wd:Q36 . ?partnerItem wdt:P190 ?item . } }
}
ORDER BY ?name ?partnerName"""),
    Example(
        "polish-twins-on-wikidata-only",
        "Twins of Polish towns known to Wikidata but not to us",
        "Wikidata's P190 statements from Polish items linked to our authorities, for partners "
        "that our authority is not twinned with here.",
        _PREFIXES + """SELECT ?authority ?name ?partnerItem ?partnerLabel WHERE {
  SERVICE <{endpoint}> {
    ?item wdt:P17 wd:Q36 ; wdt:P190 ?partnerItem .
    OPTIONAL { ?partnerItem rdfs:label ?partnerLabel . FILTER(LANG(?partnerLabel) = "en") }
  }
  ?authority owl:sameAs ?item ; rdfs:label ?name .
  FILTER NOT EXISTS { ?authority tkg:twinnedWith ?partner . ?partner owl:sameAs ?partnerItem }
}
ORDER BY ?name ?partnerItem"""),
    Example(
        "czech-population-from-wikidata",
        "Population of Czech authorities, from Wikidata",
        "Our Czech authorities with the population Wikidata gives their items (P1082).",
        _PREFIXES + """SELECT ?authority ?name ?item ?population WHERE {
  ?authority tkg:countryCode "CZ" ; rdfs:label ?name ; owl:sameAs ?item .
  SERVICE <{endpoint}> { ?item wdt:P17 wd:Q213 ; wdt:P1082 ?population . }
}
ORDER BY DESC(?population)"""),
    Example(
        "german-names-of-polish-authorities",
        "German names of Polish authorities",
        "Names that German partners may know our Polish authorities by: the items' German "
        "labels on Wikidata.",
        _PREFIXES + """SELECT ?authority ?name ?germanName WHERE {
  ?authority tkg:countryCode "PL" ; rdfs:label ?name ; owl:sameAs ?item .
  SERVICE <{endpoint}> {
    ?item wdt:P17 wd:Q36 ; rdfs:label ?germanName .
    FILTER(LANG(?germanName) = "de")
  }
}
ORDER BY ?name"""),
)


def examples(endpoint: str = WIKIDATA_SPARQL) -> list[Example]:
    """The federated examples, calling ``endpoint`` (Wikidata's public endpoint by default).

    >>> [e.slug for e in examples()][:2]
    ['wikidata-lacks-polish-partnerships', 'polish-twins-on-wikidata-only']
    >>> "SERVICE <https://query.wikidata.org/sparql>" in examples()[0].sparql
    True
    """
    return [Example(e.slug, e.title, e.description, e.sparql.replace("{endpoint}", endpoint))
            for e in _EXAMPLES]
