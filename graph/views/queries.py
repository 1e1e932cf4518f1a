"""Every SPARQL query the service runs, by name, with the small functions that run them.

Views never hold SPARQL: they call a function here with a :class:`graph.query.backend.Backend`.
Add a query as a module constant (``UPPER_CASE``, with the project's prefixes) plus, if its
answer needs shaping, a function returning plain data.

IRIs go into a query only through :func:`iri_ref`, which validates them, so a request path can
never inject SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph

from graph.core.namespaces import sparql_prefixes
from graph.query.backend import Backend, NotFound

RESOURCE_EXISTS = sparql_prefixes() + """
ASK { { $resource ?p ?o } UNION { ?s ?p $resource } }
"""
"""Is ``$resource`` the subject or object of any triple?"""

RESOURCE_DESCRIPTION = sparql_prefixes() + """
CONSTRUCT {
  $resource ?p ?o . ?o ?bp ?bo . ?o rdfs:label ?olabel .
  ?s ?ip $resource . ?s rdfs:label ?slabel .
}
WHERE {
  { $resource ?p ?o
    OPTIONAL { ?o ?bp ?bo FILTER(isBlank(?o)) }
    OPTIONAL { ?o rdfs:label ?olabel FILTER(isIRI(?o)) } }
  UNION
  { ?s ?ip $resource OPTIONAL { ?s rdfs:label ?slabel } }
}
"""
"""A resource's description: its own triples (with blank nodes it points to, e.g. its
geometry), its incoming links (e.g. an authority's partnerships) and the labels of both ends."""


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


def bind(query: str, resource: str) -> str:
    """``query`` with ``$resource`` replaced by the validated IRI ``resource``."""
    return query.replace("$resource", iri_ref(resource))


def resource_exists(backend: Backend, iri: str) -> bool:
    """Whether ``iri`` occurs in the graph as subject or object.

    :raises QueryTimeout, BackendError: from the backend.
    """
    try:
        output = backend.query(bind(RESOURCE_EXISTS, iri))
    except NotFound:
        return False
    parsed = pyoxigraph.parse_query_results(
        output.body, format=pyoxigraph.QueryResultsFormat.JSON)
    return bool(parsed)


def describe(backend: Backend, iri: str, media_type: str) -> bytes:
    """The description of ``iri`` (:data:`RESOURCE_DESCRIPTION`) serialized as ``media_type``.

    :raises NotFound: the graph says nothing about ``iri``.
    """
    if not resource_exists(backend, iri):
        raise NotFound(f"{iri} is not in the graph")
    return backend.query(bind(RESOURCE_DESCRIPTION, iri), graph_format=media_type).body


@dataclass
class ResourceView:
    """A resource's description shaped for an HTML page.

    ``outgoing`` holds (predicate, object) and ``incoming`` (subject, predicate) pairs of
    pyoxigraph terms; ``labels`` maps IRIs to a label, for readable links.
    """

    iri: str
    outgoing: list[tuple[pyoxigraph.NamedNode, object]] = field(default_factory=list)
    incoming: list[tuple[object, pyoxigraph.NamedNode]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    blank_nodes: dict[str, list[tuple[pyoxigraph.NamedNode, object]]] = field(
        default_factory=dict)

    @property
    def label(self) -> str:
        """The resource's label, else the last segment of its IRI."""
        return self.labels.get(self.iri) or self.iri.rstrip("/").rsplit("/", 1)[-1]


_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def resource_view(backend: Backend, iri: str) -> ResourceView:
    """The description of ``iri`` as a :class:`ResourceView`.

    :raises NotFound: the graph says nothing about ``iri``.
    """
    body = describe(backend, iri, "application/n-triples")
    view = ResourceView(iri)
    for quad in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES):
        s, p, o = quad.subject, quad.predicate, quad.object
        if p.value == _RDFS_LABEL and isinstance(o, pyoxigraph.Literal):
            view.labels.setdefault(s.value, o.value)
        if isinstance(s, pyoxigraph.NamedNode) and s.value == iri:
            view.outgoing.append((p, o))
        elif isinstance(o, pyoxigraph.NamedNode) and o.value == iri:
            view.incoming.append((s, p))
        elif isinstance(s, pyoxigraph.BlankNode):
            view.blank_nodes.setdefault(s.value, []).append((p, o))
    view.outgoing.sort(key=lambda pair: (pair[0].value, str(pair[1])))
    view.incoming.sort(key=lambda pair: (pair[1].value, str(pair[0])))
    return view
