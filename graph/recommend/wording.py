"""The sentences of the reasons, in English, Polish and Czech, and how their slots are written.

Why a table here and not in the interface's catalogues (:mod:`service.catalogues`): the reasons
are made by the graph layer, which the command line and the API use too, and the graph layer
does not import the service. The table maps a key to English, Polish and Czech (a test checks
none is missing), and numbers and country names are written the way each language writes them,
from CLDR through Babel, as the interface does.

The sentences avoid declining the names they cite (Polish and Czech would decline "Leipzig"
after "z" or "se"): a name stands after a noun in apposition ("z samorządem Leipzig") or after
a colon, and counts stand after a colon, so no plural form has to be chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import format_decimal

LANGUAGES: tuple[str, ...] = ("en", "pl", "cs")
"""The languages every reason is written in, default first (as :data:`service.i18n.LANGUAGES`)."""

MAX_NAMES = 3
"""At most this many names are listed; the rest are counted."""

SENTENCES: dict[str, tuple[str, str, str]] = {
    "names.more": ("{names} and {more} more", "{names} i {more} innych",
                   "{names} a {more} dalších"),
    "network.common_one": (
        "Your partner {partner} is also twinned with {name}",
        "Twój partner {partner} współpracuje też z samorządem {name}",
        "Váš partner {partner} spolupracuje také se samosprávou {name}"),
    "network.common_many": (
        "{count} of your partners are also twinned with {name}: {names}",
        "Twoi partnerzy współpracujący też z samorządem {name} ({count}): {names}",
        "Vaši partneři, kteří spolupracují také se samosprávou {name} ({count}): {names}"),
    "network.path": (
        "{name} is twinned with {link}, a partner of your partner {partner}",
        "Samorząd {name} współpracuje z samorządem {link}, partnerem Twojego partnera "
        "{partner}",
        "Samospráva {name} spolupracuje se samosprávou {link}, partnerem vašeho partnera "
        "{partner}"),
    "geography.same": ("{distance} km away, also in {country}",
                       "{distance} km stąd, również w kraju: {country}",
                       "{distance} km odsud, také v zemi: {country}"),
    "geography.border": ("{distance} km away, across the border ({mine} – {theirs})",  # noqa: RUF001
                         "{distance} km stąd, po drugiej stronie granicy ({mine} – {theirs})",  # noqa: RUF001
                         "{distance} km odsud, za hranicí ({mine} – {theirs})"),  # noqa: RUF001
    "geography.abroad": ("{distance} km away, in {country}",
                         "{distance} km stąd, kraj: {country}",
                         "{distance} km odsud, země: {country}"),
    "geography.alike": (
        "{place}; no. {rank} among authorities abroad by distance and size together",
        "{place}; nr {rank} wśród samorządów za granicą pod względem bliskości i wielkości",
        "{place}; č. {rank} mezi samosprávami v zahraničí podle blízkosti a velikosti"),
    "alike-for-them": (
        "For {name} you are no. {rank} among authorities abroad by distance and size together",
        "Dla samorządu {name} jesteś nr {rank} wśród samorządów za granicą pod względem "
        "bliskości i wielkości",
        "Pro samosprávu {name} jste č. {rank} mezi samosprávami v zahraničí podle blízkosti a "
        "velikosti"),
    "country-alike.one": (
        "Partnerships of authorities in {country} with their no. {low} abroad by distance and "
        "size together, as {name} is yours: {count} of {total}",
        "Partnerstwa samorządów z kraju {country} z ich nr {low} za granicą pod względem "
        "bliskości i wielkości, jakim jest dla Ciebie samorząd {name}: {count} z {total}",
        "Partnerství samospráv ze země {country} s jejich č. {low} v zahraničí podle blízkosti "
        "a velikosti, jakým je pro vás samospráva {name}: {count} z {total}"),
    "country-alike.many": (
        "Partnerships of authorities in {country} with their nos. {low}–{high} abroad by "  # noqa: RUF001
        "distance and size together, as {name} is yours: {count} of {total}",
        "Partnerstwa samorządów z kraju {country} z ich nr {low}–{high} za granicą pod "  # noqa: RUF001
        "względem bliskości i wielkości, jakim jest dla Ciebie samorząd {name}: {count} z "
        "{total}",
        "Partnerství samospráv ze země {country} s jejich č. {low}–{high} v zahraničí podle "  # noqa: RUF001
        "blízkosti a velikosti, jakým je pro vás samospráva {name}: {count} z {total}"),
    "partner-countries.one": (
        "1 of your {total} partners is in {country} ({names})",
        "Twoi partnerzy w kraju {country}: 1 z {total} ({names})",
        "Vaši partneři v zemi {country}: 1 z {total} ({names})"),
    "partner-countries.many": (
        "{count} of your {total} partners are in {country} ({names})",
        "Twoi partnerzy w kraju {country}: {count} z {total} ({names})",
        "Vaši partneři v zemi {country}: {count} z {total} ({names})"),
    "region-countries": (
        "Partners in {country} of authorities in {region}: {count}",
        "Samorządy z regionu {region} mają już partnerów w kraju {country}: {count}",
        "Samosprávy z regionu {region} už mají partnery v zemi {country}: {count}"),
    "region-pair": (
        "Partnerships between authorities in {region} and in {their_region}: {count}",
        "Partnerstwa samorządów z regionów {region} i {their_region}: {count}",
        "Partnerství samospráv z regionů {region} a {their_region}: {count}"),
    "country-pair.domestic": (
        "Domestic partnerships in {country} in the graph: {count}",
        "Partnerstwa krajowe w kraju {country} w grafie: {count}",
        "Domácí partnerství v zemi {country} v grafu: {count}"),
    "country-pair.abroad": (
        "Partnerships between authorities in {mine} and {theirs} in the graph: {count}",
        "Partnerstwa samorządów z krajów {mine} i {theirs} w grafie: {count}",
        "Partnerství samospráv ze zemí {mine} a {theirs} v grafu: {count}"),
    "size.similar": ("Similar size ({theirs} vs your {mine} inhabitants)",
                     "Podobna wielkość (mieszkańców: {theirs}, u Ciebie: {mine})",
                     "Podobná velikost (obyvatel: {theirs}, u vás: {mine})"),
    "size.other": ("{theirs} inhabitants (you have {mine})",
                   "Mieszkańców: {theirs} (u Ciebie: {mine})",
                   "Obyvatel: {theirs} (u vás: {mine})"),
    "size.only": ("{theirs} inhabitants", "Mieszkańców: {theirs}", "Obyvatel: {theirs}"),
    "activity": ("{name} is open to twinning; partners so far: {count}",
                 "Samorząd {name} jest otwarty na partnerstwa; partnerów już: {count}",
                 "Samospráva {name} je otevřená partnerství; partnerů už: {count}"),
    "themes": ("Works on the same themes as you: {names}",
               "Zajmuje się tymi samymi tematami co Ty: {names}",
               "Věnuje se stejným tématům jako vy: {names}"),
    "programmes": ("Took part in the same programmes as you: {names}",
                   "Uczestniczy w tych samych programach co Ty: {names}",
                   "Účastní se stejných programů jako vy: {names}"),
    "nearby-partner": (
        "Authorities within {radius} km of you are twinned with {name}: {names}",
        "Samorządy w promieniu {radius} km od Ciebie współpracujące z samorządem {name}: "
        "{names}",
        "Samosprávy do {radius} km od vás, které spolupracují se samosprávou {name}: {names}"),
    "nearby-countries": (
        "Authorities within {radius} km of you twinned with authorities in {country} "
        "({count}): {names}",
        "Samorządy w promieniu {radius} km od Ciebie mające partnerów w kraju {country} "
        "({count}): {names}",
        "Samosprávy do {radius} km od vás s partnery v zemi {country} ({count}): {names}"),
    "nearby-pairs": (
        "Authorities near you are twinned with authorities near {name}: {pairs}",
        "Samorządy w Twojej okolicy współpracują z samorządami w okolicy samorządu {name}: "
        "{pairs}",
        "Samosprávy ve vašem okolí spolupracují se samosprávami v okolí samosprávy {name}: "
        "{pairs}"),
    "partner-nearby": (
        "Your partners near {name}: {names}",
        "Twoi partnerzy w pobliżu samorządu {name}: {names}",
        "Vaši partneři v okolí samosprávy {name}: {names}"),
    "partner-area": (
        "Your partners within {radius} km of {name}: {names}",
        "Twoi partnerzy w promieniu {radius} km od samorządu {name}: {names}",
        "Vaši partneři do {radius} km od samosprávy {name}: {names}"),
    "their-partner-countries": (
        "Partners of {name} in {country}: {count} of {total} ({names})",
        "Partnerzy samorządu {name} w kraju {country}: {count} z {total} ({names})",
        "Partneři samosprávy {name} v zemi {country}: {count} z {total} ({names})"),
    "name.same": ("The same name as yours, in {country}",
                  "Ta sama nazwa co Twoja, kraj: {country}",
                  "Stejný název jako váš, země: {country}"),
    "name.within": ("One name holds the other: {name} and {mine}",
                    "Jedna nazwa zawiera drugą: {name} i {mine}",
                    "Jeden název obsahuje druhý: {name} a {mine}"),
    "country-distance.abroad": (
        "Partnerships of authorities in {country} with authorities abroad {low}–{high} km "  # noqa: RUF001
        "away, as here: {count} of {total}",
        "Partnerstwa samorządów z kraju {country} z samorządami za granicą w odległości "
        "{low}–{high} km, jak tu: {count} z {total}",  # noqa: RUF001
        "Partnerství samospráv ze země {country} se samosprávami v zahraničí ve vzdálenosti "
        "{low}–{high} km, jako zde: {count} z {total}"),  # noqa: RUF001
    "country-distance.abroad-beyond": (
        "Partnerships of authorities in {country} with authorities abroad over {low} km "
        "away, as here: {count} of {total}",
        "Partnerstwa samorządów z kraju {country} z samorządami za granicą w odległości "
        "ponad {low} km, jak tu: {count} z {total}",
        "Partnerství samospráv ze země {country} se samosprávami v zahraničí ve vzdálenosti "
        "přes {low} km, jako zde: {count} z {total}"),
    "country-distance.home": (
        "Partnerships of authorities in {country} with authorities in {country} {low}–{high} "  # noqa: RUF001
        "km away, as here: {count} of {total}",
        "Partnerstwa krajowe samorządów z kraju {country} w odległości {low}–{high} km, jak "  # noqa: RUF001
        "tu: {count} z {total}",
        "Domácí partnerství samospráv ze země {country} ve vzdálenosti {low}–{high} km, jako "  # noqa: RUF001
        "zde: {count} z {total}"),
    "country-distance.home-beyond": (
        "Partnerships of authorities in {country} with authorities in {country} over {low} "
        "km away, as here: {count} of {total}",
        "Partnerstwa krajowe samorządów z kraju {country} w odległości ponad {low} km, jak "
        "tu: {count} z {total}",
        "Domácí partnerství samospráv ze země {country} ve vzdálenosti přes {low} km, jako "
        "zde: {count} z {total}"),
    "region-partners": (
        "Authorities in {region} twinned with {name}: {count} ({names})",
        "Samorządy z regionu {region} współpracujące z samorządem {name}: {count} ({names})",
        "Samosprávy z regionu {region}, které spolupracují se samosprávou {name}: {count} "
        "({names})"),
    "their-nearby-countries": (
        "Partners in {country} of authorities near {name}: {count}",
        "Samorządy w okolicy samorządu {name} mają partnerów w kraju {country}: {count}",
        "Samosprávy v okolí samosprávy {name} mají partnery v zemi {country}: {count}"),
}
"""Every reason sentence: key to (English, Polish, Czech), with ``{slots}``."""


@dataclass(frozen=True)
class Count:
    """A number, written with the language's grouping (31,000; 31 000)."""

    value: float


