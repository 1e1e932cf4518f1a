"""The normalise stage: a record's countries, authority keys and concepts, or why it has none.

A row whose country, concept or identity cannot be settled is rejected here with a sentence
(:class:`ValueError`), before anything is reconciled or loaded; what passes is a
:class:`graph.pipeline.rdfize.Partnership` whose every part has an IRI.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.core import iris
from graph.core.countries import Country, UnknownCountry, resolve_country, split_place_country
from graph.core.names import fold
from graph.core.subdivisions import subdivision_kind
from graph.gazetteer.reconcile import Match
from graph.ingest.records import PartnershipRecord
from graph.pipeline.rdfize import Authority, Partnership
from graph.vocab.concepts import ConceptIndex, lookup

_KIND_WORDS = (("county", "County"), ("powiat", "County"), ("district", "County"),
               ("okres", "County"), ("region", "Region"), ("voivodeship", "Region"),
               ("kraj", "Region"), ("province", "Region"), ("oblast", "Region"))
def term_value(term: Any) -> str:
    """The lexical value of a pyoxigraph term (RDF-star triples never occur here)."""
    return str(getattr(term, "value", term))


def authority_kind(name: str, match: Match) -> str:
    """What kind of authority a reconciled name is: its subdivision's kind, a kind word in
    its name ("Powiat poznański"), else a municipality when it is a place of its own.

    >>> authority_kind("Powiat poznański", Match(None, "unmatched", 0.0))
    'County'
    """
    if match.subdivision:
        return subdivision_kind(match.subdivision)
    words = fold(name).split()
    for word, kind in _KIND_WORDS:
        if word in words:
            return kind
    # A city's district is some local authority; what else it is, its name does not say.
    return "Municipality" if match.linked and not match.within else "LocalAuthority"


def country_and_name(name: str, country_text: str) -> tuple[str, Country]:
    """Resolve the country; a blank country may be written into the name ("Varna, Bulgaria").

    Raises :class:`ValueError` with the reason when neither gives a country.
    """
    try:
        return name, resolve_country(country_text)
    except UnknownCountry as error:
        if not country_text.strip():
            split = split_place_country(name)
            if split is not None:
                return split
            raise ValueError(f"no country for {name!r}") from None
        raise ValueError(str(error)) from None


def partnership_of(record: PartnershipRecord, concepts: Mapping[str, ConceptIndex],
                   authorities: dict[str, Authority]) -> Partnership:
    """One record's partnership; raises :class:`ValueError` with the reason it is not.

    ``authorities`` is the build's table of authorities by key: a participant seen before is
    the same :class:`Authority`, a new one is added to it.
    """
    participants = []
    for participant in record.participants:
        name, country = country_and_name(participant.name, participant.country)
        key = iris.authority_key(country.alpha2, name)
        authority = authorities.get(key) or Authority(
            key, name, country, official_code=participant.official_code)
        authorities.setdefault(key, authority)
        participants.append(authority)
    keys = {a.key for a in participants}
    if len(keys) < len(participants):
        raise ValueError(f"self-partnership: {participants[0].name} twinned with itself")
    return Partnership(
        key=iris.partnership_key(keys), source=record.source,
        authorities=tuple(participants),
        type_iri=lookup(concepts, "partnership-type", record.type) if record.type else None,
        status_iri=lookup(concepts, "status", record.status) if record.status else None,
        theme_iris=tuple(lookup(concepts, "theme", t) for t in record.themes),
        since=record.since, until=record.until, programme=record.programme,
        notes=record.notes, source_url=record.source_url)
