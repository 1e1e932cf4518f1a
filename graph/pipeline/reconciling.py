"""The reconcile stage: each distinct authority matched once to GeoNames and to its register.

Matching by name happens in :mod:`graph.gazetteer.reconcile` and :mod:`graph.gazetteer.registers`;
this stage decides what the build does with the answers: which authority keeps which match,
which listed authority becomes the register unit it is, and which curated authorities still
need a place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from graph.core import iris
from graph.core.countries import Country, UnknownCountry, resolve_country
from graph.core.namespaces import GEONAMES, OWL, RDF, RDFS, TKG, WGS
from graph.gazetteer.reconcile import Gazetteer, separate_shared_places
from graph.gazetteer.registers import MergedUnits, RegisterIndex, RegisterLink
from graph.pipeline.normalise import authority_kind, term_value
from graph.pipeline.rdfize import Authority

if TYPE_CHECKING:
    from pyoxigraph import Quad

    from graph.pipeline.builder import Builder

AUTHORITY_CLASSES = ("Municipality", "County", "Region", "LocalAuthority")


def match_authorities(builder: Builder, gazetteer: Gazetteer) -> None:
    """Match every listed authority the curated data does not already place, once."""
    curated_located = {term_value(q.subject) for q in builder.curated
                       if term_value(q.predicate).endswith("wgs84_pos#lat")}
    for key, authority in builder.progress.track(list(builder.authorities.items()),
                                                 "reconcile", len(builder.authorities)):
        if builder.rdf.authority_node(key).value in curated_located:
            continue  # the curated data already places it; do not add a second location
        match = gazetteer.match(authority.name, authority.country)
        kind = authority_kind(authority.name, match)
        if kind != authority.kind:
            authority = Authority(authority.key, authority.name, authority.country, kind,
                                  authority.official_code)
            builder.authorities[key] = authority
        builder.matches[key] = (authority, match)
    partners = {(a.key, b.key) for _, partnership in builder.partnerships
                for i, a in enumerate(partnership.authorities)
                for b in partnership.authorities[i + 1:]}
    separated = separate_shared_places({k: (a.name, m) for k, (a, m)
                                        in builder.matches.items()}, partners)
    for key, match in separated.items():
        builder.matches[key] = (builder.matches[key][0], match)


def match_curated(builder: Builder, gazetteer: Gazetteer) -> None:
    """Place the curated authorities that have a name and country but no place yet."""
    for key, authority in curated_to_place(builder.curated, builder.base).items():
        if key not in builder.matches:
            builder.curated_keys.add(key)
            builder.matches[key] = (authority, gazetteer.match(authority.name,
                                                               authority.country))


def link_registers(builder: Builder, gazetteer: Gazetteer | None = None) -> None:
    """Listed authorities of a register country become the register unit they are.

    One real unit is one authority: a partnership of "Warsaw" is a partnership of gmina
    Warszawa (``id/authority/pl/teryt/1465011``), whose partnerships, names and codes
    then sit on one resource. The partnership keeps its IRI (minted from the listed
    names), and the name-based IRI of the authority keeps resolving: it is
    ``owl:sameAs`` the unit; the listed names become the unit's other names. Two partners
    of one partnership that would land on one unit both stay as listed, as for GeoNames
    places (:func:`separate_shared_places`). An authority the curated data describes keeps
    its authored IRI (curated partnerships name it) and is only stated ``owl:sameAs`` its
    unit. A reference source's unit (``lau-linked``) is published once an authority is it.
    """
    if not builder.units.units and not builder.candidates.units:
        return
    index = RegisterIndex(MergedUnits({**builder.candidates.units, **builder.units.units}),
                          gazetteer)
    links = _find_register_links(builder, index)
    _link_by_partners(builder, index, links)
    _drop_shared_units(builder, links)
    _link_cities(builder, index, links)
    _publish_candidates(builder, [*links.values(), *builder.register_same_as.values(),
                                  *(RegisterLink(unit, "", 0.0)
                                    for unit in builder.within_units.values())])
    for key, link in links.items():
        listed, match = builder.matches[key]
        unit = builder.units.units[link.unit_key]
        authority = Authority(link.unit_key, listed.name, listed.country, unit.level)
        builder.authorities.setdefault(link.unit_key, authority)
        builder.matches[key] = (authority, match)
    builder.register_links = links
    builder.partnerships = [
        (record, replace(partnership, authorities=tuple(
            replace(builder.authorities[links[a.key].unit_key], name=a.name)
            if a.key in links else a for a in partnership.authorities)))
        for record, partnership in builder.partnerships]


def _link_cities(builder: Builder, index: RegisterIndex,
                 links: dict[str, RegisterLink]) -> None:
    """A district no register has, within a city GeoNames knows ("Vienna 23 - Liesing"),
    lies within the city's unit too: so the city (Wien) is in the graph under its native
    name even when no list names it."""
    for key, (authority, match) in builder.matches.items():
        if key not in links and match.within and match.place is not None:
            unit = index.city_unit(authority.country.alpha2, match.place)
            if unit is not None:
                builder.within_units[key] = unit


def _publish_candidates(builder: Builder, links: list[RegisterLink]) -> None:
    """The reference units listed authorities turned out to be join the build's units."""
    for link in links:
        key = link.unit_key
        if key not in builder.units.units and key in builder.candidates.units:
            builder.units.units[key] = builder.candidates.units[key]
            builder.units.rows[key] = builder.candidates.rows.get(key, [])


