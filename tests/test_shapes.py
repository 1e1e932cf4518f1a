"""The SHACL shapes: every shape has a conforming and a violating fixture, and each violating
fixture fails with the focus node, shape and message it names (tests/data/invalid/*.ttl carry
their expected result as an sh:ValidationResult, removed from the data before validation),
under both runners (pyshacl and the shapes compiled to SPARQL), which find the same results."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store, parse
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.cli import main
from graph.core.namespaces import SH, TKG
from graph.validation import (
    RUNNERS,
    DataFileError,
    Runner,
    listing,
    read_data,
    shapes_files,
    shapes_graph,
    validate,
    validate_store,
    write_turtle,
)
from graph.vocab.vocabulary import ONTOLOGY_FILE, curated_files, vocabulary_files

DATA = Path(__file__).parent / "data"
VALID = sorted((DATA / "valid").glob("*.ttl"))
INVALID = sorted((DATA / "invalid").glob("*.ttl"))


def _expectation(path: Path) -> tuple[Graph, dict[str, str]]:
    """The fixture's data and its one expected result (focus, shape, severity, message)."""
    g = Graph().parse(path, format="turtle")
    nodes = list(g.subjects(RDF.type, SH.ValidationResult))
    assert len(nodes) == 1, f"{path.name} must state exactly one expected result"
    node = nodes[0]
    expected = {key: str(g.value(node, predicate)) for key, predicate in (
        ("focus", SH.focusNode), ("shape", SH.sourceShape), ("severity", SH.resultSeverity),
        ("message", SH.resultMessage))}
    g.remove((node, None, None))
    return g, expected


def _node_shapes() -> set[str]:
    shapes = shapes_graph()
    return {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}


def test_shapes_are_named_after_their_class_and_every_constraint_has_a_message() -> None:
    shapes = shapes_graph()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert isinstance(shape, URIRef) and str(shape).endswith("Shape"), shape
        targets = list(shapes.objects(shape, SH.targetClass))
        assert len(targets) == 1
        local = str(targets[0]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        assert str(shape).rsplit("#", 1)[-1] == f"{local}Shape"
        for constraint in [*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)]:
            assert shapes.value(constraint, SH.message) is not None, (shape, constraint)


def test_recommendations_are_warnings_at_every_level() -> None:
    recommendations = Graph().parse(
        next(p for p in shapes_files() if p.name == "twinkg-recommendations.ttl"))
    for shape in recommendations.subjects(RDF.type, SH.NodeShape):
        for node in [shape, *recommendations.objects(shape, SH.property),
                     *recommendations.objects(shape, SH.sparql)]:
            assert recommendations.value(node, SH.severity) == SH.Warning, node


@pytest.mark.parametrize("runner", RUNNERS)
@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_fixture_has_no_result(path: Path, runner: Runner) -> None:
    report = validate(Graph().parse(path, format="turtle"), runner)
    assert report.conforms
    assert report.results == (), listing(report)


@pytest.mark.parametrize("runner", RUNNERS)
@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_fails_as_named(path: Path, runner: Runner) -> None:
    data, expected = _expectation(path)
    assert path.stem.startswith(expected["shape"].rsplit("#", 1)[-1] + "-")
    report = validate(data, runner)
    found = [(r.focus, r.shape, r.severity, r.message) for r in report.results]
    assert (expected["focus"], expected["shape"], expected["severity"],
            expected["message"]) in found, listing(report)
    if expected["severity"] == str(SH.Violation):
        assert not report.conforms
    else:
        assert report.conforms and not report.violations, listing(report)


