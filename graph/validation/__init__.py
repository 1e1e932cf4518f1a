"""SHACL validation: the project's shapes, two runners behind one :func:`validate`, one report.

Why two runners: pyshacl (:mod:`~graph.validation.pyshacl_runner`) implements all of SHACL
and is the reference; the shapes compiled to SPARQL (:mod:`~graph.validation.sparql_compiler`,
run by :mod:`~graph.validation.sparql_runner`) check a whole pyoxigraph store at once, which is
what the build needs. Both read the same shapes (:mod:`~graph.validation.shapes`), return the
same :class:`ValidationReport` (:mod:`~graph.validation.results`) and are written by the same
writer (:mod:`~graph.validation.report`); the tests hold them equal on every fixture.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

from pyoxigraph import RdfFormat, Store
from rdflib import Graph

from graph.core.namespaces import PERSISTENT_BASE
from graph.validation.curated import CuratedDataInvalid, check_curated
from graph.validation.data_files import DataFileError, read_data
from graph.validation.pyshacl_runner import graph_of_quads, run_pyshacl
from graph.validation.report import listing, write_reports, write_turtle
from graph.validation.results import VIOLATION, WARNING, ValidationReport, ValidationResult
from graph.validation.shapes import context_graph, load_shapes, shapes_files, shapes_graph
from graph.validation.sparql_runner import run_sparql, validate_store

Runner = Literal["pyshacl", "sparql"]
RUNNERS: tuple[Runner, ...] = get_args(Runner)

__all__ = [
    "RUNNERS", "VIOLATION", "WARNING", "CuratedDataInvalid", "DataFileError", "Runner",
    "ValidationReport", "ValidationResult", "check_curated", "graph_of_quads", "listing",
    "read_data", "shapes_files", "shapes_graph", "validate", "validate_files", "validate_store",
    "write_reports", "write_turtle"]


def validate(data: Graph, runner: Runner = "pyshacl", files: Sequence[Path] | None = None,
             base: str = PERSISTENT_BASE) -> ValidationReport:
    """Validate ``data`` against the shapes in ``files`` (default: the project's) with the
    chosen runner; both give the same results.

    The vocabularies' scheme membership is added to the data (rebased to ``base``, the base
    IRI the data was built with), since the concept checks read it; the ontology's class
    hierarchy comes with the shapes. Warnings do not make the data non-conforming.
    Raises :class:`ValueError` for an unknown runner.

    >>> validate(Graph()).conforms, validate(Graph(), runner="sparql").conforms
    (True, True)
    """
    if runner not in RUNNERS:
        raise ValueError(f"unknown runner {runner!r} (expected one of {', '.join(RUNNERS)})")
    shapes = load_shapes(files)
    combined = context_graph(base)
    combined += data
    if runner == "pyshacl":
        return run_pyshacl(combined, shapes)
    store = Store()
    store.load(combined.serialize(format="nt", encoding="utf-8"), RdfFormat.N_TRIPLES)
    return run_sparql(store, shapes)


def validate_files(paths: Sequence[Path], runner: Runner = "pyshacl",
                   base: str = PERSISTENT_BASE) -> ValidationReport:
    """Read the files (see :func:`read_data`, which raises :class:`DataFileError`) and
    validate them together."""
    return validate(read_data(paths), runner, base=base)
