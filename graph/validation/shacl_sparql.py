"""The SHACL shapes run as SPARQL over the pyoxigraph store: the build's fast validation path.

Why: pyshacl checks one focus node at a time in Python; over a 500k-quad graph that would take
minutes and dominate the build. Here every constraint of a shape becomes one SPARQL query that
finds all its violating focus nodes at once, and pyoxigraph runs it in Rust. The shapes stay
the single definition of what is valid: the queries are generated from them, and
``tests/test_build.py`` shows on a sample that the result equals a full pyshacl run.

Supported: targets (``sh:targetClass`` with the ontology's subclasses, ``sh:targetNode``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, implicit class targets), property paths
(predicate, inverse, sequence, alternative, ``*``/``+``/``?``), ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:pattern``,
``sh:minLength``, ``sh:maxLength``, ``sh:min/maxIn/Exclusive``, ``sh:uniqueLang``,
``sh:languageIn`` and SPARQL-based constraints (``sh:sparql`` with ``sh:select``). A shape
using anything else (``sh:node``, ``sh:or``, ...) is checked by pyshacl over the subgraph
of its focus nodes, so nothing is silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Quad, RdfFormat, Store
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graph.core.namespaces import SH
from graph.core.settings import REPO_ROOT
from graph.validation.validate import ValidationResult

SHAPES_DIR = REPO_ROOT / "shapes"
ONTOLOGY_FILE = REPO_ROOT / "ontology" / "twinkg.ttl"
VIOLATION = str(SH.Violation)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SUPPORTED = {SH[n] for n in (
    "minCount", "maxCount", "datatype", "class", "nodeKind", "in", "hasValue", "pattern",
    "flags", "minLength", "maxLength", "minInclusive", "maxInclusive", "minExclusive",
    "maxExclusive", "uniqueLang", "languageIn", "sparql")}
_SHAPE_META = {SH[n] for n in (
    "path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property",
    "message", "severity", "name", "description", "deactivated", "order", "group",
    "defaultValue")} | {RDF.type, RDFS.label, RDFS.comment, RDFS.isDefinedBy}


class CuratedDataInvalid(ValueError):
    """The curated data does not conform to the shapes; the message lists every violation."""


@dataclass
class Report:
    """Every result of a validation run, and which shapes needed the pyshacl fallback."""

    results: list[ValidationResult] = field(default_factory=list)
    fallback_shapes: list[str] = field(default_factory=list)
    omitted: dict[str, int] = field(default_factory=dict)
    """Warnings and infos beyond the per-message cap, counted by message (never violations)."""

    @property
    def violations(self) -> list[ValidationResult]:
        """Results of severity sh:Violation (warnings and infos do not reject records)."""
        return [r for r in self.results if r.severity == VIOLATION]

    @property
    def conforms(self) -> bool:
        """Whether nothing of severity sh:Violation was found."""
        return not self.violations


def shapes_files() -> list[Path]:
    """The project's shapes files (violations and recommendations)."""
    return sorted(SHAPES_DIR.glob("*.ttl"))


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"a blank node cannot appear in a generated query ({node})")


