"""Germany's districts (Landkreise) as the units their NUTS 3 regions are, and the forms German
names take in lists and in Eurostat's LAU list.

A German Landkreis is a local authority whose area is one NUTS 3 region ("Lahn-Dill-Kreis",
DE72A; kreisfreie cities are NUTS 3 regions of their own, "Gießen" is not one). Partnership
lists name Landkreise as "Lahn-Dill (district)", "Hochsauerland (district)", "Märkischer
Kreis" or "Landkreis Märkisch-Oderland"; no municipality register has them. So a build with
Germany's municipalities and the NUTS table has a unit per German NUTS 3 region that is no
kreisfreie city (:func:`kreis_units`), named ``id/authority/de/kreis/<NUTS code>``, lying in
that region (``tkg:nuts``, hence ``tkg:nutsRegion``), of unit kind ``landkreis``; the
registers link a listed district to it only when exactly one such region has its name once
the words that say "district" are dropped from both (:func:`kreis_core`).

German names carry a river or region after a preposition, written out in lists ("Frankenberg
an der Eder", "Gars am Inn") and abbreviated or in parentheses by Eurostat ("Frankenberg
(Eder)", "Gars a.Inn", "Gundelfingen a.d.Donau"): :func:`without_preposition` gives the form
both agree on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.core.names import fold
from graph.ingest.records import NutsRegion, RegisterUnit

SCHEME = "kreis"
"""The scheme of a Landkreis's key: its NUTS 3 code (``de/kreis/DEA57``)."""
KIND = "landkreis"
"""The unit-kind concept of a Landkreis (``id/unit-kind/landkreis``)."""
COUNTRIES = frozenset({"DE"})
"""Countries whose NUTS 3 regions are their districts, one each (not Austria's, which group
several Bezirke)."""
SEAT_NAMED = frozenset({"DE", "AT"})
"""Countries whose districts are named after their seat ("Roth (district)", "Kufstein
(district)"): a name that says it is a district is never the seat's municipality."""
_CITY = re.compile(r",\s*Kreisfreie Stadt$")
_LANDKREIS_AFTER = re.compile(r"^(.+),\s*Landkreis$")
_DISTRICT_WORDS = re.compile(
    r"^(?:landkreis|kreis|regionalverband|region|stadteregion)\s+"
    r"|\s+(?:district|rural district|landkreis)$|\s*kreis$")
_PREPOSITION = re.compile(r"(?<=\w) (?:an der|an dem|am|a d|a|in der|im|i d|ob der|o d) (?=\w)")
_TAIL = re.compile(r"\s+(?:an der|an dem|am|a\.\s*d\.|a\.|in der|im|i\.\s*d\.|ob der)\s.*$")
_PREPOSITION_COUNTRIES = frozenset({"DE", "AT"})


def kreis_units(regions: Iterable[NutsRegion]) -> list[RegisterUnit]:
    """A unit for each German NUTS 3 region that is a Landkreis: not a kreisfreie city, nor a
    city state (Berlin, Hamburg: a NUTS 3 region named as its NUTS 1 region).

    >>> kreis = NutsRegion("nuts", "n.csv", 7, "DEA57", "Hochsauerlandkreis", 3, "DE")
    >>> city = NutsRegion("nuts", "n.csv", 8, "DEA52", "Dortmund, Kreisfreie Stadt", 3, "DE")
    >>> land = NutsRegion("nuts", "n.csv", 9, "DE71C", "Offenbach, Landkreis", 3, "DE")
    >>> [(u.code, u.name, u.codes) for u in kreis_units([kreis, city, land])]
    [('DEA57', 'Hochsauerlandkreis', (('nuts', 'DEA57'),)), \
('DE71C', 'Landkreis Offenbach', (('nuts', 'DE71C'),))]
    """
    regions = list(regions)
    states = {r.name for r in regions if r.level == 1}  # Berlin and Hamburg: city states
    units = []
    for region in regions:
        if region.country not in COUNTRIES or region.level != 3 or _CITY.search(region.name) \
                or region.name in states:
            continue
        after = _LANDKREIS_AFTER.match(region.name)
        name = f"Landkreis {after.group(1)}" if after else region.name
        units.append(RegisterUnit(
            source=region.source, file=region.file, row=region.row, country=region.country,
            level="County", scheme=SCHEME, code=region.code, name=name, language="de",
            kinds=(KIND,), codes=(("nuts", region.code),),
            other_names=(region.name,) if name != region.name else ()))
    return units


