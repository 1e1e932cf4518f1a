"""The JSON-LD dump and its published ``@context``.

Why a writer of our own: pyoxigraph writes JSON-LD as one expanded node object per quad with
full IRIs (correct, but hard to read and about twice the size), and rdflib's serializer holds
the whole graph in memory. This writer streams one node object per subject and named graph,
with property names and IRIs shortened by the project's prefixes, and is checked by parsing
its output back with pyoxigraph's JSON-LD parser (see ``tests/test_downloads.py``).

The ``@context`` is embedded in the dump, so it parses offline, and also published as a file
of its own (``context.jsonld`` beside the dumps) for clients that want the same short names.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from graph.iris import data_base
from graph.namespaces import PERSISTENT_BASE, PREFIXES

JSONLD_DUMP_NAME = "twinkg.jsonld.gz"
CONTEXT_NAME = "context.jsonld"
DATA_PREFIX = "tkgid"
"""The prefix of the data namespace (``<base>id/``) in the published context."""

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def jsonld_context(base_iri: str = PERSISTENT_BASE) -> dict[str, str]:
    """The term definitions of the published context: every project prefix + the data namespace.

    >>> jsonld_context("http://127.0.0.1:8080/")["tkgid"]
    'http://127.0.0.1:8080/id/'
    """
    return {**PREFIXES, DATA_PREFIX: data_base(base_iri)}


class _Compactor:
    """Shortens IRIs to ``prefix:local`` where JSON-LD expands them back to the same IRI."""

    def __init__(self, context: dict[str, str]) -> None:
        # Longest namespace first, so that ``tkgid`` wins over a shorter namespace it extends.
        self._namespaces = sorted(context.items(), key=lambda item: -len(item[1]))

    def __call__(self, iri: str) -> str:
        for prefix, namespace in self._namespaces:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                # JSON-LD reads "p://x" as an absolute IRI, never as prefix + local part.
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri


def _node_id(term: ox.NamedNode | ox.BlankNode, compact: _Compactor) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact(term.value)


def _value(term: Any, compact: _Compactor) -> dict[str, str]:
    """A JSON-LD value object (or node reference) for one RDF object term.

    Raises :class:`ValueError` for an RDF-star triple term, which JSON-LD 1.1 cannot express.
    """
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return {"@id": _node_id(term, compact)}
    if not isinstance(term, ox.Literal):
        raise ValueError(f"JSON-LD cannot express the term {term!r}")
    value: dict[str, str] = {"@value": term.value}
    datatype = term.datatype.value
    if term.language:
        value["@language"] = term.language
        if getattr(term, "direction", None):
            value["@direction"] = str(term.direction)
    elif datatype not in (_XSD_STRING, _LANG_STRING):
        value["@type"] = compact(datatype)
    return value


def _node_objects(quads: Iterator[ox.Quad], compact: _Compactor) -> Iterator[dict[str, Any]]:
    """One node object per run of quads with the same subject.

    The store yields a graph's quads from its graph-subject-predicate-object index, so a
    subject's quads come together (measured: as many runs as subjects on the 435k-quad
    Wikipedia build). Should a subject still come back in two runs, JSON-LD merges node
    objects with the same ``@id``, so the graph stays right. A SPARQL ``ORDER BY ?s`` would
    guarantee it but took 60 s instead of 5 s on that build.
    """
    node: dict[str, Any] | None = None
    subject: Any = None
    for quad in quads:
        if node is None or quad.subject != subject:
            if node is not None:
                yield node
            subject = quad.subject
            node = {"@id": _node_id(subject, compact)}
        predicate = quad.predicate.value
        if predicate == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact(quad.object.value))
        else:
            node.setdefault(compact(predicate), []).append(_value(quad.object, compact))
    if node is not None:
        yield node


def write_jsonld(store: ox.Store, out: IO[str], base_iri: str = PERSISTENT_BASE) -> int:
    """Write the whole store (default graph and named graphs) as one JSON-LD document.

    Returns the number of quads written. Raises :class:`ValueError` for RDF-star terms.

    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("https://w3id.org/twinning-kg/id/authority/pl/swarzędz"),
    ...     ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Swarzędz"),
    ...     ox.NamedNode("https://w3id.org/twinning-kg/id/graph/curated")))
    >>> buffer = io.StringIO()
    >>> write_jsonld(store, buffer)
    1
    >>> json.loads(buffer.getvalue())["@graph"][0]["@graph"][0]["rdfs:label"]
    [{'@value': 'Swarzędz'}]
    """
    context = jsonld_context(base_iri)
    compact = _Compactor(context)
    written = 0

    def counted(quads: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
        nonlocal written
        for quad in quads:
            written += 1
            yield quad

    out.write('{"@context": ')
    json.dump(context, out, ensure_ascii=False)
    out.write(',\n"@graph": [')
    first = True

    def emit(item: dict[str, Any]) -> None:
        nonlocal first
        out.write("\n" if first else ",\n")
        first = False
        json.dump(item, out, ensure_ascii=False, separators=(",", ":"))

    default = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    for node in _node_objects(counted(default), compact):
        emit(node)
    for graph_name in sorted(store.named_graphs(), key=lambda g: str(g)):
        quads = store.quads_for_pattern(None, None, None, graph_name)
        nodes = list(_node_objects(counted(quads), compact))
        if nodes:
            emit({"@id": _node_id(graph_name, compact), "@graph": nodes})
    out.write("\n]}\n")
    return written


def write_jsonld_dump(store: ox.Store, dumps_dir: Path, base_iri: str = PERSISTENT_BASE) -> int:
    """Write ``twinkg.jsonld.gz`` and ``context.jsonld`` into ``dumps_dir``; return quads written.

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
        io.TextIOWrapper(zipped, encoding="utf-8", newline="\n") as out,
    ):
        written = write_jsonld(store, out, base_iri)
    partial.replace(dump)
    context_file = dumps_dir / CONTEXT_NAME
    context_file.write_text(
        json.dumps({"@context": jsonld_context(base_iri)}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return written

