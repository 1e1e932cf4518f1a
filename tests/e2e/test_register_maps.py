"""End-to-end: Debian's Chromium, driven by Playwright, draws the maps of the register page and
of a NUTS region page (issue 15, part 5) served on 127.0.0.1 from a real published store (the
register-like graph of tests/data/browse/registers.trig with the NUTS regions of nuts.trig).

The maps must show one marker per located region or unit, in the tone the legend gives it
(the CSS classes override Leaflet's own colours), with tooltips and popups written as text.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.query.embedded import EmbeddedBackend
from service import create_app
from tests.browse_support import ID
from tests.conftest import LiveServer, serve_in_thread
from tests.e2e.conftest import shot

BROWSE = Path(__file__).resolve().parents[1] / "data" / "browse"
UNIT_KINDS = Path(__file__).resolve().parents[2] / "ontology" / "vocabularies" / "unit-kinds.ttl"


@pytest.fixture(scope="module")
def registers_site(tmp_path_factory: pytest.TempPathFactory,
                   store_builder: Callable[..., Path]) -> Iterator[LiveServer]:
    store = store_builder(tmp_path_factory.mktemp("e2e-registers"), BROWSE / "registers.trig",
                          BROWSE / "nuts.trig", UNIT_KINDS,
                          graphs={UNIT_KINDS: ID + "graph/vocabularies"})
    backend = EmbeddedBackend(store, processes=2, timeout=20.0)
    live = serve_in_thread(create_app({"TESTING": True, "BACKEND": backend}))
    yield live
    live.server.shutdown()
    backend.close()


def _fill(tab: Any, selector: str) -> str:
    return str(tab.eval_on_selector(selector, "node => getComputedStyle(node).fill"))


def test_nuts_region_map_draws_its_units(registers_site: LiveServer, page: Any) -> None:
    page.goto(registers_site.url + "/nuts/PL418")
    page.wait_for_selector("#map[data-points-drawn]")
    assert page.get_attribute("#map", "data-points-drawn") == "3"
    assert page.locator("#map path.map-point").count() == 3
    assert page.locator("#map path.tone-foreign").count() == 2  # Swarzędz and Kostrzyn
    assert page.locator("#map path.tone-none").count() == 1  # Luboń
    # The tones are the legend's: orange for a foreign partner, as its swatch.
    assert _fill(page, "#map path.tone-foreign") == _fill(page, "#map-legend .tone-foreign") \
        == "rgb(194, 65, 12)"
    page.wait_for_selector("#map[data-outlines-drawn]")
    page.locator("#map path.tone-none").hover()
    tooltip = page.wait_for_selector(".leaflet-tooltip")
    assert tooltip.inner_text() == "Luboń: 0 partnerships (0 foreign)"
    page.locator("#map path.tone-none").click()
    popup = page.wait_for_selector(".leaflet-popup-content a")
    assert popup.inner_text() == "Luboń: 0 partnerships (0 foreign)"
    assert popup.get_attribute("href") == "/authority/pl/teryt/3021011"
    assert page.locator("#units-table tbody tr").count() == 3
    shot(page, "nuts-region")
    assert page.problems == []


def test_register_map_draws_its_regions_in_polish(registers_site: LiveServer,
                                                  phone: Callable[[str], Any]) -> None:
    tab = phone("pl")
    tab.goto(registers_site.url + "/register/PL?lang=pl")
    tab.wait_for_selector("#map[data-points-drawn]")
    assert tab.get_attribute("#map", "data-points-drawn") == "1"
    marker = tab.locator("#map path.map-point.tone-4")  # two of three gminas: 40-100 %
    assert marker.count() == 1
    assert _fill(tab, "#map path.tone-4") == _fill(tab, "#map-legend .tone-4")
    assert tab.locator("#map-legend li").count() == 7  # five tones, two sizes
    marker.click()
    popup = tab.wait_for_selector(".leaflet-popup-content a")
    assert popup.inner_text().startswith("województwo wielkopolskie: z partnerem zagranicznym")
    assert tab.locator("#regions-table tbody tr").count() == 1  # the table stays
    shot(tab, "register-phone-pl")
    assert tab.problems == []
