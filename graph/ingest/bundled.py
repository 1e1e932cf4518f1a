"""The data the project carries and builds by default: ``data/`` beside the code, installed as
the package ``graph.resources.data`` (:mod:`graph.core.resources`).

Why bundled: a user on a fresh machine without internet runs ``./scripts/run`` and should see
the real graph (every Polish and Czech unit, the Wikipedia list of twin towns), not the eight
curated authorities. The originals live in ``../shared/data`` (the SHARED_DATA_DIR setting),
which a user does not have; the project keeps xz-compressed copies trimmed to the columns its
sources read (``data/SOURCES.md`` names each file's origin, licence and credit), and
``scripts/bundle-data`` makes them again from the originals. One small table is the project's
own, with no original there: the districts of Prague and Brno (``cz_city_districts_2021.csv.xz``).

``twinkg build`` without ``--source`` builds :func:`default_sources` (the curated data, the
registers, Eurostat's LAU lists, the 34 countries' and France's communes, as candidates for
the listed authorities, and the Wikipedia list: every LAU as an authority would take the
default build past its 90 s); the source spec
``default`` stands for the same list beside
other sources (``--source default --source wikidata:FILE``). Every build passes its sources
through :func:`expand_sources`, which first makes sure the project's own files are installed,
so that a broken install stops with an error instead of publishing an empty graph.
"""

from __future__ import annotations

import csv
import lzma
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.core import resources
from graph.ingest.records import SourceError
from graph.ingest.sources import cz_districts, cz_obce, lau, nuts, teryt, wikipedia
from graph.ingest.sources.register_table import open_text

DATA_DIR = resources.data_dir()
"""The folder of the bundled data."""
DEFAULT = "default"
"""The source spec that stands for every bundled file (and the curated data)."""


@dataclass(frozen=True)
class BundledFile:
    """One bundled file: where it is, which original it is made from (``None``: the project's
    own file), how it is read."""

    path: str
    original: str | None
    kind: str
    columns: tuple[str, ...]
    delimiter: str = ","
    default: bool = True
    """Whether the default build reads it."""


BUNDLE: tuple[BundledFile, ...] = (
    BundledFile("registers/pl_terc_2024-01-01.csv.xz", "registers/pl_terc_2024-01-01.csv",
                teryt.KIND, teryt.TERC_COLUMNS, ";"),
    BundledFile("registers/pl_gminy_2024.csv.xz", "registers/pl_gminy_2024.csv", teryt.KIND,
                (*teryt.GMINA_COLUMNS, teryt.FORMER_NAME_COLUMN)),
    BundledFile("registers/cz_obce_2021.csv.xz", "registers/cz_obce_2021.csv", cz_obce.KIND,
                cz_obce.COLUMNS),
    BundledFile("registers/cz_city_districts_2021.csv.xz", None, cz_obce.KIND,
                cz_districts.COLUMNS),
    BundledFile("registers/nuts2024.csv.xz", "registers/nuts2024.csv", nuts.KIND, nuts.COLUMNS),
    BundledFile("registers/eu_lau_2020.csv.xz", "registers/eu_lau_2020.csv", lau.LINKED_KIND,
                (*lau.POINT_COLUMNS, *lau.COLUMNS)),
    BundledFile("registers/fr_lau_2020.csv.xz", "registers/fr_lau_2020.csv", lau.LINKED_KIND,
                lau.COLUMNS),
    BundledFile("wikipedia/wikipedia_twin_towns_raw.csv.xz", "wikipedia_twin_towns_raw.csv",
                wikipedia.KIND, wikipedia.REQUIRED),
)


def default_sources(data_dir: Path = DATA_DIR) -> list[str]:
    """The sources of the default build: the curated data, the bundled registers and NUTS,
    the LAU list as candidates, and the Wikipedia list of twin towns.

    >>> [s.split(":")[0] for s in default_sources()][4:]
    ['cz-obce', 'nuts', 'lau-linked', 'lau-linked', 'wikipedia']
    """
    return ["curated", *(f"{f.kind}:{data_dir / f.path}" for f in BUNDLE if f.default)]


def require_project_files(with_bundle: bool) -> None:
    """Make sure the files every build reads are installed: the ontology, vocabularies and
    curated data, the shapes, and (``with_bundle``) every bundled file the default build reads.

    :raises SourceError: naming the folder and everything it lacks; without this check a
        build from an install that lacks its package data would publish an empty graph.
    """
    try:
        resources.require(resources.ONTOLOGY)
        resources.require(resources.SHAPES)
        if with_bundle:
            resources.require(resources.DATA, [f.path for f in BUNDLE if f.default])
    except resources.ResourceMissing as error:
        raise SourceError(error.where, error.reason) from None


def expand_sources(specs: Sequence[str]) -> list[str]:
    """Sources with ``default`` replaced by :func:`default_sources`, each source once.

    :raises SourceError: the project's own files are missing
        (:func:`require_project_files`).

    >>> expand_sources(["default", "wikidata:h.json"])[-1]
    'wikidata:h.json'
    >>> expand_sources(["curated", "default"]).count("curated")
    1
    """
    defaults = [spec.strip().lower() == DEFAULT for spec in specs]
    require_project_files(with_bundle=any(defaults))
    expanded: list[str] = []
    for spec, is_default in zip(specs, defaults, strict=True):
        for one in default_sources() if is_default else [spec]:
            if one not in expanded:
                expanded.append(one)
    return expanded


def write_bundle(shared_dir: Path, data_dir: Path = DATA_DIR) -> list[Path]:
    """Make every bundled file from its original under ``shared_dir``: the columns the source
    reads, in the original's order of rows, xz-compressed. Returns the files written (the
    project's own files, which have no original, are left as they are).

    Raises :class:`OSError` when an original cannot be read and :class:`ValueError` when it
    lacks a column the source reads.
    """
    written = []
    for bundled in BUNDLE:
        if bundled.original is None:
            continue
        original, target = shared_dir / bundled.original, data_dir / bundled.path
        target.parent.mkdir(parents=True, exist_ok=True)
        with open_text(original) as handle, lzma.open(target, "wt", encoding="utf-8",
                                                      newline="", preset=9) as out:
            reader = csv.reader(handle, delimiter=bundled.delimiter)
            header = [h.strip() for h in next(reader)]
            folded = [h.lower() for h in header] if bundled.kind == wikipedia.KIND else header
            missing = [c for c in bundled.columns if c not in folded]
            if missing:
                raise ValueError(f"{original}: lacks column(s) {', '.join(missing)}")
            keep = [folded.index(c) for c in bundled.columns]
            writer = csv.writer(out, delimiter=bundled.delimiter, lineterminator="\n")
            writer.writerow([header[i] for i in keep])
            keep_all = keep == list(range(len(header)))
            for cells in reader:
                # A row of the wrong width is kept as it is, so the source rejects it as
                # it rejects it in the original.
                writer.writerow(cells if keep_all or len(cells) != len(header)
                                else [cells[i] for i in keep])
        written.append(target)
    return written
