"""Helpers for the browsing tests: a published store of tests/data/browse/graph.trig and a
small HTML reader (stdlib ``html.parser``) to assert on links, tables and scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

BROWSE_DATA = Path(__file__).resolve().parent / "data" / "browse" / "graph.trig"
ID = "https://w3id.org/twinning-kg/id/"


@dataclass
class Page:
    """What a test needs from an HTML page: links, table cells, scripts, text, attributes."""

    links: list[tuple[str, str]] = field(default_factory=list)
    scripts: list[dict[str, str | None]] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    html_lang: str | None = None
    ids: set[str] = field(default_factory=set)

    def link_texts(self) -> list[str]:
        return [text for _, text in self.links]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._href: str | None = None
        self._link_text: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.page.ids.add(str(found["id"]))
        if tag == "html":
            self.page.html_lang = found.get("lang")
        elif tag == "a":
            self._href, self._link_text = found.get("href") or "", []
        elif tag == "script":
            self.page.scripts.append(found)
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.page.links.append((self._href, " ".join("".join(self._link_text).split())))
            self._href = None
        elif tag in ("td", "th") and self._cell is not None:
            self.page.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        self.page.text.append(data)
        if self._href is not None:
            self._link_text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read_page(html: str) -> Page:
    """Parse an HTML page into a :class:`Page`."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page
