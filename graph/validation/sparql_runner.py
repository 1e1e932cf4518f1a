"""The compiled shapes run over a pyoxigraph store: the build's validation runner.

Why: the build's graph lives in a pyoxigraph store; running each shape's compiled queries
(:mod:`graph.validation.sparql_compiler`) there, in Rust, over the union of its named graphs,
checks the whole graph in one pass per constraint instead of one focus node at a time.
Results are read back into the same :class:`~graph.validation.results.ValidationReport` the
pyshacl runner returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Store
from rdflib import Graph, Literal
from rdflib.term import Node

from graph.core.namespaces import SH
from graph.query.solutions import store_solutions
from graph.validation.pyshacl_runner import run_pyshacl_on_focus
from graph.validation.results import VIOLATION, ValidationReport, ValidationResult
from graph.validation.shapes import Shapes, load_shapes
from graph.validation.sparql_compiler import Check, ShapeCompiler


def _value(term: Any) -> str:
    return "" if term is None else str(term.value)


def _message(shapes: Graph, check: Check, shape: Node, row: dict[str, str]) -> str:
    """The result message as pyshacl words it: the constraint's or the shape's sh:message
    (``{?var}`` filled in from the solution for SPARQL-based constraints only), else a
    generic sentence naming the component."""
    text = shapes.value(check.constraint, SH.message) or shapes.value(shape, SH.message)
    if text is None:
        return (f"{check.component} constraint of {shape} failed"
                + (f" on {check.path}" if check.path else ""))
    if check.component != "SPARQL":
        return str(text)
    return re.sub(r"\{[?$](\w+)\}", lambda m: row.get(m.group(1), m.group(0)), str(text))


@dataclass
class _Collector:
    """The results so far, with warnings and infos capped per message (violations never)."""

    max_warnings: int
    results: list[ValidationResult] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)

    def add(self, result: ValidationResult) -> None:
        if result.severity != VIOLATION:
            kept = self.kept.get(result.message, 0)
            if kept >= self.max_warnings:
                self.omitted[result.message] = self.omitted.get(result.message, 0) + 1
                return
            self.kept[result.message] = kept + 1
        self.results.append(result)


def _run_check(store: Store, shapes: Graph, shape: Node, check: Check, focus: set[str],
               collector: _Collector) -> None:
    """One check's query; each (focus node, value) it finds on a focus node is one result."""
    severity = str(shapes.value(check.constraint, SH.severity)
                   or shapes.value(shape, SH.severity) or SH.Violation)
    solutions = store_solutions(store, check.query, union=True)
    names = [v.value for v in solutions.variables]
    # Core constraints have a fixed message: build it once, not per result.
    fixed = None if check.component == "SPARQL" else _message(shapes, check, shape, {})
    shape_text = str(shape)
    seen: set[tuple[str, str]] = set()
    for solution in solutions:
        row = {name: _value(solution[i]) for i, name in enumerate(names)
               if solution[i] is not None}
        this, value = row.get("this", ""), row.get("value", "")
        if this not in focus or (this, value) in seen:
            continue
        seen.add((this, value))
        message = fixed if fixed is not None else _message(shapes, check, shape, row)
        collector.add(ValidationResult(this, row.get("path", check.path), severity, shape_text,
                                       message, value))


def run_sparql(store: Store, shapes: Shapes, max_warnings: int = 10**9) -> ValidationReport:
    """Every shape's constraints as SPARQL over the union of the store's graphs.

    The store must hold what the shapes read besides the data (the vocabularies' scheme
    membership). Violations are always all listed; warnings and infos (recommendations: "no
    start date" on every Wikipedia-derived partnership) stop at ``max_warnings`` per message
    and the rest is counted in :attr:`ValidationReport.omitted`, so a large build does not hold
    millions of them. A shape the compiler cannot translate goes to pyshacl over its focus
    nodes and is named in :attr:`ValidationReport.fallback_shapes`.
    """
    graph = shapes.graph
    compiler = ShapeCompiler(graph, shapes.ontology)
    collector = _Collector(max_warnings)
    fallback: list[str] = []
    for shape in compiler.node_shapes():
        target = compiler.target(shape)
        if (shape, SH.deactivated, Literal(True)) in graph or target is None:
            continue
        focus = {_value(s["this"]) for s in store_solutions(store, target, union=True)}
        if not focus:
            continue
        if not compiler.supported(shape):
            fallback.append(str(shape))
            for result in run_pyshacl_on_focus(store, shapes, shape, focus):
                collector.add(result)
            continue
        for check in compiler.checks(shape):
            _run_check(store, graph, shape, check, focus, collector)
    return ValidationReport(tuple(collector.results), collector.omitted, tuple(fallback))


def validate_store(store: Store, files: Sequence[Path] | None = None,
                   max_warnings: int = 10**9) -> ValidationReport:
    """:func:`run_sparql` with the shapes in ``files`` (default: the project's)."""
    return run_sparql(store, load_shapes(files), max_warnings)
