"""HTML documentation of the ontology and the SKOS vocabularies, generated from the Turtle.

Why generated: the Turtle is the one definition of every term; hand-written pages would drift.
``twinkg docs [--out DIR]`` writes ``index.html`` into ``DIR``, by default ``ontology/docs``
in the working directory (:data:`DEFAULT_OUT`): in the repository's root that is the committed
page, which the service serves (:mod:`graph.vocab.ontology_files`) and the wheel ships; anywhere
else it is a folder of the user's. It never writes into the installed package: a wheel's page is
current for the wheel's ontology, and site-packages is no place for a user's files
(:func:`write_docs` refuses). The output is reproducible: terms are sorted and no timestamp is
written, so regenerating an unchanged ontology gives the same bytes, and
``tests/test_ontology_docs.py`` checks that the committed page is current.

pyLODE was the first choice; its current release (3.4.1) fails on import (it reads a
``pyproject.toml`` that its wheel does not ship), so the page is rendered with Jinja2 here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, select_autoescape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from graph.core.namespaces import ONTOLOGY_IRI, PREFIXES, TKG
from graph.vocab.vocabulary import ONTOLOGY_DIR, ontology_graph, vocabulary_graph

DOCS_DIR = ONTOLOGY_DIR / "docs"
"""Where the service reads ``index.html``: the repository's ``ontology/docs`` in a checkout,
the copy inside the package in an install from a wheel."""

DEFAULT_OUT = Path("ontology") / "docs"
"""Where ``twinkg docs`` writes ``index.html`` unless told: relative to the working directory,
so that in the repository's root it regenerates the committed page."""

PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""The installed ``graph`` package (``site-packages/graph`` from a wheel), which
:func:`write_docs` never writes into; a checkout's ``ontology/`` is beside it, not in it."""

TEMPLATE = ONTOLOGY_DIR / "templates" / "docs.html.j2"
"""The Jinja2 template of the page."""

LANGUAGES = ("en", "pl", "cs")
_EXTRA_PREFIXES = {"vann": "http://purl.org/vocab/vann/", "foaf": "http://xmlns.com/foaf/0.1/"}
_PROPERTY_KINDS = {OWL.ObjectProperty: "object property", OWL.DatatypeProperty:
                   "datatype property", OWL.AnnotationProperty: "annotation property",
                   OWL.SymmetricProperty: "symmetric", OWL.TransitiveProperty: "transitive",
                   OWL.FunctionalProperty: "functional"}


@dataclass(frozen=True)
class Link:
    """An IRI with its short form (CURIE) and, for our own terms, an in-page anchor."""

    iri: str
    text: str
    href: str


@dataclass(frozen=True)
class Term:
    """A class or property as the page shows it."""

    local: str
    iri: str
    kinds: list[str]
    labels: dict[str, str]
    comments: dict[str, str]
    relations: list[tuple[str, list[Link]]]


@dataclass(frozen=True)
class Concept:
    """A SKOS concept with its labels and narrower concepts."""

    iri: str
    slug: str
    labels: dict[str, str]
    alt_labels: list[str]
    definition: str
    narrower: list[Concept] = field(default_factory=list)


@dataclass(frozen=True)
class Scheme:
    """A concept scheme and its top concepts."""

    iri: str
    slug: str
    labels: dict[str, str]
    property: Link | None
    concepts: list[Concept]
    count: int


