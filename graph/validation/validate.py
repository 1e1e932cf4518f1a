"""Validate RDF against the project's SHACL shapes with pyshacl, and say what is wrong.

Why a wrapper: pyshacl answers with a report graph; people and tests want a list of results
(focus node, path, severity, the named shape and its message), a Turtle report to publish and
a summary to print. The wrapper also adds what the shapes need besides the data: the ontology
(the class hierarchy, so that a tkg:Municipality is checked as a tkg:LocalAuthority) and the
SKOS vocabularies (so that "this theme belongs to the theme scheme" can be decided).

The build runs the same shapes compiled to SPARQL over its store
(:mod:`graph.validation.shacl_sparql`);
this module is the reference for single files, the CLI (``twinkg validate``) and the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node
from rdflib.util import guess_format

from graph.core.iris import rebase
from graph.core.namespaces import PERSISTENT_BASE, SH, TKG
from graph.core.settings import REPO_ROOT
from graph.vocab.vocabulary import ontology_graph, vocabulary_graph

SHAPES_DIR = REPO_ROOT / "shapes"
VIOLATION = str(SH.Violation)
WARNING = str(SH.Warning)


class DataFileError(ValueError):
    """A data file that cannot be read or parsed; the message names the file and the reason."""


@dataclass(frozen=True)
class ValidationResult:
    """One thing the shapes found: where (focus node, path), how bad, which shape, what to do."""

    focus: str
    path: str
    severity: str
    shape: str
    message: str
    value: str = ""

    @property
    def severity_name(self) -> str:
        """``Violation``, ``Warning`` or ``Info``."""
        return self.severity.rsplit("#", 1)[-1]

    def line(self) -> str:
        """The result as one line for people: severity, focus node, path, message."""
        path = f" {self.path}" if self.path else ""
        return f"{self.severity_name}: <{self.focus}>{path}: {self.message}"


@dataclass(frozen=True, eq=False)
class ValidationReport:
    """The outcome of a validation: ``conforms`` is false only when there is a violation."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    graph: Graph = field(repr=False)

    @property
    def violations(self) -> list[ValidationResult]:
        """The results of severity sh:Violation."""
        return [r for r in self.results if r.severity == VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        """The results of severity sh:Warning (recommendations)."""
        return [r for r in self.results if r.severity == WARNING]

    def turtle(self) -> str:
        """The sh:ValidationReport as Turtle."""
        return self.graph.serialize(format="turtle")

    def summary(self) -> str:
        """A few lines for people: whether the data conforms, then every result."""
        head = (f"Conforms: {'yes' if self.conforms else 'no'} ({len(self.violations)} "
                f"violations, {len(self.warnings)} warnings)")
        return "\n".join([head, *(r.line() for r in self.results)])


def shapes_files() -> list[Path]:
    """The shapes files: ``twinkg-shapes.ttl`` (violations), ``twinkg-recommendations.ttl``."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    g = Graph()
    for path in shapes_files():
        g.parse(path, format="turtle")
    return g


def shapes_graph() -> Graph:
    """Both shapes files in one graph (a copy)."""
    g = Graph()
    for triple in _shapes():
        g.add(triple)
    return g


_CONTEXT_PREDICATES = (SKOS.inScheme, TKG.schemeFor)


def _context_graph(base: str) -> Graph:
    """What the shapes need besides the data: which concept is in which scheme, and which
    property each scheme serves; rebased to ``base`` when it is not the default.

    Only these triples are added, not the whole vocabularies: the concepts themselves are
    checked where they are data (the curated graph), and leaving them out keeps pyshacl, which
    re-parses a SPARQL constraint for every focus node, from re-checking them on every call.
    """
    vocabularies = _vocabularies_for_context()
    g = Graph()

    def moved(term: Node) -> Node:
        if base == PERSISTENT_BASE or not isinstance(term, URIRef):
            return term
        return URIRef(rebase(str(term), base))

    for predicate in _CONTEXT_PREDICATES:
        for s, _, o in vocabularies.triples((None, predicate, None)):
            g.add((moved(s), predicate, moved(o)))
    return g


@lru_cache(maxsize=1)
def _vocabularies_for_context() -> Graph:
    return vocabulary_graph()


@lru_cache(maxsize=1)
def _ontology_for_context() -> Graph:
    return ontology_graph()


def _named_shape(shapes: Graph, shape: Node) -> Node:
    """The node shape a result came from: a property shape's blank node is mapped to the
    named shape that holds it, so results say ``tkgsh:PartnershipShape``."""
    if isinstance(shape, BNode):
        parent = next(iter(shapes.subjects(SH.property, shape)), None)
        if parent is not None:
            return parent
    return shape


def _results(report: Graph, shapes: Graph) -> tuple[ValidationResult, ...]:
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        def text(predicate: URIRef, node: Node = node) -> str:
            value = report.value(node, predicate)
            return "" if value is None else str(value)

        shape = report.value(node, SH.sourceShape)
        results.append(ValidationResult(
            focus=text(SH.focusNode), path=text(SH.resultPath), severity=text(SH.resultSeverity),
            shape=str(_named_shape(shapes, shape)) if shape is not None else "",
            message=text(SH.resultMessage), value=text(SH.value)))
    return tuple(sorted(results, key=lambda r: (r.severity != VIOLATION, r.focus, r.shape,
                                                r.path, r.message)))


def validate(data: Graph, shapes: Graph | None = None,
             base: str = PERSISTENT_BASE) -> ValidationReport:
    """Validate ``data`` (with the ontology and vocabularies added) against the shapes.

    ``shapes`` defaults to both project shapes files; ``base`` is the base IRI the data was
    built with, so that the vocabularies are rebased to match. Warnings do not make the data
    non-conforming. pyshacl's own errors (a broken shapes graph) propagate unchanged.

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
    """
    shapes = shapes if shapes is not None else _shapes()
    # pyshacl's ont_graph copies only OWL/RDFS axioms (the class hierarchy), not the SKOS
    # scheme membership the concept checks need, so that is added to a copy of the data.
    combined = _context_graph(base)
    for triple in data:
        combined.add(triple)
    _, report, _ = pyshacl.validate(
        combined, shacl_graph=shapes, ont_graph=_ontology_for_context(), inference="none",
        advanced=True, allow_warnings=True)
    if not isinstance(report, Graph):  # pyshacl returns text only when asked for it
        raise TypeError(f"pyshacl returned {type(report).__name__}, not a report graph")
    results = _results(report, shapes)
    conforms = not any(r.severity == VIOLATION for r in results)
    report.set((next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms,
                Literal(conforms)))
    return ValidationReport(conforms, results, report)


def read_data(paths: Iterable[Path]) -> Graph:
    """Parse data files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD, by extension) into
    one graph; named graphs are merged.

    Raises :class:`DataFileError` naming the file when one is missing or does not parse.
    """
    from rdflib import Dataset

    g = Graph()
    for path in paths:
        fmt = guess_format(str(path)) or "turtle"
        if not path.is_file():
            raise DataFileError(f"{path}: no such file")
        target: Graph = Dataset() if fmt in ("trig", "nquads", "trix") else Graph()
        try:
            # Parse from bytes: rdflib leaves its file handle open when a parser fails.
            target.parse(data=path.read_bytes(), format=fmt, publicID=path.resolve().as_uri())
        except Exception as error:  # rdflib raises a different type per parser
            raise DataFileError(f"{path}: cannot parse as {fmt}: {error}") from error
        if isinstance(target, Dataset):
            for s, p, o, _ in target.quads((None, None, None, None)):
                g.add((s, p, o))
        else:
            g += target
    return g


def validate_files(paths: Sequence[Path], base: str = PERSISTENT_BASE) -> ValidationReport:
    """Read the files (see :func:`read_data`) and validate them together."""
    return validate(read_data(paths), base=base)
