"""End-to-end: Debian's Chromium, driven by Playwright, against the app on 127.0.0.1 serving a
real build (the curated data plus the real Polish and Czech Wikipedia rows, tests/e2e/conftest).

A person searches "swarzedz", opens Swarzędz, sees Ronnenberg and Duclair among its partners
and the map drawing its lines over the bundled country outlines, follows a partnership, then
runs an example query from the gallery and sees rows. Screenshots of the main pages go to
``test-artifacts/``.
"""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import Site, shot


def _located_lines(tab: Any) -> list[dict[str, Any]]:
    """The map's lines whose both ends have coordinates (the ones map.js can draw)."""
    lines: list[dict[str, Any]] = json.loads(tab.inner_text("#lines-data"))
    return [line for line in lines
            if None not in (line["from"]["lat"], line["to"]["lat"])]


def test_search_open_swarzedz_partners_and_map(site: Site, page: Any) -> None:
    page.goto(site.url + "/")
    page.wait_for_selector("#map[data-lines-drawn]")
    page.wait_for_selector("#map[data-outlines-drawn]")
    assert int(page.get_attribute("#map", "data-lines-drawn") or 0) > 100
    shot(page, "home")
    page.fill("#q", "swarzedz")
    page.wait_for_selector("#q-suggestions li a")  # autocomplete offers it while typing
    assert page.inner_text("#q-suggestions li a >> nth=0").startswith("Swarzędz")
    page.press("#q", "Escape")  # closes the suggestions, keeps the text
    assert page.input_value("#q") == "swarzedz"
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=swarzedz")
    shot(page, "search")
    page.get_by_role("link", name="Swarzędz", exact=True).first.click()
    page.wait_for_selector("#partners-table")
    assert page.url == site.url + "/authority/pl/swarz%C4%99dz"
    assert page.locator("h1").inner_text() == "Swarzędz"
    partners = page.locator("#partners-table tbody tr td:first-child").all_inner_texts()
    assert {"Ronnenberg", "Duclair"} <= set(partners)

    page.wait_for_selector("#map[data-lines-drawn]")
    located = _located_lines(page)
    assert {"Ronnenberg", "Duclair"} <= {line["to"]["name"] for line in located}
    assert page.get_attribute("#map", "data-lines-drawn") == str(len(located))
    assert page.locator("#map path.map-line").count() == len(located)
    page.wait_for_selector("#map[data-outlines-drawn]")
    assert int(page.get_attribute("#map", "data-outlines-drawn") or 0) > 100

    # Sorting the partners table by name with the keyboard.
    page.locator("#partners-table thead button.sort").first.focus()
    page.keyboard.press("Enter")
    names = page.locator("#partners-table tbody tr td:first-child").all_inner_texts()
    assert names == sorted(names, key=str.casefold)
    shot(page, "authority")

    # The partnership with Ronnenberg: its page names both, and its IRI dereferences here.
    row = page.locator("#partners-table tbody tr", has_text="Ronnenberg").first
    row.locator("td:last-child a").click()
    page.wait_for_selector("h1")
    participants = page.locator("main a").all_inner_texts()
    assert {"Swarzędz", "Ronnenberg"} <= set(participants)
    shot(page, "partnership")
    assert page.problems == []


def test_example_query_from_the_gallery_shows_rows(site: Site, page: Any) -> None:
    page.goto(site.url + "/query")
    page.wait_for_selector(".CodeMirror")  # the editor replaced the textarea
    page.get_by_role("link", name="Partners of a town (Swarzędz)").click()
    page.wait_for_selector("#results-table tbody tr")
    rows = page.locator("#results-table tbody tr").all_inner_texts()
    assert len(rows) == 3  # one row per partner: Duclair, Järfälla, Ronnenberg
    assert any("Ronnenberg" in row for row in rows)
    assert any("Duclair" in row for row in rows)
    assert page.locator(".actions a", has_text="CSV").count() == 1
    shot(page, "query")
    assert page.problems == []


def test_minted_iris_dereference_on_the_live_server(site: Site, page: Any) -> None:
    """The build's base IRI is the server's address: the IRI of Swarzędz, opened in a browser,
    lands on its page."""
    page.goto(site.url + "/id/authority/pl/swarz%C4%99dz")
    assert page.url == site.url + "/authority/pl/swarz%C4%99dz"
    assert page.locator("h1").inner_text() == "Swarzędz"