def _path(shapes: Graph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(_path(shapes, p) for p in Collection(shapes, path)) + ")"
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + template.format(_path(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_path(shapes, p) for p in Collection(shapes, alternatives)) + ")"
    raise ValueError(f"unsupported property path {path}")


class ShapeCompiler:
    """Reads a shapes graph (and the ontology's class hierarchy) and yields SPARQL checks."""

    def __init__(self, shapes: Graph, ontology: Graph | None = None) -> None:
        self.shapes = shapes
        self.ontology = ontology if ontology is not None else Graph()

    def subclasses(self, cls: Node) -> list[Node]:
        """A class and all its subclasses (transitively), from the ontology and the shapes."""
        found, todo = {cls}, [cls]
        while todo:
            current = todo.pop()
            for graph in (self.ontology, self.shapes):
                for sub in graph.subjects(RDFS.subClassOf, current):
                    if sub not in found:
                        found.add(sub)
                        todo.append(sub)
        return sorted(found, key=str)

    def node_shapes(self) -> list[Node]:
        """Shapes with a target (the ones validation starts from)."""
        targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
        shapes = {s for t in targets for s in self.shapes.subjects(t, None)}
        shapes |= {s for s in self.shapes.subjects(RDF.type, SH.NodeShape)
                   if (s, RDF.type, RDFS.Class) in self.shapes}
        return sorted(shapes, key=str)

    def target(self, shape: Node) -> str | None:
        """A query selecting every focus node of the shape as ``?this`` (``None``: no target)."""
        pattern = self.target_pattern(shape)
        return None if pattern is None else f"SELECT DISTINCT ?this WHERE {{ {pattern} }}"

    def target_pattern(self, shape: Node) -> str | None:
        """A group pattern binding ``?this`` to every focus node of the shape."""
        parts = []
        classes = list(self.shapes.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.shapes:
            classes.append(shape)
        for cls in classes:
            values = " ".join(_term(c) for c in self.subclasses(cls))
            parts.append(f"{{ ?this a ?cls_ . VALUES ?cls_ {{ {values} }} }}")
        for node in self.shapes.objects(shape, SH.targetNode):
            parts.append(f"{{ BIND({_term(node)} AS ?this) }}")
        for p in self.shapes.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?this {_term(p)} ?any_ }}")
        for p in self.shapes.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ ?any_ {_term(p)} ?this }}")
        if not parts:
            return None
        return "{ " + " UNION ".join(parts) + " }"

    def supported(self, shape: Node) -> bool:
        """Whether every constraint of the shape and its property shapes can be compiled."""
        for constraint_shape in [shape, *self.shapes.objects(shape, SH.property)]:
            for predicate in set(self.shapes.predicates(constraint_shape, None)):
                if predicate not in _SUPPORTED and predicate not in _SHAPE_META:
                    return False
        return True

    def checks(self, shape: Node) -> Iterable[tuple[Node, str, str, str]]:
        """(constraint shape, component, path text, query) for each constraint; each query
        selects ``?this`` and optionally ``?value`` over the given focus nodes."""
        yield from self._constraints(shape, shape, None)
        for prop in self.shapes.objects(shape, SH.property):
            if (prop, SH.deactivated, Literal(True)) in self.shapes:
                continue
            path_node = self.shapes.value(prop, SH.path)
            yield from self._constraints(shape, prop, path_node)

    def _constraints(self, node_shape: Node, shape: Node,
                     path_node: Node | None) -> Iterable[tuple[Node, str, str, str]]:
        g = self.shapes
        target = self.target_pattern(node_shape) or "{}"
        path = _path(g, path_node) if path_node is not None else None
        path_text = str(path_node) if isinstance(path_node, URIRef) else (path or "")
        values = f"?this {path} ?value ." if path else "BIND(?this AS ?value)"
        header = "SELECT DISTINCT ?this ?value WHERE { "

        def check(component: str, condition: str) -> tuple[Node, str, str, str]:
            return shape, component, path_text, f"{header}{values} FILTER({condition}) }}"

        for count in g.objects(shape, SH.minCount):
            if path:
                # Focus nodes without any value must count too: the target binds them.
                yield (shape, "MinCount", path_text,
                       f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }} "
                       f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(str(count))})")
        for count in g.objects(shape, SH.maxCount):
            if path:
                yield (shape, "MaxCount", path_text,
                       "SELECT ?this WHERE { { SELECT ?this (COUNT(DISTINCT ?value) AS ?n_) "
                       f"WHERE {{ ?this {path} ?value }} GROUP BY ?this }} "
                       f"FILTER(?n_ > {int(str(count))}) }}")
        for datatype in g.objects(shape, SH.datatype):
            yield check("Datatype", f"!isLiteral(?value) || datatype(?value) != {_term(datatype)}")
        for cls in g.objects(shape, SH["class"]):
            classes = " ".join(_term(c) for c in self.subclasses(cls))
            yield check("Class", f"isLiteral(?value) || NOT EXISTS {{ ?value a ?c_ . "
                                 f"VALUES ?c_ {{ {classes} }} }}")
        kinds = {SH.IRI: "!isIRI(?value)", SH.Literal: "!isLiteral(?value)",
                 SH.BlankNode: "!isBlank(?value)", SH.BlankNodeOrIRI: "isLiteral(?value)",
                 SH.IRIOrLiteral: "isBlank(?value)", SH.BlankNodeOrLiteral: "isIRI(?value)"}
        for kind in g.objects(shape, SH.nodeKind):
            yield check("NodeKind", kinds[kind])  # type: ignore[index]
        for members in g.objects(shape, SH["in"]):
            allowed = ", ".join(_term(m) for m in Collection(g, members))
            yield check("In", f"?value NOT IN ({allowed})")
        for value in g.objects(shape, SH.hasValue):
            if path:
                yield (shape, "HasValue", path_text,
                       f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} "
                       f"{_term(value)} }} }}")
        for pattern in g.objects(shape, SH.pattern):
            flags = g.value(shape, SH.flags)
            flag_text = f", {Literal(str(flags)).n3()}" if flags else ""
            yield check("Pattern", f"isBlank(?value) || !REGEX(STR(?value), "
                                   f"{Literal(str(pattern)).n3()}{flag_text})")
        for length in g.objects(shape, SH.minLength):
            yield check("MinLength", f"isBlank(?value) || STRLEN(STR(?value)) < {int(str(length))}")
        for length in g.objects(shape, SH.maxLength):
            yield check("MaxLength", f"isBlank(?value) || STRLEN(STR(?value)) > {int(str(length))}")
        for name, op in (("minInclusive", ">="), ("maxInclusive", "<="),
                         ("minExclusive", ">"), ("maxExclusive", "<")):
            for bound in g.objects(shape, SH[name]):
                yield check(name[0].upper() + name[1:],
                            f"!COALESCE(?value {op} {_term(bound)}, false)")
        for languages in g.objects(shape, SH.languageIn):
            tags = " || ".join(f'langMatches(lang(?value), "{t}")'
                               for t in Collection(g, languages))
            yield check("LanguageIn", f"!isLiteral(?value) || !({tags})")
        if path and (shape, SH.uniqueLang, Literal(True)) in g:
            yield (shape, "UniqueLang", path_text,
                   f"SELECT ?this WHERE {{ ?this {path} ?a_ , ?b_ . FILTER(?a_ != ?b_ && "
                   "lang(?a_) != \"\" && lang(?a_) = lang(?b_)) }")
        for constraint in g.objects(shape, SH.sparql):
            if (constraint, SH.deactivated, Literal(True)) in g:
                continue
            select = str(g.value(constraint, SH.select))
            query = _prefixes(g, constraint) + select
            if path:
                query = query.replace("$PATH", path)
            query = re.sub(r"\$this\b", "?this", query)
            # pyshacl runs the query once per focus node with $this bound; binding ?this to
            # all focus nodes first gives the same solutions in one run.
            query = _WHERE.sub(lambda m: m.group(0) + " " + target + " ", query, count=1)
            yield constraint, "SPARQL", path_text, query


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for declarations in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarations, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


