"""The message catalogues (service/translations/<lang>/LC_MESSAGES/messages.po): each parses,
has its language's plural rule, holds every message of the English catalogue with every plural
form, and the check finds what a broken copy gets wrong."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from service.catalogue_check import catalogue_problems, header_fields, plural_rule_problems
from service.catalogues import (
    LANGUAGES,
    TRANSLATIONS_DIR,
    messages_by_key,
    po_path,
    read_catalogue,
    source_messages,
)
from service.i18n import translate, translate_count

TEMPLATES = Path(__file__).resolve().parent.parent / "service" / "templates"
CALLS = re.compile(r"""\b(t|plural|counted)\(\s*'([a-z_]+\.[a-z_]+)'""")
NOUNS = re.compile(r"""'(register\.noun_[a-z]+)'""")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_parses_and_states_its_plural_rule(language: str) -> None:
    catalogue = read_catalogue(language)
    header = header_fields(po_path(language).read_text(encoding="utf-8"))
    assert header["Language"] == language
    assert plural_rule_problems(language, header.get("Plural-Forms")) == []
    assert catalogue.num_plurals == (2 if language == "en" else 3)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_in_every_language(language: str) -> None:
    source = source_messages()
    translated = messages_by_key(read_catalogue(language))
    assert set(translated) == set(source)
    for key, message in translated.items():
        assert message.id == source[key].id, key
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(form.strip() for form in forms), key
        assert not message.fuzzy, key


def test_the_shipped_catalogues_have_no_problem() -> None:
    assert catalogue_problems() == []


def test_every_key_a_template_uses_exists_and_is_of_its_kind() -> None:
    source = source_messages()
    used: dict[str, set[str]] = {"t": set(), "plural": set(), "counted": set()}
    for path in [TEMPLATES / "base.html", *TEMPLATES.glob("browse/*.html"),
                 *TEMPLATES.glob("find_partner/*.html")]:
        text = path.read_text(encoding="utf-8")
        for call, key in CALLS.findall(text):
            used[call].add(key)
        used["plural"] |= set(NOUNS.findall(text))
    assert used["t"] and used["plural"] and used["counted"], used
    assert set().union(*used.values()) <= set(source)
    counted = {key for key, message in source.items() if message.pluralizable}
    assert used["t"].isdisjoint(counted), used["t"] & counted
    assert used["plural"] | used["counted"] <= counted
    # kind.* keys are built from the data ("kind." ~ hit.entry.kind).
    for kind in ("authority", "theme", "programme", "legal", "partnership", "country"):
        assert f"kind.{kind}" in source


@pytest.mark.parametrize(("language", "counts"), [
    ("en", ["1 source", "3 sources", "5 sources", "12 sources", "22 sources", "112 sources"]),
    ("pl", ["1 źródło", "3 źródła", "5 źródeł", "12 źródeł", "22 źródła", "112 źródeł"]),
    ("cs", ["1 zdroj", "3 zdroje", "5 zdrojů", "12 zdrojů", "22 zdrojů", "112 zdrojů"]),
])
def test_counts_take_the_form_of_the_number(language: str, counts: list[str]) -> None:
    assert [translate_count("home.sources", n, language)
            for n in (1, 3, 5, 12, 22, 112)] == counts


def test_a_counted_message_is_never_written_without_its_count() -> None:
    with pytest.raises(TypeError):
        translate("home.sources", "pl")
    with pytest.raises(TypeError):
        translate_count("nav.search", 3, "pl")
    with pytest.raises(KeyError):
        translate("nav.serach", "pl")


def _replace(language: str, old: str, new: str) -> Callable[[Path], None]:
    def change(directory: Path) -> None:
        path = po_path(language, directory)
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def _drop_message(language: str, key: str) -> Callable[[Path], None]:
    def change(directory: Path) -> None:
        path = po_path(language, directory)
        entries = path.read_text(encoding="utf-8").split("\n\n")
        kept = [entry for entry in entries if f'msgctxt "{key}"\n' not in entry]
        assert len(kept) == len(entries) - 1
        path.write_text("\n\n".join(kept), encoding="utf-8")
    return change


@pytest.mark.parametrize(("change", "problem"), [
    (_replace("pl", "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                    "n%100>=20) ? 1 : 2);", "nplurals=2; plural=(n != 1);"),
     "pl: Plural-Forms puts counts of different CLDR plural classes in one form"),
    (_replace("cs", "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;",
              "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 2 : 1;"),
     "cs: Plural-Forms orders its forms one, other, few, not in CLDR's order"),
    (_replace("cs", "plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;", "plural=(n==1) ? 0 : (n>=2"),
     "cs: Plural-Forms expression does not parse"),
    (_replace("pl", '"Plural-Forms:', '"X-Plural-Forms:'), "pl: no Plural-Forms header"),
    (_drop_message("cs", "home.sources"), "cs: no message 'home.sources'"),
    (_replace("pl", 'msgstr[2] "{count} źródeł"\n', ""), "pl: home.sources: not translated"),
    (_replace("cs", 'msgstr[2] "{count} zdrojů"\n', 'msgstr[2] "{count} zdrojů"\nmsgstr[3] ""\n'),
     "does not parse: msg has more translations than num_plurals"),
    (_replace("pl", 'msgstr "Szukaj"', 'msgstr ""'), "pl: nav.search: not translated"),
    (_replace("cs", 'msgid "Search"\nmsgstr "Hledat"', 'msgid "Find"\nmsgstr "Hledat"'),
     "cs: nav.search: translated from 'Find', the English is now 'Search'"),
    (_replace("pl", 'msgstr[1] "{count} źródła"', 'msgstr[1] "{cuont} źródła"'),
     "pl: home.sources: unknown slot {cuont}"),
    (_replace("cs", 'msgstr "{tens}. léta"', 'msgstr "{tens.real}. léta"'),
     "cs: decade.tens: slot {tens.real} is not a plain name"),
    (_replace("pl", 'msgstr "Szukaj"', 'msgstr "Szukaj'),
     'is not PO syntax: msgstr "Szukaj'),
])
def test_the_check_finds_what_a_broken_copy_gets_wrong(
        tmp_path: Path, change: Callable[[Path], None], problem: str) -> None:
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS_DIR, copy)
    assert catalogue_problems(copy) == []
    change(copy)
    problems = catalogue_problems(copy)
    assert any(problem in found for found in problems), problems
