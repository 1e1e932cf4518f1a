"""VoID of a graph built with the registers: each register's graph is a subset pointing at the
register's dataset in the catalogue, and the units' NUTS links form a linkset."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID

from graph.core.namespaces import TKG
from graph.opendata.catalog import CatalogSettings, catalog_for_store
from graph.opendata.documents import void_links
from graph.opendata.void import void_graph, void_statistics
from tests.open_data_support import BASE, DATA, SAMPLE

DATASET = URIRef(BASE + "catalog#dataset")
NUTS = "http://data.europa.eu/nuts/code/"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(path=str(SAMPLE), format=ox.RdfFormat.TRIG)
    store.load(path=str(DATA / "registers.trig"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def void(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    dumps: Path = tmp_path_factory.mktemp("dumps")
    return void_graph(void_statistics(store), void_links(CatalogSettings(BASE), dumps))


def _int(g: Graph, node: URIRef, predicate: URIRef) -> int:
    value = g.value(node, predicate)
    assert isinstance(value, Literal), f"{node} has no {predicate}"
    return int(value)


def test_register_graphs_are_subsets_citing_the_catalogue(
    void: Graph, store: ox.Store, tmp_path: Path
) -> None:
    per_graph = Counter(q.graph_name.value for q in store)  # type: ignore[union-attr]
    catalogue = catalog_for_store(store, tmp_path, CatalogSettings(BASE),
                                  modified=datetime(2026, 1, 1, tzinfo=UTC))
    for kind in ("teryt", "cz-obce", "nuts"):
        subset = URIRef(f"{BASE}id/graph/{kind}")
        assert (DATASET, VOID.subset, subset) in void
        assert _int(void, subset, VOID.triples) == per_graph[str(subset)]
        source = void.value(subset, DCTERMS.source)
        assert source == URIRef(f"{BASE}catalog#source-{kind}")
        assert (source, RDF.type, DCAT.Dataset) in catalogue
        assert void.value(subset, DCTERMS.title) is not None
    # Graphs that are no register cite none.
    assert void.value(URIRef(f"{BASE}id/graph/wikipedia"), DCTERMS.source) is None


def test_nuts_links_are_a_linkset(void: Graph, store: ox.Store) -> None:
    links = [q for q in store.quads_for_pattern(None, ox.NamedNode(str(TKG.nutsRegion)), None)
             if q.object.value.startswith(NUTS)]
    assert len(links) == 3
    linkset = URIRef(BASE + ".well-known/void#linkset-nuts")
    assert (DATASET, VOID.subset, linkset) in void
    assert (linkset, RDF.type, VOID.Linkset) in void
    assert void.value(linkset, VOID.linkPredicate) == URIRef(str(TKG.nutsRegion))
    assert void.value(linkset, VOID.objectsTarget) == URIRef("http://data.europa.eu/nuts")
    assert _int(void, linkset, VOID.triples) == len(links)
    # The sameAs linksets are still counted apart (Prague's Wikidata link is one more).
    wikidata = URIRef(BASE + ".well-known/void#linkset-wikidata")
    assert void.value(wikidata, VOID.linkPredicate) == OWL.sameAs
    assert _int(void, wikidata, VOID.triples) == 3
