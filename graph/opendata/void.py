"""VoID: the statistics and access points Linked Data tools look for before they load a graph.

Every figure is computed with SPARQL over the published pyoxigraph store, so the description
can never drift from the data. The figures describe the dataset as one RDF graph, the merge of
all named graphs (a triple held by two sources counts once); each source's named graph is a
``void:subset`` with its own triple count, so provenance stays visible; a register's graph
(TERYT, Czech obce, LAU, NUTS) and the GeoNames graph also say what they hold and point at
their source's ``dcat:Dataset`` in the catalogue (``dct:source``). Linksets: ``owl:sameAs``
to GeoNames and Wikidata, and ``tkg:nutsRegion`` from register units to the EU Publications
Office's NUTS regions (listed when the graph has such links).

The description is an :class:`rdflib.Graph` (small: one node per class and property used) that
the service serialises in whatever format a client asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, VOID, XSD

from graph.core.iris import NUTS_BASE
from graph.core.namespaces import GEONAMES, PERSISTENT_DATA_BASE, PREFIXES, SD, TKG, WD
from graph.opendata.register_datasets import SOURCES
from graph.query.solutions import store_solutions

# Every triple of the store, default graph and named graphs alike, seen as one graph, each
# once although two sources may state it: a triple is taken from the first graph (by IRI) that
# holds it, and from the default graph only when no named graph does. An index look-up per
# quad instead of SELECT DISTINCT, whose set of every triple grows with the graph (the same
# counts in the same time, without that memory).
_ALL_TRIPLES = (
    "{ { GRAPH ?g { ?s ?p ?o } "
    "FILTER NOT EXISTS { GRAPH ?earlier { ?s ?p ?o } FILTER(STR(?earlier) < STR(?g)) } } "
    "UNION { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?named { ?s ?p ?o } } } }"
)

LINK_TARGETS: dict[str, tuple[str, str, str]] = {
    "geonames": (str(GEONAMES), "https://www.geonames.org/", "GeoNames"),
    "wikidata": (str(WD), "https://www.wikidata.org/", "Wikidata"),
}
"""Link targets: name -> (URI space of their entities, their dataset IRI, their title); the
links are ``owl:sameAs``. Their linksets are listed even when empty."""

OTHER_LINK_TARGETS: dict[str, tuple[str, str, str, str]] = {
    "nuts": (NUTS_BASE, "http://data.europa.eu/nuts", "NUTS (EU Publications Office)",
             str(TKG.nutsRegion)),
}
"""Link targets by another predicate: name -> (URI space, dataset IRI, title, predicate).
Their linksets are listed only when the graph has such links (a build without registers has
none)."""

EXAMPLE_CLASSES: tuple[str, ...] = (
    str(TKG.Municipality),
    str(TKG.Partnership),
    "http://www.w3.org/2004/02/skos/core#ConceptScheme",
)
"""Classes of which one instance (the first by IRI) is named as a ``void:exampleResource``."""


@dataclass(frozen=True)
class VoidStatistics:
    """What the store holds, as VoID counts it.

    ``classes`` maps a class IRI to its number of distinct instances, ``properties`` a property
    IRI to its number of distinct triples, ``graphs`` a named graph to its number of triples
    and ``linksets`` a target name of :data:`LINK_TARGETS` to its number of ``owl:sameAs``
    links.
    """

    triples: int
    distinct_subjects: int
    distinct_objects: int
    entities: int
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)
    linksets: dict[str, int] = field(default_factory=dict)
    examples: tuple[str, ...] = ()

    @property
    def vocabularies(self) -> list[str]:
        """Namespaces of the classes and properties used, known prefixes first then by IRI.

        >>> VoidStatistics(1, 1, 1, 1,
        ...     properties={"http://www.w3.org/2004/02/skos/core#prefLabel": 1},
        ...     classes={"https://w3id.org/twinning-kg/def#Partnership": 1}).vocabularies
        ['https://w3id.org/twinning-kg/def#', 'http://www.w3.org/2004/02/skos/core#']
        """
        used = {namespace_of(iri) for iri in [*self.classes, *self.properties]}
        known = [ns for ns in PREFIXES.values() if ns in used]
        return known + sorted(used - set(known))


def namespace_of(iri: str) -> str:
    """The namespace of a term: everything up to its last ``#`` or ``/``.

    >>> namespace_of("http://www.w3.org/ns/dcat#Dataset")
    'http://www.w3.org/ns/dcat#'
    >>> namespace_of("http://www.wikidata.org/prop/direct/P190")
    'http://www.wikidata.org/prop/direct/'
    """
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _row(store: ox.Store, query: str) -> dict[str, int]:
    """The integers of the one row an aggregate query returns (0 for an empty SUM)."""
    solutions = store_solutions(store, query)
    names = [variable.value for variable in solutions.variables]
    for solution in solutions:
        values = (solution[name] for name in names)
        return {name: int(v.value) if isinstance(v, ox.Literal) else 0
                for name, v in zip(names, values, strict=True)}
    return dict.fromkeys(names, 0)


def _counts(store: ox.Store, query: str) -> dict[str, int]:
    """``?key ?n`` rows of a grouped count query as a dict; blank-node keys are skipped."""
    result: dict[str, int] = {}
    for solution in store_solutions(store, query):
        key, value = solution["key"], solution["n"]
        if isinstance(key, ox.NamedNode) and isinstance(value, ox.Literal):
            result[key.value] = int(value.value)
    return result


def void_statistics(store: ox.Store) -> VoidStatistics:
    """Count what VoID describes, with one SPARQL query per figure.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode(str(OWL.sameAs)),
    ...     ox.NamedNode("http://www.wikidata.org/entity/Q1"), ox.NamedNode("http://e/g")))
    >>> stats = void_statistics(store)
    >>> stats.triples, stats.linksets["wikidata"], stats.graphs
    (1, 1, {'http://e/g': 1})

    A triple that several graphs (or a graph and the default graph) hold counts once:

    >>> for graph in (ox.NamedNode("http://e/h"), ox.DefaultGraph()):
    ...     store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode(str(OWL.sameAs)),
    ...         ox.NamedNode("http://www.wikidata.org/entity/Q1"), graph))
    >>> stats = void_statistics(store)
    >>> stats.triples, stats.linksets["wikidata"], stats.properties
    (1, 1, {'http://www.w3.org/2002/07/owl#sameAs': 1})
    """
    classes = _counts(store, _over_all(
        "?key (COUNT(DISTINCT ?s) AS ?n)", f"FILTER(?p = <{RDF.type}>) BIND(?o AS ?key)",
        "GROUP BY ?key"))
    properties = _counts(store, _over_all("?key (COUNT(*) AS ?n)", "BIND(?p AS ?key)",
                                          "GROUP BY ?key"))
    graphs = _counts(
        store, "SELECT ?key (COUNT(*) AS ?n) WHERE { GRAPH ?key { ?s ?p ?o } } GROUP BY ?key"
    )
    totals = _totals(store)
    linksets = {name: totals[f"link_{name}"] for name in LINK_TARGETS}
    linksets.update({name: totals[f"link_{name}"] for name in OTHER_LINK_TARGETS
                     if totals[f"link_{name}"]})
    return VoidStatistics(
        triples=totals["triples"],
        distinct_subjects=totals["subjects"],
        distinct_objects=totals["objects"],
        entities=totals["entities"],
        classes=classes,
        properties=properties,
        graphs=graphs,
        linksets=linksets,
        examples=tuple(_examples(store, EXAMPLE_CLASSES)),
    )


def _over_all(select: str, where: str = "", group: str = "") -> str:
    """A SELECT over every triple of the store seen as one graph (:data:`_ALL_TRIPLES`)."""
    return f"SELECT {select} WHERE {{ {_ALL_TRIPLES} {where} }} {group}"


def _totals(store: ox.Store) -> dict[str, int]:
    """The scalar figures and the link counts of every link target, in one pass over the
    union (each extra pass costs seconds on the full build): an unbound ``?entity`` or a 0
    leaves a triple out of a count or a sum."""
    predicates = {name: (space, str(OWL.sameAs)) for name, (space, _, _) in LINK_TARGETS.items()}
    predicates.update({name: (space, predicate)
                       for name, (space, _, _, predicate) in OTHER_LINK_TARGETS.items()})
    link_sums = " ".join(
        f'(SUM(IF(?p = <{predicate}> && isIRI(?o) && STRSTARTS(STR(?o), "{space}"), 1, 0))'
        f" AS ?link_{name})"
        for name, (space, predicate) in predicates.items()
    )
    return _row(store, _over_all(
        "(COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
        f"(COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT ?entity) AS ?entities) {link_sums}",
        f"BIND(IF(?p = <{RDF.type}> && isIRI(?s), ?s, ?unbound) AS ?entity)",
    ))


def _examples(store: ox.Store, classes: Iterable[str]) -> Iterable[str]:
    """The first instance (by IRI) of each class that has one."""
    for cls in classes:
        solutions = store_solutions(
            store,
            f"SELECT ?s WHERE {{ {{ ?s a <{cls}> }} UNION {{ GRAPH ?g {{ ?s a <{cls}> }} }}"
            " FILTER(isIRI(?s)) } ORDER BY STR(?s) LIMIT 1",
        )
        for solution in solutions:
            node = solution["s"]
            if isinstance(node, ox.NamedNode):
                yield node.value


@dataclass(frozen=True)
class VoidLinks:
    """Where the VoID description points: the described dataset and its access points."""

    dataset: str
    document: str
    sparql_endpoint: str
    data_dumps: Sequence[str] = ()
    homepage: str | None = None


def void_graph(stats: VoidStatistics, links: VoidLinks, *, title: str = "Twinning KG") -> Graph:
    """The VoID description of the dataset as an rdflib graph.

    Partition, subset and linkset nodes get hash IRIs below the VoID document so that they
    are addressable and the output is stable between runs (no blank-node relabelling).
    """
    g = Graph()
    g.bind("void", VOID)
    g.bind("sd", SD)
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    dataset = URIRef(links.dataset)
    document = URIRef(links.document)
    g.add((document, RDF.type, VOID.DatasetDescription))
    g.add((document, FOAF.primaryTopic, dataset))
    g.add((document, DCTERMS.title, Literal(f"VoID description of {title}", lang="en")))

    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal(title, lang="en")))
    if links.homepage:
        g.add((dataset, FOAF.homepage, URIRef(links.homepage)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(links.sparql_endpoint)))
    for dump in links.data_dumps:
        g.add((dataset, VOID.dataDump, URIRef(dump)))
    for example in stats.examples:
        g.add((dataset, VOID.exampleResource, URIRef(example)))
    for vocabulary in stats.vocabularies:
        g.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    g.add((dataset, VOID.uriSpace, Literal(_uri_space(stats))))
    _count(g, dataset, VOID.triples, stats.triples)
    _count(g, dataset, VOID.distinctSubjects, stats.distinct_subjects)
    _count(g, dataset, VOID.distinctObjects, stats.distinct_objects)
    _count(g, dataset, VOID.entities, stats.entities)
    _count(g, dataset, VOID.classes, len(stats.classes))
    _count(g, dataset, VOID.properties, len(stats.properties))

    _partitions(g, dataset, stats, links.document)
    _source_subsets(g, dataset, stats, links.dataset)
    for name, link_count in sorted(stats.linksets.items()):
        _linkset(g, dataset, name, link_count, links.document)
    return g


def _partitions(g: Graph, dataset: URIRef, stats: VoidStatistics, document: str) -> None:
    """A class partition per class (its entities) and a property partition per property
    (its triples), numbered in IRI order below the VoID document."""
    for index, (cls, entities) in enumerate(sorted(stats.classes.items())):
        node = URIRef(f"{document}#class-{index}")
        g.add((dataset, VOID.classPartition, node))
        g.add((node, VOID["class"], URIRef(cls)))
        _count(g, node, VOID.entities, entities)
    for index, (prop, triples) in enumerate(sorted(stats.properties.items())):
        node = URIRef(f"{document}#property-{index}")
        g.add((dataset, VOID.propertyPartition, node))
        g.add((node, VOID.property, URIRef(prop)))
        _count(g, node, VOID.triples, triples)


def _source_subsets(g: Graph, dataset: URIRef, stats: VoidStatistics,
                    dataset_iri: str) -> None:
    """Each source's named graph as a subset with its triple count; a register's or GeoNames'
    graph is titled and cites its source's ``dcat:Dataset`` in the catalogue."""
    for graph_name, triples in sorted(stats.graphs.items()):
        node = URIRef(graph_name)
        g.add((dataset, VOID.subset, node))
        g.add((node, RDF.type, VOID.Dataset))
        g.add((node, SD.name, node))
        _count(g, node, VOID.triples, triples)
        source = SOURCES.get(graph_name.rstrip("/").rsplit("/", 1)[-1])
        if source is not None and "/graph/" in graph_name:
            title = source.graph_title or source.title
            g.add((node, DCTERMS.title, Literal(title, lang="en")))
            g.add((node, DCTERMS.source, URIRef(
                f"{dataset_iri.split('#', 1)[0]}#source-{source.kind}")))


