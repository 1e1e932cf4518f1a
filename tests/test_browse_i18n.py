"""Interface strings are complete in every language, and the front-end assets are installed."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from service.browse.assets import NODE_MODULES, REQUIRED_FILES, vendor_file
from service.i18n import LANGUAGES, STRINGS

TEMPLATES = Path(__file__).resolve().parent.parent / "service" / "templates"


def test_every_string_is_translated_into_every_language() -> None:
    for key, texts in STRINGS.items():
        assert len(texts) == len(LANGUAGES), key
        assert all(text.strip() for text in texts), key


def test_every_key_a_template_uses_exists() -> None:
    used = set()
    for path in [TEMPLATES / "base.html", *TEMPLATES.glob("browse/*.html"),
                 *TEMPLATES.glob("find_partner/*.html")]:
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*'([a-z_]+\.[a-z_]+)'""", text))
    # kind.* keys are built from the data ("kind." ~ hit.entry.kind).
    assert used, "no t('...') calls found"
    assert used <= set(STRINGS), used - set(STRINGS)
    for kind in ("authority", "theme", "programme", "legal", "partnership", "country"):
        assert f"kind.{kind}" in STRINGS


def test_npm_assets_are_installed_by_setup() -> None:
    """scripts/setup runs ``npm ci``; the pages load these files (never skipped)."""
    app = Flask(__name__)
    with app.app_context():
        missing = [name for name in REQUIRED_FILES if not vendor_file(name).is_file()]
    assert not missing, f"run ./scripts/setup (npm ci): missing in {NODE_MODULES}: {missing}"
