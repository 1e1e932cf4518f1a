"""The SPARQL queries a harvest sends to a Wikidata-shaped server.

Why they are written this way: standard SPARQL 1.1 over Wikidata's RDF model (``p:``/``ps:``/
``pqv:``, ``wikibase:rank``, ``rdfs:label``), never the query service's label service, so a
local mirror, QLever or an ``oxigraph serve`` test server answer them as ``query.wikidata.org``
does. Each is a ``str.format`` template (hence the doubled braces); statements and items are
paged or batched so that no query nears Wikidata's 60-second limit.
"""

PREFIXES = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX pqv: <http://www.wikidata.org/prop/qualifier/value/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

COUNTRIES = PREFIXES + """SELECT ?country ?code WHERE {{
  VALUES ?code {{ {codes} }}
  ?country wdt:P297 ?code .
}}"""

# One query per country and direction; {side} is the authority in the country.
STATEMENTS = PREFIXES + """SELECT ?statement ?subject ?object ?rank ?start ?startPrecision
       ?end ?endPrecision WHERE {{
  ?{side} wdt:P17 <{country}> .
  ?subject p:P190 ?statement .
  ?statement ps:P190 ?object ;
             wikibase:rank ?rank .
  OPTIONAL {{ ?statement pqv:P580 ?startValue .
             ?startValue wikibase:timeValue ?start ;
                         wikibase:timePrecision ?startPrecision . }}
  OPTIONAL {{ ?statement pqv:P582 ?endValue .
             ?endValue wikibase:timeValue ?end ;
                       wikibase:timePrecision ?endPrecision . }}
}}
ORDER BY ?statement
LIMIT {limit} OFFSET {offset}"""

# Every authority of a country that carries an official municipal code, so that the other
# sources' authorities can be linked by code even when Wikidata knows none of their partners.
CODED = PREFIXES + """SELECT DISTINCT ?item WHERE {{
  {{ ?item wdt:P1653 [] }} UNION {{ ?item wdt:P7606 [] }} UNION {{ ?item wdt:P782 [] }}
  ?item wdt:P17 <{country}> .
}}
ORDER BY ?item
LIMIT {limit} OFFSET {offset}"""

LABELS = PREFIXES + """SELECT ?item ?label WHERE {{
  VALUES ?item {{ {items} }}
  ?item rdfs:label ?label .
  FILTER(LANG(?label) IN ({languages}))
}}"""

CLAIMS = PREFIXES + """SELECT ?item ?property ?value WHERE {{
  VALUES ?item {{ {items} }}
  VALUES ?property {{ wdt:P17 wdt:P625 wdt:P1082 {identifiers} }}
  ?item ?property ?value .
}}"""

ISO_CODES = PREFIXES + """SELECT ?country ?code WHERE {{
  VALUES ?country {{ {items} }}
  ?country wdt:P297 ?code .
}}"""
