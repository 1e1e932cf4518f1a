"""The ontology and SKOS vocabularies as the service publishes them at ``/def``.

Reads the hand-written Turtle under ``ontology/`` (``twinkg.ttl`` and ``vocabularies/*.ttl``)
once per change of the files, and gives the views what they render: the graphs, a version tag
for ``ETag``, the HTML documentation (the generated docs when ``twinkg docs`` wrote them to
``ontology/docs/index.html``, else a plain page listing every term) and the concept schemes
as browsable trees.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.core.iris import rebase
from graph.core.resources import ontology_dir

ONTOLOGY_DIR = ontology_dir()
ONTOLOGY_FILE = "twinkg.ttl"
DOCS_FILE = Path("docs") / "index.html"
LANGS = ("en", "pl", "cs")


class OntologyMissing(FileNotFoundError):
    """Raised when the ontology file is not where the service looks for it."""


def _files(folder: Path) -> tuple[Path, ...]:
    ontology = folder / ONTOLOGY_FILE
    if not ontology.is_file():
        raise OntologyMissing(f"no ontology at {ontology}")
    return (ontology, *sorted((folder / "vocabularies").glob("*.ttl")))


def version_tag(folder: Path = ONTOLOGY_DIR) -> str:
    """A short hash of the ontology and vocabulary files: the ``ETag`` of ``/def`` responses.

    Raises :class:`OntologyMissing` when there is no ontology.
    """
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def _parsed(folder: Path, version: str, which: str) -> Graph:
    files = _files(folder)
    chosen = files[:1] if which == "ontology" else files[1:]
    g = Graph()
    for path in chosen:
        g.parse(path, format="turtle")
    return g


def ontology_graph(folder: Path = ONTOLOGY_DIR) -> Graph:
    """The ontology (``twinkg.ttl``). Raises :class:`OntologyMissing`."""
    return _parsed(folder, version_tag(folder), "ontology")


def vocabulary_graph(folder: Path = ONTOLOGY_DIR) -> Graph:
    """Every SKOS vocabulary (``vocabularies/*.ttl``). Raises :class:`OntologyMissing`."""
    return _parsed(folder, version_tag(folder), "vocabularies")


def _labels(g: Graph, node: URIRef, *predicates: URIRef) -> dict[str, str]:
    labels: dict[str, str] = {}
    for predicate in predicates:
        for value in g.objects(node, predicate):
            if isinstance(value, Literal):
                labels.setdefault(value.language or "", str(value))
    return labels


@dataclass(frozen=True)
class ConceptView:
    """One concept for display: IRI (rebased to the deployment), labels, children."""

    iri: str
    labels: dict[str, str]
    alt_labels: list[str]
    definition: str | None
    narrower: list[ConceptView] = field(default_factory=list)


@dataclass(frozen=True)
class SchemeView:
    """One concept scheme for display."""

    slug: str
    iri: str
    labels: dict[str, str]
    concept_count: int
    top: list[ConceptView] = field(default_factory=list)


def _scheme_nodes(g: Graph) -> dict[str, URIRef]:
    nodes = {}
    for node in g.subjects(RDF.type, SKOS.ConceptScheme):
        if isinstance(node, URIRef):
            nodes[str(node).rstrip("/").rsplit("/", 1)[-1]] = node
    return dict(sorted(nodes.items()))


def _concept(g: Graph, node: URIRef, base_iri: str, seen: set[URIRef]) -> ConceptView:
    seen.add(node)
    children = sorted(
        (c for c in set(g.objects(node, SKOS.narrower)) | set(g.subjects(SKOS.broader, node))
         if isinstance(c, URIRef) and c not in seen),
        key=str,
    )
    return ConceptView(
        iri=rebase(str(node), base_iri),
        labels=_labels(g, node, SKOS.prefLabel, RDFS.label),
        alt_labels=sorted(str(v) for v in g.objects(node, SKOS.altLabel)),
        definition=_labels(g, node, SKOS.definition).get("en"),
        narrower=[_concept(g, c, base_iri, seen) for c in children],
    )


def _view(g: Graph, slug: str, node: URIRef, base_iri: str, tree: bool) -> SchemeView:
    concepts = {c for c in g.subjects(SKOS.inScheme, node) if isinstance(c, URIRef)}
    concepts |= {c for c in g.objects(node, SKOS.hasTopConcept) if isinstance(c, URIRef)}
    top: list[ConceptView] = []
    if tree:
        roots = sorted(
            (c for c in concepts
             if not any(b in concepts for b in g.objects(c, SKOS.broader))
             and not any(c in set(g.objects(p, SKOS.narrower)) for p in concepts)),
            key=str,
        )
        seen: set[URIRef] = set()
        top = [_concept(g, c, base_iri, seen) for c in roots]
    return SchemeView(slug, rebase(str(node), base_iri),
                      _labels(g, node, SKOS.prefLabel, RDFS.label, URIRef(
                          "http://purl.org/dc/terms/title")), len(concepts), top)


def schemes(base_iri: str, folder: Path = ONTOLOGY_DIR) -> list[SchemeView]:
    """Every concept scheme with its labels and number of concepts (no tree)."""
    g = vocabulary_graph(folder)
    return [_view(g, slug, node, base_iri, tree=False) for slug, node in _scheme_nodes(g).items()]


def scheme(slug: str, base_iri: str, folder: Path = ONTOLOGY_DIR) -> SchemeView | None:
    """One concept scheme with its concepts as a tree (broader/narrower), or ``None``."""
    g = vocabulary_graph(folder)
    node = _scheme_nodes(g).get(slug)
    return None if node is None else _view(g, slug, node, base_iri, tree=True)


def scheme_graph(slug: str, folder: Path = ONTOLOGY_DIR) -> Graph:
    """The triples about one scheme and its concepts. Raises :class:`KeyError` if unknown."""
    g = vocabulary_graph(folder)
    node = _scheme_nodes(g)[slug]
    members = {node} | set(g.subjects(SKOS.inScheme, node)) | set(g.objects(node,
                                                                             SKOS.hasTopConcept))
    out = Graph()
    for prefix, namespace in g.namespaces():
        out.bind(prefix, namespace)
    for member in members:
        for triple in g.triples((member, None, None)):
            out.add(triple)
    return out


@dataclass(frozen=True)
class TermView:
    """A class or property of the ontology for the fallback documentation page."""

    iri: str
    local: str
    kind: str
    labels: dict[str, str]
    comment: str | None


def terms(folder: Path = ONTOLOGY_DIR) -> list[TermView]:
    """Classes, then properties, of the ontology, sorted by local name."""
    g = ontology_graph(folder)
    kinds = [(OWL.Class, "class"), (RDFS.Class, "class"), (OWL.ObjectProperty, "property"),
             (OWL.DatatypeProperty, "property"), (RDF.Property, "property"),
             (OWL.SymmetricProperty, "property")]
    found: dict[str, TermView] = {}
    for rdf_type, kind in kinds:
        for node in g.subjects(RDF.type, rdf_type):
            if isinstance(node, URIRef) and str(node) not in found:
                found[str(node)] = TermView(
                    str(node), str(node).rsplit("#", 1)[-1], kind,
                    _labels(g, node, RDFS.label), _labels(g, node, RDFS.comment).get("en"))
    return sorted(found.values(), key=lambda t: (t.kind, t.local.casefold()))


def generated_docs(folder: Path = ONTOLOGY_DIR) -> Path | None:
    """The HTML documentation ``twinkg docs`` generated, if it is there."""
    path = folder / DOCS_FILE
    return path if path.is_file() else None
