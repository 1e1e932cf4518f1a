"""Decide whether a public endpoint may run a SPARQL query, inside the query process.

Two rules keep the endpoint safe:

* **read-only**: SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ...) is refused;
* **no open proxy**: ``SERVICE`` is refused unless its target IRI is on the allow-list,
  because pyoxigraph (or a remote server) really calls the ``SERVICE`` endpoint over HTTP.

The guard runs where the query runs, in a killable query process under the query's time limit
(:mod:`graph.query.pool`), never in a web worker: parsing is CPU work a client controls, and
rdflib's parser (pyparsing) is not thread-safe.

There is exactly one reader of SPARQL besides the engine, and no lexer that could disagree with
it. A query whose text cannot hold a ``SERVICE`` clause or a dataset clause is not parsed at
all: the SPARQL grammar spells those only with the letters ``SERVICE`` and ``FROM`` (in any
case), and a ``\\u`` escape is the only way to write a letter otherwise, so a text without
``service``, ``from`` and ``\\u``/``\\U`` needs no reading (:func:`needs_reading`, a
substring test). The engine itself refuses updates there: a query operation cannot parse
``INSERT``. Any other text is read with rdflib's SPARQL grammar (:func:`read_query`); a text
rdflib cannot read is refused with :class:`~graph.query.errors.GuardUnreadable`, never run
unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.query.errors import GuardUnreadable, QueryRefused

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
"""The four SPARQL query forms; the form decides which result formats apply."""

UPDATE_REFUSED = "SPARQL Update is refused: this endpoint is read-only"

_TRIGGERS = ("service", "from", "\\u")


@dataclass(frozen=True)
class QueryInfo:
    """What the guard learned about an allowed query.

    ``form`` is ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``, or ``None`` when the query
    was not read (see :func:`needs_reading`); ``services`` lists the (allow-listed)
    ``SERVICE`` endpoints the query calls; ``has_dataset`` says the query names its own
    dataset with ``FROM`` / ``FROM NAMED``, which then replaces the union default graph.
    """

    form: str | None
    services: tuple[str, ...] = ()
    has_dataset: bool = False

    @property
    def is_graph(self) -> bool:
        """Whether the query returns RDF (``CONSTRUCT``/``DESCRIBE``) rather than results."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


UNREAD = QueryInfo(form=None)
"""The verdict on a text that cannot hold ``SERVICE`` or ``FROM``: allowed, nothing to say."""


def needs_reading(text: str) -> bool:
    """Whether ``text`` could hold a ``SERVICE`` or dataset clause, so the guard must read it.

    Conservative by construction: a comment or a string that says "service" is read too.
    ``casefold`` also catches look-alikes such as the long s (U+017F) that some case-insensitive
    matchers take for ``s``.

    >>> needs_reading("SELECT * { ?s ?p 'Swarzędz' }")
    False
    >>> needs_reading("SELECT * { SeRvIcE <http://x/> { ?s ?p ?o } }")
    True
    >>> needs_reading(r"SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }")
    True
    """
    folded = text.casefold()
    return any(trigger in folded for trigger in _TRIGGERS)


def check_query(text: str, allowlist: frozenset[str] = frozenset()) -> QueryInfo:
    """The guard's verdict: :data:`UNREAD` when the text needs no reading, else
    :func:`read_query`'s.

    :raises QueryRefused: an update, or ``SERVICE`` on an endpoint off ``allowlist``.
    :raises GuardUnreadable: the text needs reading and rdflib cannot read it.

    >>> check_query("SELECT * { ?s ?p ?o }") is UNREAD
    True
    >>> check_query("ASK { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.query.errors.QueryRefused: SERVICE <http://10.0.0.1/sparql> is not on the federation \
allow-list
    """
    return read_query(text, allowlist) if needs_reading(text) else UNREAD


def read_query(text: str, allowlist: frozenset[str] = frozenset()) -> QueryInfo:
    """Read ``text`` with rdflib's SPARQL grammar and judge it.

    Deep nesting recurses deeply in pyparsing: call this on a thread with a large stack and a
    high recursion limit (the query process does).

    :raises QueryRefused: an update, or ``SERVICE`` on an endpoint off ``allowlist`` (or on a
        variable endpoint).
    :raises GuardUnreadable: rdflib cannot read the text.

    >>> read_query("PREFIX ex: <http://e/> SELECT * FROM ex:g { ?s ?p ?o }")
    QueryInfo(form='SELECT', services=(), has_dataset=True)
    >>> read_query("ASK { ?s ?p 'from' }").has_dataset
    False
    >>> read_query("PREFIX : <http://e/> SELECT * FROM :g { SERVICE :s { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.query.errors.QueryRefused: SERVICE <http://e/s> is not on the federation allow-list
    >>> read_query("CLEAR ALL")
    Traceback (most recent call last):
    graph.query.errors.QueryRefused: SPARQL Update is refused: this endpoint is read-only
    """
    try:
        parsed = parseQuery(text)
    except ParseException as error:
        if is_update(text):
            raise QueryRefused(UPDATE_REFUSED) from None
        raise GuardUnreadable(str(error)) from None
    except ValueError as error:  # rdflib's escapes: "Invalid unicode code point"
        raise GuardUnreadable(str(error)) from None
    except RecursionError:
        raise GuardUnreadable("it is nested too deeply") from None
    prologue, query = parsed[0], parsed[1]
    prefixes = {_field(d, "prefix"): str(d["iri"]) for d in prologue if d.name == "PrefixDecl"}
    services: list[str] = []
    _collect_services(query, prefixes, services)
    for target in services:
        if target.startswith("?"):
            raise QueryRefused(f"SERVICE with a variable endpoint ({target}) is refused")
        if target not in allowlist:
            raise QueryRefused(f"SERVICE <{target}> is not on the federation allow-list")
    form = query.name.removesuffix("Query").upper()
    return QueryInfo(form=form if form in QUERY_FORMS else None, services=tuple(services),
                     has_dataset="datasetClause" in query and bool(query["datasetClause"]))


def is_update(text: str) -> bool:
    """Whether ``text`` reads as a SPARQL Update (to say so when the engine refuses it)."""
    try:
        parseUpdate(text)
    except (ParseException, ValueError, RecursionError):
        return False
    return True


def _collect_services(node: object, prefixes: dict[str, str], found: list[str]) -> None:
    """Walk rdflib's parse tree and append every ``SERVICE`` target (IRI or ``?var``)."""
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            found.append(_term_text(node["term"], prefixes))
        for value in node.values():
            _collect_services(value, prefixes, found)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for item in node:  # type: ignore[attr-defined]
            _collect_services(item, prefixes, found)


def _term_text(term: object, prefixes: dict[str, str]) -> str:
    """An IRI as text, a prefixed name expanded, a variable as ``?name``."""
    if isinstance(term, CompValue) and term.name == "pname":
        return prefixes.get(_field(term, "prefix"), "\0unknown prefix:") + \
            _field(term, "localname")
    if type(term).__name__ == "Variable":
        return f"?{term}"
    return str(term)


def _field(node: CompValue, name: str) -> str:
    """A text field of rdflib's parse tree, ``""`` when absent: rdflib leaves ``prefix`` out
    for the empty prefix (``PREFIX :``), and ``CompValue.get`` takes no default (its second
    argument means something else)."""
    try:
        return str(node[name] or "")
    except KeyError:
        return ""
