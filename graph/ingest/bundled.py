"""The data the project carries and builds by default: ``data/`` beside the code.

Why bundled: a user on a fresh machine without internet runs ``./scripts/run`` and should see
the real graph (every Polish and Czech unit, the Wikipedia list of twin towns), not the eight
curated authorities. The originals live in ``../shared/data`` (the SHARED_DATA_DIR setting),
which a user does not have; the project keeps xz-compressed copies trimmed to the columns its
sources read (``data/SOURCES.md`` names each file's origin, licence and credit), and
``scripts/bundle-data`` makes them again from the originals.

``twinkg build`` without ``--source`` builds :func:`default_sources` (the curated data, the
registers and the Wikipedia list); the source spec ``default`` stands for the same list beside
other sources (``--source default --source wikidata:FILE``).
"""

from __future__ import annotations

import csv
import lzma
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.core.settings import REPO_ROOT
from graph.ingest.sources import cz_obce, nuts, teryt, wikipedia
from graph.ingest.sources.register_table import open_text

DATA_DIR = REPO_ROOT / "data"
"""The folder of the bundled data."""
DEFAULT = "default"
"""The source spec that stands for every bundled file (and the curated data)."""


@dataclass(frozen=True)
class BundledFile:
    """One bundled file: where it is, which original it is made from, how it is read."""

    path: str
    original: str
    kind: str
    columns: tuple[str, ...]
    delimiter: str = ","
    default: bool = True
    """Whether the default build reads it."""


BUNDLE: tuple[BundledFile, ...] = (
    BundledFile("registers/pl_terc_2024-01-01.csv.xz", "registers/pl_terc_2024-01-01.csv",
                teryt.KIND, teryt.TERC_COLUMNS, ";"),
    BundledFile("registers/pl_gminy_2024.csv.xz", "registers/pl_gminy_2024.csv", teryt.KIND,
                teryt.GMINA_COLUMNS),
    BundledFile("registers/cz_obce_2021.csv.xz", "registers/cz_obce_2021.csv", cz_obce.KIND,
                cz_obce.COLUMNS),
    BundledFile("registers/nuts2024.csv.xz", "registers/nuts2024.csv", nuts.KIND, nuts.COLUMNS),
    BundledFile("wikipedia/wikipedia_twin_towns_raw.csv.xz", "wikipedia_twin_towns_raw.csv",
                wikipedia.KIND, wikipedia.REQUIRED),
)


def default_sources(data_dir: Path = DATA_DIR) -> list[str]:
    """The sources of the default build: the curated data, the bundled registers and NUTS, and
    the Wikipedia list of twin towns.

    >>> [s.split(":")[0] for s in default_sources()]
    ['curated', 'teryt', 'teryt', 'cz-obce', 'nuts', 'wikipedia']
    """
    return ["curated", *(f"{f.kind}:{data_dir / f.path}" for f in BUNDLE if f.default)]


def expand_sources(specs: Sequence[str]) -> list[str]:
    """Sources with ``default`` replaced by :func:`default_sources`, each source once.

    >>> expand_sources(["default", "wikidata:h.json"])[-1]
    'wikidata:h.json'
    >>> expand_sources(["curated", "default"]).count("curated")
    1
    """
    expanded: list[str] = []
    for spec in specs:
        for one in default_sources() if spec.strip().lower() == DEFAULT else [spec]:
            if one not in expanded:
                expanded.append(one)
    return expanded


def write_bundle(shared_dir: Path, data_dir: Path = DATA_DIR) -> list[Path]:
    """Make every bundled file from its original under ``shared_dir``: the columns the source
    reads, in the original's order of rows, xz-compressed. Returns the files written.

    Raises :class:`OSError` when an original cannot be read and :class:`ValueError` when it
    lacks a column the source reads.
    """
    written = []
    for bundled in BUNDLE:
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
