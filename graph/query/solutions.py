"""Answers of SELECT and ASK queries read into plain Python values: the one reader of SPARQL
results JSON (what a :class:`graph.query.backend.Backend` answers) and of pyoxigraph terms.

A value becomes a :class:`Cell`, which keeps what pages and tables need (the lexical value,
whether it is an IRI, the language tag, the datatype) and nothing of the engine, so a page can
be built the same way from the embedded store or a remote endpoint.

>>> body = b'''{"head": {"vars": ["s", "name"]}, "results": {"bindings": [
...   {"s": {"type": "uri", "value": "http://example.org/a"},
...    "name": {"type": "literal", "value": "Praha", "xml:lang": "CS"}}]}}'''
>>> rows = rows_of(body)
>>> rows[0]["s"].is_iri, rows[0]["name"].lang
(True, 'cs')
>>> values_of(rows[0])
{'s': 'http://example.org/a', 'name': 'Praha'}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph


class SparqlSource(Protocol):
    """What a reader of answers needs from a backend (:class:`graph.query.backend.Backend`
    fits, as does :class:`graph.views.search.StoreSource`)."""

    def query(self, query: str) -> Any:
        """Run a query; the answer (or its ``body``) is SPARQL results JSON."""


@dataclass(frozen=True)
class Cell:
    """One value of a result row: lexical ``value``, ``kind`` (uri, literal, bnode), ``lang``
    (lower case) and ``datatype`` when it is a literal."""

    value: str
    kind: str = "literal"
    lang: str = ""
    datatype: str = ""

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"


Row = dict[str, Cell]
"""One solution: variable name to value; a variable left unbound is absent."""


def _json_of(answer: Any) -> dict[str, Any]:
    """The parsed SPARQL results JSON of ``answer``: a backend's output or the body itself."""
    body = answer.body if hasattr(answer, "body") else answer
    data: dict[str, Any] = json.loads(body)
    return data


def cell_of_json(raw: dict[str, str]) -> Cell:
    """A value of SPARQL results JSON as a :class:`Cell` (``typed-literal``, an old name for a
    literal with a datatype, read as ``literal``).

    >>> cell_of_json({"type": "typed-literal", "value": "3",
    ...               "datatype": "http://www.w3.org/2001/XMLSchema#integer"}).kind
    'literal'
    """
    return Cell(raw["value"], raw.get("type", "literal").replace("typed-literal", "literal"),
                raw.get("xml:lang", "").lower(), raw.get("datatype", ""))


def cell_of_term(term: object) -> Cell:
    """A pyoxigraph term as a :class:`Cell`; a blank node (or a triple term) is written as in
    N-Triples, ``_:b0``, so that a table of triples shows it is one.

    >>> cell = cell_of_term(pyoxigraph.Literal("Praha", language="cs"))
    >>> cell.kind, cell.lang
    ('literal', 'cs')
    >>> cell_of_term(pyoxigraph.NamedNode("http://example.org/a")).is_iri
    True
    """
    if isinstance(term, pyoxigraph.NamedNode):
        return Cell(term.value, "uri")
    if isinstance(term, pyoxigraph.Literal):
        return Cell(term.value, "literal", (term.language or "").lower(), term.datatype.value)
    return Cell(str(term), "bnode")


@dataclass(frozen=True)
class Answer:
    """A query's answer read once: a SELECT's ``variables`` and ``rows``, or an ASK's
    ``boolean`` (``None`` for a SELECT)."""

    variables: list[str]
    rows: list[Row]
    boolean: bool | None = None


def answer_of(answer: Any) -> Answer:
    """A SELECT or ASK answer (SPARQL results JSON, or a backend's output holding it) read.

    >>> answer_of(b'{"head": {}, "boolean": true}').boolean
    True
    """
    data = _json_of(answer)
    if "boolean" in data:
        return Answer([], [], bool(data["boolean"]))
    rows = [{name: cell_of_json(raw) for name, raw in binding.items()}
            for binding in data["results"]["bindings"]]
    return Answer(list(data["head"].get("vars", [])), rows)


def rows_of(answer: Any) -> list[Row]:
    """Rows of a SELECT answer (SPARQL results JSON, or a backend's output holding it).

    :raises ValueError: the answer is an ASK's.
    """
    read = answer_of(answer)
    if read.boolean is not None:
        raise ValueError("the answer of an ASK query has no rows")
    return read.rows


def boolean_of(answer: Any) -> bool:
    """The answer of an ASK query.

    :raises ValueError: the answer is a SELECT's.

    >>> boolean_of(b'{"head": {}, "boolean": false}')
    False
    """
    read = answer_of(answer)
    if read.boolean is None:
        raise ValueError("the answer of a SELECT query is not a boolean")
    return read.boolean


def values_of(row: Row) -> dict[str, str]:
    """A row as ``{variable: lexical value}``, for code that needs no more than the text."""
    return {name: cell.value for name, cell in row.items()}


def text_of(row: Row, name: str) -> str | None:
    """The lexical value of ``name`` in ``row``, ``None`` when it is unbound."""
    cell = row.get(name)
    return cell.value if cell is not None else None


def float_of(row: Row, name: str) -> float | None:
    """The value of ``name`` in ``row`` as a number, ``None`` when unbound or not a number.

    >>> float_of({"lat": Cell("52.4")}, "lat"), float_of({"lat": Cell("n/a")}, "lat")
    (52.4, None)
    """
    text = text_of(row, name)
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def int_of(row: Row, name: str) -> int | None:
    """The value of ``name`` in ``row`` as a whole number (a decimal is cut), ``None`` when
    unbound or not a number.

    >>> int_of({"population": Cell("31000.0")}, "population")
    31000
    """
    number = float_of(row, name)
    return int(number) if number is not None and number == number else None


def select(source: SparqlSource, query: str) -> list[Row]:
    """Rows of the SELECT ``query`` run by ``source``.

    :raises graph.query.backend.QueryError: from the backend.
    """
    return rows_of(source.query(query))


def ask(source: SparqlSource, query: str) -> bool:
    """The answer of the ASK ``query`` run by ``source``.

    :raises graph.query.backend.QueryError: from the backend.
    """
    return boolean_of(source.query(query))


def store_solutions(store: pyoxigraph.Store, query: str, *,
                    union: bool = False) -> pyoxigraph.QuerySolutions:
    """The solutions of the SELECT ``query`` run directly on a pyoxigraph store, as the build
    reads its own store (``union``: the default graph is the union of the named graphs).

    :raises SyntaxError: the query does not parse.
    :raises TypeError: the query is not a SELECT (a bug in the caller, not in the data).

    >>> store = pyoxigraph.Store()
    >>> [row["x"].value for row in store_solutions(store, "SELECT ?x { VALUES ?x { 1 } }")]
    ['1']
    >>> store_solutions(store, "ASK {}")
    Traceback (most recent call last):
    TypeError: not a SELECT query: ASK {}
    """
    solutions = store.query(query, use_default_graph_as_union=union)
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise TypeError(f"not a SELECT query: {query}")
    return solutions
