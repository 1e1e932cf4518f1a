"""Unlinking names that different qualifiers set apart but that landed on one place.

Matching (:mod:`graph.gazetteer.match`) decides one name at a time; only once every name of a
build is matched can two of them be seen to share a place their qualifiers say are two
("Lagoa (Azores)" and "Lagoa, Algarve"), or two partners be seen on one link.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graph.core.names import fold, name_variants
from graph.gazetteer.match import DISTRICT_NUMBER, Match


def _qualifier(name: str, match: Match) -> tuple[str, bool] | None:
    """The folded qualifier of a name linked to a place ("azores" in "Lagoa (Azores)"), and
    whether it decided the place (a region it names held the other candidates off)."""
    if match.place is None or "hint-split" not in match.method:
        return None
    hint = next((fold(v.hint) for v in name_variants(name) if v.hint), None)
    if not hint:
        return None
    # "Budapest IX - Ferencváros" and "Ferencváros (Budapest)" name one district.
    return DISTRICT_NUMBER.sub("", hint), "+region" in match.method


def _shared(match: Match) -> Match:
    return Match(None, "unmatched:shared-place", 0.0, match.candidates)


def separate_shared_places(named: Mapping[str, tuple[str, Match]],
                           partners: Iterable[tuple[str, str]] = ()) -> dict[str, Match]:
    """Unlink names that different qualifiers set apart but that landed on the same place.

    "Lagoa (Azores)" and "Lagoa, Algarve" are two towns; when a qualifier cannot be checked
    (no table knows "Algarve") its name falls back to the most populous "Lagoa", which may be
    the one another name's qualifier chose, and a partnership between them would join a
    place to itself. Among the keys sharing a place:

    * a name whose qualifier decided the place keeps it, and names with other qualifiers
      that decided nothing are returned as ``unmatched`` (method ``unmatched:shared-place``);
    * when no qualifier decided, names with different qualifiers are all returned so;
    * a name without a qualifier keeps the place, and names with the same qualifier
      ("Bunkyō (Tokyo)", "Tokyo - Bunkyō") are one place written two ways.

    Two ``partners`` (pairs of keys a partnership joins) still on one place are two
    authorities on one link: the one whose qualifier did not decide it is unlinked, or both
    when neither's did. Unlinked names stay in the graph and head the reconciliation report.

    >>> from graph.gazetteer.place_table import Place
    >>> here = Place(1, "Lagoa", 37.1, -8.4, "PT", "08", 20000)
    >>> unsure = Match(here, "geonames:hint-split+population", 0.7, 2)
    >>> sure = Match(here, "geonames:hint-split+region", 0.9, 2)
    >>> plain = Match(here, "geonames:exact+population", 0.7, 2)
    >>> def unlinked(named, partners=()):
    ...     return sorted(k for k, m in separate_shared_places(named, partners).items()
    ...                   if m.method == "unmatched:shared-place")
    >>> unlinked({"pt/lagoa-azores": ("Lagoa (Azores)", unsure),
    ...           "pt/lagoa-algarve": ("Lagoa, Algarve", unsure), "pt/lagoa": ("Lagoa", plain)})
    ['pt/lagoa-algarve', 'pt/lagoa-azores']
    >>> unlinked({"pt/lagoa-azores": ("Lagoa (Azores)", sure),
    ...           "pt/lagoa-algarve": ("Lagoa, Algarve", unsure), "pt/lagoa": ("Lagoa", plain)},
    ...          [("pt/lagoa-azores", "pt/lagoa")])
    ['pt/lagoa', 'pt/lagoa-algarve']
    """
    by_place: dict[int, dict[str, tuple[str, bool]]] = {}
    for key, (name, match) in named.items():
        qualifier = _qualifier(name, match)
        if match.place is not None and qualifier is not None:
            by_place.setdefault(match.place.geonameid, {})[key] = qualifier
    separated: dict[str, Match] = {}
    for qualified in by_place.values():
        decided = {q for q, sure in qualified.values() if sure}
        if len({q for q, _ in qualified.values()}) < 2:
            continue
        for key, (written, _) in qualified.items():
            if len(decided) != 1 or written not in decided:
                separated[key] = _shared(named[key][1])
    for a, b in partners:
        # Only identities clash: two districts may lie within one city, a town be a seat.
        ids = [(separated.get(k) or named[k][1]).identity if k in named else None
               for k in (a, b)]
        if ids[0] is None or ids[0] != ids[1]:
            continue
        sure = {k: bool((q := _qualifier(*named[k])) and q[1]) for k in (a, b)}
        for key in (a, b):
            if not sure[key] or sure[a] == sure[b]:
                separated[key] = _shared(named[key][1])
    return separated
