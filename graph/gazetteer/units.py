"""Register units in the build: one resource per real unit, whichever files describe it.

The register sources (:mod:`graph.ingest.sources.teryt`, :mod:`graph.ingest.sources.cz_obce`,
:mod:`graph.ingest.sources.lau`) return units named by official codes. Two files may describe
one unit (Poland's TERC register gives a gmina's kind and name, the gmina table its
population, LAU code and point), so the build merges them by IRI key before it writes any
triple: the first file to give a fact wins, kinds, codes and other names are united. Every
row behind a unit is remembered, so that a unit the shapes reject takes all its rows into the
rejects report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from graph.core import iris
from graph.core.names import NameVariant, fold, name_variants
from graph.gazetteer.kreise import without_preposition
from graph.ingest.records import RegisterUnit, Reject


@dataclass
class MergedUnits:
    """Register units by IRI key, with the rows each came from."""

    units: dict[str, RegisterUnit] = field(default_factory=dict)
    rows: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def counts(self) -> dict[str, dict[str, int]]:
        """Units per country and class, e.g. ``{"PL": {"Municipality": 2477, ...}}``."""
        counted: dict[str, Counter[str]] = {}
        for unit in self.units.values():
            counted.setdefault(unit.country, Counter())[unit.level] += 1
        return {country: dict(sorted(c.items())) for country, c in sorted(counted.items())}

    def rejects(self, key: str, reason: str) -> list[Reject]:
        """One reject per row behind a unit, all with the same reason."""
        return [Reject(file, row, reason) for file, row in self.rows.get(key, [])]


def unit_key(unit: RegisterUnit) -> str:
    """The IRI key of a unit (``pl/teryt/0201011``)."""
    return iris.register_unit_key(unit.country, unit.scheme, unit.code)


def merge_units(units: Iterable[RegisterUnit]) -> MergedUnits:
    """Units that share an IRI key merged into one, in the order the sources were given.

    A unit of Eurostat's LAU list (scheme ``lau``) whose LAU code a national register's unit
    carries is that unit (a Czech obec, a Polish gmina): it is merged into it, whatever the
    order of the sources, so that one municipality is one resource.

    >>> terc = RegisterUnit("teryt", "terc.csv", 4, "PL", "Municipality", "teryt", "0201011",
    ...                     name="Bolesławiec", kinds=("urban-gmina",))
    >>> table = RegisterUnit("teryt", "gminy.csv", 2, "PL", "Municipality", "teryt", "0201011",
    ...                      name="Bolesławiec", population=38872, codes=(("lau", "1"),))
    >>> merged = merge_units([terc, table])
    >>> unit = merged.units["pl/teryt/0201011"]
    >>> unit.kinds, unit.population, unit.codes, merged.rows["pl/teryt/0201011"]
    (('urban-gmina',), 38872, (('lau', '1'),), [('terc.csv', 4), ('gminy.csv', 2)])
    """
    merged = MergedUnits()
    units = list(units)
    by_lau: dict[tuple[str, str], str] = {}
    for national in (True, False):
        for unit in units:
            if (unit.scheme == "lau") == national:
                continue
            key = unit_key(unit)
            if not national:
                lau = next((c for p, c in unit.codes if p == "lau"), None)
                key = by_lau.get((unit.country, lau or ""), key)
            merged.rows.setdefault(key, []).append((unit.file, unit.row))
            known = merged.units.get(key)
            merged.units[key] = unit if known is None else _merged(known, unit)
            if national:
                for prop, code in unit.codes:
                    if prop == "lau":
                        by_lau.setdefault((unit.country, code), key)
    return merged


def _merged(first: RegisterUnit, other: RegisterUnit) -> RegisterUnit:
    """``first`` completed by what ``other`` adds; ``first`` wins where both give a fact."""
    people_from = first if first.population is not None else other
    point_from = first if first.lat is not None else other
    return replace(
        first,
        name=first.name or other.name,
        language=first.language or other.language,
        kinds=tuple(dict.fromkeys(first.kinds + other.kinds)),
        codes=tuple(dict.fromkeys(first.codes + other.codes)),
        parent=first.parent or other.parent,
        population=people_from.population,
        population_year=people_from.population_year,
        lat=point_from.lat, long=point_from.long,
        subdivision=first.subdivision or other.subdivision,
        other_names=tuple(dict.fromkeys(first.other_names + other.other_names)),
        former_names=tuple(dict.fromkeys(first.former_names + other.former_names)))


def unit_names(unit: RegisterUnit) -> Iterator[str]:
    """The folded names a unit is looked up by: its name, its other and former names (a list
    may still use the old one), and each without a qualifier in parentheses ("Wil (ZH)" is
    also "wil").

    >>> list(unit_names(RegisterUnit("lau", "f", 1, "CH", "Municipality", "lau", "CH1",
    ...                              name="Wil (ZH)")))
    ['wil zh', 'wil']
    """
    seen: set[str] = set()
    for text in (unit.name, *unit.other_names, *unit.former_names):
        for one in (text, re.sub(r"\s*\([^()]*\)", "", text)):
            for key in (fold(one), without_preposition(fold(one), unit.country)):
                if key and key not in seen:
                    seen.add(key)
                    yield key


_ARTICLE = re.compile(r"^(?:l['\u2019]\s*|(?:le|la|les)\s+)(?=\w)", re.IGNORECASE)
_WITHOUT_ARTICLES = frozenset({"FR"})
"""Countries whose register writes names without their leading article: Eurostat's list of
French communes has "Havre" for Le Havre and "Abergement-Clémenciat" for L'Abergement-..."""


def register_variants(name: str, country: str) -> list[NameVariant]:
    """The forms a name is looked up under in a country's register, most literal first: the
    name's own variants, then, where the register drops leading articles, those of the name
    without its article, and in German-speaking countries each without the preposition
    before a river or region (:func:`graph.gazetteer.kreise.without_preposition`).

    >>> [v.key for v in register_variants("Le Havre", "FR")]
    ['le havre', 'havre']
    >>> [v.key for v in register_variants("L'Haÿ-les-Roses", "FR")][-1]
    'hay les roses'
    >>> [v.key for v in register_variants("La Spezia", "IT")]
    ['la spezia']
    >>> [v.key for v in register_variants("Frankenberg an der Eder", "DE")]
    ['frankenberg an der eder', 'frankenberg eder']
    """
    variants, name = name_variants(name), name.strip()
    bare = _ARTICLE.sub("", name) if country in _WITHOUT_ARTICLES else name
    if bare != name:
        keys = {v.key for v in variants}
        variants += [v for v in name_variants(bare) if v.key not in keys]
    keys = {v.key for v in variants}
    for variant in list(variants):
        key = without_preposition(variant.key, country)
        if key not in keys:
            keys.add(key)
            variants.append(NameVariant(key, variant.method, variant.hint))
    return variants
