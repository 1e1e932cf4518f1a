"""Every SPARQL query the service runs parses, once its parameters are bound by the binding
helper the pages use, so a broken query fails here and not on a reader's request.

The queries are collected, not listed: every upper-case string constant of
:mod:`graph.views.queries`. Another module of :mod:`graph.views` holding a query of its own
fails :func:`test_every_service_query_lives_in_the_queries_module`, so the module's promise
(every query the service runs, in one place) stays true.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

import pyoxigraph
import pytest

import graph.views
from graph.query.binding import bound
from graph.query.errors import NotFound
from graph.views import queries

QUERY_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")
PLACEHOLDER = re.compile(r"\$\w+")
SWARZEDZ = "https://w3id.org/twinning-kg/id/authority/pl/swarzędz"
CULTURE = "https://w3id.org/twinning-kg/id/theme/culture"


def _constants(module: ModuleType) -> dict[str, str]:
    """The module's upper-case string constants that hold a SPARQL query form."""
    return {name: value for name, value in vars(module).items()
            if name.isupper() and isinstance(value, str) and QUERY_FORM.search(value)}


SERVICE_QUERIES = _constants(queries)


def parse_bound(template: str) -> str:
    """``template`` with every parameter bound as a page binds it, then parsed and run on an
    empty store (pyoxigraph parses while preparing); the bound text is returned.

    :raises SyntaxError: the query does not parse.
    """
    text = bound(template, resource=SWARZEDZ, country="pl", resources=[SWARZEDZ, CULTURE],
                 prefix="https://w3id.org/twinning-kg/id/")
    left = PLACEHOLDER.findall(text)
    assert not left, f"parameters the binding helper does not know: {left}"
    pyoxigraph.Store().query(text)
    return text


def test_the_queries_are_collected() -> None:
    # The browsing, register, Linked Data, search and sitemap queries: none may fall out.
    assert len(SERVICE_QUERIES) >= 20
    assert {"RESOURCE_DESCRIPTION", "AUTHORITY_PARTNERS", "REGISTER_REGIONS",
            "INDEX_NAMES", "LABELS", "MINTED_RESOURCES"} <= set(SERVICE_QUERIES)


@pytest.mark.parametrize("name", sorted(SERVICE_QUERIES))
def test_service_query_parses_once_bound(name: str) -> None:
    text = parse_bound(SERVICE_QUERIES[name])
    assert SWARZEDZ in text or "$resource" not in SERVICE_QUERIES[name]


def test_a_broken_query_fails_the_check() -> None:
    broken = queries.RESOURCE_STATEMENTS.replace("ORDER BY", "ORDER BY BY")
    with pytest.raises(SyntaxError):
        parse_bound(broken)
    with pytest.raises(AssertionError, match=r"\$resouce"):
        parse_bound(queries.RESOURCE_EXISTS.replace("$resource", "$resouce"))


def test_every_service_query_lives_in_the_queries_module() -> None:
    elsewhere = {}
    for info in pkgutil.iter_modules(graph.views.__path__, "graph.views."):
        module = importlib.import_module(info.name)
        if module is not queries:
            # Names imported from the queries module are the same objects; others are not.
            elsewhere.update({f"{info.name}.{name}": text
                              for name, text in _constants(module).items()
                              if not any(text is query for query in SERVICE_QUERIES.values())})
    assert elsewhere == {}


def test_binding_refuses_what_is_not_an_iri_or_a_country() -> None:
    with pytest.raises(NotFound):
        bound(queries.RESOURCE_STATEMENTS, resource="http://x/> } DROP ALL #")
    with pytest.raises(NotFound):
        bound(queries.COUNTRY_AUTHORITIES, country='PL" } #')
    with pytest.raises(NotFound):
        bound(queries.LABELS, resources=[SWARZEDZ, "not an iri"])


def test_binding_does_not_confuse_resource_and_resources() -> None:
    text = bound(queries.LABELS, resource=CULTURE, resources=[SWARZEDZ])
    assert f"VALUES ?resource {{ <{SWARZEDZ}> }}" in text
    assert CULTURE not in text
