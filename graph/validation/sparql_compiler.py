"""The SHACL shapes compiled to SPARQL: one query per constraint finds every violating node.

Why: pyshacl checks one focus node at a time in Python; over a 500k-quad graph that would take
minutes and dominate the build. Here every constraint of a shape becomes one SPARQL query that
finds all its violating focus nodes at once (run by :mod:`graph.validation.sparql_runner`).
The shapes stay the single definition of what is valid: the queries are generated from them,
and the tests show on every fixture and on build samples that the results equal pyshacl's.

Supported: targets (``sh:targetClass`` with the ontology's subclasses, ``sh:targetNode``,
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, implicit class targets), property paths
(predicate, inverse, sequence, alternative, ``*``/``+``/``?``), ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:pattern``,
``sh:minLength``, ``sh:maxLength``, ``sh:min/maxIn/Exclusive``, ``sh:uniqueLang``,
``sh:languageIn`` and SPARQL-based constraints (``sh:sparql`` with ``sh:select``). A shape
using anything else (``sh:node``, ``sh:or``, ...) is not :meth:`ShapeCompiler.supported`; the
runner hands it to pyshacl, so nothing is silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from graph.core.namespaces import SH

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SUPPORTED = {SH[n] for n in (
    "minCount", "maxCount", "datatype", "class", "nodeKind", "in", "hasValue", "pattern",
    "flags", "minLength", "maxLength", "minInclusive", "maxInclusive", "minExclusive",
    "maxExclusive", "uniqueLang", "languageIn", "sparql")}
_SHAPE_META = {SH[n] for n in (
    "path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property",
    "message", "severity", "name", "description", "deactivated", "order", "group",
    "defaultValue")} | {RDF.type, RDFS.label, RDFS.comment, RDFS.isDefinedBy}
_NODE_KINDS = {
    SH.IRI: "!isIRI(?value)", SH.Literal: "!isLiteral(?value)", SH.BlankNode: "!isBlank(?value)",
    SH.BlankNodeOrIRI: "isLiteral(?value)", SH.IRIOrLiteral: "isBlank(?value)",
    SH.BlankNodeOrLiteral: "isIRI(?value)"}
_RANGES = (("minInclusive", ">="), ("maxInclusive", "<="), ("minExclusive", ">"),
           ("maxExclusive", "<"))


class Check(NamedTuple):
    """One constraint as a query selecting ``?this`` (and optionally ``?value``) for every
    violating node; ``constraint`` is the shape or sh:sparql node holding its message and
    severity, ``component`` the constraint's name (``MinCount``, ``SPARQL``...)."""

    constraint: Node
    component: str
    path: str
    query: str


def sparql_term(node: Node) -> str:
    """An IRI or literal as SPARQL text.

    Raises :class:`ValueError` for a blank node, which a query cannot name.

    >>> sparql_term(URIRef("https://example.org/a")), sparql_term(Literal(3))
    ('<https://example.org/a>', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise ValueError(f"a blank node cannot appear in a generated query ({node})")


def sparql_path(shapes: Graph, path: Node) -> str:
    """A SHACL property path as a SPARQL property path.

    Raises :class:`ValueError` for a path form SHACL does not define.
    """
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (path, RDF.first, None) in shapes:
        return "(" + "/".join(sparql_path(shapes, p) for p in Collection(shapes, path)) + ")"
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"),
                                (SH.oneOrMorePath, "{}+"), (SH.zeroOrOnePath, "{}?")):
        inner = shapes.value(path, predicate)
        if inner is not None:
            return "(" + template.format(sparql_path(shapes, inner)) + ")"
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(sparql_path(shapes, p)
                              for p in Collection(shapes, alternatives)) + ")"
    raise ValueError(f"unsupported property path {path}")


@dataclass(frozen=True)
class _Site:
    """Where a constraint shape applies: its node shape's focus nodes (``target``, a group
    pattern binding ``?this``) and, for a property shape, the path to the values."""

    shapes: Graph
    shape: Node
    target: str
    path: str | None
    path_text: str

    def objects(self, name: str) -> Iterator[Node]:
        """The values of the constraint parameter ``sh:<name>`` on this shape."""
        return self.shapes.objects(self.shape, SH[name])

    def check(self, component: str, condition: str) -> Check:
        """A check of each value (the focus node itself on a node shape) by a FILTER that
        holds for the violating ones."""
        values = f"?this {self.path} ?value ." if self.path else "BIND(?this AS ?value)"
        return Check(self.shape, component, self.path_text,
                     f"SELECT DISTINCT ?this ?value WHERE {{ {values} FILTER({condition}) }}")


def _counts(site: _Site) -> Iterator[Check]:
    """sh:minCount and sh:maxCount (property shapes only)."""
    if site.path is None:
        return
    for count in site.objects("minCount"):
        # Focus nodes without any value must count too: the target binds them.
        yield Check(site.shape, "MinCount", site.path_text,
                    f"SELECT ?this WHERE {{ {site.target} OPTIONAL {{ ?this {site.path} ?value }}"
                    f" }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {int(str(count))})")
    for count in site.objects("maxCount"):
        yield Check(site.shape, "MaxCount", site.path_text,
                    "SELECT ?this WHERE { { SELECT ?this (COUNT(DISTINCT ?value) AS ?n_) "
                    f"WHERE {{ ?this {site.path} ?value }} GROUP BY ?this }} "
                    f"FILTER(?n_ > {int(str(count))}) }}")


def _value_types(site: _Site, subclasses: Callable[[Node], list[Node]]) -> Iterator[Check]:
    """sh:datatype, sh:class (with the subclasses), sh:nodeKind and sh:in."""
    for datatype in site.objects("datatype"):
        yield site.check("Datatype",
                         f"!isLiteral(?value) || datatype(?value) != {sparql_term(datatype)}")
    for cls in site.objects("class"):
        classes = " ".join(sparql_term(c) for c in subclasses(cls))
        yield site.check("Class", f"isLiteral(?value) || NOT EXISTS {{ ?value a ?c_ . "
                                  f"VALUES ?c_ {{ {classes} }} }}")
    for kind in site.objects("nodeKind"):
        yield site.check("NodeKind", _NODE_KINDS[kind])  # type: ignore[index]
    for members in site.objects("in"):
        allowed = ", ".join(sparql_term(m) for m in Collection(site.shapes, members))
        yield site.check("In", f"?value NOT IN ({allowed})")


def _has_value(site: _Site) -> Iterator[Check]:
    """sh:hasValue (property shapes only): focus nodes lacking the value."""
    if site.path is None:
        return
    for value in site.objects("hasValue"):
        yield Check(site.shape, "HasValue", site.path_text,
                    f"SELECT ?this WHERE {{ {site.target} FILTER NOT EXISTS {{ ?this "
                    f"{site.path} {sparql_term(value)} }} }}")


def _strings(site: _Site) -> Iterator[Check]:
    """sh:pattern (with sh:flags), sh:minLength and sh:maxLength on the values' text."""
    for pattern in site.objects("pattern"):
        flags = site.shapes.value(site.shape, SH.flags)
        flag_text = f", {Literal(str(flags)).n3()}" if flags else ""
        yield site.check("Pattern", f"isBlank(?value) || !REGEX(STR(?value), "
                                    f"{Literal(str(pattern)).n3()}{flag_text})")
    for length in site.objects("minLength"):
        yield site.check("MinLength",
                         f"isBlank(?value) || STRLEN(STR(?value)) < {int(str(length))}")
    for length in site.objects("maxLength"):
        yield site.check("MaxLength",
                         f"isBlank(?value) || STRLEN(STR(?value)) > {int(str(length))}")


