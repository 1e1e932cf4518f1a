"""The one loader of the SHACL shapes, and of what they need besides the data.

Why one place: both runners read the same shapes files with the ontology's class hierarchy
(a ``tkg:Municipality`` is checked as a ``tkg:LocalAuthority``), and both need the SKOS
scheme membership that "this theme belongs to the theme scheme" is decided on. Loading them
twice, in two ways, is how the runners could come to disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph.core.iris import rebase
from graph.core.namespaces import PERSISTENT_BASE, TKG
from graph.core.resources import shapes_dir
from graph.vocab.vocabulary import ontology_graph, turtle_graph, vocabulary_graph

SHAPES_DIR = shapes_dir()


@dataclass(frozen=True, eq=False)
class Shapes:
    """A shapes graph and the ontology whose class hierarchy its targets and sh:class use.

    Treat both graphs as read-only: the project's shapes are loaded once per process and
    shared by every validation.
    """

    graph: Graph
    ontology: Graph


def shapes_files() -> list[Path]:
    """The project's shapes files: ``twinkg-shapes.ttl`` (violations) and
    ``twinkg-recommendations.ttl`` (warnings)."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return ontology_graph()


@lru_cache(maxsize=1)
def _project_shapes() -> Shapes:
    return Shapes(turtle_graph(shapes_files()), _ontology())


def load_shapes(files: Sequence[Path] | None = None) -> Shapes:
    """The shapes in ``files`` (default: the project's, parsed once per process) with the
    ontology.

    Raises :class:`FileNotFoundError` when a file or the ontology is missing.
    """
    if files is None:
        return _project_shapes()
    return Shapes(turtle_graph(files), _ontology())


def shapes_graph() -> Graph:
    """The project's shapes files in one graph (a copy the caller may change)."""
    graph = Graph()
    for triple in _project_shapes().graph:
        graph.add(triple)
    return graph


_CONTEXT_PREDICATES = (SKOS.inScheme, TKG.schemeFor)


@lru_cache(maxsize=1)
def _vocabularies() -> Graph:
    return vocabulary_graph()


def context_graph(base: str = PERSISTENT_BASE) -> Graph:
    """What the shapes need besides the data: which concept is in which scheme, and which
    property each scheme serves; rebased to ``base`` when it is not the default. A new graph
    the caller may add the data to.

    Only these triples are added, not the whole vocabularies: the concepts themselves are
    checked where they are data (the curated graph), and leaving them out keeps pyshacl, which
    re-parses a SPARQL constraint for every focus node, from re-checking them on every call.
    """
    graph = Graph()

    def moved(term: Node) -> Node:
        if base == PERSISTENT_BASE or not isinstance(term, URIRef):
            return term
        return URIRef(rebase(str(term), base))

    for predicate in _CONTEXT_PREDICATES:
        for s, _, o in _vocabularies().triples((None, predicate, None)):
            graph.add((moved(s), predicate, moved(o)))
    return graph
