"""Values from a request bound into a SPARQL template, safely: the one way request input
(a path, a country code) gets into a query the service runs.

A template names its parameters as SPARQL variables written with ``$`` (``$resource``,
``$country``, ``$resources``), so it parses as it is; :func:`bound` puts a validated term in
each place. Every value is checked before it is written into the text, so a request path can
never inject SPARQL: a string that is not an IRI, or not a country code, is :class:`NotFound`
(no resource can have it), which the service answers with 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pyoxigraph

from graph.query.errors import NotFound

_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def iri_ref(iri: str) -> str:
    """``<iri>`` for use in a query, after checking that it is a valid IRI.

    :raises NotFound: ``iri`` is not a valid IRI, so no resource can have it.

    >>> iri_ref("https://w3id.org/twinning-kg/id/authority/cz/ústí-nad-labem")
    '<https://w3id.org/twinning-kg/id/authority/cz/ústí-nad-labem>'
    >>> iri_ref("http://x/> } DROP ALL #")
    Traceback (most recent call last):
    graph.query.errors.NotFound: not a valid IRI: 'http://x/> } DROP ALL #'
    """
    try:
        return str(pyoxigraph.NamedNode(iri))
    except ValueError:
        raise NotFound(f"not a valid IRI: {iri!r}") from None


def iri_list(iris: Iterable[str]) -> str:
    """Validated IRIs separated by spaces, for a ``VALUES`` block.

    :raises NotFound: one of them is not a valid IRI.

    >>> iri_list(["http://example.org/a", "http://example.org/b"])
    '<http://example.org/a> <http://example.org/b>'
    """
    return " ".join(iri_ref(iri) for iri in iris)


def country_term(code: str) -> str:
    """A quoted ISO 3166-1 alpha-2 code (upper case) for ``$country``.

    :raises NotFound: ``code`` is not two letters.

    >>> country_term("pl")
    '"PL"'
    >>> country_term('PL" }')
    Traceback (most recent call last):
    graph.query.errors.NotFound: not a country code: 'PL" }'
    """
    upper = code.strip().upper()
    if not _COUNTRY_CODE.match(upper):
        raise NotFound(f"not a country code: {code!r}")
    return f'"{upper}"'


def string_literal(text: str) -> str:
    """``text`` as a quoted SPARQL string, every character that could end it escaped.

    >>> string_literal('a "quoted" \\\\ value')
    '"a \\\\"quoted\\\\" \\\\\\\\ value"'
    """
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def _placeholder(name: str) -> re.Pattern[str]:
    # A whole variable name: ``$resource`` must not match the start of ``$resources``.
    return re.compile(rf"\${name}(?!\w)")


def bound(query: str, *, resource: str | None = None, country: str | None = None,
          resources: Iterable[str] | None = None, prefix: str | None = None) -> str:
    """``query`` with its parameters bound to validated terms: ``$resource`` to the IRI
    ``resource``, ``$country`` to the country code ``country``, ``$resources`` to the IRIs
    ``resources`` (for a ``VALUES`` block), ``$prefix`` to the string ``prefix``.

    :raises NotFound: a value is not a valid IRI or country code.

    >>> bound("ASK { $resource ?p $resources }", resource="http://example.org/a")
    'ASK { <http://example.org/a> ?p $resources }'
    >>> bound('SELECT * { ?a ?p $country FILTER(STRSTARTS(STR(?a), $prefix)) }',
    ...       country="cz", prefix="http://x/")
    'SELECT * { ?a ?p "CZ" FILTER(STRSTARTS(STR(?a), "http://x/")) }'
    """
    terms = {
        "resource": None if resource is None else iri_ref(resource),
        "country": None if country is None else country_term(country),
        "resources": None if resources is None else iri_list(resources),
        "prefix": None if prefix is None else string_literal(prefix),
    }
    for name, term in terms.items():
        if term is not None:
            # A function, not a template: a term's backslashes are not group references.
            query = _placeholder(name).sub(_literally(term), query)
    return query


def _literally(term: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: term
