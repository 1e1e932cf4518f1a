"""The ontology and vocabularies parse, label every term in en, pl and cs, define the terms of
docs/model-contract.md, and the free-text concept lookup resolves pl/cs/en names."""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from graph.core import iris
from graph.core.names import fold
from graph.core.namespaces import ONTOLOGY_IRI, TKG, WDT
from graph.validation import shapes_graph
from graph.vocab.concepts import UnknownConcept
from graph.vocab.vocabulary import (
    ONTOLOGY_FILE,
    SCHEMES,
    UnknownScheme,
    concept_for,
    curated_files,
    ontology_graph,
    vocabulary_files,
    vocabulary_graph,
)

LANGUAGES = {"en", "pl", "cs"}
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
CONTRACT_CLASSES = ("LocalAuthority", "Municipality", "County", "Region", "Partnership",
                    "FundingProgramme", "Activity", "Organisation", "Award", "LocalPartnership")
CONTRACT_PROPERTIES = (
    "country", "countryCode", "regionName", "partOf", "teryt", "czechMunicipalityCode", "lau",
    "nuts", "population", "matchMethod", "matchConfidence", "twinnedWith", "participant",
    "partnershipType", "status", "startDate", "endDate", "theme", "programme", "legalBasis",
    "activity", "sector", "localPartnershipKind")
CONTRACT_CONCEPTS = {
    "partnership-type": {"twinning", "partnership-agreement", "friendship", "cooperation"},
    "status": {"active", "suspended", "ended"},
    "sector": {"public", "social", "private"},
    "local-partnership-kind": {"public-private", "sectoral", "tri-sector", "project"},
}


def _terms(g: Graph) -> set[URIRef]:
    return {s for t in TERM_TYPES for s in g.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(str(TKG))}


def _languages(g: Graph, node: URIRef, predicate: URIRef) -> list[str]:
    return [o.language or "" for o in g.objects(node, predicate) if isinstance(o, Literal)]


def test_every_file_parses() -> None:
    for path in [ONTOLOGY_FILE, *curated_files()]:
        assert len(Graph().parse(path, format="turtle")) > 0, path
    assert len(shapes_graph()) > 0


def test_ontology_header() -> None:
    g = ontology_graph()
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in g
    for predicate in (OWL.versionInfo, OWL.versionIRI, DCTERMS.license, DCTERMS.creator,
                      DCTERMS.created, DCTERMS.modified):
        assert g.value(header, predicate) is not None, predicate
    assert set(_languages(g, header, DCTERMS.title)) == LANGUAGES


def test_every_class_and_property_is_labelled_in_three_languages() -> None:
    g = ontology_graph()
    terms = _terms(g)
    assert len(terms) >= 40
    for term in terms:
        for predicate in (RDFS.label, RDFS.comment):
            languages = _languages(g, term, predicate)
            assert sorted(languages) == sorted(LANGUAGES), (term, predicate, languages)
        assert g.value(term, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI), term


def test_contract_terms_are_defined() -> None:
    g = ontology_graph()
    for name in CONTRACT_CLASSES:
        assert (TKG[name], RDF.type, OWL.Class) in g, name
    for name in CONTRACT_PROPERTIES:
        assert any((TKG[name], RDF.type, t) in g for t in TERM_TYPES), name
    for level in ("Municipality", "County", "Region"):
        assert (TKG[level], RDFS.subClassOf, TKG.LocalAuthority) in g


def test_twinned_with_is_symmetric_and_equivalent_to_p190() -> None:
    g = ontology_graph()
    assert (TKG.twinnedWith, RDF.type, OWL.SymmetricProperty) in g
    assert (TKG.twinnedWith, OWL.equivalentProperty, WDT.P190) in g


def test_alignments_to_standard_vocabularies_are_stated() -> None:
    g = ontology_graph()
    aligned = {str(o) for p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentProperty,
                                SKOS.closeMatch) for o in g.objects(None, p)}
    for namespace in ("http://www.w3.org/ns/org#", "https://schema.org/",
                      "http://www.opengis.net/ont/geosparql#", "http://www.w3.org/ns/prov#",
                      "http://purl.org/dc/terms/", "http://www.w3.org/ns/dcat#",
                      "http://www.w3.org/ns/regorg#", "http://www.wikidata.org/prop/direct/"):
        assert any(iri.startswith(namespace) for iri in aligned), namespace
    assert (TKG.legalBasis, RDFS.range, URIRef("http://data.europa.eu/eli/ontology#LegalResource")
            ) in g


