"""The graph half of the ``twinkg`` command line (build, validate, ...).

:mod:`service.cli` adds ``serve`` to the same group, so ``twinkg`` is one command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import click

from graph.wikidata.cli import harvest_group, wikidata_group


@click.group()
@click.version_option(package_name="twinning-kg")
def main() -> None:
    """Twinning KG: a linked-data knowledge graph of municipal partnerships."""


@main.command("build")
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Store directory (default: the STORE setting).")
@click.option("--source", "sources", multiple=True, metavar="KIND:PATH",
              help="A source to import: curated, default (the curated data and every "
                   "bundled file under data/), wikipedia:FILE, partnerships:FILE, teryt:FILE, "
                   "cz-obce:FILE, lau:FILE or wikidata:FILE (repeatable; default: default).")
@click.option("--base-iri", default=None, help="Base of every minted IRI (default: the "
              "BASE_IRI setting).")
@click.option("--config", "config", type=click.Path(dir_okay=False, exists=True,
                                                    path_type=Path),
              default=None, help="A TOML build config with sources, base_iri and store.")
def build_command(store: Path | None, sources: tuple[str, ...], base_iri: str | None,
                  config: Path | None) -> None:
    """Import, reconcile, validate and publish the graph into STORE/current."""
    from graph.core.settings import setting
    from graph.ingest.bundled import DEFAULT
    from graph.ingest.records import SourceError
    from graph.pipeline.build import build
    from graph.pipeline.config import BuildError, read_config
    from graph.pipeline.progress import BuildProgress
    from graph.validation import CuratedDataInvalid

    options = read_config(config) if config is not None else {}
    store = store or options.get("store") or Path(setting("STORE"))
    chosen = list(sources) or options.get("sources") or [DEFAULT]
    base = base_iri or options.get("base_iri") or setting("BASE_IRI")
    try:
        result = build(Path(store), chosen, base, progress=BuildProgress(),
                       release_gazetteer=True)
    except (SourceError, BuildError, CuratedDataInvalid) as error:
        raise click.ClickException(str(error)) from None
    summary = result.summary
    click.echo(f"Built {summary['version']} in {store}: {summary['rows_read']} rows read, "
               f"{summary['rows_imported']} imported, {summary['rows_rejected']} rejected; "
               f"{summary['authorities']} authorities ({summary['authorities_linked']} linked), "
               f"{summary['partnerships']} partnerships.")
    recommender = summary["recommender"]
    if recommender["model"]:
        click.echo(f"Partner model: fitted on {recommender['positives']:,} partnerships and "
                   f"{recommender['negatives']:,} non-partners.")
    else:
        click.echo(f"Partner model: none, {recommender['reason']}; Find a partner will not "
                   f"answer for this build.")
    click.echo(f"Reports: {result.build.reports}")


main.add_command(harvest_group)
main.add_command(wikidata_group)


@main.command("validate")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the sh:ValidationReport as Turtle to this file.")
@click.option("--base-iri", default=None, help="Base IRI the data was built with (default: "
              "the persistent base), so that the vocabularies are rebased to match.")
@click.option("--runner", type=click.Choice(["pyshacl", "sparql"]), default="pyshacl",
              show_default=True, help="pyshacl (the reference) or the shapes compiled to "
              "SPARQL (as the build runs them); both give the same results.")
def validate_command(files: tuple[Path, ...], report_path: Path | None,
                     base_iri: str | None, runner: Literal["pyshacl", "sparql"]) -> None:
    """Check RDF FILES against the SHACL shapes; exit 1 when they do not conform.

    Prints every result with its focus node, path and message; warnings alone do not fail.
    """
    from graph.core.namespaces import PERSISTENT_BASE
    from graph.validation import DataFileError, listing, validate_files, write_turtle

    try:
        report = validate_files(list(files), runner, base=base_iri or PERSISTENT_BASE)
    except DataFileError as error:
        raise click.ClickException(str(error)) from None
    if report_path is not None:
        write_turtle(report, report_path)
    click.echo(listing(report))
    if not report.conforms:
        raise SystemExit(1)


@main.command("docs")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write index.html into (default: ontology/docs in the working "
                   "directory, which in the repository's root is the page the service serves).")
def docs_command(out: Path | None) -> None:
    """Generate the HTML documentation of the ontology and vocabularies from the Turtle."""
    from graph.vocab.ontology_docs import DEFAULT_OUT, InsidePackage, write_docs

    try:
        path = write_docs(out or DEFAULT_OUT)
    except (InsidePackage, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {path}")


@main.command("suggest")
@click.argument("authority")
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Store directory (default: the STORE setting).")
@click.option("--country", "countries", multiple=True, metavar="CC",
              help="Only partners in this country (ISO code or name; repeatable).")
@click.option("--region", "regions", multiple=True, help="Only partners in this region "
              "(first-level subdivision; repeatable).")
@click.option("--theme", "themes", multiple=True, help="Only partners already working on "
              "this theme (slug, label or IRI; repeatable).")
@click.option("--min-population", type=click.IntRange(min=0), default=None)
@click.option("--max-population", type=click.IntRange(min=0), default=None)
@click.option("--max-distance", "max_distance", type=click.FloatRange(min=0, min_open=True),
              default=None, metavar="KM", help="Only partners within this distance.")
@click.option("-n", "count", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many suggestions.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of objects with iri, "
              "label, country, score and reasons.")
def suggest_command(authority: str, store: Path | None, countries: tuple[str, ...],
                    regions: tuple[str, ...], themes: tuple[str, ...],
                    min_population: int | None, max_population: int | None,
                    max_distance: float | None, count: int, as_json: bool) -> None:
    """Suggest partners for AUTHORITY (an IRI or "Name, CC", e.g. "Swarzędz, PL")."""
    import json

    from graph.core.settings import setting
    from graph.core.store_layout import NotPublished
    from graph.recommend import (
        BadPreference,
        Preferences,
        UnknownAuthority,
        recommender_for,
    )
    from graph.recommend.model import NotEnoughData

    preferences = Preferences(countries, regions, themes, min_population, max_population,
                              max_distance)
    try:
        recommender = recommender_for(Path(store or setting("STORE")))
        answer = recommender.suggest(authority, preferences, count)
    except (NotPublished, NotEnoughData, UnknownAuthority, BadPreference) as error:
        raise click.ClickException(str(error.args[0] if error.args else error)) from None
    if as_json:
        click.echo(json.dumps([s.to_json() for s in answer.suggestions], ensure_ascii=False,
                              indent=2))
        return
    who = answer.authority
    click.echo(f"Partners suggested for {who.label} ({who.country}, {who.partners} partners), "
               f"from {answer.candidates:,} candidates:")
    if not answer.suggestions:
        click.echo("  none match these preferences.")
    for suggestion in answer.suggestions:
        click.echo(f"{suggestion.rank:>3}. {suggestion.label} ({suggestion.country})  "
                   f"score {suggestion.score:.3f}")
        for reason in suggestion.reasons:
            click.echo(f"       - {reason.text}")
