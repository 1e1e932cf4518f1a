"""pyshacl as a runner: the reference validator, for single files, the CLI and the tests.

Why keep it beside the SPARQL runner: pyshacl implements all of SHACL, so it is what the
compiled queries are measured against, and it checks the few shapes the compiler cannot
translate. It works on rdflib graphs, so this module also turns pyoxigraph quads into rdflib
triples when a store's data must go through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyshacl
from pyoxigraph import BlankNode as OxBlankNode
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode as OxNamedNode
from pyoxigraph import Quad, Store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.validation.results import ValidationReport, ValidationResult, results_from_report_graph
from graph.validation.shapes import Shapes

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_term(term: Any) -> Node:
    """A pyoxigraph term as the equal rdflib term.

    >>> from pyoxigraph import Literal as L
    >>> rdflib_term(L("x")) == Literal("x"), rdflib_term(L("x", language="pl")).language
    (True, 'pl')
    """
    if isinstance(term, OxBlankNode):
        return BNode(term.value)
    if isinstance(term, OxLiteral):
        # xsd:string is a plain literal in RDF 1.1; rdflib keeps the two apart.
        plain = term.language or term.datatype.value == _XSD_STRING
        return Literal(term.value, lang=term.language,
                       datatype=None if plain else URIRef(term.datatype.value))
    return URIRef(term.value)


def rdflib_triple(quad: Quad) -> tuple[Node, Node, Node]:
    """A pyoxigraph quad as an rdflib triple (its graph name dropped)."""
    return rdflib_term(quad.subject), rdflib_term(quad.predicate), rdflib_term(quad.object)


def graph_of_quads(quads: Iterable[Quad]) -> Graph:
    """The quads as one rdflib graph, named graphs merged (a store: every graph's quads)."""
    graph = Graph()
    for quad in quads:
        graph.add(rdflib_triple(quad))
    return graph


def run_pyshacl(data: Graph, shapes: Shapes) -> ValidationReport:
    """pyshacl over ``data`` with the ontology's class hierarchy; warnings do not make the
    data non-conforming.

    ``data`` must already hold whatever else the shapes read (see
    :func:`graph.validation.shapes.context_graph`). pyshacl's own errors (a broken shapes
    graph) propagate unchanged; :class:`TypeError` if pyshacl answers without a report graph.
    """
    _, report, _ = pyshacl.validate(
        data, shacl_graph=shapes.graph, ont_graph=shapes.ontology, inference="none",
        advanced=True, allow_warnings=True)
    if not isinstance(report, Graph):  # pyshacl returns text only when asked for it
        raise TypeError(f"pyshacl returned {type(report).__name__}, not a report graph")
    return ValidationReport(tuple(results_from_report_graph(report, shapes.graph)))


def _node_name(term: object) -> str | None:
    """An IRI's or blank node's name; ``None`` for a literal or a quoted triple."""
    return term.value if isinstance(term, OxNamedNode | OxBlankNode) else None


def _neighbourhood(store: Store, focus: set[str]) -> Graph:
    """The focus nodes' triples and those of the nodes they point to (two hops)."""
    data = Graph()
    frontier = set(focus)
    for _ in range(2):
        following: set[str] = set()
        for quad in store.quads_for_pattern(None, None, None):
            if _node_name(quad.subject) in frontier:
                data.add(rdflib_triple(quad))
                name = _node_name(quad.object)
                if name is not None:
                    following.add(name)
        frontier = following - frontier
    return data


def run_pyshacl_on_focus(store: Store, shapes: Shapes, shape: Node,
                         focus: set[str]) -> list[ValidationResult]:
    """pyshacl for one shape the SPARQL compiler cannot translate, over its focus nodes'
    neighbourhood in the store; only that shape's results on those nodes are kept."""
    report = run_pyshacl(_neighbourhood(store, focus), shapes)
    return [r for r in report.results if r.focus in focus and r.shape == str(shape)]
