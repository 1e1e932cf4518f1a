"""The README documents what the code does: its settings table is the one in graph.core.settings."""

import re
from pathlib import Path

from graph.core.settings import SETTINGS

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_settings_table_lists_every_setting() -> None:
    text = README.read_text(encoding="utf-8")
    table = re.search(r"<!-- settings-table -->(.*)<!-- /settings-table -->", text, re.S)
    assert table is not None
    documented = set(re.findall(r"`TWINKG_([A-Z_]+)`", table.group(1)))
    assert documented == {s.name for s in SETTINGS}