def _linkset(g: Graph, dataset: URIRef, name: str, link_count: int, document: str) -> None:
    """The links to one target dataset (:data:`LINK_TARGETS`, :data:`OTHER_LINK_TARGETS`) as a
    ``void:Linkset``, and the target described as a dataset of its own."""
    if name in LINK_TARGETS:
        uri_space, target_iri, target_title = LINK_TARGETS[name]
        predicate = OWL.sameAs
    else:
        uri_space, target_iri, target_title, link_predicate = OTHER_LINK_TARGETS[name]
        predicate = URIRef(link_predicate)
    target = URIRef(target_iri)
    node = URIRef(f"{document}#linkset-{name}")
    g.add((dataset, VOID.subset, node))
    g.add((node, RDF.type, VOID.Linkset))
    g.add((node, VOID.subjectsTarget, dataset))
    g.add((node, VOID.objectsTarget, target))
    g.add((node, VOID.linkPredicate, predicate))
    _count(g, node, VOID.triples, link_count)
    g.add((target, RDF.type, VOID.Dataset))
    g.add((target, DCTERMS.title, Literal(target_title, lang="en")))
    g.add((target, FOAF.homepage, target))
    g.add((target, VOID.uriSpace, Literal(uri_space)))


def _count(g: Graph, node: URIRef, predicate: URIRef, value: int) -> None:
    g.add((node, predicate, Literal(value, datatype=XSD.integer)))


def _uri_space(stats: VoidStatistics) -> str:
    """The data namespace of the described IRIs, read off the example resources.

    Falls back to the persistent data namespace when the store has no example (empty store).
    """
    for example in stats.examples:
        marker = example.find("/id/")
        if marker != -1:
            return example[: marker + len("/id/")]
    return PERSISTENT_DATA_BASE
