"""Reading the RDF files ``twinkg validate`` is given, with errors that name the file.

Why apart from the runners: reading is where a user's mistake shows (a missing file, a typo
in the Turtle), and it should read as a sentence naming the file, not as a parser traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.util import guess_format

_DATASET_FORMATS = ("trig", "nquads", "trix")


class DataFileError(ValueError):
    """A data file that cannot be read or parsed; the message names the file and the reason."""


def read_data(paths: Iterable[Path]) -> Graph:
    """Parse data files (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD, by extension) into
    one graph; named graphs are merged.

    Raises :class:`DataFileError` naming the file when one is missing or does not parse.
    """
    graph = Graph()
    for path in paths:
        fmt = guess_format(str(path)) or "turtle"
        if not path.is_file():
            raise DataFileError(f"{path}: no such file")
        target: Graph = Dataset() if fmt in _DATASET_FORMATS else Graph()
        try:
            # Parse from bytes: rdflib leaves its file handle open when a parser fails.
            target.parse(data=path.read_bytes(), format=fmt, publicID=path.resolve().as_uri())
        except Exception as error:  # rdflib raises a different type per parser
            raise DataFileError(f"{path}: cannot parse as {fmt}: {error}") from error
        if isinstance(target, Dataset):
            for s, p, o, _ in target.quads((None, None, None, None)):
                graph.add((s, p, o))
        else:
            graph += target
    return graph
