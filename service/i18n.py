"""Interface strings in English, Polish and Czech, and the choice of language per request.

Why a table and not gettext catalogues: the interface has a few dozen strings and three
languages; a dict keeps every translation of a string on one line next to the others (a test
checks none is missing) and needs no compile step in the set-up. Data labels are not here: they
come from the graph, in the chosen language with fallback (:func:`graph.views.labels.pick_label`).

The language is chosen, in this order, by ``?lang=`` (which also sets a cookie, so a switcher
link is enough), the ``lang`` cookie, the ``Accept-Language`` header, then English.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from flask import Response, g, request

LANGUAGES: tuple[str, ...] = ("en", "pl", "cs")
"""The interface languages, default first."""

LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "cs": "Čeština"}
COOKIE = "lang"

STRINGS: dict[str, tuple[str, str, str]] = {
    # key: (en, pl, cs)
    "site.title": ("Twinning KG", "Twinning KG", "Twinning KG"),
    "site.tagline": ("Town twinning and municipal partnerships in Europe, as open linked data",
                     "Partnerstwa miast i gmin w Europie jako otwarte dane powiązane",
                     "Partnerství měst a obcí v Evropě jako otevřená propojená data"),
    "nav.home": ("Home", "Strona główna", "Úvod"),
    "nav.search": ("Search", "Szukaj", "Hledat"),
    "nav.query": ("Query editor", "Edytor zapytań", "Editor dotazů"),
    "nav.sparql": ("SPARQL endpoint", "Punkt dostępowy SPARQL", "SPARQL endpoint"),
    "nav.downloads": ("Downloads", "Pliki do pobrania", "Ke stažení"),
    "nav.ontology": ("Ontology", "Ontologia", "Ontologie"),
    "nav.language": ("Language", "Język", "Jazyk"),
    "nav.skip": ("Skip to content", "Przejdź do treści", "Přejít na obsah"),
    "nav.find_partner": ("Find a partner", "Znajdź partnera", "Najít partnera"),
    "home.holds": ("What the graph holds", "Co zawiera graf", "Co graf obsahuje"),
    "home.authorities": ("local authorities", "jednostek samorządu", "samospráv"),
    "home.partnerships": ("partnerships", "partnerstw", "partnerství"),
    "home.twinned": ("authorities with partnerships", "samorządów z partnerstwami",
                     "samospráv s partnerstvími"),
    "register.title": ("Register", "Rejestr", "Registr"),
    "register.registers": ("Registers", "Rejestry", "Registry"),
    "register.summary": ("{count} {units}, {foreign} with at least one foreign partner",
                         "{count} {units}, w tym {foreign} z co najmniej jednym partnerem "
                         "zagranicznym",
                         "{count} {units}, z toho {foreign} s alespoň jedním zahraničním "
                         "partnerem"),
    "register.noun_pl": ("gminas", "gmin", "gmin"),
    "register.noun_cz": ("obce", "gmin czeskich (obcí)", "obcí"),
    "register.municipalities": ("Municipalities", "Gminy", "Obce"),
    "register.with_foreign": ("With a foreign partner", "Z partnerem zagranicznym",
                              "Se zahraničním partnerem"),
    "register.share": ("Share with a foreign partner", "Odsetek z partnerem zagranicznym",
                       "Podíl se zahraničním partnerem"),
    "register.per_100k": ("Partnerships per 100,000 inhabitants",
                          "Partnerstwa na 100 000 mieszkańców",
                          "Partnerství na 100 000 obyvatel"),
    "register.by_region": ("By region", "Według regionu", "Podle regionu"),
    "register.note": ("A partnership counts once for each municipality of the country taking "
                      "part; population as the register gives it.",
                      "Partnerstwo liczy się raz dla każdej uczestniczącej gminy kraju; "
                      "ludność według rejestru.",
                      "Partnerství se počítá jednou za každou zúčastněnou obec země; počet "
                      "obyvatel podle registru."),
    "register.kind": ("Kind of unit", "Rodzaj jednostki", "Druh jednotky"),
    "register.part_of": ("Part of", "Część jednostki", "Součást"),
    "register.unit": ("Unit", "Jednostka", "Jednotka"),
    "register.units": ("Units", "Jednostki", "Jednotky"),
    "register.units_with_partners": ("{count} with at least one partnership",
                                     "{count} z co najmniej jednym partnerstwem",
                                     "{count} s alespoň jedním partnerstvím"),
    "register.units_map": ("Partnerships of its units", "Partnerstwa jej jednostek",
                           "Partnerství jejích jednotek"),
    "register.find_partner_for": ("Find a partner for {name}", "Znajdź partnera dla: {name}",
                                  "Najít partnera pro: {name}"),
    "home.countries": ("countries", "krajów", "zemí"),
    "home.themes": ("themes", "tematów", "témat"),
    "home.sources": ("sources", "źródeł", "zdrojů"),
    "home.built": ("Last build", "Ostatnia kompilacja", "Poslední sestavení"),
    "home.map": ("Partnerships of Polish and Czech authorities",
                 "Partnerstwa polskich i czeskich samorządów",
                 "Partnerství polských a českých samospráv"),
    "home.more": ("Go further", "Więcej", "Dále"),
    "home.query_text": ("Ask your own questions in SPARQL, starting from an example.",
                        "Zadawaj własne pytania w SPARQL, zaczynając od przykładu.",
                        "Pokládejte vlastní dotazy v SPARQL, začněte příkladem."),
    "home.downloads_text": ("The whole graph as N-Quads, Turtle and JSON-LD, with a DCAT-AP "
                            "catalogue.",
                            "Cały graf jako N-Quads, Turtle i JSON-LD, z katalogiem DCAT-AP.",
                            "Celý graf jako N-Quads, Turtle a JSON-LD, s katalogem DCAT-AP."),
    "home.ontology_text": ("The terms the graph uses, documented.",
                           "Opis pojęć, których używa graf.",
                           "Popis pojmů, které graf používá."),
    "search.label": ("Find a town, region, theme or programme",
                     "Znajdź miasto, region, temat lub program",
                     "Najděte město, region, téma nebo program"),
    "search.placeholder": ("e.g. Swarzędz, Ústí nad Labem, culture, 3021094",
                           "np. Swarzędz, Ústí nad Labem, kultura, 3021094",
                           "např. Swarzędz, Ústí nad Labem, kultura, 3021094"),
    "search.button": ("Search", "Szukaj", "Hledat"),
    "search.results_for": ("Results for", "Wyniki dla", "Výsledky pro"),
    "search.none": ("Nothing found. Try fewer letters or another spelling.",
                    "Nic nie znaleziono. Spróbuj krótszego lub innego zapisu.",
                    "Nic nenalezeno. Zkuste méně písmen nebo jiný zápis."),
    "search.matched": ("matched", "dopasowano", "shoda"),
    "kind.authority": ("Local authority", "Samorząd", "Samospráva"),
    "kind.theme": ("Theme", "Temat", "Téma"),
    "kind.programme": ("Funding programme", "Program finansowania", "Dotační program"),
    "kind.legal": ("Legal basis", "Podstawa prawna", "Právní základ"),
    "kind.partnership": ("Partnership", "Partnerstwo", "Partnerství"),
    "kind.country": ("Country", "Kraj", "Země"),
    "field.country": ("Country", "Kraj", "Země"),
    "field.region": ("Region", "Region", "Region"),
    "field.codes": ("Official codes", "Kody urzędowe", "Úřední kódy"),
    "field.population": ("Population", "Ludność", "Počet obyvatel"),
    "field.names": ("Names", "Nazwy", "Názvy"),
    "field.links": ("Elsewhere", "Gdzie indziej", "Jinde"),
    "field.seat": ("Seat", "Siedziba", "Sídlo"),
    "field.within": ("Lies within", "Leży w", "Leží v"),
    "field.partners": ("Partners", "Partnerzy", "Partneři"),
    "field.partner": ("Partner", "Partner", "Partner"),
    "field.since": ("Since", "Od", "Od"),
    "field.until": ("Until", "Do", "Do"),
    "field.status": ("Status", "Status", "Stav"),
    "field.type": ("Type", "Rodzaj", "Druh"),
    "field.themes": ("Themes", "Tematy", "Témata"),
    "field.programmes": ("Programmes", "Programy", "Programy"),
    "field.legal": ("Legal basis", "Podstawa prawna", "Právní základ"),
    "field.activities": ("Activities", "Działania", "Aktivity"),
    "field.participants": ("Participants", "Uczestnicy", "Účastníci"),
    "field.sources": ("Sources and provenance", "Źródła i pochodzenie",
                      "Zdroje a původ"),
    "field.graph": ("Source graph", "Graf źródłowy", "Zdrojový graf"),
    "field.statement": ("Statement", "Stwierdzenie", "Tvrzení"),
    "field.description": ("Description", "Opis", "Popis"),
    "field.timeline": ("When the partnerships began", "Kiedy zaczęły się partnerstwa",
                       "Kdy partnerství začala"),
    "field.map": ("Map of connections", "Mapa powiązań", "Mapa spojení"),
    "field.authorities": ("Local authorities", "Samorządy", "Samosprávy"),
    "field.partnerships": ("Partnerships", "Partnerstwa", "Partnerství"),
    "field.by_country": ("Partnerships by partner country", "Partnerstwa według kraju partnera",
                         "Partnerství podle země partnera"),
    "field.count": ("Count", "Liczba", "Počet"),
    "field.unknown": ("unknown", "nieznane", "neznámé"),
    "data.title": ("The data behind this page", "Dane za tą stroną", "Data za touto stránkou"),
    "data.rdf": ("This page as RDF", "Ta strona jako RDF", "Tato stránka jako RDF"),
    "data.sparql": ("The SPARQL that produces this page", "SPARQL, który tworzy tę stronę",
                    "SPARQL, který tuto stránku vytváří"),
    "data.open_editor": ("Open in the query editor", "Otwórz w edytorze zapytań",
                         "Otevřít v editoru dotazů"),
    "query.title": ("Query editor", "Edytor zapytań", "Editor dotazů"),
    "query.intro": ("Write a SPARQL query, or start from an example. Results appear below as a "
                    "table; every result can be downloaded and every query shared by its link.",
                    "Napisz zapytanie SPARQL albo zacznij od przykładu. Wyniki pojawią się "
                    "poniżej jako tabela; każdy wynik można pobrać, a każde zapytanie "
                    "udostępnić linkiem.",
                    "Napište dotaz SPARQL, nebo začněte příkladem. Výsledky se zobrazí níže "
                    "jako tabulka; každý výsledek lze stáhnout a každý dotaz sdílet odkazem."),
    "query.examples": ("Examples", "Przykłady", "Příklady"),
    "query.run": ("Run query", "Wykonaj zapytanie", "Spustit dotaz"),
    "query.label": ("SPARQL query", "Zapytanie SPARQL", "Dotaz SPARQL"),
    "query.results": ("Results", "Wyniki", "Výsledky"),
    "query.rows": ("rows", "wierszy", "řádků"),
    "query.download": ("Download", "Pobierz", "Stáhnout"),
    "query.share": ("Link to this query", "Link do tego zapytania", "Odkaz na tento dotaz"),
    "query.error": ("The query could not be run", "Nie udało się wykonać zapytania",
                    "Dotaz se nepodařilo spustit"),
    "query.truncated": ("Showing the first rows only; download for all of them.",
                        "Pokazano tylko pierwsze wiersze; pobierz, aby zobaczyć wszystkie.",
                        "Zobrazeny jen první řádky; stáhněte si všechny."),
    "query.yes": ("yes", "tak", "ano"),
    "query.no": ("no", "nie", "ne"),
    "find.title": ("Find a partner", "Znajdź partnera", "Najděte partnera"),
    "find.intro": ("Suggestions learnt from the graph itself: who twins with whom, where, and "
                   "how big. Each one says why it is suggested.",
                   "Propozycje wyciągnięte z samego grafu: kto z kim współpracuje, gdzie i jak "
                   "duże są samorządy. Przy każdej podajemy, dlaczego ją proponujemy.",
                   "Návrhy odvozené ze samotného grafu: kdo s kým spolupracuje, kde a jak velké "
                   "jsou samosprávy. U každého návrhu uvádíme, proč ho navrhujeme."),
    "find.authority": ("Your authority", "Twój samorząd", "Vaše samospráva"),
    "find.authority_help": ("Name and country code (Swarzędz, PL), or its IRI.",
                            "Nazwa i kod kraju (Swarzędz, PL) albo IRI.",
                            "Název a kód země (Swarzędz, PL), nebo IRI."),
    "find.preferences": ("Preferences (all optional)", "Preferencje (wszystkie opcjonalne)",
                         "Preference (všechny nepovinné)"),
    "find.countries": ("Countries", "Kraje", "Země"),
    "find.countries_help": ("ISO codes or names, separated by commas.",
                            "Kody ISO lub nazwy, oddzielone przecinkami.",
                            "Kódy ISO nebo názvy oddělené čárkami."),
    "find.region": ("Region", "Region", "Region"),
    "find.themes": ("Themes", "Tematy", "Témata"),
    "find.population_from": ("Population from", "Liczba mieszkańców od", "Počet obyvatel od"),
    "find.population_to": ("to", "do", "do"),
    "find.within": ("Within (km)", "W promieniu (km)", "Do vzdálenosti (km)"),
    "find.show": ("How many", "Ile propozycji", "Kolik návrhů"),
    "find.submit": ("Suggest partners", "Zaproponuj partnerów", "Navrhnout partnery"),
    "find.results_for": ("Partners suggested for", "Partnerzy proponowani dla",
                         "Partneři navržení pro"),
    "find.partners_now": ("Partners now", "Obecni partnerzy", "Stávající partneři"),
    "find.candidates": ("Candidates matching the preferences",
                        "Kandydaci spełniający preferencje",
                        "Kandidáti odpovídající preferencím"),
    "find.score": ("score", "wynik", "skóre"),
    "find.map": ("Map of the suggestions", "Mapa propozycji", "Mapa návrhů"),
    "find.none": ("No authority matches these preferences; try fewer of them.",
                  "Żaden samorząd nie spełnia tych preferencji; spróbuj z mniejszą ich liczbą.",
                  "Těmto preferencím neodpovídá žádná samospráva; zkuste jich zadat méně."),
    "error.not_found": ("Not found", "Nie znaleziono", "Nenalezeno"),
    "footer.licence": ("Data: CC BY-SA 4.0. Code: MIT.", "Dane: CC BY-SA 4.0. Kod: MIT.",
                       "Data: CC BY-SA 4.0. Kód: MIT."),
}
"""Every interface string: key to (English, Polish, Czech)."""


def translate(key: str, language: str) -> str:
    """The string ``key`` in ``language`` (English when the language is not offered).

    :raises KeyError: ``key`` is not in :data:`STRINGS` (a typo in a template must fail loudly).

    >>> translate("nav.search", "pl")
    'Szukaj'
    >>> translate("nav.search", "de")
    'Search'
    """
    texts = STRINGS[key]
    return texts[LANGUAGES.index(language)] if language in LANGUAGES else texts[0]


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
