"""End-to-end: "Find a partner" in Chromium, on the real build of tests/e2e/conftest.py.

Swarzędz (PL) of that build: its three partners come from the curated data and the real
Wikipedia rows, its candidates are the ~4,000 authorities of the Polish and Czech rows. The
person opens the page from the navigation, names the authority, asks for partners in Germany,
and sees ranked suggestions with reasons, all in Germany, none an existing partner, and the
map drawing a line to each.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import Site, shot


def _suggestions(tab: Any) -> list[dict[str, Any]]:
    items = tab.locator("#suggestions > li")
    return [{"name": item.locator("a.name").inner_text(),
             "country": item.get_attribute("data-country"),
             "badge": item.locator(".badge").inner_text(),
             "reasons": item.locator(".reasons li").all_inner_texts()}
            for item in items.all()]


def test_find_partners_in_germany_for_swarzedz(site: Site, page: Any) -> None:
    page.goto(site.url + "/")
    page.locator("nav").get_by_role("link", name="Find a partner").click()
    page.wait_for_url("**/find-partner")
    assert page.locator("h1").inner_text() == "Find a partner"
    page.get_by_label("Your authority").fill("Swarzędz, PL")
    page.get_by_label("Countries").fill("DE")
    page.get_by_role("button", name="Suggest partners").click()
    page.wait_for_selector("#suggestions > li")
    assert "authority=Swarz" in page.url and "country=DE" in page.url

    suggestions = _suggestions(page)
    assert len(suggestions) == 10
    assert {s["country"] for s in suggestions} == {"DE"}
    assert {s["badge"] for s in suggestions} == {"DE"}
    names = [s["name"] for s in suggestions]
    assert not {"Ronnenberg", "Swarzędz"} & set(names)  # existing partners and itself
    assert all(s["reasons"] for s in suggestions)
    # Reasons cite the data: a stated distance is a number of km, the country pair is named.
    assert any("across the border (Poland – Germany)" in r  # noqa: RUF001
               for s in suggestions for r in s["reasons"])

    page.wait_for_selector("#map[data-lines-drawn]")
    lines = json.loads(page.inner_text("#lines-data"))
    assert {line["from"]["name"] for line in lines} == {"Swarzędz"}
    assert [line["to"]["name"].split(". ", 1)[1] for line in lines] == names[:len(lines)]
    assert page.get_attribute("#map", "data-lines-drawn") == str(len(lines)) != "0"
    assert page.locator("#map path.map-home").count() == 1  # Swarzędz, where lines start
    assert page.locator("#map path.map-line").count() == len(lines)
    shot(page, "find-partner")

    # The same answer for machines, linked from the page.
    with page.expect_response(lambda r: "/api/suggest" in r.url) as answer:
        page.get_by_role("link", name="JSON").click()
    body = answer.value.json()
    assert [s["label"] for s in body["suggestions"]] == names
    assert page.problems == []


def test_find_partner_in_czech_with_an_unknown_authority(site: Site,
                                                          phone: Callable[[str], Any]) -> None:
    tab = phone("cs")
    tab.goto(site.url + "/find-partner")
    assert tab.locator("h1").inner_text() == "Najděte partnera"
    assert tab.locator("nav").get_by_role("link", name="Najít partnera").count() == 1
    tab.get_by_label("Vaše samospráva").fill("Atlantis, PL")
    tab.get_by_role("button", name="Navrhnout partnery").click()
    tab.wait_for_selector("#problem")
    assert "Atlantis" in tab.inner_text("#problem")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    shot(tab, "phone-find-partner-cs")
