"""VoID at /.well-known/void: every count equals the same figure computed from the store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, VOID

from tests.open_data_support import BASE, make_app, parse_rdf, publish_sample, sample_store

DATASET = URIRef(BASE + "catalog#dataset")


@pytest.fixture(params=[True, False], ids=["hook", "computed-on-request"])
def void(request: pytest.FixtureRequest, tmp_path: Path) -> Graph:
    """The served VoID of a build published with the open-data hook, and of one without it
    (the service then computes the description from the store)."""
    publish_sample(tmp_path, hook=request.param)
    response = make_app(tmp_path).test_client().get(
        "/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


def _int(g: Graph, node: URIRef, predicate: URIRef) -> int:
    value = g.value(node, predicate)
    assert isinstance(value, Literal), f"{node} has no {predicate}"
    return int(value)


def _triples() -> set[tuple[object, object, object]]:
    """The union of all graphs, each triple once, by Python rather than by SPARQL."""
    return {(q.subject, q.predicate, q.object) for q in sample_store()}


def test_dataset_counts_equal_store_counts(void: Graph) -> None:
    triples = _triples()
    assert _int(void, DATASET, VOID.triples) == len(triples) == 42  # 43 quads, one shared
    assert _int(void, DATASET, VOID.distinctSubjects) == len({s for s, _, _ in triples})
    assert _int(void, DATASET, VOID.distinctObjects) == len({o for _, _, o in triples})
    assert _int(void, DATASET, VOID.properties) == len({p for _, p, _ in triples})


def test_partitions_equal_store_counts(void: Graph) -> None:
    triples = _triples()
    rdf_type = sample_store().quads_for_pattern(None, None, None, None)
    by_property = Counter(p.value for _, p, _ in triples)  # type: ignore[attr-defined]
    assert by_property  # the store is not empty
    found = {}
    for node in void.objects(DATASET, VOID.propertyPartition):
        found[str(void.value(node, VOID.property))] = _int(void, node, VOID.triples)
    assert found == dict(by_property)

    instances: dict[str, set[object]] = {}
    for quad in rdf_type:
        if quad.predicate.value == str(RDF.type):
            instances.setdefault(quad.object.value, set()).add(quad.subject)
    found = {}
    for node in void.objects(DATASET, VOID.classPartition):
        found[str(void.value(node, VOID["class"]))] = _int(void, node, VOID.entities)
    assert found == {cls: len(members) for cls, members in instances.items()}


def test_named_graph_subsets_and_linksets(void: Graph) -> None:
    store = sample_store()
    per_graph = Counter(q.graph_name.value for q in store)  # type: ignore[union-attr]
    subsets = {str(n): _int(void, n, VOID.triples)
               for n in void.objects(DATASET, VOID.subset)
               if (n, RDF.type, VOID.Linkset) not in void}
    assert subsets == dict(per_graph)

    same_as = {(s, o) for s, p, o in _triples() if str(p.value) == str(OWL.sameAs)}
    expected = {
        "https://www.wikidata.org/": sum(o.value.startswith("http://www.wikidata.org/entity/")
                                         for _, o in same_as),
        "https://www.geonames.org/": sum(o.value.startswith("https://sws.geonames.org/")
                                         for _, o in same_as),
    }
    linksets = {str(void.value(n, VOID.objectsTarget)): _int(void, n, VOID.triples)
                for n in void.subjects(RDF.type, VOID.Linkset)}
    assert linksets == expected == {"https://www.wikidata.org/": 2,
                                    "https://www.geonames.org/": 2}
    for node in void.subjects(RDF.type, VOID.Linkset):
        assert void.value(node, VOID.linkPredicate) == OWL.sameAs
        assert void.value(node, VOID.subjectsTarget) == DATASET


def test_access_points_examples_and_vocabularies(void: Graph) -> None:
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(BASE + "sparql")
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    # The JSON-LD dump is the hook's; a build without it has the publish step's two.
    assert {BASE + f"downloads/twinkg.{ext}.gz" for ext in ("nq", "ttl")} <= dumps
    assert dumps <= {BASE + f"downloads/twinkg.{ext}.gz" for ext in ("nq", "ttl", "jsonld")}
    subjects = {s.value for s, _, _ in _triples()}  # type: ignore[attr-defined]
    examples = {str(e) for e in void.objects(DATASET, VOID.exampleResource)}
    assert examples and examples <= subjects
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert {"https://w3id.org/twinning-kg/def#", "http://www.w3.org/2002/07/owl#",
            "http://www.w3.org/2003/01/geo/wgs84_pos#"} <= vocabularies


def test_void_in_json_ld_is_the_same_graph(tmp_path: Path) -> None:
    publish_sample(tmp_path)
    client = make_app(tmp_path).test_client()
    turtle = client.get("/.well-known/void?format=ttl")
    jsonld = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert jsonld.mimetype == "application/ld+json"
    assert parse_rdf(turtle.data, "text/turtle").isomorphic(
        parse_rdf(jsonld.data, "application/ld+json"))
