"""The shape of the code: small modules, short functions, named layers.

Why a test: the limits are what keep a newcomer able to read a module in one sitting and find
its room from the folder tree (README, "Architecture"); they drift one commit at a time unless
something fails. What may import what is held by import-linter's contracts in pyproject.toml,
which the test command runs (``lint-imports``) before these tests.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
LAYERS = ("core", "ingest", "gazetteer", "pipeline", "validation", "vocab", "opendata", "query",
          "views", "wikidata", "recommend")


def _modules() -> list[Path]:
    return sorted(p for package in ("graph", "service") for p in (ROOT / package).rglob("*.py"))


def _long_functions(source: str) -> list[str]:
    """Functions and methods longer than the limit, as ``name (lines)``, docstrings included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length >= MAX_FUNCTION_LINES:
                found.append(f"{node.name} ({length})")
    return found


def test_the_limits_catch_what_they_should() -> None:
    long = "def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES
    short = "def f():\n" + "    x = 1\n" * (MAX_FUNCTION_LINES - 2)
    assert _long_functions(long) == [f"f ({MAX_FUNCTION_LINES + 1})"]
    assert _long_functions(short) == []


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_stay_small(module: Path) -> None:
    lines = module.read_text(encoding="utf-8").count("\n")
    assert lines < MAX_MODULE_LINES, f"{module.relative_to(ROOT)} has {lines} lines: split it"


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_functions_stay_short(module: Path) -> None:
    assert _long_functions(module.read_text(encoding="utf-8")) == []


def test_every_layer_is_a_package_that_says_what_it_holds() -> None:
    for layer in LAYERS:
        init = ROOT / "graph" / layer / "__init__.py"
        assert init.is_file(), f"graph/{layer}/ is not a package"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
    loose = sorted(p.name for p in (ROOT / "graph").glob("*.py") if p.name != "__init__.py")
    assert loose == ["cli.py"], f"modules outside a layer: {loose}"


def test_the_layer_contract_names_every_layer() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layered = next(c for c in contracts if c["type"] == "layers")
    named = {part.strip().removeprefix("graph.") for row in layered["layers"]
             for part in row.replace(":", "|").split("|")}
    assert set(LAYERS) <= named
    assert "lint-imports" in (ROOT / "scripts" / "test").read_text(encoding="utf-8")
