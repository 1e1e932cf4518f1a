"""Country subdivisions (ISO 3166-2, through pycountry): regions and counties by name.

Reconciliation uses them two ways: a name that *is* a subdivision ("Pest County", "Olomouc
Region") is linked to its ISO 3166-2 entry rather than to a town, and a region named beside a
place ("Springfield, Ohio") narrows the GeoNames candidates where GeoNames files places under
the same codes.

pycountry names subdivisions in their own language only ("Pomorskie", "Olomoucký kraj"),
while the lists we read are mostly English ("Pomeranian Voivodeship", "Olomouc Region"). For
the two countries Twinning KG starts from, the English names of their regions are authored
here, from the official English forms the countries themselves use.
"""

from __future__ import annotations

import functools
import re

import pycountry

from graph.core.names import name_variants

# Countries whose GeoNames admin1 codes are the ISO 3166-2 suffixes, so a named subdivision
# ("Ohio, United States", "England") narrows candidates without any further table.
ISO_ADMIN1 = frozenset({"US", "GB", "CH", "BE", "NO"})

_ENGLISH_NAMES: dict[str, tuple[str, ...]] = {
    "PL-02": ("Lower Silesian Voivodeship", "Lower Silesia Province"),
    "PL-04": ("Kuyavian-Pomeranian Voivodeship",),
    "PL-06": ("Lublin Voivodeship",),
    "PL-08": ("Lubusz Voivodeship",),
    "PL-10": ("Łódź Voivodeship",),
    "PL-12": ("Lesser Poland Voivodeship", "Małopolska Province"),
    "PL-14": ("Masovian Voivodeship", "Mazovia Province"),
    "PL-16": ("Opole Voivodeship",),
    "PL-18": ("Subcarpathian Voivodeship", "Podkarpackie Voivodeship"),
    "PL-20": ("Podlaskie Voivodeship", "Podlasie Province"),
    "PL-22": ("Pomeranian Voivodeship", "Pomerania Province"),
    "PL-24": ("Silesian Voivodeship", "Silesia Province"),
    "PL-26": ("Holy Cross Voivodeship", "Świętokrzyskie Voivodeship"),
    "PL-28": ("Warmian-Masurian Voivodeship", "Warmia-Masuria Province"),
    "PL-30": ("Greater Poland Voivodeship", "Wielkopolska Province"),
    "PL-32": ("West Pomeranian Voivodeship",),
    "CZ-20": ("Central Bohemian Region",),
    "CZ-31": ("South Bohemian Region",),
    "CZ-32": ("Plzeň Region", "Pilsen Region"),
    "CZ-41": ("Karlovy Vary Region",),
    "CZ-42": ("Ústí nad Labem Region",),
    "CZ-51": ("Liberec Region",),
    "CZ-52": ("Hradec Králové Region",),
    "CZ-53": ("Pardubice Region",),
    "CZ-63": ("Vysočina Region",),
    "CZ-64": ("South Moravian Region",),
    "CZ-71": ("Olomouc Region",),
    "CZ-72": ("Zlín Region",),
    "CZ-80": ("Moravian-Silesian Region",),
}


@functools.cache
def _table(country: str) -> dict[str, str]:
    """Folded subdivision name (and its qualifier-stripped forms) → ISO 3166-2 code.

    The authored English names come first, so "Olomouc Region" is the region (CZ-71) and not,
    stripped to "Olomouc", the district of that name (CZ-712); then regions before the
    subdivisions within them.
    """
    table: dict[str, str] = {}
    for code, names in _ENGLISH_NAMES.items():
        if code.startswith(country + "-"):
            for name in names:
                table.setdefault(name_variants(name)[0].key, code)
    # pycountry returns a set: in code order, first-level entries first, a name two levels
    # share ("Hiiumaa": the county EE-39 and the parish EE-205) is the same in every build.
    subs = pycountry.subdivisions.get(country_code=country) or ()
    for sub in sorted(subs, key=lambda s: (getattr(s, "parent_code", None) is not None,
                                           s.code)):
        # Bilingual names come as "Wales [Cymru GB-CYM]" or "Bruxelles-Capitale / Brussel".
        for name in re.split(r"[;/[\]]", sub.name):
            for variant in name_variants(name):
                table.setdefault(variant.key, sub.code)
    return table


def subdivision_code(country: str, name: str) -> str | None:
    """The ISO 3166-2 code of the subdivision a name denotes in a country, if any.

    >>> subdivision_code("CZ", "Olomouc Region"), subdivision_code("PL", "Pomorskie")
    ('CZ-71', 'PL-22')
    >>> subdivision_code("HU", "Pest County"), subdivision_code("PL", "Swarzędz")
    ('HU-PE', None)
    """
    table = _table(country)
    for variant in name_variants(name):
        if variant.key in table:
            return table[variant.key]
    return None


def subdivision_kind(code: str) -> str:
    """``County`` for a subdivision within another (a Czech okres, an English county), else
    ``Region`` (a voivodeship, a kraj, a Hungarian megye).

    >>> subdivision_kind("CZ-712"), subdivision_kind("CZ-71"), subdivision_kind("HU-PE")
    ('County', 'Region', 'Region')
    """
    sub = pycountry.subdivisions.get(code=code)
    return "County" if sub is not None and getattr(sub, "parent_code", None) else "Region"


def listed_subdivision(code: str) -> str:
    """``code`` when ISO 3166-2 (pycountry) lists it, else ``""``: register units take their
    subdivision code from their official codes (voivodeship 02 is PL-02, kraj CZ071 is
    CZ-71, okres CZ0712 is CZ-712), and only codes the standard has are written.

    >>> listed_subdivision("PL-02"), listed_subdivision("CZ-712"), listed_subdivision("CZ-100")
    ('PL-02', 'CZ-712', '')
    """
    return code if pycountry.subdivisions.get(code=code) is not None else ""


def iso_admin1(country: str, text: str) -> str | None:
    """The GeoNames admin1 code a region name gives, where the two tables share codes.

    >>> iso_admin1("US", "Ohio"), iso_admin1("PL", "Pomorskie")
    ('OH', None)
    """
    if country not in ISO_ADMIN1:
        return None
    code = subdivision_code(country, text)
    return code.split("-", 1)[1] if code else None


def region_name(country: str, admin1: str) -> str | None:
    """The first-level subdivision's name for a GeoNames admin1 code, where the codes agree.

    >>> region_name("US", "OH"), region_name("PL", "86")
    ('Ohio', None)
    """
    if country not in ISO_ADMIN1 or not admin1:
        return None
    sub = pycountry.subdivisions.get(code=f"{country}-{admin1}")
    return str(sub.name) if sub is not None else None


__all__ = ["ISO_ADMIN1", "iso_admin1", "listed_subdivision", "region_name", "subdivision_code",
           "subdivision_kind"]
