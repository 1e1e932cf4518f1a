"""The Wikidata commands of ``twinkg``: ``harvest wikidata``, ``wikidata link`` and
``wikidata report``. :mod:`graph.cli` adds them to the main group; user errors are sentences.

Heavy imports happen inside the commands so that ``twinkg --help`` stays fast.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

_PATH = click.Path(path_type=Path)


@click.group("harvest")
def harvest_group() -> None:
    """Fetch outside data into cache files, so that builds run offline and reproducibly."""


@harvest_group.command("wikidata")
@click.option("--endpoint", default=None, help="SPARQL endpoint holding Wikidata-shaped data "
              "(default: the WIKIDATA_ENDPOINT setting).")
@click.option("--countries", default="PL,CZ", show_default=True,
              help="ISO 3166-1 alpha-2 codes, comma-separated.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Cache file to write (replaced only when the harvest succeeds).")
@click.option("--page-size", default=5000, show_default=True, type=click.IntRange(1),
              help="Statements per query page.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0),
              help="Further attempts after a 429, 5xx or network failure.")
@click.option("--timeout", default=70.0, show_default=True, type=click.FloatRange(1),
              help="Seconds to wait for one answer.")
def harvest_wikidata(endpoint: str | None, countries: str, out: Path, page_size: int,
                     retries: int, timeout: float) -> None:
    """Harvest twinned administrative bodies (P190) from or to the COUNTRIES' authorities."""
    from graph.core.settings import setting
    from graph.wikidata.harvest import HarvestError, harvest_to_file

    url = endpoint or setting("WIKIDATA_ENDPOINT")
    try:
        harvest = harvest_to_file(url, countries.split(","), out, page_size=page_size,
                                  retries=retries, timeout=timeout)
    except HarvestError as error:
        raise click.ClickException(f"{error}. {out} was left as it was.") from None
    except OSError as error:
        raise click.ClickException(f"cannot write {out} ({error.strerror}).") from None
    click.echo(f"Harvested {len(harvest.statements)} P190 statements and "
               f"{len(harvest.items)} authorities ({', '.join(harvest.countries)}) from "
               f"{url} in {harvest.queries} queries into {out}.")


@click.group("wikidata")
def wikidata_group() -> None:
    """Link the published graph to Wikidata and list what Wikidata lacks."""


def _open(store_dir: Path, harvest_file: Path) -> tuple[Any, str, Any]:
    """The published store (read-only), its base IRI and the harvest; user errors as
    :class:`click.ClickException`."""
    from pyoxigraph import Store

    from graph.core.store_layout import NotPublished, published
    from graph.ingest.harvest_cache import CacheError, read_cache

    try:
        harvest = read_cache(harvest_file)
        build = published(store_dir)
        base = str(build.read_summary().get("base_iri") or "")
        store = Store.read_only(str(build.oxigraph))
    except (CacheError, NotPublished) as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot open the store in {store_dir} ({error}).") \
            from None
    if not base:
        from graph.core.namespaces import PERSISTENT_BASE
        base = PERSISTENT_BASE
    return store, base, harvest


_STORE_OPTION = click.option("--store", "store_dir", type=click.Path(file_okay=False,
                                                                     path_type=Path),
                             default=None, help="Store directory (default: the STORE setting).")
_HARVEST_OPTION = click.option("--harvest", "harvest_file", required=True,
                               type=click.Path(dir_okay=False, exists=True, path_type=Path),
                               help="Harvest cache written by `twinkg harvest wikidata`.")


def _store_dir(store_dir: Path | None) -> Path:
    from graph.core.settings import setting

    return store_dir or Path(setting("STORE"))


@wikidata_group.command("link")
@_STORE_OPTION
@_HARVEST_OPTION
@click.option("--out", type=_PATH, default=None, help="Links Turtle to write (default: "
              "<harvest>.links.ttl, which `--source wikidata:<harvest>` then loads).")
@click.option("--unlinked", type=_PATH, default=None,
              help="CSV of authorities left unlinked (default: <harvest>.unlinked.csv).")
def link_command(store_dir: Path | None, harvest_file: Path, out: Path | None,
                 unlinked: Path | None) -> None:
    """Link the published graph's authorities to Q-ids: codes, GeoNames, then name+distance."""
    from graph.ingest.sources.wikidata import links_path
    from graph.wikidata.link_summary import summarise
    from graph.wikidata.reconcile import (
        authorities_in_store,
        link_all,
        write_links,
        write_unlinked,
    )

    store, base, harvest = _open(_store_dir(store_dir), harvest_file)
    authorities = authorities_in_store(store)
    links = link_all(authorities, harvest)
    out = out or links_path(harvest_file)
    unlinked = unlinked or harvest_file.with_name(harvest_file.stem + ".unlinked.csv")
    try:
        write_links(links, base, out)
        left = write_unlinked(links, unlinked)
    except OSError as error:
        raise click.ClickException(f"cannot write the links ({error}).") from None
    click.echo(f"Linked {len(links) - left} of {len(links)} authorities to Wikidata into {out}; "
               f"{left} left unlinked are listed in {unlinked}.")
    click.echo(summarise(authorities, links, harvest).sentence())


@wikidata_group.command("report")
@_STORE_OPTION
@_HARVEST_OPTION
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for missing.csv, missing.qs and unlinked-statements.csv.")
@click.option("--retrieved", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Retrieval date for the references (default: the harvest date).")
def report_command(store_dir: Path | None, harvest_file: Path, out_dir: Path,
                   retrieved: Any) -> None:
    """What we know that Wikidata lacks (CSV and QuickStatements), and the reverse."""
    from graph.wikidata import giveback
    from graph.wikidata.reconcile import authorities_in_store, link_all, persistent_iri

    store, base, harvest = _open(_store_dir(store_dir), harvest_file)

    qids = {persistent_iri(link.authority, base): link.qid
            for link in link_all(authorities_in_store(store), harvest) if link.linked}
    qids.update(giveback.wikidata_links_in_store(store, base))
    partnerships = giveback.partnerships_in_store(store, base)
    missing, uncovered = giveback.missing_on_wikidata(partnerships, qids, harvest)
    on_date = retrieved.date() if retrieved else date.fromisoformat(harvest.harvested_at[:10])
    reverse = giveback.unlinked_on_our_side(harvest, qids.values())
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        giveback.write_missing_report(missing, harvest, out_dir / "missing.csv")
        (out_dir / "missing.qs").write_text(giveback.quickstatements(missing, on_date),
                                            encoding="utf-8")
        giveback.write_unlinked_statements(reverse, harvest,
                                           out_dir / "unlinked-statements.csv")
    except OSError as error:
        raise click.ClickException(f"cannot write the reports ({error}).") from None
    click.echo(f"{len(missing)} of our partnerships are missing on Wikidata (missing.csv, "
               f"missing.qs); {uncovered} linked pairs lie outside the harvested countries; "
               f"{len(reverse)} Wikidata statements name an authority we could not link "
               f"(unlinked-statements.csv). Reports in {out_dir}.")
