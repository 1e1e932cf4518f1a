"""Concept lookup: the words people write for a type, status or theme, to the concept's IRI.

Why one index for two readers: the CSV importer (the build) and ``twinkg suggest``'s
preferences both turn "kultura", "partnerské město" or "zakończone" into a concept IRI, and
both must accept the same names (a prefLabel or altLabel in any language, a notation, the slug
or the IRI itself; case and diacritics do not matter) and refuse the same way. They differ only
in where the concepts come from: the build reads the vocabularies it loads (rebased to its
base), everyone else the vocabulary files (:func:`graph.vocab.vocabulary.concept_index`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pyoxigraph import Literal, Quad

from graph.core import iris
from graph.core.names import fold
from graph.core.namespaces import SKOS

CONTRACT_CONCEPTS = {
    "partnership-type": ("twinning", "partnership-agreement", "friendship", "cooperation"),
    "status": ("active", "suspended", "ended"),
}
"""The slugs the model contract fixes: a build whose sources load no vocabulary still knows
these, so that a partnership list can say "twinning" or "ended"."""


class UnknownConcept(ValueError):
    """A name that is no label, alternative label or slug of any concept of the scheme.

    ``scheme`` and ``name`` say what was looked up; the message lists a few valid names so that
    whoever wrote the input can correct it.
    """

    def __init__(self, scheme: str, name: str, known: Iterable[str]) -> None:
        self.scheme = scheme
        self.name = name
        known = list(known)
        hint = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
        super().__init__(f"unknown {scheme} {name!r}" + (f"; use one of: {hint}" if hint else ""))


@dataclass(frozen=True)
class ConceptIndex:
    """Every way of naming each concept of one scheme, folded (no case, no diacritics).

    ``iri_prefix`` is where the scheme's concept IRIs start (``…/id/theme/``), so that an IRI
    given as a name finds its concept too; ``names`` are what an error suggests.
    """

    scheme: str
    iri_prefix: str
    by_name: dict[str, str]
    names: tuple[str, ...]

    @classmethod
    def of(cls, scheme: str, iri_prefix: str,
           concepts: Iterable[tuple[str, Iterable[str], str]]) -> ConceptIndex:
        """An index of ``(iri, labels, english name)`` triples; the slug always counts."""
        concepts = sorted(concepts, key=lambda c: c[0])
        # Slugs first: a slug is exact, so another concept's label never takes it.
        by_name = {fold(iri.rsplit("/", 1)[-1]): iri for iri, _, _ in reversed(concepts)}
        for iri, labels, _ in concepts:
            for label in labels:
                by_name.setdefault(fold(label), iri)
        names = sorted(english or iri.rsplit("/", 1)[-1] for iri, _, english in concepts)
        return cls(scheme, iri_prefix, by_name, tuple(names))

    def lookup(self, name: str) -> str:
        """The IRI of the concept ``name`` names; raises :class:`UnknownConcept` if none.

        >>> index = ConceptIndex.of("status", "http://x/id/status/",
        ...                         [("http://x/id/status/ended", ["zakończone"], "ended")])
        >>> index.lookup("Zakonczone"), index.lookup("http://x/id/status/ended")
        ('http://x/id/status/ended', 'http://x/id/status/ended')
        >>> index.lookup("over")
        Traceback (most recent call last):
        ...
        graph.vocab.concepts.UnknownConcept: unknown status 'over'; use one of: ended
        """
        text = name.strip()
        if text.startswith(self.iri_prefix):
            text = text[len(self.iri_prefix):]
        found = self.by_name.get(fold(text))
        if found is None or not text:
            raise UnknownConcept(self.scheme, name, self.names)
        return found


def indexes_from_quads(quads: Iterable[Quad], base: str) -> dict[str, ConceptIndex]:
    """Every scheme's index from the SKOS statements among ``quads`` (IRIs under ``base``),
    plus :data:`CONTRACT_CONCEPTS` for a scheme the quads do not describe."""
    data = iris.data_base(base)
    in_scheme = str(SKOS.inScheme)
    label_predicates = {str(SKOS.prefLabel), str(SKOS.altLabel), str(SKOS.notation)}
    scheme_of: dict[str, str] = {}
    labels: dict[str, list[str]] = defaultdict(list)
    english: dict[str, str] = {}
    for q in quads:
        subject, predicate, value = _text(q.subject), q.predicate.value, _text(q.object)
        if predicate == in_scheme and value.startswith(data):
            scheme_of[subject] = value[len(data):]
        elif predicate in label_predicates:
            labels[subject].append(value)
            if (predicate == str(SKOS.prefLabel) and isinstance(q.object, Literal)
                    and q.object.language == "en"):
                english.setdefault(subject, value)
    by_scheme: dict[str, list[tuple[str, list[str], str]]] = defaultdict(list)
    for concept, scheme in scheme_of.items():
        by_scheme[scheme].append((concept, labels.get(concept, []), english.get(concept, "")))
    for scheme, slugs in CONTRACT_CONCEPTS.items():
        if not by_scheme.get(scheme):
            by_scheme[scheme] = [(iris.concept_iri(scheme, s, base), [], s) for s in slugs]
    return {scheme: ConceptIndex.of(scheme, f"{data}{scheme}/", concepts)
            for scheme, concepts in by_scheme.items()}


def _text(term: object) -> str:
    """A term's lexical value (an RDF-star triple never names a concept: its text then)."""
    return str(getattr(term, "value", term))


def lookup(indexes: Mapping[str, ConceptIndex], scheme: str, name: str) -> str:
    """The IRI ``name`` names in ``scheme``; :class:`UnknownConcept` when the scheme or the
    name is unknown."""
    index = indexes.get(scheme)
    if index is None:
        raise UnknownConcept(scheme, name, ())
    return index.lookup(name)
