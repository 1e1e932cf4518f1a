"""Every page type in a phone-sized viewport (390 x 844), and the keyboard's path through a
page. Nothing may scroll sideways on a phone; the keyboard must reach the skip link first,
then the header, then the content, in document order, always on something visible.
Screenshots: ``test-artifacts/phone-*.png``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import Site, shot

PAGES = {
    "home": "/",
    "search": "/search?q=swarzedz",
    "authority": "/authority/pl/swarz%C4%99dz",
    "partnership": "/partnership/de-ronnenberg--fr-duclair--pl-swarz%C4%99dz",
    "theme": "/theme/culture",
    "programme": "/programme/europe-for-citizens",
    "legal": "/legal/pl-act-1990-municipal-self-government",
    "country": "/country/PL",
    "query": "/query?example=partners-of-a-town",
    "find-partner": "/find-partner?authority=Swarz%C4%99dz%2C+PL&country=DE",
}
"""One page of each type on the real build; the query and Find-a-partner pages with answers."""

PHONE_WIDTH = 390

@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_a_phone_in_polish(site: Site, phone: Callable[[str], Any],
                                     name: str) -> None:
    tab = phone("pl")
    response = tab.goto(site.url + PAGES[name])
    assert response is not None and response.status == 200
    assert tab.locator("html").get_attribute("lang") == "pl"
    tab.wait_for_load_state("load")
    if tab.locator("#map").count():
        tab.wait_for_selector("#map[data-lines-drawn]")
    if name == "query":
        tab.wait_for_selector("#results-table tbody tr")
    # Wider content (tables, code) scrolls inside its own box, never the page.
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{name} scrolls sideways on a phone ({width}px)"
    overflowing = tab.evaluate("""(limit) => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > limit + 1
                     && !e.closest('.table-wrap, pre, .map, .CodeMirror'))
        .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className)""", PHONE_WIDTH)
    assert overflowing == [], f"{name}: sticks out of the screen: {overflowing[:5]}"
    shot(tab, f"phone-{name}-pl")
    assert tab.problems == []


def _focus_path(tab: Any, steps: int) -> list[dict[str, Any]]:
    """Press Tab ``steps`` times; what had the focus after each press."""
    path = []
    for _ in range(steps):
        tab.keyboard.press("Tab")
        path.append(tab.evaluate("""() => {
          const e = document.activeElement;
          const box = e.getBoundingClientRect();
          const style = getComputedStyle(e);
          return {tag: e.tagName, text: (e.innerText || e.value || e.getAttribute('aria-label')
                                         || '').trim().slice(0, 40),
                  id: e.id, inMain: !!e.closest('main'), inHeader: !!e.closest('header'),
                  visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
                  outline: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
                  index: [...document.querySelectorAll('*')].indexOf(e)};
        }"""))
    return path


@pytest.mark.parametrize("name", ["home", "authority", "find-partner", "query"])
def test_keyboard_focus_order(site: Site, page: Any, name: str) -> None:
    page.goto(site.url + PAGES[name])
    page.wait_for_load_state("load")
    path = _focus_path(page, 14)
    assert path[0]["text"] == "Skip to content", path[0]
    assert path[1]["text"] == "Twinning KG"
    header = [step for step in path if step["inHeader"]]
    assert [step["text"] for step in header[1:8]] == [
        "Search", "Find a partner", "Query editor", "SPARQL endpoint", "Downloads",
        "Ontology", "English"]
    assert all(step["visible"] and step["outline"] for step in path), \
        [step for step in path if not (step["visible"] and step["outline"])]
    indices = [step["index"] for step in path]
    assert indices == sorted(indices), "the focus jumps back and forth"
    assert any(step["inMain"] for step in path), "the keyboard never reaches the content"

    # The skip link takes the keyboard straight to the content.
    page.goto(site.url + PAGES[name])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")
