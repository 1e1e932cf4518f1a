"""The interface text in English, Polish and Czech, and the choice of language per request.

The strings live in gettext catalogues, ``service/translations/<lang>/LC_MESSAGES/messages.po``
(read by :mod:`service.catalogues`), which a translator edits; this module looks them up by key
for the templates: a plain string (:func:`translate`), a counted one in the plural form the
language's rule picks (:func:`translate_count`: "1 zdroj", "3 zdroje", "5 zdrojů"), and a decade
named as each language names it (:func:`decade_name`: "1990s", "lata 90.", "90. léta"). Data
labels are not here: they come from the graph, in the chosen language with fallback
(:func:`graph.views.labels.pick_label`).

The language is chosen, in this order, by ``?lang=`` (which also sets a cookie, so a switcher
link is enough), the ``lang`` cookie, the ``Accept-Language`` header, then English.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask import Response, g, request
from markupsafe import Markup, escape

from service.catalogues import LANGUAGES, source_messages, translations

LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "cs": "Čeština"}
"""Each language by its own name (the switcher shows the same names in every language)."""

COOKIE = "lang"


def translate(key: str, language: str, **slots: object) -> str:
    """The string ``key`` in ``language`` (English when the language is not offered), with
    its ``{slots}`` filled in when any are given.

    :raises KeyError: ``key`` is not in the catalogues (a typo in a template must fail loudly).
    :raises TypeError: ``key`` is a counted message, which only :func:`translate_count` can
        write (a count needs its plural form).

    >>> translate("nav.search", "pl")
    'Szukaj'
    >>> translate("nav.search", "de")
    'Search'
    >>> translate("register.find_partner_for", "cs", name="Swarzędz")
    'Najít partnera pro: Swarzędz'
    """
    source = source_messages()[key]
    if not isinstance(source.id, str):
        raise TypeError(f"{key!r} is a counted message: write it with translate_count")
    text = str(translations(language).pgettext(key, source.id))
    return text.format(**slots) if slots else text


def count_pattern(key: str, count: int, language: str) -> str:
    """The form of the counted message ``key`` that ``language`` uses for ``count``, its
    ``{count}`` slot not yet filled in.

    :raises KeyError: ``key`` is not in the catalogues.
    :raises TypeError: ``key`` is not a counted message.

    >>> [count_pattern("home.sources", n, "cs") for n in (1, 3, 5)]
    ['{count} zdroj', '{count} zdroje', '{count} zdrojů']
    """
    source = source_messages()[key]
    if isinstance(source.id, str):
        raise TypeError(f"{key!r} is not a counted message: write it with translate")
    singular, plural = source.id[0], source.id[1]
    return str(translations(language).npgettext(key, singular, plural, count))


def translate_count(key: str, count: int, language: str, **slots: object) -> str:
    """The counted message ``key`` for ``count`` in ``language``: the plural form the
    language's rule picks, with ``{count}`` written for the language and ``{slots}`` filled.

    >>> [translate_count("home.sources", n, "pl") for n in (1, 3, 5, 12, 22, 112)]
    ['1 źródło', '3 źródła', '5 źródeł', '12 źródeł', '22 źródła', '112 źródeł']
    >>> translate_count("home.sources", 2477, "cs") == "2\u00a0477 zdrojů"
    True
    """
    number = format_number(count, language)
    return count_pattern(key, count, language).format(**{**slots, "count": number})


def counted_markup(key: str, count: int, language: str) -> Markup:
    """:func:`translate_count` as HTML with the number in ``<strong>``, for the lists of
    figures; the translation is escaped, so a catalogue cannot inject markup.

    >>> str(counted_markup("home.themes", 3, "cs"))
    '<strong>3</strong> témata'
    """
    number = Markup("<strong>{}</strong>").format(format_number(count, language))
    return escape(count_pattern(key, count, language)).format(count=number)


def _roman(number: int) -> str:
    """``number`` (1 to 3999) in Roman numerals, as Polish writes centuries.

    >>> _roman(20), _roman(21), _roman(19)
    ('XX', 'XXI', 'XIX')
    """
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    written = []
    for value, numeral in numerals:
        times, number = divmod(number, value)
        written.append(numeral * times)
    return "".join(written)


def decade_name(decade: int | str, language: str) -> str:
    """The decade starting in ``decade`` (1990, or the "1990s" of a timeline) as readers of
    ``language`` name it; text that is no decade is returned as it is.

    Polish and Czech name a decade by its tens ("lata 90.", "90. léta"), which leaves the
    century to the reader: that is the twentieth for the 1920s to the 1990s, and it is said for
    any other ("lata 20. XXI wieku", "20. léta 21. století"). The first two decades of a
    century have no such name in common use and are named by their years ("lata 2000\u20132009").

    >>> [decade_name(year, "pl") for year in (1990, 2000, 2010)]
    ['lata 90.', 'lata 2000\u20132009', 'lata 2010\u20132019']
    >>> [decade_name(year, "pl") for year in (2020, 1880)]
    ['lata 20. XXI wieku', 'lata 80. XIX wieku']
    >>> [decade_name(label, "cs") for label in ("1990s", "2000s", "2020s")]
    ['90. léta', 'léta 2000\u20132009', '20. léta 21. století']
    >>> decade_name("2000s", "en"), decade_name("unknown", "pl")
    ('2000s', 'unknown')
    """
    digits = decade.removesuffix("s") if isinstance(decade, str) else str(decade)
    if not (digits.isdigit() and 0 < int(digits) < 4000 and int(digits) % 10 == 0):
        return str(decade)
    first = int(digits)
    century, tens = first // 100 + 1, first % 100
    key = ("decade.years" if tens < 20 else "decade.tens" if century == 20
           else "decade.tens_of_century")
    return translate(key, language, decade=first, last=first + 9, tens=tens, century=century,
                     roman=_roman(century))


def template_helpers(language: str) -> dict[str, Callable[..., str]]:
    """The text helpers the templates call, bound to ``language``: ``t(key, **slots)``,
    ``plural(key, count, **slots)`` (a counted message), ``counted(key, count)`` (the same with
    the number in ``<strong>``) and ``decade(first_year)``."""
    return {
        "t": lambda key, **slots: translate(key, language, **slots),
        "plural": lambda key, count, **slots: translate_count(key, count, language, **slots),
        "counted": lambda key, count: counted_markup(key, count, language),
        "decade": lambda decade: decade_name(decade, language),
    }


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language if language in LANGUAGES else LANGUAGES[0])
    except UnknownLocaleError:  # pragma: no cover - Babel ships en, pl and cs
        return Locale.parse(LANGUAGES[0])


def format_number(value: float | int | str, language: str) -> str:
    """A count or population written the way readers of ``language`` write it (CLDR, Babel).

    Polish and Czech group thousands with a no-break space, English with a comma; text that
    is not a number (a literal from the data) is returned as it is.

    >>> format_number(51000, "en")
    '51,000'
    >>> format_number(51000, "pl") == format_number("51000", "cs") == "51\u00a0000"
    True
    >>> format_number("about 50", "pl")
    'about 50'
    """
    try:
        number = float(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(format_decimal(number, locale=_locale(language)))


def country_label(code: str, language: str) -> str:
    """The name of the country with ISO 3166-1 alpha-2 ``code`` in ``language`` (CLDR data
    through Babel); the code itself when CLDR does not know it.

    >>> country_label("DE", "pl"), country_label("de", "cs"), country_label("CZ", "en")
    ('Niemcy', 'Německo', 'Czechia')
    >>> country_label("QQ", "en")
    'QQ'
    """
    name = _locale(language).territories.get(code.upper())
    return str(name) if name else code


def choose_language() -> str:
    """The interface language of the current request (``?lang=``, cookie, Accept-Language).

    >>> from flask import Flask
    >>> with Flask(__name__).test_request_context(headers={"Accept-Language": "cs, en;q=0.5"}):
    ...     choose_language()
    'cs'
    """
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(COOKIE, "")
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES, default=LANGUAGES[0]) or "en"


def language() -> str:
    """The current request's language, chosen once and kept on :data:`flask.g`."""
    if "language" not in g:
        g.language = choose_language()
    chosen: str = g.language
    return chosen


def languages_in_order() -> list[str]:
    """Languages to pick data labels in: the chosen one, then the others, English first."""
    chosen = language()
    return [chosen, *(code for code in ("en", "pl", "cs") if code != chosen)]


def remember_language(response: Response) -> Response:
    """Keep a ``?lang=`` choice in a cookie, so the switcher works across pages."""
    asked = request.args.get("lang", "").strip().lower()
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response