def test_schemes_and_concepts_use_the_minted_iris() -> None:
    g = vocabulary_graph()
    schemes = {str(s) for s in g.subjects(RDF.type, SKOS.ConceptScheme)}
    assert schemes == {iris.scheme_iri(s) for s in SCHEMES}
    for scheme in SCHEMES:
        concepts = {str(c) for c in g.subjects(SKOS.inScheme, URIRef(iris.scheme_iri(scheme)))}
        for concept in concepts:
            assert concept == iris.concept_iri(scheme, concept.rsplit("/", 1)[-1])
        slugs = {c.rsplit("/", 1)[-1] for c in concepts}
        assert CONTRACT_CONCEPTS.get(scheme, set()) <= slugs, scheme


def test_every_concept_has_one_preflabel_in_each_language() -> None:
    g = vocabulary_graph()
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for concept in concepts:
        assert isinstance(concept, URIRef)
        assert sorted(_languages(g, concept, SKOS.prefLabel)) == sorted(LANGUAGES), concept
        assert g.value(concept, SKOS.inScheme) is not None


def test_themes() -> None:
    g = vocabulary_graph()
    scheme = URIRef(iris.scheme_iri("theme"))
    themes = set(g.subjects(SKOS.inScheme, scheme))
    assert len(themes) >= 20
    narrower = {str(c).rsplit("/", 1)[-1] for c in g.subjects(
        SKOS.broader, URIRef(iris.concept_iri("theme", "social-issues")))}
    assert {"unemployment", "disability", "housing", "public-safety", "addiction"} <= narrower
    narrower = {str(c).rsplit("/", 1)[-1] for c in g.subjects(
        SKOS.broader, URIRef(iris.concept_iri("theme", "infrastructure")))}
    assert {"roads", "waste", "water", "heating", "energy"} <= narrower
    for concept in themes:
        assert (concept, SKOS.topConceptOf, scheme) in g or g.value(concept, SKOS.broader)


def test_no_name_points_to_two_concepts_of_one_scheme() -> None:
    g = vocabulary_graph()
    for scheme in SCHEMES:
        owners: dict[str, set[str]] = defaultdict(set)
        for concept in g.subjects(SKOS.inScheme, URIRef(iris.scheme_iri(scheme))):
            for predicate in (SKOS.prefLabel, SKOS.altLabel):
                for label in g.objects(concept, predicate):
                    owners[fold(str(label))].add(str(concept))
            owners[fold(str(concept).rsplit("/", 1)[-1])].add(str(concept))
        clashes = {name: c for name, c in owners.items() if len(c) > 1}
        assert not clashes, (scheme, clashes)


@pytest.mark.parametrize(("scheme", "name", "slug"), [
    ("theme", "Kultura i sztuka", "culture"),
    ("theme", "kultura a umění", "culture"),
    ("theme", "KULTURA A UMENI", "culture"),
    ("theme", "youth exchange", "youth-exchange"),
    ("theme", "ochrona srodowiska", "environment"),
    ("theme", "smart-cities", "smart-cities"),
    ("theme", "https://w3id.org/twinning-kg/id/theme/waste", "waste"),
    ("partnership-type", "miasta bliźniacze", "twinning"),
    ("partnership-type", "Sister city", "twinning"),
    ("partnership-type", "partnerské město", "twinning"),
    ("partnership-type", "umowa o przyjaźni", "friendship"),
    ("status", "zakończone", "ended"),
    ("status", "pozastavené", "suspended"),
    ("status", " Active ", "active"),
    ("sector", "trzeci sektor", "social"),
    ("local-partnership-kind", "trójsektorowe", "tri-sector"),
])
def test_concept_for_resolves_names_in_three_languages(scheme: str, name: str,
                                                        slug: str) -> None:
    assert concept_for(scheme, name) == iris.concept_iri(scheme, slug)


def test_concept_for_rebases() -> None:
    assert concept_for("theme", "sport", base="http://127.0.0.1:5000/") == \
        "http://127.0.0.1:5000/id/theme/sport"


def test_unknown_names_are_refused_clearly() -> None:
    with pytest.raises(UnknownConcept, match="unknown theme 'underwater basket weaving'") as info:
        concept_for("theme", "underwater basket weaving")
    assert info.value.scheme == "theme"
    assert "culture and arts" in str(info.value)
    with pytest.raises(UnknownConcept):
        concept_for("status", "")
    with pytest.raises(UnknownConcept):
        concept_for("status", "sport")
    with pytest.raises(UnknownScheme):
        concept_for("colour", "red")


def test_curated_files_are_vocabularies_and_curated_data_only() -> None:
    files = curated_files()
    assert ONTOLOGY_FILE not in files
    assert files[: len(vocabulary_files())] == vocabulary_files()
    assert {p.parent.name for p in files} == {"vocabularies", "curated"}