def _message(shapes: Graph, constraint: Node, shape: Node, component: str, path: str,
             row: dict[str, str]) -> str:
    text = shapes.value(constraint, SH.message) or shapes.value(shape, SH.message)
    if text is None:
        return f"{component} constraint of {shape} failed" + (f" on {path}" if path else "")
    if component != "SPARQL":
        return str(text)  # as pyshacl: only SPARQL-based constraints fill in {?var}
    return re.sub(r"\{[?$](\w+)\}", lambda m: row.get(m.group(1), m.group(0)), str(text))


def _value(term: Any) -> str:
    return "" if term is None else str(term.value)


def load_shapes(files: Sequence[Path]) -> tuple[Graph, Graph]:
    """The shapes graph and the ontology (for the class hierarchy) from their files."""
    shapes = Graph()
    for path in files:
        shapes.parse(path, format="turtle")
    ontology = Graph()
    if ONTOLOGY_FILE.exists():
        ontology.parse(ONTOLOGY_FILE, format="turtle")
    return shapes, ontology


def validate_store(store: Store, files: Sequence[Path],
                   max_warnings: int = 10**9) -> Report:
    """Every shape's constraints as SPARQL over the union of the store's graphs.

    Violations are always all listed; warnings and infos (recommendations: "no start date" on
    every Wikipedia-derived partnership) stop at ``max_warnings`` per message and the rest is
    counted in :attr:`Report.omitted`, so a large build does not hold millions of them.
    """
    kept_per_message: dict[str, int] = {}
    shapes, ontology = load_shapes(files)
    compiler = ShapeCompiler(shapes, ontology)
    report = Report()
    for shape in compiler.node_shapes():
        if (shape, SH.deactivated, Literal(True)) in shapes:
            continue
        target = compiler.target(shape)
        if target is None:
            continue
        focus = {_value(s["this"]) for s in store.query(  # type: ignore[union-attr]
            target, use_default_graph_as_union=True)}
        if not focus:
            continue
        if not compiler.supported(shape):
            report.fallback_shapes.append(str(shape))
            report.results.extend(_pyshacl_subset(store, shapes, ontology, shape, focus))
            continue
        for constraint, component, path, query in compiler.checks(shape):
            severity = shapes.value(constraint, SH.severity) or shapes.value(
                shape, SH.severity) or SH.Violation
            seen: set[tuple[str, str]] = set()
            solutions = store.query(query, use_default_graph_as_union=True)
            names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
            # Core constraints have a fixed message: build it once, not per result.
            fixed = None if component == "SPARQL" else _message(shapes, constraint, shape,
                                                                  component, path, {})
            severity_text, shape_text = str(severity), str(shape)
            for solution in solutions:  # type: ignore[union-attr]
                row = {name: _value(solution[i]) for i, name in enumerate(names)
                       if solution[i] is not None}
                this = row.get("this", "")
                if this not in focus:
                    continue
                value = row.get("value", "")
                if (this, value) in seen:
                    continue
                seen.add((this, value))
                message = fixed if fixed is not None else _message(
                    shapes, constraint, shape, component, path, row)
                if severity_text != VIOLATION:
                    kept = kept_per_message.get(message, 0)
                    if kept >= max_warnings:
                        report.omitted[message] = report.omitted.get(message, 0) + 1
                        continue
                    kept_per_message[message] = kept + 1
                report.results.append(ValidationResult(
                    this, row.get("path", path), severity_text, shape_text, message, value))
    return report


