"""The W3C SPARQL 1.1 query syntax tests vendored in ``tests/data/w3c-sparql11-syntax``.

Each folder (``syntax-query``, ``syntax-fed``) holds the W3C ``manifest.ttl`` byte for byte and
the query files the file index had (``SOURCES.md`` says where each came from). The manifest
is read with pyoxigraph, never with a regular expression: a test is positive when its type is
``mf:PositiveSyntaxTest11`` (or ``mf:PositiveSyntaxTest``, which the federation manifest uses),
negative for ``mf:NegativeSyntaxTest11`` / ``mf:NegativeSyntaxTest``. Entries whose query file
is not vendored are left out and named by :func:`missing_files`.

>>> tests = syntax_tests()
>>> any(t.positive for t in tests) and any(not t.positive for t in tests)
True
>>> sorted({t.folder for t in tests})
['syntax-fed', 'syntax-query']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph

W3C_SYNTAX = Path(__file__).resolve().parent / "data" / "w3c-sparql11-syntax"
FOLDERS = ("syntax-query", "syntax-fed")

_MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
_RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_ACTION = pyoxigraph.NamedNode(_MF + "action")
_KINDS = {
    _MF + "PositiveSyntaxTest11": True,
    _MF + "PositiveSyntaxTest": True,
    _MF + "NegativeSyntaxTest11": False,
    _MF + "NegativeSyntaxTest": False,
}


@dataclass(frozen=True)
class SyntaxTest:
    """One manifest entry: ``positive`` tests must parse, negative ones must not."""

    folder: str
    path: Path
    positive: bool

    @property
    def name(self) -> str:
        """``folder/file.rq``, the id used in test names and reports."""
        return f"{self.folder}/{self.path.name}"

    @property
    def query(self) -> str:
        """The query text (every vendored file is UTF-8)."""
        return self.path.read_text(encoding="utf-8")


def _entries(folder: Path) -> list[tuple[Path, bool]]:
    """(query file, positive?) of every syntax test the manifest in ``folder`` declares."""
    manifest = folder / "manifest.ttl"
    graph = pyoxigraph.parse(path=str(manifest), format=pyoxigraph.RdfFormat.TURTLE,
                             base_iri=manifest.as_uri())
    kinds: dict[pyoxigraph.NamedNode | pyoxigraph.BlankNode, bool] = {}
    actions: dict[pyoxigraph.NamedNode | pyoxigraph.BlankNode, str] = {}
    for triple in graph:
        if triple.predicate == _RDF_TYPE and isinstance(triple.object, pyoxigraph.NamedNode) \
                and triple.object.value in _KINDS:
            assert not isinstance(triple.subject, pyoxigraph.Triple)
            kinds[triple.subject] = _KINDS[triple.object.value]
        elif triple.predicate == _ACTION and isinstance(triple.object, pyoxigraph.NamedNode):
            assert not isinstance(triple.subject, pyoxigraph.Triple)
            actions[triple.subject] = triple.object.value
    found = []
    for test, positive in kinds.items():
        if test in actions:
            found.append((Path(unquote(urlsplit(actions[test]).path)), positive))
    return sorted(found)


def syntax_tests(root: Path = W3C_SYNTAX) -> list[SyntaxTest]:
    """Every vendored syntax test of both folders, sorted by folder and file name."""
    return [SyntaxTest(folder, path, positive)
            for folder in FOLDERS
            for path, positive in _entries(root / folder) if path.exists()]


def missing_files(root: Path = W3C_SYNTAX) -> list[str]:
    """``folder/file`` of every manifest entry whose query file is not vendored."""
    return [f"{folder}/{path.name}" for folder in FOLDERS
            for path, _ in _entries(root / folder) if not path.exists()]