@dataclass(frozen=True)
class Country:
    """A country by ISO 3166-1 alpha-2 code, written by its name in the language."""

    code: str


@dataclass(frozen=True)
class Names:
    """Names listed in order, at most :data:`MAX_NAMES` of them and how many more."""

    names: Sequence[str]


Slot = str | Count | Country | Names


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@lru_cache(maxsize=65536)
def _grouped(number: int, language: str) -> str:
    # Cached: Babel takes ~30 µs a number, and a page of suggestions writes ~100 in 3 languages.
    return str(format_decimal(number, locale=_locale(language)))


def country_in(code: str, language: str) -> str:
    """The name of a country in ``language`` (CLDR); the code when CLDR does not know it.

    >>> country_in("DE", "pl"), country_in("DE", "cs"), country_in("CZ", "en")
    ('Niemcy', 'Německo', 'Czechia')
    """
    name = _locale(language).territories.get(code.upper())
    return str(name) if name else code


def write(slot: Slot, language: str) -> str:
    """One slot written in ``language``.

    >>> write(Count(31000), "en"), write(Count(31000), "pl") == "31\\u00a0000"
    ('31,000', True)
    >>> write(Names(["Brno", "Hanover", "Leipzig", "Lyon"]), "cs")
    'Brno, Hanover, Leipzig a 1 dalších'
    """
    if isinstance(slot, Count):
        return _grouped(round(slot.value), language)
    if isinstance(slot, Country):
        return country_in(slot.code, language)
    if isinstance(slot, Names):
        shown = ", ".join(slot.names[:MAX_NAMES])
        if len(slot.names) <= MAX_NAMES:
            return shown
        return say("names.more", language, names=shown,
                   more=Count(len(slot.names) - MAX_NAMES))
    return slot


def say(key: str, language: str, **slots: Slot) -> str:
    """The sentence ``key`` in ``language`` with its slots written in that language.

    :raises KeyError: no such sentence (a typo must fail loudly).

    >>> say("size.only", "pl", theirs=Count(51000)) == "Mieszkańców: 51\\u00a0000"
    True
    """
    template = SENTENCES[key][LANGUAGES.index(language) if language in LANGUAGES else 0]
    return template.format(**{name: write(value, language) for name, value in slots.items()})


def in_every_language(key: str, **slots: Slot) -> dict[str, str]:
    """The sentence ``key`` in each of :data:`LANGUAGES`."""
    return {language: say(key, language, **slots) for language in LANGUAGES}
