"""The ``twinkg`` command line: one click group; graph commands come from :mod:`graph.cli`.

User errors are raised as :class:`click.ClickException` with a sentence, never a traceback.
"""

from __future__ import annotations

import click

from graph.cli import main


@main.command("settings")
def show_settings() -> None:
    """Print every setting with its environment variable, default and meaning."""
    from graph.settings import settings_markdown

    click.echo(settings_markdown())


__all__ = ["main"]