@pytest.mark.parametrize("path", [*VALID, *INVALID], ids=[p.stem for p in [*VALID, *INVALID]])
def test_runners_find_the_same_results(path: Path) -> None:
    """Not only the expected result: every result, with its shape. Values are left out: each
    runner may write a literal's text differently (``-190.0`` or ``-190``)."""
    data = _expectation(path)[0] if path in INVALID else Graph().parse(path, format="turtle")
    found = [{(r.focus, r.shape, r.severity, r.message) for r in
              validate(data, runner).results} for runner in RUNNERS]
    assert found[0] == found[1]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_build_sparql_path_finds_the_same_result(path: Path) -> None:
    """The build compiles these shapes to SPARQL over a pyoxigraph store; it must agree."""
    data, expected = _expectation(path)
    store = Store()
    for vocabulary in vocabulary_files():
        store.extend(parse(path=str(vocabulary), format=RdfFormat.TURTLE))
    store.extend(parse(data.serialize(format="nt"), format=RdfFormat.N_TRIPLES))
    report = validate_store(store, shapes_files())
    found = {(r.focus, r.shape, r.message) for r in report.results}
    assert (expected["focus"], expected["shape"], expected["message"]) in found


def test_every_shape_has_a_passing_and_a_failing_case() -> None:
    failing = {_expectation(p)[1]["shape"] for p in INVALID}
    assert _node_shapes() <= failing, _node_shapes() - failing
    passing = Graph()
    for path in [*VALID, *vocabulary_files(), ONTOLOGY_FILE]:
        passing.parse(path, format="turtle")
    shapes = shapes_graph()
    for shape in _node_shapes():
        cls = shapes.value(URIRef(shape), SH.targetClass)
        classes = {cls, *passing.transitive_subjects(RDFS.subClassOf, cls)}
        assert any(next(passing.subjects(RDF.type, c), None) is not None for c in classes), shape


def test_rebased_data_validates_against_rebased_vocabularies() -> None:
    base = "http://127.0.0.1:8080/"
    data = Graph().parse(DATA / "valid" / "bilateral-partnership.ttl", format="turtle")
    moved = Graph()
    for s, p, o in data:
        moved.add(tuple(URIRef(str(t).replace("https://w3id.org/twinning-kg/id/", base + "id/"))
                        if isinstance(t, URIRef) else t for t in (s, p, o)))  # type: ignore[arg-type]
    for runner in RUNNERS:
        assert validate(moved, runner, base=base).conforms
        assert not validate(moved, runner).conforms


def test_report_turtle_and_listing(tmp_path: Path) -> None:
    data, expected = _expectation(DATA / "invalid" / "PartnershipShape-end-before-start.ttl")
    report = validate(data)
    write_turtle(report, tmp_path / "report.ttl")
    g = Graph().parse(tmp_path / "report.ttl", format="turtle")
    root = next(g.subjects(RDF.type, SH.ValidationReport))
    assert str(g.value(root, SH.conforms)) == "false"
    assert URIRef(expected["focus"]) in set(g.objects(None, SH.focusNode))
    assert URIRef(expected["shape"]) in set(g.objects(None, SH.sourceShape))
    assert expected["message"] in listing(report)


def test_cli_validate_exits_1_and_names_focus_path_and_message(tmp_path: Path) -> None:
    data, expected = _expectation(DATA / "invalid" / "PartnershipShape-future-start.ttl")
    path = tmp_path / "data.ttl"
    data.serialize(path, format="turtle")
    report_path = tmp_path / "report.ttl"
    result = CliRunner().invoke(main, ["validate", str(path), "--report", str(report_path)])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith("Violation:"))
    assert expected["focus"] in line and str(TKG.startDate) in line
    assert expected["message"] in line
    assert (None, RDF.type, SH.ValidationReport) in Graph().parse(report_path)


def test_cli_validate_accepts_conforming_files() -> None:
    result = CliRunner().invoke(main, ["validate", *map(str, VALID)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Conforms: yes")


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"broken\.ttl"):
        read_data([broken])
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 1 and "broken.ttl" in result.output


def test_curated_concepts_are_in_the_checked_graph() -> None:
    """The theme-in-scheme check depends on tkg:schemeFor in the vocabularies."""
    g = Graph()
    for path in curated_files():
        g.parse(path, format="turtle")
    used_by = {o for o in g.objects(None, TKG.schemeFor)}
    assert {TKG.theme, TKG.partnershipType, TKG.status, TKG.sector,
            TKG.localPartnershipKind} <= used_by
    assert all(isinstance(s, URIRef) for s in g.subjects(RDF.type, SKOS.Concept))
    assert not any(isinstance(s, BNode) for s in g.subjects(RDF.type, SKOS.ConceptScheme))
