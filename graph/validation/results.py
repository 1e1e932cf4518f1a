"""What a validation found, whichever runner found it, and the one reader of pyshacl's report.

Why one type: the build (SPARQL runner over a store), the CLI and the tests (pyshacl over a
graph) all want the same list of results (focus node, path, severity, the named shape and its
message) and the same questions answered of it (does the data conform? which are violations?).
Both runners return a :class:`ValidationReport`, so callers never know which one ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from graph.core.namespaces import SH

VIOLATION = str(SH.Violation)
WARNING = str(SH.Warning)


@dataclass(frozen=True)
class ValidationResult:
    """One thing the shapes found: where (focus node, path), how bad, which shape, what to do.

    >>> r = ValidationResult("https://example.org/x", "https://example.org/p", VIOLATION,
    ...                      "https://example.org/XShape", "Needs a p.")
    >>> r.line()
    'Violation: <https://example.org/x> https://example.org/p: Needs a p.'
    """

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
    """The outcome of a validation run.

    ``omitted`` counts, by message, the warnings and infos a runner was asked not to list (a
    large build has hundreds of thousands); violations are never omitted. ``fallback_shapes``
    names the shapes the SPARQL runner could not compile and handed to pyshacl.

    >>> report = ValidationReport((ValidationResult("x", "", WARNING, "S", "Add a p."),))
    >>> report.conforms, len(report.warnings), report.violations
    (True, 1, [])
    """

    results: tuple[ValidationResult, ...] = ()
    omitted: dict[str, int] = field(default_factory=dict)
    fallback_shapes: tuple[str, ...] = ()

    @property
    def violations(self) -> list[ValidationResult]:
        """The results of severity sh:Violation (warnings and infos do not reject records)."""
        return [r for r in self.results if r.severity == VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        """The results of severity sh:Warning (recommendations)."""
        return [r for r in self.results if r.severity == WARNING]

    @property
    def conforms(self) -> bool:
        """Whether nothing of severity sh:Violation was found: warnings alone conform."""
        return not any(r.severity == VIOLATION for r in self.results)


def _named_shape(shapes: Graph, shape: Node) -> Node:
    """The node shape a result came from: a property shape's blank node is mapped to the
    named shape that holds it, so results say ``tkgsh:PartnershipShape`` (as the SPARQL runner
    does) and not a blank node label."""
    if isinstance(shape, BNode):
        parent = next(iter(shapes.subjects(SH.property, shape)), None)
        if parent is not None:
            return parent
    return shape


def results_from_report_graph(report: Graph, shapes: Graph) -> list[ValidationResult]:
    """Every sh:ValidationResult of a pyshacl report graph, its shape named (see above).

    ``shapes`` is the shapes graph the report was made with. The results come sorted,
    violations first, since pyshacl's order changes from run to run.
    """
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
    return sorted(results, key=lambda r: (r.severity != VIOLATION, r.focus, r.shape, r.path,
                                          r.message))
