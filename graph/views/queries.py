"""Every SPARQL query the service runs, by name: the browsing pages', the register pages',
the Linked Data descriptions', the search index's and the sitemap's.

Why one module: a query is the contract between the graph and a page, and each page shows the
query behind it, so they are kept where they can be read (and tested) together;
``tests/test_view_queries.py`` parses every one of them. The functions that run them and shape
their answers live beside it, one module per kind of page (:mod:`graph.views.resources`,
:mod:`graph.views.authority_pages`, :mod:`graph.views.register_pages`, ...).

Each query is complete SPARQL with the project's prefixes
(:func:`graph.core.namespaces.prefixed`: only those it uses, so the query a page shows starts
with what matters). Request values go in
only through :func:`graph.query.binding.bound`, which validates them: ``$resource`` is an IRI,
``$resources`` a list of IRIs, ``$country`` a quoted two-letter code, ``$prefix`` a string.

The gallery of example queries the editor offers (:mod:`graph.views.examples`) is run by
people, not by the service, and lives with the gallery. The catalogue's and VoID's queries
(:mod:`graph.opendata`) are the build's: it writes both documents when it publishes, and the
service only reads the files (it computes them itself only for a build published without them).
"""

from __future__ import annotations

from graph.core.namespaces import prefixed

# ---------------------------------------------------------------------------------------------
# Linked Data: a resource's description (:mod:`graph.views.resources`).

RESOURCE_EXISTS = prefixed("""
ASK { { $resource ?p ?o } UNION { ?s ?p $resource } }
""")
"""Is ``$resource`` the subject or object of any triple?"""

RESOURCE_DESCRIPTION = prefixed("""
CONSTRUCT {
  $resource ?p ?o . ?o ?bp ?bo . ?o rdfs:label ?olabel .
  ?s ?ip $resource . ?s rdfs:label ?slabel .
}
WHERE {
  { $resource ?p ?o
    OPTIONAL { ?o ?bp ?bo FILTER(isBlank(?o)) }
    OPTIONAL { ?o rdfs:label ?olabel FILTER(isIRI(?o)) } }
  UNION
  { ?s ?ip $resource OPTIONAL { ?s rdfs:label ?slabel } }
}
""")
"""A resource's description: its own triples (with blank nodes it points to, e.g. its
geometry), its incoming links (e.g. an authority's partnerships) and the labels of both ends."""


# ---------------------------------------------------------------------------------------------
# The browsing pages (:mod:`graph.views.authority_pages` and its siblings).

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
unit is when it takes part itself (MINUS, not a path through owl:sameAs, which the engine
evaluates far more slowly on the default graph)."""

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
# The register pages (:mod:`graph.views.register_pages`).

UNIT_MEMBERS = prefixed("""
SELECT ?unit (SAMPLE(?anyName) AS ?name) (MAX(?anyPopulation) AS ?population)
       (SAMPLE(?anyLat) AS ?lat) (SAMPLE(?anyLong) AS ?long)
       (GROUP_CONCAT(DISTINCT STR(?kind); separator=" ") AS ?kinds)
       (COUNT(DISTINCT ?partnership) AS ?partnerships)
