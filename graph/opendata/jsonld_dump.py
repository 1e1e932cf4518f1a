"""The JSON-LD dump and its published ``@context``.

pyoxigraph writes the dump (``RdfFormat.JSON_LD``): one node object per subject and named
graph, in expanded form (full IRIs). It streams from the store's indexes in native code, several
times faster than the Python writer it replaced, for a slightly larger gzipped file
(benchmarks/open_data_benchmark.py). Its node array is wrapped in a document that carries the
published ``@context``, so a client can compact it to the project's short names with any
JSON-LD processor; full IRIs expand to
themselves under that context (no context key is a URI scheme), so the graph is the same with
or without it. Checked by parsing the output back with pyoxigraph's JSON-LD parser (see
``tests/test_downloads.py``).

The ``@context`` is embedded in the dump, so it parses offline, and also published as a file
of its own (``context.jsonld`` beside the dumps) for clients that want the same short names.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from graph.core.iris import data_base
from graph.core.namespaces import PERSISTENT_BASE, PREFIXES

JSONLD_DUMP_NAME = "twinkg.jsonld.gz"
CONTEXT_NAME = "context.jsonld"
DATA_PREFIX = "tkgid"
"""The prefix of the data namespace (``<base>id/``) in the published context."""

_URI_SCHEMES = frozenset({"http", "https", "urn", "mailto", "tel", "tag", "file"})
"""Schemes of IRIs the dump may hold: a context key equal to one would rewrite those IRIs.
(``geo`` is a context key, GeoSPARQL's prefix; the build mints no RFC 5870 ``geo:`` IRIs, and an
IRI with ``//`` after its scheme is never read as prefixed.)"""


def jsonld_context(base_iri: str = PERSISTENT_BASE) -> dict[str, str]:
    """The term definitions of the published context: every project prefix + the data namespace.

    >>> jsonld_context("http://127.0.0.1:8080/")["tkgid"]
    'http://127.0.0.1:8080/id/'
    """
    return {**PREFIXES, DATA_PREFIX: data_base(base_iri)}


def write_jsonld(store: ox.Store, out: IO[bytes], base_iri: str = PERSISTENT_BASE) -> None:
    """Write the whole store (default graph and named graphs) as one JSON-LD document whose
    ``@context`` is :func:`jsonld_context` and whose ``@graph`` is pyoxigraph's serialisation.

    Raises :class:`ValueError` when a context key is a URI scheme (the dump's full IRIs would
    then expand to other IRIs) or the store holds RDF-star terms; :class:`OSError` when
    ``out`` cannot be written.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/twinning-kg/id/authority/pl/swarzędz"),
    ...     ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Swarzędz"),
    ...     ox.NamedNode("https://w3id.org/twinning-kg/id/graph/curated")))
    >>> buffer = io.BytesIO()
    >>> write_jsonld(store, buffer)
    >>> document = json.loads(buffer.getvalue())
    >>> document["@context"]["tkgid"], len(list(ox.parse(buffer.getvalue(), ox.RdfFormat.JSON_LD)))
    ('https://w3id.org/twinning-kg/id/', 1)
    """
    context = jsonld_context(base_iri)
    clashes = sorted(_URI_SCHEMES & context.keys())
    if clashes:
        raise ValueError(f"JSON-LD context keys are URI schemes: {', '.join(clashes)}")
    out.write(b'{"@context":')
    out.write(json.dumps(context, ensure_ascii=False).encode("utf-8"))
    out.write(b',\n"@graph":')
    store.dump(out, ox.RdfFormat.JSON_LD)
    out.write(b"}\n")


def write_jsonld_dump(store: ox.Store, dumps_dir: Path, base_iri: str = PERSISTENT_BASE) -> Path:
    """Write ``twinkg.jsonld.gz`` and ``context.jsonld`` into ``dumps_dir``; return the dump.

    Files are written under a temporary name and renamed, so a reader never sees half a dump.
    Raises :class:`OSError` when the folder cannot be written.
    """
    dumps_dir.mkdir(parents=True, exist_ok=True)
    dump = dumps_dir / JSONLD_DUMP_NAME
    partial = dump.with_name(dump.name + ".partial")
    # mtime=0: the same graph gives byte-identical files, so checksums and ETags only change
    # when the data does.
    with (
        open(partial, "wb") as raw,
        gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as zipped,
        io.BufferedWriter(zipped, buffer_size=1 << 20) as out,  # pyoxigraph writes small pieces
    ):
        write_jsonld(store, out, base_iri)
    partial.replace(dump)
    context_file = dumps_dir / CONTEXT_NAME
    context_file.write_text(
        json.dumps({"@context": jsonld_context(base_iri)}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return dump

