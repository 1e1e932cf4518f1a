"""What is wrong with the message catalogues, as sentences a translator can act on.

Why a check beyond parsing: gettext forgives what a reader would not. A message missing from a
language, or translated from an older English text, silently shows English; a ``Plural-Forms``
header with the wrong rule (or none: Babel then assumes CLDR's) picks "3 zdrojů" where Czech
says "3 zdroje"; a mistyped ``{slot}`` raises only when the page is rendered. The tests run
:func:`catalogue_problems` on the shipped catalogues and on broken copies of them.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from string import Formatter

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError

from service.catalogues import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    TRANSLATIONS_DIR,
    messages_by_key,
    po_path,
    read_catalogue,
)

PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
HEADER_BLOCK = re.compile(r'^msgid ""\nmsgstr ""\n((?:".*"\n)+)', re.MULTILINE)
PO_LINE = re.compile(r'^(?:#.*|\s*|(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?)\s+)?'
                     r'"(?:[^"\\]|\\.)*")$')
"""A line of a ``.po`` file: a comment, blank, or a keyword and a quoted string (or only the
string, continuing the one above). Babel's reader forgives a missing quote by dropping a
character of the text, so the check reads the lines itself."""
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
"""The order of CLDR's plural classes, which is the order of gettext's forms (msgstr[0] for
"one", msgstr[1] for "few" ...) in every catalogue a translator will have seen."""
CHECKED_COUNTS = range(0, 1001)
"""The numbers a plural rule is compared with CLDR's on (every ending up to a thousand)."""


def header_fields(po_text: str) -> dict[str, str]:
    """The header of a ``.po`` file as written, field name to value.

    Read from the text rather than from Babel's catalogue, which fills a missing
    ``Plural-Forms`` with the locale's default and so could not tell that it was missing.

    >>> header_fields('msgid ""\\nmsgstr ""\\n"Language: cs\\\\n"\\n"Plural-Forms: n'
    ...               'plurals=2; plural=(n != 1);\\\\n"\\n')
    {'Language': 'cs', 'Plural-Forms': 'nplurals=2; plural=(n != 1);'}
    """
    found = HEADER_BLOCK.search(po_text)
    if not found:
        return {}
    joined = "".join(line.strip()[1:-1] for line in found.group(1).splitlines())
    fields = {}
    for line in joined.split("\\n"):
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip()] = value.strip()
    return fields


def line_problems(language: str, po_text: str) -> list[str]:
    """Lines of a ``.po`` file that are not PO syntax (an unclosed quote, a stray word).

    >>> line_problems("pl", 'msgid "Search"\\nmsgstr "Szukaj\\n')
    ['pl: line 2 is not PO syntax: msgstr "Szukaj']
    """
    return [f"{language}: line {number} is not PO syntax: {line}"
            for number, line in enumerate(po_text.splitlines(), start=1)
            if not PO_LINE.match(line)]


def plural_rule_problems(language: str, header: str | None) -> list[str]:
    """What is wrong with ``language``'s ``Plural-Forms`` header.

    The rule must sort every count from 0 to 1000 into the same classes as CLDR's plural
    rules for the language (Babel's data): one form per class, no two classes in one form,
    the forms in CLDR's order.

    >>> plural_rule_problems("cs", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;")
    []
    >>> plural_rule_problems("cs", "nplurals=2; plural=(n != 1);")
    ['cs: Plural-Forms puts counts of different CLDR plural classes in one form (0 and 2)']
    """
    if header is None:
        return [f"{language}: no Plural-Forms header"]
    parsed = PLURAL_FORMS.match(header)
    if not parsed:
        return [f"{language}: Plural-Forms is not 'nplurals=N; plural=EXPRESSION;': {header}"]
    count = int(parsed.group(1))
    try:
        rule: Callable[[int], int] = gettext.c2py(parsed.group(2))
    except (ValueError, RecursionError) as error:
        return [f"{language}: Plural-Forms expression does not parse ({error})"]
    return _compare_with_cldr(language, rule, count)


