"""The interface's message catalogues: one gettext ``.po`` file per language, read with Babel.

Why ``.po`` files: a translator edits them with any PO editor (Poedit, Lokalize, Weblate) or
by hand, and the format carries what a table in Python cannot: the plural rule of each language
(the ``Plural-Forms`` header; Polish and Czech have three forms, so "1 źródło, 3 źródła,
5 źródeł") and a note for the translator beside each message.

Each message's ``msgctxt`` is the key the templates use (``nav.search``), its ``msgid`` the
English source text and its ``msgstr`` the translation; English has a catalogue too, so the
source text is read from ``en`` like any other language. The catalogues are compiled into
memory (:func:`babel.messages.mofile.write_mo`) the first time a language is asked for: no
``.mo`` file is written, so the ``.po`` files are the only thing to edit and to ship.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES: tuple[str, ...] = ("en", "pl", "cs")
"""The interface languages, default first; the first is also the source language."""

SOURCE_LANGUAGE = LANGUAGES[0]

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
"""Where ``<language>/LC_MESSAGES/messages.po`` lie (package data of :mod:`service`)."""

DOMAIN = "messages"


def po_path(language: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    """The ``.po`` file of ``language`` under ``directory`` (gettext's usual layout).

    >>> po_path("pl").relative_to(TRANSLATIONS_DIR).as_posix()
    'pl/LC_MESSAGES/messages.po'
    """
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(language: str, directory: Path = TRANSLATIONS_DIR) -> Catalog:
    """The catalogue of ``language``, parsed strictly.

    :raises OSError: the file cannot be read.
    :raises babel.messages.pofile.PoFileError: a line Babel cannot read (a stray word, a
        ``msgstr[3]`` in a file whose language has three forms). Babel forgives some
        mistakes (an unclosed quote); :mod:`service.catalogue_check` finds those.
    """
    with po_path(language, directory).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN, abort_invalid=True)


def compile_catalogue(catalogue: Catalog) -> Translations:
    """``catalogue`` compiled in memory into gettext translations (fuzzy entries left out,
    as ``msgfmt`` does, so a message marked for review falls back to English).

    >>> from babel.messages.catalog import Catalog
    >>> catalogue = Catalog(locale="pl")
    >>> catalogue.add(("{count} file", "{count} files"), ("{count} plik", "{count} pliki",
    ...               "{count} plików"), context="demo")  # doctest: +ELLIPSIS
    <Message ...>
    >>> compiled = compile_catalogue(catalogue)
    >>> [compiled.npgettext("demo", "{count} file", "{count} files", n) for n in (1, 3, 5)]
    ['{count} plik', '{count} pliki', '{count} plików']
    """
    buffer = BytesIO()
    write_mo(buffer, catalogue)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@cache
def translations(language: str) -> Translations:
    """The compiled translations of an interface language (English for any other).

    Read once per process; a message missing from the language's catalogue falls back to
    its English source text, which is gettext's own behaviour.
    """
    chosen = language if language in LANGUAGES else SOURCE_LANGUAGE
    return compile_catalogue(read_catalogue(chosen))


@cache
def source_messages() -> dict[str, Message]:
    """Every message of the source (English) catalogue by its key (``msgctxt``).

    >>> source_messages()["nav.search"].id
    'Search'
    >>> source_messages()["home.sources"].id
    ('{count} source', '{count} sources')
    """
    return messages_by_key(read_catalogue(SOURCE_LANGUAGE))


def messages_by_key(catalogue: Catalog) -> dict[str, Message]:
    """The messages of ``catalogue`` that have a key, by that key (the header has none)."""
    return {message.context: message for message in catalogue if message.id and message.context}
