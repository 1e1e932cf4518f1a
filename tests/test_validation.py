"""The validation package's own contracts: one validate() over two runners, the pyshacl
fallback for shapes the SPARQL compiler cannot translate, and the one report writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.cli import main
from graph.core.namespaces import SH
from graph.validation import (
    VIOLATION,
    WARNING,
    ValidationReport,
    ValidationResult,
    graph_of_quads,
    validate,
    validate_store,
    write_reports,
)
from graph.validation.report import EXAMPLES_PER_MESSAGE, digest

EX = "https://example.org/"
DATA = Path(__file__).parent / "data"

# sh:or is not compiled: the shape must go to pyshacl, property shape and all.
FALLBACK_SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{EX}ThingShape> a sh:NodeShape ; sh:targetClass <{EX}Thing> ;
    sh:property [ sh:path <{EX}size> ;
        sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ;
        sh:message "A size is a number." ] .
<{EX}NamedShape> a sh:NodeShape ; sh:targetClass <{EX}Thing> ;
    sh:property [ sh:path <{EX}name> ; sh:minCount 1 ; sh:message "A thing has a name." ] .
"""

FALLBACK_DATA = f"""
<{EX}a> a <{EX}Thing> ; <{EX}size> "big" ; <{EX}name> "A" .
<{EX}b> a <{EX}Thing> ; <{EX}size> 3 .
"""


@pytest.fixture
def fallback_shapes(tmp_path: Path) -> list[Path]:
    path = tmp_path / "shapes.ttl"
    path.write_text(FALLBACK_SHAPES, encoding="utf-8")
    return [path]


def test_a_shape_the_compiler_cannot_translate_is_checked_by_pyshacl(
        fallback_shapes: list[Path]) -> None:
    store = Store()
    store.load(FALLBACK_DATA, RdfFormat.TURTLE)
    report = validate_store(store, fallback_shapes)
    assert report.fallback_shapes == (f"{EX}ThingShape",)
    found = {(r.focus, r.shape, r.message) for r in report.results}
    assert found == {(f"{EX}a", f"{EX}ThingShape", "A size is a number."),
                     (f"{EX}b", f"{EX}NamedShape", "A thing has a name.")}
    reference = validate(graph_of_quads(store), "pyshacl", fallback_shapes)
    assert found == {(r.focus, r.shape, r.message) for r in reference.results}


def test_unknown_runner_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown runner 'jena'"):
        validate(Graph(), "jena")  # type: ignore[arg-type]


def test_warnings_do_not_make_data_non_conforming() -> None:
    report = ValidationReport((ValidationResult(f"{EX}a", "", WARNING, "S", "Add a date."),))
    assert report.conforms and report.warnings and not report.violations
    failing = ValidationReport((*report.results,
                                ValidationResult(f"{EX}a", "", VIOLATION, "S", "Needs a name.")))
    assert not failing.conforms and len(failing.violations) == 1


def test_written_reports_list_every_violation_and_count_warnings(tmp_path: Path) -> None:
    warnings = tuple(ValidationResult(f"{EX}w{i}", f"{EX}date", WARNING, f"{EX}S", "Add a date.")
                     for i in range(EXAMPLES_PER_MESSAGE + 2))
    violations = tuple(ValidationResult(f"{EX}v{i}", "", VIOLATION, f"{EX}S", "Needs a name.")
                       for i in range(EXAMPLES_PER_MESSAGE + 2))
    report = ValidationReport((*violations, *warnings), omitted={"Add a date.": 3})
    write_reports(report, tmp_path)
    g = Graph().parse(tmp_path / "validation.ttl", format="turtle")
    root = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(root, SH.conforms) == Literal(False, datatype=XSD.boolean)
    assert len(list(g.objects(root, SH.result))) == len(report.results)
    assert {URIRef(r.focus) for r in violations} <= set(g.objects(None, SH.focusNode))
    assert set(g.objects(None, SH.resultPath)) == {URIRef(f"{EX}date")}
    text = (tmp_path / "validation.txt").read_text(encoding="utf-8")
    assert text == digest(report)
    assert f"Violation x {len(violations)}: Needs a name." in text
    assert all(f"    {r.focus} " in text for r in violations)
    assert f"Warning x {len(warnings) + 3}: Add a date." in text
    assert sum(f"{EX}w" in line for line in text.splitlines()) == EXAMPLES_PER_MESSAGE
    assert "... and 5 more" in text


def test_cli_validate_prints_the_same_results_with_either_runner() -> None:
    path = DATA / "invalid" / "PartnershipShape-future-start.ttl"
    outputs = [CliRunner().invoke(main, ["validate", "--runner", runner, str(path)])
               for runner in ("pyshacl", "sparql")]
    assert [r.exit_code for r in outputs] == [1, 1], outputs[1].output
    lines = [set(r.output.splitlines()) for r in outputs]
    assert lines[0] == lines[1]
    assert any(line.startswith("Violation:") and "lies in the future" in line for line in lines[0])
