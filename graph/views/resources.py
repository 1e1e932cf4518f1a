"""A resource's Linked Data description: whether the graph knows an IRI, its description in
an RDF format, and the same description shaped for the generic HTML page.

The service's ``/id/...`` and ``/doc/...`` routes call these with the request's
:class:`graph.query.backend.Backend`; the queries are :data:`graph.views.queries.RESOURCE_EXISTS`
and :data:`graph.views.queries.RESOURCE_DESCRIPTION`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph

from graph.query.backend import Backend, NotFound
from graph.query.binding import bound
from graph.query.solutions import boolean_of
from graph.views.queries import RESOURCE_DESCRIPTION, RESOURCE_EXISTS


def resource_exists(backend: Backend, iri: str) -> bool:
    """Whether ``iri`` occurs in the graph as subject or object (``False`` for a string that
    is not an IRI at all).

    :raises QueryTimeout, BackendError: from the backend.
    """
    try:
        query = bound(RESOURCE_EXISTS, resource=iri)
    except NotFound:
        return False
    return boolean_of(backend.query(query))


def describe(backend: Backend, iri: str, media_type: str) -> bytes:
    """The description of ``iri`` (:data:`RESOURCE_DESCRIPTION`) serialized as ``media_type``.

    :raises NotFound: the graph says nothing about ``iri``.
    """
    if not resource_exists(backend, iri):
        raise NotFound(f"{iri} is not in the graph")
    return backend.query(bound(RESOURCE_DESCRIPTION, resource=iri),
                         graph_format=media_type).body


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