def _ranges(site: _Site) -> Iterator[Check]:
    """sh:minInclusive, sh:maxInclusive, sh:minExclusive, sh:maxExclusive; a value that
    cannot be compared with the bound violates, as in SHACL."""
    for name, op in _RANGES:
        for bound in site.objects(name):
            yield site.check(name[0].upper() + name[1:],
                             f"!COALESCE(?value {op} {sparql_term(bound)}, false)")


def _languages(site: _Site) -> Iterator[Check]:
    """sh:languageIn and sh:uniqueLang (the latter on property shapes only)."""
    for languages in site.objects("languageIn"):
        tags = " || ".join(f'langMatches(lang(?value), "{t}")'
                           for t in Collection(site.shapes, languages))
        yield site.check("LanguageIn", f"!isLiteral(?value) || !({tags})")
    if site.path and (site.shape, SH.uniqueLang, Literal(True)) in site.shapes:
        yield Check(site.shape, "UniqueLang", site.path_text,
                    f"SELECT ?this WHERE {{ ?this {site.path} ?a_ , ?b_ . FILTER(?a_ != ?b_ && "
                    "lang(?a_) != \"\" && lang(?a_) = lang(?b_)) }")


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for declarations in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarations, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


def _sparql_constraints(site: _Site) -> Iterator[Check]:
    """SPARQL-based constraints (``sh:sparql`` with ``sh:select``), ``$this`` and ``$PATH``
    filled in; the check's ``constraint`` is the sh:sparql node, which holds the message."""
    g = site.shapes
    for constraint in site.objects("sparql"):
        if (constraint, SH.deactivated, Literal(True)) in g:
            continue
        query = _prefixes(g, constraint) + str(g.value(constraint, SH.select))
        if site.path:
            query = query.replace("$PATH", site.path)
        query = re.sub(r"\$this\b", "?this", query)
        # pyshacl runs the query once per focus node with $this bound; binding ?this to
        # all focus nodes first gives the same solutions in one run.
        query = _WHERE.sub(lambda m: m.group(0) + " " + site.target + " ", query, count=1)
        yield Check(constraint, "SPARQL", site.path_text, query)


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
            values = " ".join(sparql_term(c) for c in self.subclasses(cls))
            parts.append(f"{{ ?this a ?cls_ . VALUES ?cls_ {{ {values} }} }}")
        for node in self.shapes.objects(shape, SH.targetNode):
            parts.append(f"{{ BIND({sparql_term(node)} AS ?this) }}")
        for p in self.shapes.objects(shape, SH.targetSubjectsOf):
            parts.append(f"{{ ?this {sparql_term(p)} ?any_ }}")
        for p in self.shapes.objects(shape, SH.targetObjectsOf):
            parts.append(f"{{ ?any_ {sparql_term(p)} ?this }}")
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

    def checks(self, shape: Node) -> Iterable[Check]:
        """Every constraint of the node shape and of its active property shapes as a check
        over the shape's focus nodes."""
        yield from self._constraints(shape, shape, None)
        for prop in self.shapes.objects(shape, SH.property):
            if (prop, SH.deactivated, Literal(True)) in self.shapes:
                continue
            yield from self._constraints(shape, prop, self.shapes.value(prop, SH.path))

    def _constraints(self, node_shape: Node, shape: Node,
                     path_node: Node | None) -> Iterator[Check]:
        path = sparql_path(self.shapes, path_node) if path_node is not None else None
        site = _Site(self.shapes, shape, self.target_pattern(node_shape) or "{}", path,
                     str(path_node) if isinstance(path_node, URIRef) else (path or ""))
        yield from _counts(site)
        yield from _value_types(site, self.subclasses)
        yield from _has_value(site)
        yield from _strings(site)
        yield from _ranges(site)
        yield from _languages(site)
        yield from _sparql_constraints(site)