def _compare_with_cldr(language: str, rule: Callable[[int], int], count: int) -> list[str]:
    """Sentences for each way ``rule`` disagrees with CLDR on :data:`CHECKED_COUNTS`."""
    cldr = Locale.parse(language).plural_form
    form_class: dict[int, tuple[str, int]] = {}
    class_form: dict[str, tuple[int, int]] = {}
    for n in CHECKED_COUNTS:
        form, category = rule(n), cldr(n)
        if not 0 <= form < count:
            return [f"{language}: Plural-Forms picks form {form} for {n}, "
                    f"but nplurals is {count}"]
        seen_class, first = form_class.setdefault(form, (category, n))
        if seen_class != category:
            return [f"{language}: Plural-Forms puts counts of different CLDR plural classes "
                    f"in one form ({first} and {n})"]
        seen_form, first = class_form.setdefault(category, (form, n))
        if seen_form != form:
            return [f"{language}: Plural-Forms splits a CLDR plural class ({first} and {n})"]
    if len(form_class) != count:
        return [f"{language}: nplurals is {count}, but the rule uses {len(form_class)} forms"]
    classes = [form_class[form][0] for form in range(count)]
    if classes != sorted(classes, key=CLDR_ORDER.index):
        return [f"{language}: Plural-Forms orders its forms {', '.join(classes)}, not in "
                f"CLDR's order ({', '.join(sorted(classes, key=CLDR_ORDER.index))})"]
    return []


def slot_problems(where: str, text: str, allowed: set[str]) -> list[str]:
    """What is wrong with the ``{slots}`` of a translated ``text``: each must be a plain name
    the code fills in (``{count}``, not ``{count.real}``, ``{0}`` or a stray brace).

    >>> slot_problems("pl: x", "{count} plików", {"count"})
    []
    >>> slot_problems("pl: x", "{cuont} plików", {"count"})
    ['pl: x: unknown slot {cuont} (the code fills in: {count})']
    """
    try:
        fields = [(name, spec, conversion)
                  for _, name, spec, conversion in Formatter().parse(text) if name is not None]
    except ValueError as error:
        return [f"{where}: braces do not pair up ({error})"]
    problems = []
    for name, spec, conversion in fields:
        if not name.isidentifier() or spec or conversion:
            problems.append(f"{where}: slot {{{name}}} is not a plain name")
        elif name not in allowed:
            known = ", ".join(f"{{{slot}}}" for slot in sorted(allowed)) or "nothing"
            problems.append(f"{where}: unknown slot {{{name}}} (the code fills in: {known})")
    return problems


def allowed_slots(source: Message) -> set[str]:
    """The slots a message may use: those of its English text and those its translator
    note names (a decade's Polish text uses ``{tens}``, which English does not need)."""
    texts = [*_texts(source.id), *source.auto_comments]
    return {name for text in texts for _, name, _, _ in Formatter().parse(text)
            if name and name.isidentifier()}


def _texts(id_or_string: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """A message's id or string as a list of texts (one, or one per plural form)."""
    if id_or_string is None:
        return []
    return [id_or_string] if isinstance(id_or_string, str) else list(id_or_string)


def message_problems(language: str, source: dict[str, Message], catalogue: Catalog) -> list[str]:
    """Missing, stale, extra, empty, fuzzy or mis-slotted messages of one language."""
    translated = messages_by_key(catalogue)
    problems = [f"{language}: no message {key!r} (English: {source[key].id!r})"
                for key in source if key not in translated]
    problems += [f"{language}: message {key!r} is not in the English catalogue"
                 for key in translated if key not in source]
    for key, message in translated.items():
        if key not in source:
            continue
        where = f"{language}: {key}"
        if message.id != source[key].id:
            problems.append(f"{where}: translated from {message.id!r}, the English is now "
                            f"{source[key].id!r}")
            continue
        texts = _texts(message.string)
        if message.fuzzy:
            problems.append(f"{where}: marked fuzzy (needs review, shown in English)")
        if not all(text.strip() for text in texts):
            problems.append(f"{where}: not translated")
        for text in texts:
            problems += slot_problems(where, text, allowed_slots(source[key]))
    return problems


def catalogue_problems(directory: Path = TRANSLATIONS_DIR,
                       languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Every problem of the catalogues under ``directory``; empty when all is well.

    >>> catalogue_problems()
    []
    """
    problems: list[str] = []
    source: dict[str, Message] = {}
    for language in [SOURCE_LANGUAGE, *(code for code in languages if code != SOURCE_LANGUAGE)]:
        path = po_path(language, directory)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(f"{language}: {path} cannot be read: {error}")
            continue
        problems += line_problems(language, text)
        problems += plural_rule_problems(language, header_fields(text).get("Plural-Forms"))
        try:
            catalogue = read_catalogue(language, directory)
        except PoFileError as error:
            problems.append(f"{language}: {path} does not parse: {error}")
            continue
        if language == SOURCE_LANGUAGE:
            source = messages_by_key(catalogue)
        problems += message_problems(language, source, catalogue)
    return problems