def _curie(iri: str) -> str:
    for prefix, namespace in sorted({**PREFIXES, **_EXTRA_PREFIXES}.items(),
                                    key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _link(node: Node) -> Link:
    iri = str(node)
    href = "#" + iri[len(str(TKG)):] if iri.startswith(str(TKG)) else iri
    return Link(iri, _curie(iri), href)


def _by_language(g: Graph, node: Node, predicate: URIRef) -> dict[str, str]:
    found = {o.language or "": str(o) for o in g.objects(node, predicate)
             if isinstance(o, Literal)}
    return {lang: found[lang] for lang in sorted(found, key=lambda t: (
        LANGUAGES.index(t) if t in LANGUAGES else len(LANGUAGES), t))}


def _links(g: Graph, node: Node, predicate: URIRef) -> list[Link]:
    return sorted((_link(o) for o in g.objects(node, predicate) if isinstance(o, URIRef)),
                  key=lambda link: link.text)


def _terms(g: Graph, kinds: tuple[URIRef, ...]) -> list[Term]:
    nodes = {s for kind in kinds for s in g.subjects(RDF.type, kind)
             if isinstance(s, URIRef) and str(s).startswith(str(TKG))}
    terms = []
    for node in sorted(nodes, key=str):
        relations = [
            ("subclass of", _links(g, node, RDFS.subClassOf)),
            ("disjoint with", _links(g, node, OWL.disjointWith)),
            ("sub-property of", _links(g, node, RDFS.subPropertyOf)),
            ("equivalent property", _links(g, node, OWL.equivalentProperty)),
            ("domain", _links(g, node, RDFS.domain)),
            ("range", _links(g, node, RDFS.range)),
            ("close match", _links(g, node, SKOS.closeMatch)),
            ("see also", _links(g, node, RDFS.seeAlso)),
            ("subclasses", sorted((_link(s) for s in g.subjects(RDFS.subClassOf, node)),
                                  key=lambda link: link.text)),
            ("in domain of", sorted((_link(s) for s in g.subjects(RDFS.domain, node)),
                                    key=lambda link: link.text)),
            ("in range of", sorted((_link(s) for s in g.subjects(RDFS.range, node)),
                                   key=lambda link: link.text)),
        ]
        kind_names = sorted(_PROPERTY_KINDS[k] for k in g.objects(node, RDF.type)
                            if isinstance(k, URIRef) and k in _PROPERTY_KINDS)
        terms.append(Term(str(node)[len(str(TKG)):], str(node), kind_names,
                          _by_language(g, node, RDFS.label), _by_language(g, node, RDFS.comment),
                          [(name, links) for name, links in relations if links]))
    return terms


def _concept(g: Graph, node: URIRef, members: set[URIRef]) -> Concept:
    children = sorted((c for c in g.subjects(SKOS.broader, node)
                       if isinstance(c, URIRef) and c in members), key=str)
    return Concept(str(node), str(node).rsplit("/", 1)[-1], _by_language(g, node, SKOS.prefLabel),
                   sorted(f"{o} ({o.language})" if isinstance(o, Literal) and o.language
                          else str(o) for o in g.objects(node, SKOS.altLabel)),
                   _by_language(g, node, SKOS.definition).get("en", ""),
                   [_concept(g, c, members) for c in children])


def _schemes(g: Graph) -> list[Scheme]:
    schemes = []
    for node in sorted((s for s in g.subjects(RDF.type, SKOS.ConceptScheme)
                        if isinstance(s, URIRef)), key=str):
        members = {c for c in g.subjects(SKOS.inScheme, node) if isinstance(c, URIRef)}
        roots = sorted((c for c in members
                        if not any(b in members for b in g.objects(c, SKOS.broader))), key=str)
        used_by = g.value(node, URIRef(str(TKG) + "schemeFor"))
        schemes.append(Scheme(str(node), str(node).rsplit("/", 1)[-1],
                              _by_language(g, node, SKOS.prefLabel),
                              _link(used_by) if used_by is not None else None,
                              [_concept(g, c, members) for c in roots], len(members)))
    return schemes




def render_docs(ontology: Graph | None = None, vocabularies: Graph | None = None) -> str:
    """The documentation page as HTML, from the ontology and vocabulary graphs (default: the
    project's files). Raises :class:`FileNotFoundError` when the ontology or the template is
    missing."""
    g = ontology if ontology is not None else ontology_graph()
    v = vocabularies if vocabularies is not None else vocabulary_graph()
    header = URIRef(ONTOLOGY_IRI)
    creators = []
    for creator in g.objects(header, DCTERMS.creator):
        name = g.value(creator, URIRef("http://xmlns.com/foaf/0.1/name"))
        creators.append(str(name) if name is not None else str(creator))
    environment = Environment(autoescape=select_autoescape(default=True,
                                                           default_for_string=True))
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    titles = _by_language(g, header, DCTERMS.title)
    return template.render(
        title=titles.get("en", "Twinning KG ontology"), iri=ONTOLOGY_IRI, namespace=str(TKG),
        version=str(g.value(header, OWL.versionInfo) or ""),
        version_iri=str(g.value(header, OWL.versionIRI) or ""),
        licences=_links(g, header, DCTERMS.license), creators=sorted(creators),
        created=str(g.value(header, DCTERMS.created) or ""),
        modified=str(g.value(header, DCTERMS.modified) or ""),
        descriptions=_by_language(g, header, DCTERMS.description),
        classes=_terms(g, (OWL.Class,)),
        properties=_terms(g, (OWL.ObjectProperty, OWL.DatatypeProperty,
                              OWL.AnnotationProperty)),
        schemes=_schemes(v))


class InsidePackage(ValueError):
    """The folder asked for is inside the installed package, where no user file belongs."""


def write_docs(folder: Path) -> Path:
    """Write ``index.html`` into ``folder`` (created if needed) and return its path.

    :raises InsidePackage: ``folder`` is inside the installed ``graph`` package (an install
        from a wheel keeps the ontology there); nothing is written.
    :raises OSError: the folder cannot be written.
    """
    if folder.resolve().is_relative_to(PACKAGE_DIR):
        raise InsidePackage(f"{folder} is inside the installed package ({PACKAGE_DIR}); "
                            "name a folder of your own with --out")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    path.write_text(render_docs(), encoding="utf-8")
    return path
