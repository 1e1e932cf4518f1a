"""The graph half of the ``twinkg`` command line (build, validate, ...).

:mod:`service.cli` adds ``serve`` to the same group, so ``twinkg`` is one command.
"""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="twinning-kg")
def main() -> None:
    """Twinning KG: a linked-data knowledge graph of municipal partnerships."""
