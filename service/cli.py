"""The ``twinkg`` command line: one click group; graph commands come from :mod:`graph.cli`.

User errors are raised as :class:`click.ClickException` with a sentence, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from graph.cli import main
from graph.core.settings import DEFAULTS, setting
from graph.core.store_layout import NotPublished, published
from service.server import serve_app


@main.command("settings")
def show_settings() -> None:
    """Print every setting with its environment variable, default and meaning."""
    from graph.core.settings import settings_markdown

    click.echo(settings_markdown())


@main.command("serve")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Published store directory (setting STORE).")
@click.option("--sparql-endpoint", default=None,
              help="Serve a remote SPARQL 1.1 server instead of the store (SPARQL_ENDPOINT).")
@click.option("--host", default=None, help="Address to listen on (HOST).")
@click.option("--port", type=int, default=None, help="Port to listen on (PORT).")
@click.option("--workers", type=int, default=None, help="Web worker processes (WORKERS).")
@click.option("--base-iri", default=None, help="Base of the minted IRIs (BASE_IRI); by "
              "default the one the published build was made with.")
@click.option("--query-timeout", type=float, default=None, help="Seconds per query "
              "(QUERY_TIMEOUT).")
@click.option("--public-base", default=None, help="Public address of the service for absolute "
              "URLs (PUBLIC_BASE); by default http://HOST:PORT/.")
@click.option("--debug", is_flag=True, help="Flask's development server with reloading, "
              "for development only.")
def serve(store: Path | None, sparql_endpoint: str | None, host: str | None, port: int | None,
          workers: int | None, base_iri: str | None, query_timeout: float | None,
          public_base: str | None, debug: bool) -> None:
    """Serve the SPARQL endpoint, Linked Data and pages (Granian, several worker processes).

    Options override TWINKG_* environment variables, which override the defaults
    (twinkg settings lists them all).
    """
    overrides = {"STORE": store, "SPARQL_ENDPOINT": sparql_endpoint, "HOST": host,
                 "PORT": port, "WORKERS": workers, "BASE_IRI": base_iri,
                 "QUERY_TIMEOUT": query_timeout, "PUBLIC_BASE": public_base}
    try:
        config = {name: setting(name) for name in DEFAULTS}
    except ValueError as error:  # a TWINKG_* variable that does not read as its setting
        raise click.ClickException(str(error)) from None
    config.update({k: (str(v) if isinstance(v, Path) else v) for k, v in overrides.items()
                   if v is not None})
    from service.public_url import check_public_base

    try:
        check_public_base(str(config["PUBLIC_BASE"]))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    if not config["SPARQL_ENDPOINT"]:
        try:
            build = published(Path(config["STORE"]))
        except NotPublished as error:
            raise click.ClickException(str(error)) from None
        if (base_iri is None and "TWINKG_BASE_IRI" not in os.environ
                and build.summary.exists()):
            # Serve the IRIs the published build minted, so they dereference here. A store
            # published by other means than twinkg build has no summary: keep the setting.
            config["BASE_IRI"] = build.read_summary().get("base_iri", config["BASE_IRI"])
    from service import create_app

    app = create_app(config)
    if debug:
        app.run(host=config["HOST"], port=int(config["PORT"]), debug=True, use_reloader=False)
        return
    serve_app(app, host=str(config["HOST"]), port=int(config["PORT"]),
              workers=int(config["WORKERS"]), threads=int(config["WEB_THREADS"]),
              access_log=bool(config["ACCESS_LOG"]))


__all__ = ["main"]