def _pyshacl_subset(store: Store, shapes: Graph, ontology: Graph, shape: Node,
                    focus: set[str]) -> list[ValidationResult]:
    """pyshacl for one shape over its focus nodes' triples and the nodes they point to."""
    import pyshacl

    data = Graph()
    frontier = set(focus)
    for _ in range(2):
        following: set[str] = set()
        for quad in store.quads_for_pattern(None, None, None):
            if _value(quad.subject) in frontier:
                data.add(_to_rdflib(quad))
                if not _is_literal(quad):
                    following.add(_value(quad.object))
        frontier = following - frontier
    only = Graph()
    for triple in shapes:
        only.add(triple)
    conforms, graph, _ = pyshacl.validate(data, shacl_graph=only, ont_graph=ontology,
                                          inference="none", advanced=True)
    return [r for r in results_from_graph(graph) if r.focus in focus
            and r.shape == str(shape)] if not conforms else []


def _is_literal(quad: Quad) -> bool:
    from pyoxigraph import Literal as OxLiteral

    return isinstance(quad.object, OxLiteral)


def _to_rdflib(quad: Quad) -> tuple[Node, Node, Node]:
    from pyoxigraph import BlankNode as OxBlank
    from pyoxigraph import Literal as OxLiteral

    def term(t: Any) -> Node:
        if isinstance(t, OxBlank):
            return BNode(t.value)
        if isinstance(t, OxLiteral):
            # xsd:string is a plain literal in RDF 1.1; rdflib keeps the two apart.
            plain = t.language or t.datatype.value == _XSD_STRING
            return Literal(t.value, lang=t.language,
                           datatype=None if plain else URIRef(t.datatype.value))
        return URIRef(t.value)

    return term(quad.subject), term(quad.predicate), term(quad.object)


def results_from_graph(graph: Graph) -> list[ValidationResult]:
    """The results of a pyshacl report graph as
    :class:`~graph.validation.validate.ValidationResult` values."""
    results = []
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        def text(predicate: URIRef, node: Node = result) -> str:
            value = graph.value(node, predicate)
            return "" if value is None else str(value)

        results.append(ValidationResult(
            text(SH.focusNode), text(SH.resultPath), text(SH.resultSeverity),
            text(SH.sourceShape), text(SH.resultMessage), text(SH.value)))
    return results


