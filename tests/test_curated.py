"""The curated data: it conforms to the shapes, every fact has a source, its IRIs are the ones
graph/core/iris.py mints, and it states the facts the seed documents give."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, XSD

from graph.core import iris
from graph.core.namespaces import ELI, TKG
from graph.validation import RUNNERS, Runner, listing, validate
from graph.vocab.vocabulary import curated_graph

ID = "https://w3id.org/twinning-kg/id/"
SOURCED = (TKG.Municipality, TKG.County, TKG.Region, TKG.Partnership, TKG.Activity,
           TKG.FundingProgramme, TKG.Organisation, TKG.AssociationOfAuthorities, TKG.Award,
           TKG.LocalPartnership, ELI.LegalResource)


def _authority(country: str, name: str) -> URIRef:
    return URIRef(iris.authority_iri(country, name))


def _key(authority: URIRef) -> str:
    return str(authority).split("/authority/", 1)[1]


@pytest.mark.parametrize("runner", RUNNERS)
def test_curated_data_conforms_to_the_shapes(runner: Runner) -> None:
    report = validate(curated_graph(), runner)
    assert report.conforms, listing(report)


def test_every_curated_fact_has_a_described_source() -> None:
    g = curated_graph()
    documents = set(g.subjects(RDF.type, FOAF.Document))
    legal = set(g.subjects(RDF.type, ELI.LegalResource))
    for cls in SOURCED:
        for node in g.subjects(RDF.type, cls):
            if cls == ELI.LegalResource and g.value(node, DCTERMS.bibliographicCitation):
                continue  # an act is its own source: its official citation says where it is
            sources = set(g.objects(node, DCTERMS.source))
            assert sources, node
            for source in sources:
                assert source in documents or source in legal or \
                    str(source).startswith("http://data.europa.eu/eli/"), (node, source)
    for document in documents:
        assert g.value(document, DCTERMS.identifier) is not None


def test_iris_are_the_minted_ones() -> None:
    g = curated_graph()
    for partnership in g.subjects(RDF.type, TKG.Partnership):
        keys = [_key(p) for p in g.objects(partnership, TKG.participant)]  # type: ignore[arg-type]
        assert str(partnership) == iris.partnership_iri(keys)
        for participant in g.objects(partnership, TKG.participant):
            label = str(g.value(participant, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
            code = str(g.value(participant, TKG.countryCode))
            assert participant == _authority(code, label)
    for node in set(g.subjects()) | {o for o in g.objects() if isinstance(o, URIRef)}:
        if str(node).startswith(ID):
            kind = str(node)[len(ID):].split("/", 1)[0]
            assert kind in {"authority", "partnership", "theme", "partnership-type", "status",
                            "sector", "local-partnership-kind", "unit-kind", "programme", "legal",
                            "organisation", "award", "activity", "document"}, node


def test_swarzedz_partnerships_and_youth_camps() -> None:
    g = curated_graph()
    swarzedz = _authority("PL", "Swarzędz")
    partners = {"de/ronnenberg", "fr/duclair", "se/järfälla"}
    for partner in partners:
        partnership = URIRef(iris.partnership_iri(["pl/swarzędz", partner]))
        assert (partnership, RDF.type, TKG.Partnership) in g
        other = URIRef(f"{ID}authority/{partner}")
        assert (swarzedz, TKG.twinnedWith, other) in g and (other, TKG.twinnedWith, swarzedz) in g
    jarfalla = URIRef(iris.partnership_iri(["pl/swarzędz", "se/järfälla"]))
    assert {URIRef(iris.concept_iri("theme", t)) for t in ("environment", "education")} <= \
        set(g.objects(jarfalla, TKG.theme))
    camps = URIRef(f"{ID}activity/swarzedz-ronnenberg-duclair-youth-camps")
    assert g.value(camps, TKG.startDate) == Literal("1992", datatype=XSD.gYear)
    assert set(g.objects(camps, TKG.organiser)) == {
        swarzedz, _authority("DE", "Ronnenberg"), _authority("FR", "Duclair")}
    trilateral = URIRef(iris.partnership_iri(["pl/swarzędz", "de/ronnenberg", "fr/duclair"]))
    assert (trilateral, TKG.activity, camps) in g
    tymbark = URIRef(f"{ID}activity/tymbark-small-congresses-of-europe")
    assert g.value(tymbark, TKG.organiser) == _authority("PL", "Tymbark")
    assert g.value(tymbark, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL")


def test_legal_bases_programmes_organisations_and_awards() -> None:
    g = curated_graph()
    citations = {str(c) for c in g.objects(None, DCTERMS.bibliographicCitation)}
    assert {"Dz.U. 2000 nr 91 poz. 1009", "Dz.U. 1990 nr 16 poz. 95", "128/2000 Sb.",
            "Dz.U. 2004 nr 99 poz. 1001"} <= citations
    czech = URIRef(f"{ID}legal/cz-act-128-2000-municipalities")
    assert g.value(czech, ELI.jurisdiction) == URIRef(
        "http://publications.europa.eu/resource/authority/country/CZE")
    for slug in ("europe-for-citizens", "cerv", "cerv-town-twinning", "interreg", "erasmus"):
        programme = URIRef(f"{ID}programme/{slug}")
        assert (programme, RDF.type, TKG.FundingProgramme) in g
        assert g.value(programme, TKG.funder) == URIRef(f"{ID}organisation/european-commission")
        assert g.value(programme, TKG.startDate) is not None
    for slug in ("cemr", "zmp", "stredocesky-kraj-regional-office", "pism", "fwpn"):
        assert g.value(URIRef(f"{ID}organisation/{slug}"), RDF.type) is not None, slug
    award = URIRef(f"{ID}award/european-commission-honorary-award")
    assert set(g.subjects(TKG.receivedAward, award)) == {
        _authority("PL", "Głogów"), _authority("PL", "Legnica")}