def kreis_core(name: str) -> str:
    """The folded name of a district without the words that say it is one, and without a
    river or region after a preposition.

    >>> [kreis_core(n) for n in ("Lahn-Dill (district)", "Lahn-Dill-Kreis", "Märkischer Kreis",
    ...                          "Hochsauerlandkreis", "Landkreis Märkisch-Oderland")]
    ['lahn dill', 'lahn dill', 'markischer', 'hochsauerland', 'markisch oderland']
    >>> kreis_core("Landsberg am Lech"), kreis_core("Rhein-Kreis Neuss")
    ('landsberg lech', 'rhein kreis neuss')
    >>> kreis_core("Regionalverband Saarbrücken"), kreis_core("Städteregion Aachen")
    ('saarbrucken', 'aachen')
    """
    return _DISTRICT_WORDS.sub("", without_preposition(fold(name), "DE")).strip()


def kreis_keys(name: str) -> tuple[str, ...]:
    """The cores a district is known by: :func:`kreis_core` of its name, and of its name
    without what follows a preposition or stands in parentheses ("Landsberg am Lech" is also
    "landsberg", "Lindau (Bodensee)" "lindau").

    >>> kreis_keys("Landsberg am Lech"), kreis_keys("Lindau (Bodensee)")
    (('landsberg lech', 'landsberg'), ('lindau bodensee', 'lindau'))
    >>> kreis_keys("Mühldorf a. Inn"), kreis_keys("Lahn-Dill (district)")
    (('muhldorf inn', 'muhldorf'), ('lahn dill',))
    """
    bare = _TAIL.sub("", re.sub(r"\s*\((?!district\)|landkreis\)|kreis\))[^()]*\)", "", name)
                     .replace(".", ". "))
    return tuple(dict.fromkeys(k for k in (kreis_core(name), kreis_core(bare)) if k))


def says_district(name: str) -> bool:
    """Whether a listed name says it is a district ("X (district)", "Landkreis X", "X Kreis",
    "Xkreis").

    >>> says_district("Märkischer Kreis"), says_district("Wesermarsch")
    (True, False)
    >>> says_district("Ried im Innkreis"), says_district("Regionalverband Saarbrücken")
    (False, True)
    """
    folded = fold(_TAIL.sub("", name))
    return _DISTRICT_WORDS.sub("", folded) != folded


def without_preposition(folded: str, country: str) -> str:
    """A folded German name with the preposition before its river or region dropped.

    >>> without_preposition("gundelfingen a d donau", "DE")
    'gundelfingen donau'
    >>> without_preposition("gars am inn", "DE"), without_preposition("gars a inn", "DE")
    ('gars inn', 'gars inn')
    >>> without_preposition("frankenberg an der eder", "DE")
    'frankenberg eder'
    >>> without_preposition("vila nova de gaia", "PT")
    'vila nova de gaia'
    """
    if country not in _PREPOSITION_COUNTRIES:
        return folded
    return _PREPOSITION.sub(" ", folded)


class KreisIndex:
    """The districts of :func:`kreis_units` by their cores (:func:`kreis_keys`).

    >>> index = KreisIndex()
    >>> for code, label in (("DEA58", "Märkischer Kreis"), ("DE409", "Märkisch-Oderland"),
    ...                     ("DE27D", "Neustadt a. d. Aisch-Bad Windsheim"),
    ...                     ("DE23A", "Neustadt a. d. Waldnaab")):
    ...     index.add(f"de/kreis/{code}", RegisterUnit("nuts", "n", 1, "DE", "County", SCHEME,
    ...                                               code, name=label))
    >>> index.find("Märkischer (district)", "DE"), index.find("Märkisch-Oderland", "DE")
    ('de/kreis/DEA58', None)
    >>> index.find("Landkreis Märkisch-Oderland", "DE"), index.find("Neustadt (district)", "DE")
    ('de/kreis/DE409', None)
    >>> index.find("Märkisch-Oderland", "DE", said=False)
    'de/kreis/DE409'
    """

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], set[str]] = {}

    def add(self, key: str, unit: RegisterUnit) -> None:
        """File a district's unit under its cores."""
        for name in (unit.name, *unit.other_names):
            for core in kreis_keys(name):
                self._by_key.setdefault((unit.country, core), set()).add(key)

    def find(self, name: str, country: str, *, said: bool = True) -> str | None:
        """The one district a listed name denotes, or ``None``: the name must say it is a
        district (unless ``said`` is false: a name no municipality or place has, "Wesermarsch"),
        and exactly one district's cores hold its first core any district has."""
        if said and not says_district(name):
            return None
        for core in kreis_keys(name):
            found = self._by_key.get((country, core))
            if found:
                return next(iter(found)) if len(found) == 1 else None
        return None