def pyshacl_validate(data: Graph, files: Sequence[Path]) -> Report:
    """A full pyshacl run: the reference the fast path is compared with."""
    import pyshacl

    shapes, ontology = load_shapes(files)
    _, graph, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology,
                                   inference="none", advanced=True)
    return Report(results_from_graph(graph))


def check_curated(curated: Sequence[Quad], files: Sequence[Path]) -> Report:
    """The shapes over the curated data alone (fast path, shown equal to pyshacl in the tests);
    raises :class:`CuratedDataInvalid` listing every violation (focus node, path, message)."""
    if not files:
        return Report()
    store = Store()
    store.bulk_extend(curated)
    report = validate_store(store, files)
    if report.violations:
        lines = [f"{r.focus} {r.path}: {r.message}" for r in report.violations[:20]]
        raise CuratedDataInvalid("the curated data does not conform to the shapes:\n" +
                                 "\n".join(lines))
    return report


def write_reports(report: Report, folder: Path) -> None:
    """validation.ttl (an sh:ValidationReport) and validation.txt (a summary for people).

    A large build has hundreds of thousands of warnings (recommendations), so the Turtle is
    written with pyoxigraph's serializer, and the text groups results by severity and message
    with a few examples each, listing every violation in full.
    """
    from pyoxigraph import BlankNode as OxBlank
    from pyoxigraph import Literal as OxLiteral
    from pyoxigraph import NamedNode as OxNamed
    from pyoxigraph import Triple, serialize

    def sh(name: str) -> OxNamed:
        return OxNamed(str(SH[name]))

    def node(value: str) -> OxNamed | OxBlank:
        return OxNamed(value) if "://" in value or value.startswith("urn:") else OxBlank()

    a = OxNamed(str(RDF.type))
    root = OxBlank("report")

    def triples() -> Iterator[Triple]:
        # A generator: a 10x build has ~800k results, 5M triples; a list would hold GBs.
        yield Triple(root, a, sh("ValidationReport"))
        yield Triple(root, sh("conforms"), OxLiteral("true" if report.conforms else "false",
                                                     datatype=OxNamed(_XSD_BOOLEAN)))
        severities: dict[str, OxNamed] = {}
        for result in report.results:
            r = OxBlank()
            severity = severities.setdefault(result.severity, OxNamed(result.severity))
            yield Triple(root, sh("result"), r)
            yield Triple(r, a, sh("ValidationResult"))
            yield Triple(r, sh("focusNode"), node(result.focus))
            yield Triple(r, sh("resultSeverity"), severity)
            yield Triple(r, sh("sourceShape"), node(result.shape))
            yield Triple(r, sh("resultMessage"), OxLiteral(result.message))
            if result.path.startswith(("http://", "https://")):
                yield Triple(r, sh("resultPath"), OxNamed(result.path))

    serialize(triples(), str(folder / "validation.ttl"), RdfFormat.TURTLE,
              prefixes={"sh": str(SH), "rdf": str(RDF)})
    groups: dict[tuple[str, str], list[ValidationResult]] = {}
    for result in report.results:
        groups.setdefault((result.severity.rsplit("#", 1)[-1], result.message), []).append(result)
    omitted = sum(report.omitted.values())
    lines = [f"Conforms: {report.conforms}  ({len(report.violations)} violations, "
             f"{len(report.results) - len(report.violations) + omitted} warnings or infos"
             + (f", of which {omitted} counted but not listed" if omitted else "") + ")", ""]
    for (severity, message), results in sorted(groups.items(), key=lambda g: -len(g[1])):
        lines.append(f"{severity} x {len(results) + report.omitted.get(message, 0)}: {message}")
        shown = results if severity == "Violation" else results[:5]
        lines += [f"    {r.focus} {r.path}" for r in shown]
        more = len(results) - len(shown) + report.omitted.get(message, 0)
        if more:
            lines.append(f"    ... and {more} more (validation.ttl lists up to the cap)")
    (folder / "validation.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
