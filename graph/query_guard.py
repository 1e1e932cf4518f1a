"""Decide, before anything runs, whether a public endpoint may run a SPARQL request.

Two rules keep the endpoint safe (issue 4):

* **read-only**: SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ...) is refused;
* **no open proxy**: ``SERVICE`` is refused unless its target IRI is on the allow-list. This
  matters because pyoxigraph really calls the ``SERVICE`` endpoint over HTTP, so without the
  guard a query could make the server fetch from the network it runs in.

The decision comes from rdflib's SPARQL parser (a real grammar, so comments, strings and IRIs
cannot fool it). rdflib's grammar is not complete, and where it rejects a request that may still
be valid (for example an IRI holding ``#`` just before a ``SERVICE`` clause) the guard falls back
to a SPARQL *lexer*: the token rules of the SPARQL 1.1 grammar (section 19.8), which are enough
to be sure, because ``SERVICE`` or an update operation can only appear as a keyword token. The
engine that runs the query stays the authority on syntax, so its error message and position is
what a user sees. Verdicts are cached by query text, so a repeated query is checked once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.query_errors import QueryRefused

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
"""The four SPARQL query forms; the form decides which result formats apply."""

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

# The SPARQL 1.1 token grammar (section 19.8), in the order a lexer must try it: comments,
# strings and IRIs first, so that a keyword inside them is not taken for a keyword.
_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%\\-]|\.(?=[\w:%\\-]))*)
    | (?P<word>[^\W\d][\w]*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.UNICODE,
)


@dataclass(frozen=True)
class QueryInfo:
    """What the guard learned about an allowed query.

    ``form`` is ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``, or ``None`` when it could
    not be told (the engine will then report the syntax error); ``services`` lists the
    (allow-listed) ``SERVICE`` endpoints the query calls.
    """

    form: str | None
    services: tuple[str, ...] = ()

    @property
    def is_graph(self) -> bool:
        """Whether the query returns RDF (``CONSTRUCT``/``DESCRIBE``) rather than results."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


def check_query(text: str, allowlist: frozenset[str] = frozenset()) -> QueryInfo:
    """Check ``text`` for a read-only public endpoint and say which query form it is.

    :raises QueryRefused: the request is an update, or calls ``SERVICE`` on an endpoint that is
        not on ``allowlist`` (or on a variable endpoint).

    >>> check_query("SELECT * { ?s ?p ?o }").form
    'SELECT'
    >>> check_query("CLEAR ALL")
    Traceback (most recent call last):
    graph.query_errors.QueryRefused: SPARQL Update is refused: this endpoint is read-only (CLEAR)
    >>> check_query("ASK { SERVICE <http://10.0.0.1/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.query_errors.QueryRefused: SERVICE <http://10.0.0.1/sparql> is not on the federation \
allow-list
    """
    form, services = _inspect(text)
    for target in services:
        if target.startswith("?"):
            raise QueryRefused(f"SERVICE with a variable endpoint ({target}) is refused")
        if target not in allowlist:
            raise QueryRefused(f"SERVICE <{target}> is not on the federation allow-list")
    return QueryInfo(form=form, services=services)


@lru_cache(maxsize=2048)
def _inspect(text: str) -> tuple[str | None, tuple[str, ...]]:
    """(query form, SERVICE targets) from rdflib's parse tree, else from the lexer.

    :raises QueryRefused: the text is a SPARQL Update.
    """
    try:
        parsed = parseQuery(text)
    except ParseException:
        return _inspect_tokens(text)
    prologue, query = parsed[0], parsed[1]
    prefixes = {d["prefix"] or "": str(d["iri"]) for d in prologue if d.name == "PrefixDecl"}
    services: list[str] = []
    _collect_services(query, prefixes, services)
    form = query.name.removesuffix("Query").upper()
    return (form if form in QUERY_FORMS else None), tuple(services)


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
        return prefixes.get(term["prefix"] or "", "") + (term.get("localname") or "")
    if type(term).__name__ == "Variable":
        return f"?{term}"
    return str(term)


def _inspect_tokens(text: str) -> tuple[str | None, tuple[str, ...]]:
    """The lexer fallback: keyword tokens decide, strings, IRIs and comments are skipped.

    :raises QueryRefused: an update keyword or an unverifiable ``SERVICE`` target.
    """
    tokens = [(m.lastgroup or "", m.group()) for m in _TOKEN.finditer(text)]
    tokens = [(kind, value) for kind, value in tokens if kind not in ("ws", "comment")]
    prefixes: dict[str, str] = {}
    form: str | None = None
    services: list[str] = []
    for i, (kind, value) in enumerate(tokens):
        word = value.upper() if kind == "word" else ""
        if word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            prefixes[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
        elif word in _UPDATE_KEYWORDS:
            raise QueryRefused(f"SPARQL Update is refused: this endpoint is read-only ({word})")
        elif word in QUERY_FORMS and form is None:
            form = word
        elif word == "SERVICE":
            j = i + 1
            if j < len(tokens) and tokens[j][1].upper() == "SILENT":
                j += 1
            services.append(_token_target(tokens[j] if j < len(tokens) else ("", ""), prefixes))
    return form, tuple(services)


def _token_target(token: tuple[str, str], prefixes: dict[str, str]) -> str:
    """The endpoint a ``SERVICE`` token names; anything unresolvable becomes ``?``."""
    kind, value = token
    if kind == "iri":
        return value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return "?" + value


def refuse_update(text: str) -> None:
    """Refuse a request sent as an update (``update=`` or ``application/sparql-update``).

    Parsed first so the message says what it is; refused either way, since the endpoint is
    read-only and a malformed update is no more welcome than a valid one.

    :raises QueryRefused: always.
    """
    try:
        request = parseUpdate(text)
        operations = [op.name.upper() for op in request["request"] or []]
    except ParseException:
        operations = []
    detail = f" ({', '.join(operations)})" if operations else ""
    raise QueryRefused(f"SPARQL Update is refused: this endpoint is read-only{detail}")
