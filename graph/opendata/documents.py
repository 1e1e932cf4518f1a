"""The open-data files of a published build: JSON-LD dump + context, DCAT-AP catalogue, VoID.

:func:`publish_open_data` is the hook the publish step calls once the N-Quads and Turtle dumps
are written and before the build is switched live, so that the catalogue lists every dump with
its final size and checksum. The service reads the files it wrote (:func:`open_data_of`); for a
build published without the hook it computes the same descriptions from the store, so the
routes work either way. The service keeps what it reads with the published version it
describes (:class:`graph.query.version.PublishedVersion`); nothing is cached here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import DCAT, DCTERMS, RDF

from graph.core.iris import data_base
from graph.opendata.catalog import catalog_for_store
from graph.opendata.deployment import CatalogIris, CatalogSettings
from graph.opendata.dumps import describe_dumps
from graph.opendata.jsonld_dump import write_jsonld_dump
from graph.opendata.void import VoidLinks, void_graph, void_statistics

CATALOG_FILE = "catalog.ttl"
VOID_FILE = "void.ttl"
VOID_PATH = ".well-known/void"


@dataclass(frozen=True)
class OpenData:
    """The catalogue and VoID description of one build."""

    catalog: Graph
    void: Graph


def version_time(version: str) -> datetime | None:
    """When a build was made, from its version name (``20261124T103000Z-1a2b3c4d``).

    >>> version_time("20261124T103000Z-1a2b3c4d").isoformat()
    '2026-11-24T10:30:00+00:00'
    >>> version_time("test") is None
    True
    """
    try:
        return datetime.strptime(version.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def void_links(settings: CatalogSettings, dumps_dir: Path) -> VoidLinks:
    """The access points the VoID description names, for a deployment at ``settings.base_iri``."""
    return VoidLinks(
        dataset=str(CatalogIris.below(settings).dataset),
        document=settings.url(VOID_PATH),
        sparql_endpoint=settings.url("sparql"),
        data_dumps=[settings.url(f"downloads/{d.name}") for d in describe_dumps(dumps_dir)],
        homepage=settings.url(),
    )


def describe_build(
    store: ox.Store,
    dumps_dir: Path,
    settings: CatalogSettings,
    *,
    version: str,
    modified: datetime | None = None,
    issued: datetime | date | None = None,
) -> OpenData:
    """Catalogue and VoID of a build, computed from its store and dump files."""
    modified = modified or version_time(version) or datetime.now(UTC)
    catalog = catalog_for_store(store, dumps_dir, settings, modified=modified, issued=issued,
                                version=version)
    void = void_graph(void_statistics(store), void_links(settings, dumps_dir))
    return OpenData(catalog, void)


def first_issued(previous_build: Path | None) -> date | datetime | None:
    """The dataset's ``dct:issued`` in a previous build's catalogue, so that a rebuild keeps
    the date the dataset was first published; ``None`` when there is none to read."""
    if previous_build is None or not (previous_build / CATALOG_FILE).is_file():
        return None
    g = Graph().parse(previous_build / CATALOG_FILE, format="turtle")
    for dataset in g.subjects(RDF.type, DCAT.Dataset):
        value = g.value(dataset, DCTERMS.issued)
        moment = value.toPython() if isinstance(value, Literal) else None
        if isinstance(moment, datetime | date):
            return moment
    return None


def publish_open_data(
    store: ox.Store,
    build_root: Path,
    *,
    version: str,
    base_iri: str,
    previous_build: Path | None = None,
) -> list[Path]:
    """Write the JSON-LD dump and context into ``build_root/dumps`` and the catalogue and VoID
    into ``build_root``; return the files written.

    Call it after the other dumps are written (the catalogue lists them all) and before the
    build goes live. ``previous_build`` (the build ``current`` pointed at) carries the first
    publication date forward. Raises :class:`OSError` when the folder cannot be written.
    """
    dumps_dir = build_root / "dumps"
    write_jsonld_dump(store, dumps_dir, base_iri)
    data = describe_build(store, dumps_dir, CatalogSettings(base_iri), version=version,
                          issued=first_issued(previous_build))
    written = [dumps_dir / "twinkg.jsonld.gz", dumps_dir / "context.jsonld"]
    for name, graph in ((CATALOG_FILE, data.catalog), (VOID_FILE, data.void)):
        path = build_root / name
        partial = path.with_name(path.name + ".partial")
        graph.serialize(destination=partial, format="turtle", encoding="utf-8")
        partial.replace(path)
        written.append(path)
    return written


def open_data_of(build_root: Path, base_iri: str, version: str) -> OpenData:
    """The catalogue and VoID of a published build, for the service.

    Reads the files :func:`publish_open_data` wrote; without them, computes both from the
    build's store (opened read-only). Nothing is kept here: the service keeps the result with
    the published version it describes. Raises :class:`OSError` when the build cannot be read.
    """
    catalog_file, void_file = build_root / CATALOG_FILE, build_root / VOID_FILE
    if catalog_file.is_file() and void_file.is_file():
        return OpenData(Graph().parse(catalog_file, format="turtle"),
                        Graph().parse(void_file, format="turtle"))
    store = ox.Store.read_only(str(build_root / "oxigraph"))
    return describe_build(store, build_root / "dumps", CatalogSettings(base_iri),
                          version=version)


def page_url(iri: str, base_iri: str, url_root: str) -> str:
    """Where the page of a minted IRI is on the host at ``url_root``, percent-encoded
    (sitemaps need plain URIs; our IRIs keep diacritics).

    >>> page_url("https://w3id.org/twinning-kg/id/authority/pl/swarzędz",
    ...          "https://w3id.org/twinning-kg/", "http://127.0.0.1:8080/")
    'http://127.0.0.1:8080/id/authority/pl/swarz%C4%99dz'
    """
    local = iri[len(data_base(base_iri)):]
    root = url_root if url_root.endswith("/") else url_root + "/"
    return root + "id/" + quote(local, safe="/-._~!$&'()*+,;=:@")
