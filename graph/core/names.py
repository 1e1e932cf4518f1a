"""Place-name cleaning shared by country normalisation and gazetteer matching.

Real partnership lists write one place in many ways: with or without diacritics
("Ústí nad Labem" / "Usti nad Labem"), with administrative qualifiers ("Mrągowo County",
"Gmina Swarzędz", "Stadt Ronnenberg", "okres Kolín") and with disambiguating hints
("Friedberg, Bavaria", "Prague 6 (Prague)"). This module turns a name into a comparison key
(:func:`fold`) and into the variants worth looking up (:func:`name_variants`); it never decides
which place is meant, that is :mod:`graph.gazetteer.reconcile`'s job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Latin letters that Unicode does not decompose into a base letter plus a combining mark.
# A dozen entries cover every European alphabet; a transliteration library (Unidecode is GPL,
# anyascii would also romanise the Chinese and Arabic alternate names we deliberately skip)
# would bring more than it solves here.
_NOT_DECOMPOSABLE = str.maketrans({
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ß": "ss", "æ": "ae",
    "Æ": "ae", "œ": "oe", "Œ": "oe", "\u0131": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
    "ħ": "h", "Ħ": "h", "ŀ": "l", "ĸ": "k", "ŋ": "n", "'": "", "`": "",
    "\u02bb": "", "\u02bc": "", "\u2018": "", "\u2019": "",  # okina and apostrophes
    "\u2013": " ", "\u2014": " ", "-": " ",  # dashes
})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)\s*")
_PREFIXES = re.compile(
    r"^(?:gmina(?: miejska| wiejska)?|miasto|powiat|okres|obec|m[eě]sto|stadt|gemeinde|"
    r"landkreis|kreis|city of|town of|borough of|municipality of|metropolitan borough of|"
    r"district of|county of|commune of|comune di|ville de|city and county of|county)\s+",
    re.IGNORECASE,
)
_SUFFIXES = re.compile(
    r"\s+(?:district municipality|city municipality|urban municipality|rural municipality|"
    r"municipality|county|district|region|province|prefecture|township|borough|city|town|"
    r"village|commune|rural district|urban district|oblast|raion|rayon|municipal district)$",
    re.IGNORECASE,
)
# Parenthesised words that classify rather than name the place.
_QUALIFIER_WORDS = re.compile(
    r"^(?:rural|urban|urban-rural)? ?(?:gmina|commune|district|county|municipality|city|town|"
    r"village|state|province|region|country|landkreis|kreis|borough|island)$",
    re.IGNORECASE,
)


def fold(name: str) -> str:
    """The comparison key of a name: no diacritics, lower case, words joined by single spaces.

    >>> fold("Ústí nad Labem")
    'usti nad labem'
    >>> fold("Ba\u011fc\u0131lar") == fold("Bagcilar")
    True
    >>> fold("Frankfurt (Oder)")
    'frankfurt oder'
    >>> fold("Łódź")
    'lodz'
    """
    if name.isascii():
        # Most names are ASCII already; this path is what keeps indexing 1.2M names fast.
        return _NON_ALNUM.sub(" ", name.lower().replace("'", "").replace("`", "")).strip()
    text = unicodedata.normalize("NFKD", name.translate(_NOT_DECOMPOSABLE))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _NON_ALNUM.sub(" ", text.translate(_NOT_DECOMPOSABLE)).strip()


@dataclass(frozen=True, slots=True)
class NameVariant:
    """A lookup form of a place name, how it was obtained and any hint found on the way.

    ``method`` names the transformation (``exact``, ``qualifier-stripped``, ...) and ``hint``
    is text that points at the region or the parent place (``Bavaria``, ``Prague``).
    """

    key: str
    method: str
    hint: str | None = None


# Words lists abbreviate or translate that GeoNames may spell out (in folded form): "St Ives"
# is GeoNames' "Saint Ives", "Sankt Andrä" its "St. Andrä".
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "st": ("saint", "sankt"), "ste": ("sainte",), "saint": ("st",), "sainte": ("ste",),
    "sankt": ("st",), "sv": ("svaty",), "mt": ("mount",), "ft": ("fort",),
}


_ROMAN = re.compile(r"[ivxl]+")


def spelling_variants(key: str) -> list[str]:
    """Other spellings of a folded name, each abbreviation written out (or abbreviated).

    >>> spelling_variants("st ives")
    ['saint ives', 'sankt ives']
    >>> spelling_variants("sankt georgen am langsee")
    ['st georgen am langsee']
    >>> spelling_variants("krakow")
    []
    >>> spelling_variants("budapest xiii")  # GeoNames: "Budapest XIII. kerület"
    ['budapest xiii kerulet']
    """
    words = key.split()
    found: list[str] = []
    if len(words) > 1 and _ROMAN.fullmatch(words[-1]):
        found.append(f"{key} kerulet")
    for index, word in enumerate(words):
        for other in _SPELLINGS.get(word, ()):
            found.append(" ".join([*words[:index], other, *words[index + 1:]]))
    return found


# What joins the names of the towns a merged municipality is called after.
_JOINERS = re.compile(r"\s*[-\u2013/]\s*|\s+(?:and|und|et|i|a|y|e|en|og|och|cum|with)\s+",
                      re.IGNORECASE)


def compound_parts(name: str) -> list[tuple[str, str]]:
    """Every way to read a name as two joined place names, hints removed.

    >>> compound_parts("Kötschach-Mauthen")
    [('Kötschach', 'Mauthen')]
    >>> compound_parts("Epsom and Ewell (district)")
    [('Epsom', 'Ewell')]
    >>> compound_parts("Burgo de Osma-Ciudad de Osma")
    [('Burgo de Osma', 'Ciudad de Osma')]
    >>> compound_parts("Swarzędz")
    []
    """
    base = _PARENTHESIS.sub(" ", clean_name(name)).split(",", 1)[0].strip()
    splits = []
    for joint in _JOINERS.finditer(base):
        left, right = base[:joint.start()].strip(), base[joint.end():].strip()
        if left and right:
            splits.append((left, right))
    return splits


def clean_name(name: str) -> str:
    """The name a person would write for the place: qualifiers and hints removed.

    This is what an authority's IRI is minted from, so that "Gmina Swarzędz" and "Swarzędz"
    land on the same authority only when the list writes them the same way; qualifiers that
    change the kind of authority ("Mrągowo County") are kept, because a county is not its seat.

    >>> clean_name("  Swarzędz  (rural gmina) ")
    'Swarzędz (rural gmina)'
    >>> clean_name("Varna,  Bulgaria")
    'Varna, Bulgaria'
    """
    return " ".join(name.split())


def name_variants(name: str) -> list[NameVariant]:
    """Every form worth looking a name up under, most literal first.

    >>> [(v.key, v.method, v.hint) for v in name_variants("Friedberg, Bavaria")]
    [('friedberg bavaria', 'exact', None), ('friedberg', 'hint-split', 'Bavaria')]
    >>> [(v.key, v.method) for v in name_variants("Mrągowo County")]
    [('mragowo county', 'exact'), ('mragowo', 'qualifier-stripped')]
    >>> [(v.key, v.method, v.hint) for v in name_variants("Prague 6 (Prague)")]
    [('prague 6 prague', 'exact', None), ('prague 6', 'hint-split', 'Prague')]
    >>> [(v.key, v.method) for v in name_variants("Swarzędz (rural gmina)")]
    [('swarzedz rural gmina', 'exact'), ('swarzedz', 'qualifier-stripped')]
    >>> [(v.key, v.method, v.hint) for v in name_variants("St Ives, Cornwall")][-2:]
    [('saint ives', 'spelling', 'Cornwall'), ('sankt ives', 'spelling', 'Cornwall')]
    """
    variants: list[NameVariant] = []
    seen: set[str] = set()

    def add(text: str, method: str, hint: str | None = None) -> None:
        key = fold(text)
        if key and key not in seen:
            seen.add(key)
            variants.append(NameVariant(key, method, hint))

    name = clean_name(name)
    add(name, "exact")
    base, hint, method = name, None, "hint-split"
    inner = _PARENTHESIS.search(name)
    if inner:
        base = _PARENTHESIS.sub(" ", name).strip()
        if _QUALIFIER_WORDS.match(inner.group(1).strip()):
            method = "qualifier-stripped"
        else:
            hint = inner.group(1).strip()
    elif "," in name:
        base, _, tail = name.partition(",")
        hint = tail.strip() or None
    for sep in (" \u2013 ", " - "):
        # "Vienna 1 - Innere Stadt", "Mexico City - Cuauhtémoc" (en dash): the district after it.
        if sep in base:
            head, _, tail = base.partition(sep)
            add(tail, "hint-split", head.strip())
    add(base, method, hint)
    stripped = _SUFFIXES.sub("", _PREFIXES.sub("", base)).strip()
    if stripped and stripped != base:
        add(stripped, "qualifier-stripped", hint)
    for variant in list(variants):
        for other in spelling_variants(variant.key):
            if other not in seen:
                seen.add(other)
                variants.append(NameVariant(other, "spelling", variant.hint))
    return variants