WHERE {
  ?unit tkg:partOf $resource .
  OPTIONAL { ?unit rdfs:label ?anyName }
  OPTIONAL { ?unit tkg:population ?anyPopulation }
  OPTIONAL { ?unit wgs:lat ?anyLat ; wgs:long ?anyLong }
  OPTIONAL { ?unit tkg:unitKind ?kind }
  OPTIONAL { ?partnership tkg:participant/owl:sameAs? ?unit }
}
GROUP BY ?unit
ORDER BY DESC(?partnerships) ?name
""")
"""The units that are part of the resource (a powiat's gminas, a kraj's okresy), one row each
(a unit with two names, as a register and a list give them, is one unit), with their kinds,
population and how many partnerships each has (also those naming it by an IRI that is
``owl:sameAs`` it, as the curated data's name-based IRIs are)."""

UNIT_MEMBER_LINES = prefixed("""
SELECT ?partnership ?a ?aName ?aCountry ?aLat ?aLong ?b ?bName ?bCountry ?bLat ?bLong WHERE {
  ?a tkg:partOf+ $resource ; wgs:lat ?aLat ; wgs:long ?aLong .
  ?partnership tkg:participant/owl:sameAs? ?a ; tkg:participant ?b .
  FILTER(?a != ?b)
  FILTER NOT EXISTS { ?b owl:sameAs ?a }
  ?b wgs:lat ?bLat ; wgs:long ?bLong .
  OPTIONAL { ?a rdfs:label ?aName } OPTIONAL { ?a tkg:countryCode ?aCountry }
  OPTIONAL { ?b rdfs:label ?bName } OPTIONAL { ?b tkg:countryCode ?bCountry }
}
LIMIT 800
""")
"""The partnerships of the units within the resource, at any depth, for the map."""

REGISTER_REGIONS = prefixed("""
SELECT ?region (COUNT(?unit) AS ?municipalities) (SUM(?foreign) AS ?withForeignPartner)
       (SUM(?people) AS ?population) (SUM(?count) AS ?partnerships)
       (COUNT(?lat) AS ?located) (SUM(?lat) AS ?latSum) (SUM(?long) AS ?longSum)
WHERE {
  {
    SELECT ?unit ?region (MAX(?anyPopulation) AS ?population) (MAX(?anyLat) AS ?lat)
           (MAX(?anyLong) AS ?long)
    WHERE {
      ?unit a tkg:Municipality ; tkg:countryCode $country ; tkg:partOf/tkg:partOf ?region .
      ?region a tkg:Region .
      OPTIONAL { ?unit tkg:population ?anyPopulation }
      OPTIONAL { ?unit wgs:lat ?anyLat ; wgs:long ?anyLong }
    }
    GROUP BY ?unit ?region
  }
  OPTIONAL {
    SELECT ?unit (COUNT(DISTINCT ?partnership) AS ?partnerships)
           (COUNT(DISTINCT ?abroad) AS ?foreignPartnerships)
    WHERE {
      ?unit a tkg:Municipality ; tkg:countryCode $country .
      ?named owl:sameAs? ?unit .
      ?partnership tkg:participant ?named, ?partner .
      FILTER(?partner != ?named)
      OPTIONAL { ?partner tkg:countryCode ?partnerCountry }
      BIND(IF(BOUND(?partnerCountry) && ?partnerCountry != $country, ?partnership, ?none)
           AS ?abroad)
    }
    GROUP BY ?unit
  }
  BIND(COALESCE(?population, 0) AS ?people)
  BIND(COALESCE(?partnerships, 0) AS ?count)
  BIND(IF(COALESCE(?foreignPartnerships, 0) > 0, 1, 0) AS ?foreign)
}
GROUP BY ?region
""")
"""Each region of the country's register (voivodeship, kraj) summed over its municipalities
(gmina in powiat in voivodeship, obec in okres in kraj): how many, how many have a partner in
another country, population, partnerships (also under an IRI ``owl:sameAs`` the unit) and the
sums of their points. Each unit counts once however many graphs state it; the engine sums, as
a row per unit (2,477 gminas) cost more to serialize and read than to compute."""


# ---------------------------------------------------------------------------------------------
# The NUTS region pages (:mod:`graph.views.nuts_pages`): ``$resource`` is the region's IRI; it
# holds the units whose NUTS 3 region is it or lies below it (``skos:broader*``).

NUTS_NARROWER = prefixed("""
SELECT ?region ?code WHERE {
  ?region skos:broader $resource ; skos:notation ?code .
}
ORDER BY ?code
""")
"""The regions one level below the region, with their codes."""

NUTS_UNITS = prefixed("""
SELECT DISTINCT ?unit ?nuts ?level ?country ?population ?lat ?long ?kind
       ?partnerships ?foreignPartnerships
WHERE {
  ?nuts skos:broader* $resource .
  ?unit tkg:nutsRegion ?nuts ; a ?level .
  FILTER(?level IN (tkg:Municipality, tkg:County, tkg:Region))
  OPTIONAL { ?unit tkg:countryCode ?country }
  OPTIONAL { ?unit tkg:population ?population }
  OPTIONAL { ?unit wgs:lat ?lat ; wgs:long ?long }
  OPTIONAL { ?unit tkg:unitKind ?kind }
  OPTIONAL {
    SELECT ?unit (COUNT(DISTINCT ?partnership) AS ?partnerships)
           (COUNT(DISTINCT ?foreign) AS ?foreignPartnerships)
    WHERE {
      ?within skos:broader* $resource .
      ?unit tkg:nutsRegion ?within ; tkg:countryCode ?home .
      ?named owl:sameAs? ?unit .
      ?partnership tkg:participant ?named, ?partner .
      FILTER(?partner != ?named)
      OPTIONAL { ?partner tkg:countryCode ?partnerCountry }
      BIND(IF(BOUND(?partnerCountry) && ?partnerCountry != ?home, ?partnership, ?none)
           AS ?foreign)
    }
    GROUP BY ?unit
  }
}
""")
"""The register units in the region (municipalities, and the Czech okresy and kraje a register
places in a NUTS 3 region) with NUTS 3 region, class, country, population, point, kinds (a row
each) and partnerships, foreign ones among them, counted as :data:`REGISTER_REGIONS` does."""

NUTS_UNIT_NAMES = prefixed("""
SELECT ?unit ?name ?preferred WHERE {
  ?nuts skos:broader* $resource .
  ?unit tkg:nutsRegion ?nuts .
  { ?unit skos:prefLabel ?name BIND(true AS ?preferred) }
  UNION { ?unit rdfs:label ?name BIND(false AS ?preferred) }
}
""")
"""The names of the units in the region, preferred or not (for
:func:`graph.views.labels.heading_label`), in one query however many units."""

NUTS_PARTNERSHIPS = prefixed("""
SELECT DISTINCT ?partnership ?start ?a ?aCountry ?aLat ?aLong ?b ?bName ?bCountry ?bLat ?bLong
WHERE {
  ?nuts skos:broader* $resource .
  ?a tkg:nutsRegion ?nuts .
  ?named owl:sameAs? ?a .
  ?partnership tkg:participant ?named, ?b .
  FILTER(?b != ?named && ?b != ?a)
  FILTER NOT EXISTS { ?b owl:sameAs ?a }
  OPTIONAL { ?partnership tkg:startDate ?start }
  OPTIONAL { ?a tkg:countryCode ?aCountry }
  OPTIONAL { ?a wgs:lat ?aLat ; wgs:long ?aLong }
  OPTIONAL { ?b rdfs:label ?bName }
  OPTIONAL { ?b tkg:countryCode ?bCountry }
  OPTIONAL { ?b wgs:lat ?bLat ; wgs:long ?bLong }
}
ORDER BY ?partnership ?a ?b
LIMIT 5000
""")
"""The partnerships of the units in the region, with the partner's name, country and point."""

AUTHORITY_NUTS = prefixed("""
SELECT DISTINCT ?nuts WHERE {
  { $resource tkg:nutsRegion ?nuts }
  UNION { ?unit tkg:partOf+ $resource . ?unit tkg:nutsRegion ?nuts }
}
""")
"""The NUTS 3 regions of the authority or the units within it; the page names the smallest
region holding them all, their codes' longest common prefix (``skos:broader*`` here took 2.5 s
for a voivodeship)."""


# ---------------------------------------------------------------------------------------------
# The search index (:mod:`graph.views.search`).

INDEX_NAMES = prefixed("""
SELECT ?resource ?name ?alternative ?country ?population ?level WHERE {
  { ?resource rdfs:label|skos:prefLabel ?name }
  UNION { ?resource skos:altLabel ?name BIND(true AS ?alternative) }
  FILTER(isIRI(?resource) && isLiteral(?name))
  OPTIONAL { ?resource tkg:countryCode ?country }
  OPTIONAL { ?resource tkg:population ?population }
  OPTIONAL { ?resource a ?level . FILTER(?level IN (tkg:County, tkg:Region)) }
}
""")
"""Every named resource with its names (any language; ``?alternative`` for a name that is
never its label), country code and population, and whether it is a county or region: a city
with powiat rights is a gmina and a powiat of one name and population ("Warszawa"), and the
gmina, which its partnerships name, ranks first."""

INDEX_CODES = prefixed("""
SELECT ?resource ?code WHERE {
  ?resource tkg:teryt|tkg:czechMunicipalityCode|tkg:czechDistrictCode|tkg:lau|skos:notation
    ?code .
  FILTER(isIRI(?resource))
}
""")
"""The official codes a resource can be found by."""


# ---------------------------------------------------------------------------------------------
# The sitemap (:mod:`graph.views.sitemap`).

MINTED_RESOURCES = prefixed("""
SELECT DISTINCT ?s WHERE {
  GRAPH ?g { ?s a ?type }
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), $prefix))
}
ORDER BY STR(?s)
""")
"""Every typed resource whose IRI starts with ``$prefix`` (the data namespace, ``<base>id/``),
sorted: the pages a crawler should find. Asked for a page of rows at a time."""