def _find_register_links(builder: Builder, index: RegisterIndex) -> dict[str, RegisterLink]:
    """Each matched authority's register unit by name, code and place; the reason when none.

    A curated authority's unit goes to ``register_same_as`` (it keeps its authored IRI); the
    listed ones' are returned, to be checked for partners sharing a unit.
    """
    authored = {term_value(q.subject) for q in builder.curated
                if term_value(q.predicate) == str(RDF.type)
                and term_value(q.object) in {str(TKG[k]) for k in AUTHORITY_CLASSES}}
    links: dict[str, RegisterLink] = {}
    for key, (authority, match) in builder.matches.items():
        place = match.place if match.identity is not None and match.place else None
        link = index.find(authority.name, authority.country.alpha2,
                          authority.official_code, place, match.subdivision,
                          match.unit.name if match.unit is not None else None,
                          place_candidates=match.candidates)
        if not isinstance(link, RegisterLink):
            if authority.country.alpha2 in index.countries:
                builder.register_reasons[key] = link
            continue
        if builder.rdf.authority_node(key).value in authored:
            builder.register_same_as[key] = link
        else:
            links[key] = link
    return links


def _drop_shared_units(builder: Builder, links: dict[str, RegisterLink]) -> None:
    """Partners of one partnership that would be one unit both stay as listed."""
    for _, partnership in builder.partnerships:
        units = [links[a.key].unit_key for a in partnership.authorities if a.key in links]
        shared = {u for u in units if units.count(u) > 1}
        for authority in partnership.authorities:
            if authority.key in links and links[authority.key].unit_key in shared:
                shared_key = links.pop(authority.key).unit_key
                builder.register_reasons[authority.key] = (
                    f"its partner in one partnership is also {shared_key}")


def _link_by_partners(builder: Builder, index: RegisterIndex,
                      links: dict[str, RegisterLink]) -> None:
    """Namesakes without a point of their own, or none near the GeoNames place (which is then
    another place: "Chodov", Prague's quarter, for the town twinned with Oelsnitz), settled by
    where their partners are."""
    waiting = {k for k, reason in builder.register_reasons.items()
               if "no point to choose" in reason or "km of the GeoNames place" in reason}
    if not waiting:
        return
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for _, partnership in builder.partnerships:
        keys = [a.key for a in partnership.authorities]
        for key in set(keys) & waiting:
            for other in keys:
                point = _point_of(builder, index, other, links)
                if other != key and point is not None:
                    points[key].append(point)
    for key in waiting:
        authority = builder.matches[key][0]
        link = index.near_partners(authority.name, authority.country.alpha2, points[key])
        if link is not None:
            another = "km of the GeoNames place" in builder.register_reasons.pop(key)
            links[key] = replace(link, geonames=False, why="none of them is the GeoNames "
                                 "place of that name") if another else link


def _point_of(builder: Builder, index: RegisterIndex, key: str,
              links: dict[str, RegisterLink]) -> tuple[float, float] | None:
    """Where an authority is: its register unit's point, else its GeoNames place's."""
    if key in links:
        unit = index.units[links[key].unit_key]
        if unit.lat is not None and unit.long is not None:
            return unit.lat, unit.long
    match = builder.matches.get(key, (None, None))[1]
    place = match.place if match is not None else None
    return (place.lat, place.long) if place is not None else None


def curated_to_place(curated: list[Quad], base: str) -> dict[str, Authority]:
    """Curated authorities with a label and country code but no location or GeoNames link.

    The curated Turtle is loaded as written, so without this a curated-only build has no
    coordinates at all. Their ``tkg:regionName`` is the region hint; their class is kept
    (the curated data says what they are). Authorities whose code no longer resolves
    are left alone: the shapes report them.
    """
    prefix = iris.data_base(base) + "authority/"
    kinds = {str(TKG[k]): k for k in AUTHORITY_CLASSES}
    facts = _curated_facts(curated, prefix, kinds)
    found: dict[str, Authority] = {}
    for subject, fact in sorted(facts.items()):
        if "lat" in fact or "sameAs" in fact or not {"label", "country", "type"} <= set(fact):
            continue
        try:
            country = resolve_country(fact["country"])
        except UnknownCountry:
            continue
        country = Country(country.alpha2, country.alpha3, fact.get("region"))
        found[subject[len(prefix):]] = Authority(subject[len(prefix):], fact["label"],
                                                 country, kinds[fact["type"]])
    return found


def _curated_facts(curated: list[Quad], prefix: str,
                   kinds: dict[str, str]) -> dict[str, dict[str, str]]:
    """The first label, country code, region, class, latitude and GeoNames link of each
    curated authority, by IRI."""
    facts: dict[str, dict[str, str]] = defaultdict(dict)
    wanted = {str(RDFS.label): "label", str(TKG.countryCode): "country",
              str(TKG.regionName): "region", str(RDF.type): "type",
              str(WGS.lat): "lat", str(OWL.sameAs): "sameAs"}
    for q in curated:
        subject, predicate = term_value(q.subject), term_value(q.predicate)
        field_ = wanted.get(predicate)
        if field_ is None or not subject.startswith(prefix):
            continue
        value = term_value(q.object)
        if field_ == "type" and value not in kinds:
            continue
        if field_ == "sameAs" and not value.startswith(str(GEONAMES)):
            continue
        facts[subject].setdefault(field_, value)
    return facts
