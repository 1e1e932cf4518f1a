"""The ontology, the SKOS vocabularies and the curated data: where they are and how to read them.

Why a module of its own: the build loads the vocabularies and curated Turtle as a source, the
validator adds the vocabularies and the ontology to any data it checks (so that "this theme
belongs to the theme scheme" can be decided), the docs are generated from the ontology, and the
CSV importer turns the words people write ("kultura", "partnerské město", "zakończone") into
concept IRIs. All of them read the same files through the functions here.

Layout (``ONTOLOGY_DIR`` = ``ontology/``)::

    twinkg.ttl              the OWL ontology (tkg:)
    vocabularies/*.ttl      SKOS concept schemes: theme, partnership-type, status, sector,
                            local-partnership-kind
    curated/*.ttl           hand-authored facts from the seed documents, each with dct:source
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from graph.core.iris import data_base, rebase
from graph.core.namespaces import PERSISTENT_BASE
from graph.core.resources import ontology_dir
from graph.vocab.concepts import ConceptIndex

ONTOLOGY_DIR = ontology_dir()
"""The folder holding the ontology, the vocabularies and the curated data."""

ONTOLOGY_FILE = ONTOLOGY_DIR / "twinkg.ttl"
VOCABULARY_DIR = ONTOLOGY_DIR / "vocabularies"
CURATED_DIR = ONTOLOGY_DIR / "curated"

SCHEMES = ("theme", "partnership-type", "status", "sector", "local-partnership-kind",
           "unit-kind")
"""The slugs of the concept schemes (``id/{slug}``)."""


class UnknownScheme(KeyError):
    """A scheme slug that is not one of :data:`SCHEMES`."""


def vocabulary_files() -> list[Path]:
    """The SKOS vocabulary Turtle files, sorted by name."""
    return sorted(VOCABULARY_DIR.glob("*.ttl"))


def curated_files() -> list[Path]:
    """The vocabulary and curated-data Turtle files (not the ontology), in a stable order.

    >>> [p.name for p in curated_files()][:2]
    ['local-partnership-kinds.ttl', 'partnership-types.ttl']
    """
    return vocabulary_files() + sorted(CURATED_DIR.glob("*.ttl"))


def turtle_graph(paths: Iterable[Path]) -> Graph:
    """One rdflib graph of Turtle files (the ontology, vocabularies, shapes: small files the
    validator and the docs read with rdflib). Raises rdflib's parser errors for a bad file."""
    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return g


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return turtle_graph([ONTOLOGY_FILE])


@lru_cache(maxsize=1)
def _vocabularies() -> Graph:
    return turtle_graph(vocabulary_files())


def ontology_graph() -> Graph:
    """A fresh copy of the ontology graph (callers may add to it).

    Raises :class:`FileNotFoundError` when ``ontology/twinkg.ttl`` is missing.
    """
    return _copy(_ontology())


def vocabulary_graph() -> Graph:
    """A fresh copy of every SKOS vocabulary in one graph."""
    return _copy(_vocabularies())


def curated_graph() -> Graph:
    """The vocabularies and the curated data in one graph."""
    return turtle_graph(curated_files())


def _copy(source: Graph) -> Graph:
    g = Graph()
    for prefix, namespace in source.namespaces():
        g.bind(prefix, namespace)
    for triple in source:
        g.add(triple)
    return g


@lru_cache(maxsize=len(SCHEMES))
def concept_index(scheme: str) -> ConceptIndex:
    """The folded prefLabels, altLabels, notations and slugs of a scheme's concepts.

    Raises :class:`UnknownScheme` for a scheme that is not one of :data:`SCHEMES`.
    """
    if scheme not in SCHEMES:
        raise UnknownScheme(f"no concept scheme {scheme!r}; schemes are {', '.join(SCHEMES)}")
    g = _vocabularies()
    prefix = data_base(PERSISTENT_BASE) + scheme
    concepts = []
    for concept in g.subjects(SKOS.inScheme, URIRef(prefix)):
        labels = [str(o) for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.notation)
                  for o in g.objects(concept, predicate) if isinstance(o, Literal)]
        english = [str(o) for o in g.objects(concept, SKOS.prefLabel)
                   if isinstance(o, Literal) and o.language == "en"]
        concepts.append((str(concept), labels, english[0] if english else ""))
    return ConceptIndex.of(scheme, prefix + "/", concepts)


def concept_for(scheme: str, name: str, base: str = PERSISTENT_BASE) -> str:
    """The IRI of the concept of ``scheme`` that ``name`` names, in pl, cs or en.

    ``name`` may be a prefLabel, an altLabel, the slug or the concept's IRI; case and
    diacritics do not matter. ``base`` rebases the IRI for a build with its own base.
    Raises :class:`graph.vocab.concepts.UnknownConcept` (a :class:`ValueError`) naming the
    scheme and the input, and :class:`UnknownScheme` for an unknown scheme.

    >>> concept_for("theme", "Kultura")
    'https://w3id.org/twinning-kg/id/theme/culture'
    >>> concept_for("partnership-type", "partnerske mesto")
    'https://w3id.org/twinning-kg/id/partnership-type/twinning'
    >>> concept_for("status", "zakończone", base="http://127.0.0.1:8080/")
    'http://127.0.0.1:8080/id/status/ended'
    """
    return rebase(concept_index(scheme).lookup(name), base)
