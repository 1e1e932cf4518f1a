"""Identity rules of minted IRIs (see graph/core/iris.py for why they are what they are)."""

import pytest

from graph.core import iris


def test_same_input_gives_same_iri_and_order_does_not_matter() -> None:
    a = iris.authority_key("PL", "Swarzędz")
    b = iris.authority_key("DE", "Ronnenberg")
    assert iris.partnership_iri([a, b]) == iris.partnership_iri([b, a])
    assert iris.authority_iri("PL", "Swarzędz") == iris.authority_iri("pl", " Swarzędz ")


def test_diacritics_are_kept_and_case_is_folded() -> None:
    assert iris.authority_iri("CZ", "Ústí nad Labem").endswith("/authority/cz/ústí-nad-labem")
    assert iris.slugify("JÄRFÄLLA") == "järfälla"


def test_a_partnership_needs_two_distinct_participants() -> None:
    with pytest.raises(ValueError, match="two distinct"):
        iris.partnership_key(["pl/swarzędz", "pl/swarzędz"])


def test_empty_name_is_refused() -> None:
    with pytest.raises(ValueError, match="empty name"):
        iris.authority_key("PL", " -- ")


def test_rebase_moves_only_data_iris() -> None:
    base = "http://127.0.0.1:9/"
    assert iris.rebase(iris.authority_iri("PL", "Tymbark"), base) == iris.authority_iri(
        "PL", "Tymbark", base
    )
    assert iris.rebase("http://www.wikidata.org/entity/Q1", base) == (
        "http://www.wikidata.org/entity/Q1"
    )
