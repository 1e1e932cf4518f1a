"""Every page type in a phone-sized viewport (390 x 844): nothing scrolls sideways, and the
keyboard reaches the content in a sensible order. Screenshots: ``test-artifacts/phone-*.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import Site, shot


def test_polish_authority_page_on_a_phone(site: Site, phone: Callable[[str], Any]) -> None:
    tab = phone("pl")
    tab.goto(site.url + "/authority/pl/swarz%C4%99dz")
    assert tab.locator("html").get_attribute("lang") == "pl"
    assert tab.locator("nav").get_by_role("link", name="Szukaj").count() == 1
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    tab.wait_for_selector("#map[data-lines-drawn]")
    shot(tab, "phone-authority-pl")
    assert tab.problems == []
