"""An OWL RL closure (owlrl) of the ontology and the curated data is consistent, and the
Wikidata-equivalent shortcut tkg:twinnedWith is symmetric under it."""

from __future__ import annotations

from pathlib import Path

import owlrl
from owlrl.Namespaces import ERRNS
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from graph.core.namespaces import TKG, WDT
from graph.vocab.vocabulary import curated_graph, ontology_graph

ERROR = ERRNS.ErrorMessage  # how owlrl records an inconsistency it found
DATA = Path(__file__).parent / "data"


def _closure(data: Graph) -> Graph:
    g = ontology_graph()
    g += data
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def _inconsistencies(g: Graph) -> list[object]:
    return [*g.subjects(RDF.type, OWL.Nothing), *g.subjects(RDF.type, ERROR)]


def test_closure_of_ontology_and_curated_data_is_consistent() -> None:
    closed = _closure(curated_graph())
    assert _inconsistencies(closed) == []
    swarzedz = URIRef("https://w3id.org/twinning-kg/id/authority/pl/swarzędz")
    assert (swarzedz, RDF.type, TKG.LocalAuthority) in closed


def test_closure_of_the_valid_fixtures_is_consistent() -> None:
    data = Graph()
    for path in sorted((DATA / "valid").glob("*.ttl")):
        data.parse(path, format="turtle")
    assert _inconsistencies(_closure(data)) == []


def test_twinned_with_is_symmetric_and_readable_as_p190() -> None:
    a, b = URIRef("https://example.org/a"), URIRef("https://example.org/b")
    data = Graph()
    data.add((a, TKG.twinnedWith, b))
    closed = _closure(data)
    assert (b, TKG.twinnedWith, a) in closed
    assert (a, WDT.P190, b) in closed and (b, WDT.P190, a) in closed


def test_a_contradiction_is_detected() -> None:
    """The check above can fail: one authority typed at two disjoint levels is inconsistent."""
    a = URIRef("https://example.org/a")
    data = Graph()
    data.add((a, RDF.type, TKG.Municipality))
    data.add((a, RDF.type, TKG.Region))
    assert _inconsistencies(_closure(data)) != []
