"""The one writer of validation reports: an sh:ValidationReport in Turtle, and text for people.

Why here and once: the build publishes ``reports/validation.ttl`` and ``validation.txt``, and
``twinkg validate`` prints results and writes the same Turtle on request; whichever runner
found the results, they are written the same way. A large build has hundreds of thousands of
warnings (recommendations), so the Turtle is streamed through pyoxigraph's serializer and the
published text groups results by message with a few examples each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, serialize
from rdflib.namespace import RDF

from graph.core.namespaces import SH
from graph.validation.results import ValidationReport, ValidationResult

_XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_PREFIXES = {"sh": str(SH), "rdf": str(RDF)}
EXAMPLES_PER_MESSAGE = 5
"""Focus nodes listed under each warning message in validation.txt (violations: all)."""


def _sh(name: str) -> NamedNode:
    return NamedNode(str(SH[name]))


def _node(value: str) -> NamedNode | BlankNode:
    return NamedNode(value) if "://" in value or value.startswith("urn:") else BlankNode()


def report_triples(report: ValidationReport) -> Iterator[Triple]:
    """The report as sh:ValidationReport triples: each result's focus node, severity, shape,
    message and (when it is an IRI) path.

    A generator: a large build's report has millions of triples, which a list would hold.
    """
    a = NamedNode(str(RDF.type))
    root = BlankNode("report")
    yield Triple(root, a, _sh("ValidationReport"))
    yield Triple(root, _sh("conforms"),
                 Literal("true" if report.conforms else "false", datatype=_XSD_BOOLEAN))
    severities: dict[str, NamedNode] = {}
    for result in report.results:
        node = BlankNode()
        yield Triple(root, _sh("result"), node)
        yield Triple(node, a, _sh("ValidationResult"))
        yield Triple(node, _sh("focusNode"), _node(result.focus))
        yield Triple(node, _sh("resultSeverity"),
                     severities.setdefault(result.severity, NamedNode(result.severity)))
        yield Triple(node, _sh("sourceShape"), _node(result.shape))
        yield Triple(node, _sh("resultMessage"), Literal(result.message))
        if result.path.startswith(("http://", "https://")):
            yield Triple(node, _sh("resultPath"), NamedNode(result.path))


def write_turtle(report: ValidationReport, path: Path) -> None:
    """The report as Turtle in ``path`` (see :func:`report_triples`)."""
    serialize(report_triples(report), str(path), RdfFormat.TURTLE, prefixes=_PREFIXES)


def listing(report: ValidationReport) -> str:
    """Whether the data conforms, then every result on a line (what ``twinkg validate``
    prints).

    >>> from graph.validation.results import VIOLATION
    >>> print(listing(ValidationReport((ValidationResult("https://example.org/x", "",
    ...                                 VIOLATION, "S", "Needs a p."),))))
    Conforms: no (1 violations, 0 warnings)
    Violation: <https://example.org/x>: Needs a p.
    """
    head = (f"Conforms: {'yes' if report.conforms else 'no'} ({len(report.violations)} "
            f"violations, {len(report.warnings)} warnings)")
    return "\n".join([head, *(r.line() for r in report.results)])


def digest(report: ValidationReport) -> str:
    """The results grouped by severity and message, most frequent first, with every
    violation's focus node and path and a few examples of each warning (validation.txt)."""
    groups: dict[tuple[str, str], list[ValidationResult]] = {}
    for result in report.results:
        groups.setdefault((result.severity_name, result.message), []).append(result)
    omitted = sum(report.omitted.values())
    lines = [f"Conforms: {report.conforms}  ({len(report.violations)} violations, "
             f"{len(report.results) - len(report.violations) + omitted} warnings or infos"
             + (f", of which {omitted} counted but not listed" if omitted else "") + ")", ""]
    for (severity, message), results in sorted(groups.items(), key=lambda g: -len(g[1])):
        lines.append(f"{severity} x {len(results) + report.omitted.get(message, 0)}: {message}")
        shown = results if severity == "Violation" else results[:EXAMPLES_PER_MESSAGE]
        lines += [f"    {r.focus} {r.path}" for r in shown]
        more = len(results) - len(shown) + report.omitted.get(message, 0)
        if more:
            lines.append(f"    ... and {more} more (validation.ttl lists up to the cap)")
    return "\n".join(lines) + "\n"


def write_reports(report: ValidationReport, folder: Path) -> None:
    """``validation.ttl`` (the sh:ValidationReport) and ``validation.txt`` (its digest) in
    ``folder``, as the build publishes them."""
    write_turtle(report, folder / "validation.ttl")
    (folder / "validation.txt").write_text(digest(report), encoding="utf-8")
