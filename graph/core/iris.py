"""The one place that mints IRIs.

Identity rules (why they are what they are):

* An authority's IRI comes from its ISO 3166-1 country code and its cleaned name alone
  (``id/authority/pl/swarzędz``), never from row numbers or from which other rows exist, so the
  same input always gives the same IRIs and adding a row changes no other IRI.
* A partnership's IRI comes from the sorted keys of its participants
  (``id/partnership/de-ronnenberg--pl-swarzędz``): the pair listed from both sides, or by two
  sources, lands on one resource. People can also author it by hand in the curated Turtle.
* Slugs keep their diacritics (IRIs, RFC 3987): ``ústí-nad-labem`` reads as the town's name;
  the service percent-decodes request paths before it looks an IRI up.
* Everything minted lives under ``<base>id/``; ``base`` defaults to the persistent base and a
  build can rebase it (see :func:`rebase`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from graph.core.namespaces import PERSISTENT_BASE, PERSISTENT_DATA_BASE

_NOT_SLUG = re.compile(r"[^\w]+", re.UNICODE)


def slugify(name: str) -> str:
    """Lower-case, NFC-normalised, words joined by hyphens; diacritics are kept.

    >>> slugify("Ústí nad Labem")
    'ústí-nad-labem'
    >>> slugify("  Saint-Pierre-lès-Elbeuf ")
    'saint-pierre-lès-elbeuf'
    """
    text = unicodedata.normalize("NFC", name).casefold()
    slug = _NOT_SLUG.sub("-", text).replace("_", "-").strip("-")
    return re.sub("-{2,}", "-", slug)


def data_base(base: str = PERSISTENT_BASE) -> str:
    """The data namespace below a base IRI: ``<base>id/``.

    >>> data_base("http://127.0.0.1:8080/")
    'http://127.0.0.1:8080/id/'
    """
    if not base.endswith("/"):
        base += "/"
    return base + "id/"


def authority_key(country_code: str, name: str) -> str:
    """The stable key of an authority: lower-case country code, slash, slug of its name.

    >>> authority_key("PL", "Swarzędz")
    'pl/swarzędz'
    """
    slug = slugify(name)
    if not slug:
        raise ValueError(f"cannot mint an authority key from an empty name ({name!r})")
    return f"{country_code.strip().lower()}/{slug}"


def authority_iri(country_code: str, name: str, base: str = PERSISTENT_BASE) -> str:
    """The IRI of an authority.

    >>> authority_iri("CZ", "Ústí nad Labem")
    'https://w3id.org/twinning-kg/id/authority/cz/ústí-nad-labem'
    """
    return f"{data_base(base)}authority/{authority_key(country_code, name)}"


_REGISTER_CODE = re.compile(r"^[0-9A-Za-z]+$")


def register_unit_key(country_code: str, scheme: str, code: str) -> str:
    """The stable key of a register unit: country, register scheme and official code.

    Register units are named by their codes, never by their names: two gminas share the name
    Bolesławiec, a gmina is renamed (Sitkówka-Nowiny became Nowiny) and keeps its code. Three
    segments, so a key never equals a name-based key (``pl/swarzędz``).

    >>> register_unit_key("PL", "teryt", "0201011")
    'pl/teryt/0201011'
    >>> register_unit_key("CZ", "obec", "554782")
    'cz/obec/554782'
    >>> register_unit_key("CZ", "obec", "55 47")
    Traceback (most recent call last):
    ...
    ValueError: cannot mint a register unit key from code '55 47' (letters and digits only)

    Raises :class:`ValueError` for a code that is not letters and digits.
    """
    if not _REGISTER_CODE.match(code) or not _REGISTER_CODE.match(scheme.replace("-", "")):
        raise ValueError(f"cannot mint a register unit key from code {code!r} (letters and "
                         "digits only)")
    return f"{country_code.strip().lower()}/{scheme}/{code}"


def register_unit_iri(country_code: str, scheme: str, code: str,
                      base: str = PERSISTENT_BASE) -> str:
    """The IRI of a register unit (a gmina by its TERYT code, an obec by its kód obce).

    >>> register_unit_iri("PL", "teryt", "1465011")
    'https://w3id.org/twinning-kg/id/authority/pl/teryt/1465011'
    """
    return f"{data_base(base)}authority/{register_unit_key(country_code, scheme, code)}"


NUTS_BASE = "http://data.europa.eu/nuts/code/"
"""The EU Publications Office's IRIs of NUTS regions: not ours, never rebased."""


def nuts_iri(code: str) -> str:
    """The EU Publications Office's IRI of a NUTS region.

    >>> nuts_iri("PL213")
    'http://data.europa.eu/nuts/code/PL213'
    """
    if not _REGISTER_CODE.match(code):
        raise ValueError(f"{code!r} is not a NUTS code")
    return NUTS_BASE + code


def partnership_key(authority_keys: Iterable[str]) -> str:
    """The stable key of a partnership: its participants' keys, sorted, joined by ``--``.

    >>> partnership_key(["pl/swarzędz", "de/ronnenberg"])
    'de-ronnenberg--pl-swarzędz'
    """
    keys = sorted({k.replace("/", "-") for k in authority_keys})
    if len(keys) < 2:
        raise ValueError("a partnership needs at least two distinct participants")
    return "--".join(keys)


def partnership_iri(authority_keys: Iterable[str], base: str = PERSISTENT_BASE) -> str:
    """The IRI of the partnership between the given authorities, in any order.

    >>> partnership_iri(["pl/swarzędz", "de/ronnenberg"]) == partnership_iri(
    ...     ["de/ronnenberg", "pl/swarzędz"])
    True
    """
    return f"{data_base(base)}partnership/{partnership_key(authority_keys)}"


def concept_iri(scheme: str, slug: str, base: str = PERSISTENT_BASE) -> str:
    """The IRI of a SKOS concept (``theme``, ``partnership-type``, ``status``, ...).

    >>> concept_iri("theme", "culture")
    'https://w3id.org/twinning-kg/id/theme/culture'
    """
    return f"{data_base(base)}{scheme}/{slug}"


def scheme_iri(scheme: str, base: str = PERSISTENT_BASE) -> str:
    """The IRI of a SKOS concept scheme; the scheme's concepts live below it.

    >>> scheme_iri("theme")
    'https://w3id.org/twinning-kg/id/theme'
    """
    return f"{data_base(base)}{scheme}"


def source_graph_iri(source: str, base: str = PERSISTENT_BASE) -> str:
    """The named graph that holds one source's contribution (``curated``, ``wikipedia``, ...).

    >>> source_graph_iri("wikipedia")
    'https://w3id.org/twinning-kg/id/graph/wikipedia'
    """
    return f"{data_base(base)}graph/{slugify(source)}"


def rebase(iri: str, base: str) -> str:
    """Move an IRI from the persistent data namespace to ``<base>id/``; others are untouched.

    >>> rebase("https://w3id.org/twinning-kg/id/theme/culture", "http://127.0.0.1:5000/")
    'http://127.0.0.1:5000/id/theme/culture'
    >>> rebase("https://w3id.org/twinning-kg/def#Partnership", "http://127.0.0.1:5000/")
    'https://w3id.org/twinning-kg/def#Partnership'
    """
    if iri.startswith(PERSISTENT_DATA_BASE):
        return data_base(base) + iri[len(PERSISTENT_DATA_BASE) :]
    return iri
