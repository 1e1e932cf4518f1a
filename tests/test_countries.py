"""Country names as real lists write them resolve to one ISO code, with the region kept."""

import pytest

from graph.core.countries import UnknownCountry, resolve_country, split_place_country


@pytest.mark.parametrize(("text", "alpha2", "region"), [
    ("Czech Republic", "CZ", None),
    ("Czechia", "CZ", None),
    ("England, United Kingdom", "GB", "England"),
    ("England", "GB", "England"),
    ("Scotland, United Kingdom", "GB", "Scotland"),
    ("Georgia (country)", "GE", None),
    ("Algarve, Portugal", "PT", "Algarve"),
    ("Brandenburg, Germany", "DE", "Brandenburg"),
    ("Réunion, France", "RE", None),
    ("Åland Islands, Finland", "AX", None),
    ("Republic of Ireland", "IE", None),
    ("Russia", "RU", None),
    ("Ivory Coast", "CI", None),
    ("Kosovo", "XK", None),
    ("Grece", "GR", None),
    ("Kazakhstah", "KZ", None),
    ("Japa", "JP", None),
    ("Island", "IS", None),
    ("PL", "PL", None),
    ("CZE", "CZ", None),
])
def test_country_variants_resolve(text: str, alpha2: str, region: str | None) -> None:
    country = resolve_country(text)
    assert (country.alpha2, country.region) == (alpha2, region)


@pytest.mark.parametrize("text", ["Atlantis", "", "Middle Earth, Arda"])
def test_unknown_country_raises_naming_the_text(text: str) -> None:
    with pytest.raises(UnknownCountry, match="unknown country"):
        resolve_country(text)


def test_country_written_into_the_place_name() -> None:
    split = split_place_country("Varna, Bulgaria")
    assert split is not None
    assert (split[0], split[1].alpha2) == ("Varna", "BG")
    assert split_place_country("Nowhere") is None
