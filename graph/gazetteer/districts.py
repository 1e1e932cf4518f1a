"""The register's city district a listed name denotes: "Prague 6 (Prague)", "Prague 6",
"Prague 16 - Radotín" (with an en dash), "Řeporyje (Prague)", "Brno-Vinohrady (Brno)",
"Mokotów (Warsaw)".

Why a table of its own: lists write a district with its city, in English or in the local
language and in several orders, while the register names it in its own way ("Praha 6",
"Praha-Řeporyje", "Brno-Vinohrady", "Mokotów"). Looked up by name alone, "Radotín" is a village
100 km from Prague and "Prague 6" nothing at all. So a district is filed under its city's unit
and under its own part of the name (the register's name without the city's: "6", "řeporyje",
"vinohrady"), and a listed name is read as a city and a part, in each order lists use. The city
is found by its native name ("Praha") or, through the caller, by the GeoNames city the name
gives ("Prague" is the municipality at Prague's point, of Prague's size).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping

from graph.core import iris
from graph.core.names import fold
from graph.ingest.records import RegisterUnit

CityKey = Callable[[str, str], "str | None"]
"""The unit key of the city a text names in a country (``("CZ", "Prague")``), if any."""

_IN_PARENTHESES = re.compile(r"^(.+?)\s*\(([^()]+)\)\s*$")
_DASHES = re.compile("\\s+[-\u2013\u2014]\\s+")  # a hyphen, en dash or em dash between spaces
_NUMBER = re.compile(r"^(.+?) ([0-9]+|[ivxl]+)$")  # "prague 16", "budapest xi"


def city_hint(name: str) -> str | None:
    """The city a listed name says it lies in, by the forms districts are listed in.

    >>> city_hint("Vaihingen (Stuttgart)"), city_hint("Vienna 14 \u2013 Penzing")
    ('Stuttgart', 'Vienna')
    >>> city_hint("Frankfurt (Oder)"), city_hint("Kaiserslautern") is None
    ('Oder', True)
    """
    parenthesised = _IN_PARENTHESES.match(name)
    if parenthesised:
        return parenthesised.group(2).strip()
    dashed = _DASHES.split(name, maxsplit=1)
    if len(dashed) == 2:
        numbered = re.match(r"^(.+?) (?:[0-9]+|[IVXL]+)$", dashed[0].strip())
        return numbered.group(1) if numbered else dashed[0].strip()
    return None


def readings(name: str) -> list[tuple[str, str]]:
    """Every way to read a listed name as (city, part of the city), most explicit first.

    >>> readings("Prague 6 (Prague)")[:2]
    [('prague', 'prague 6'), ('prague', '6')]
    >>> readings("Prague 16 \u2013 Radotín")[:3]
    [('prague 16', 'radotin'), ('prague', 'radotin'), ('prague', '16')]
    >>> readings("Brno-Bosonohy")
    [('brno', 'bosonohy')]
    """
    found: list[tuple[str, str]] = []
    parenthesised = _IN_PARENTHESES.match(name)
    if parenthesised:
        found.append((fold(parenthesised.group(2)), fold(parenthesised.group(1))))
    else:
        dashed = _DASHES.split(name, maxsplit=1)
        if len(dashed) == 2:
            found.append((fold(dashed[0]), fold(dashed[1])))
        words = fold(name).split()
        found += [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    readable: list[tuple[str, str]] = []
    for city, part in found:
        numbered = _NUMBER.match(city)
        for one in ((city, part), *(((numbered.group(1), part), (numbered.group(1),
                                                                 numbered.group(2)))
                                    if numbered else ())):
            if one not in readable:
                readable.append(one)
        if part.startswith(city + " "):
            readable.append((city, part[len(city) + 1:]))
    return readable


class DistrictIndex:
    """The register's city districts by their city's unit key and their own part of the name.

    >>> from graph.ingest.records import RegisterUnit
    >>> praha = RegisterUnit("cz-obce", "f", 1, "CZ", "Municipality", "obec", "554782",
    ...                      name="Praha")
    >>> six = RegisterUnit("cz-obce", "f", 2, "CZ", "LocalAuthority", "momc", "500178",
    ...                    name="Praha 6", kinds=("city-district",), parent=("obec", "554782"))
    >>> index = DistrictIndex({"cz/obec/554782": praha, "cz/momc/500178": six})
    >>> index.find("Praha 6", "CZ", lambda country, text: None)
    'cz/momc/500178'
    >>> index.find("Prague 6 (Prague)", "CZ", lambda country, text: "cz/obec/554782")
    'cz/momc/500178'
    >>> index.find("Prague 7 (Prague)", "CZ", lambda country, text: "cz/obec/554782") is None
    True
    """

    def __init__(self, units: Mapping[str, RegisterUnit]) -> None:
        self.parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.cities: dict[tuple[str, str], str] = {}
        self._any_part: set[str] = set()  # every city's parts: most names are none
        for key, unit in units.items():
            if "city-district" not in unit.kinds or unit.parent is None:
                continue
            city_key = iris.register_unit_key(unit.country, *unit.parent)
            city = units.get(city_key)
            if city is None:
                continue
            city_name = fold(city.name)
            self.cities[(unit.country, city_name)] = city_key
            own = fold(unit.name)
            for part in dict.fromkeys((own, own.removeprefix(city_name + " "))):
                self.parts[city_key][part].append(key)
                self._any_part.add(part)

    def find(self, name: str, country: str, city_of: CityKey) -> str | None:
        """The key of the one district a listed name denotes, or ``None``.

        ``city_of`` finds the city's unit for a text no district's city is natively named
        ("Prague"); it is asked only for texts that read as a city.
        """
        if not self.parts:
            return None
        asked: dict[str, str | None] = {}
        for city, part in readings(name):
            if part not in self._any_part:
                continue  # no district of any city is called so: no need to find the city
            if city not in asked:
                asked[city] = self.cities.get((country, city)) or city_of(country, city)
            city_key = asked[city]
            found = self.parts.get(city_key, {}).get(part) if city_key else None
            if found and len(found) == 1:
                return found[0]
        return None
