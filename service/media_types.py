"""The one registry of output formats: media type, ``format=`` name, file suffix, kind.

Every view picks its format here, so the SPARQL endpoint, the Linked Data pages and the
``Link: rel="alternate"`` headers agree. Content negotiation uses Werkzeug's parser of the
``Accept`` header (q-values, ``type/*`` and ``*/*`` wildcards, specificity); a ``format``
parameter overrides it so that a link can be shared; nothing acceptable means 406.

Kinds: ``results`` (SELECT/ASK), ``graph`` (CONSTRUCT/DESCRIBE and Linked Data), ``page``
(HTML for people).
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept
from werkzeug.exceptions import NotAcceptable


@dataclass(frozen=True)
class Format:
    """One output format. The first of ``names`` is the canonical ``format=`` value."""

    media_type: str
    names: tuple[str, ...]
    kind: str
    suffix: str | None = None
    label: str = ""

    @property
    def name(self) -> str:
        return self.names[0]


FORMATS: tuple[Format, ...] = (
    Format("application/sparql-results+json", ("json", "srj"), "results", "srj",
           "SPARQL JSON"),
    Format("application/sparql-results+xml", ("xml", "srx"), "results", "srx", "SPARQL XML"),
    Format("text/csv", ("csv",), "results", "csv", "CSV"),
    Format("text/tab-separated-values", ("tsv",), "results", "tsv", "TSV"),
    Format("text/turtle", ("turtle", "ttl"), "graph", "ttl", "Turtle"),
    Format("application/ld+json", ("jsonld", "json-ld"), "graph", "jsonld", "JSON-LD"),
    Format("application/n-triples", ("ntriples", "nt"), "graph", "nt", "N-Triples"),
    Format("application/n-quads", ("nquads", "nq"), "graph", "nq", "N-Quads"),
    Format("application/rdf+xml", ("rdfxml", "rdf", "xml"), "graph", "rdf", "RDF/XML"),
    Format("text/html", ("html",), "page", "html", "HTML"),
)
"""Every format, in the server's order of preference within a kind (first = default)."""

ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "text/xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "application/json-ld": "application/ld+json",
}
"""Media types that clients send for a registered one (SPARQLWrapper asks for
``application/json``, old clients for ``text/plain`` N-Triples)."""

LINKED_DATA_SUFFIXES = ("ttl", "jsonld", "nt", "rdf")
"""The suffixes a Linked Data document answers to (``/doc/...ttl``)."""


def formats_of(*kinds: str) -> list[Format]:
    """The formats of the given kinds, in order of preference.

    >>> [f.name for f in formats_of("results")]
    ['json', 'xml', 'csv', 'tsv']
    """
    return [f for f in FORMATS if f.kind in kinds]


def by_suffix(suffix: str) -> Format | None:
    """The format a file suffix names, or ``None``.

    >>> by_suffix("ttl").media_type
    'text/turtle'
    """
    return next((f for f in FORMATS if f.suffix == suffix), None)


def negotiate(accept: MIMEAccept, candidates: list[Format], format_name: str | None = None,
              ) -> Format:
    """The best of ``candidates`` for a request: ``format_name`` if given, else by ``Accept``.

    A missing ``Accept`` (or ``*/*``) gives the first candidate. Aliases count as their
    registered type (``application/json`` is SPARQL JSON among result formats).

    :raises NotAcceptable: nothing in ``candidates`` fits (HTTP 406).

    >>> from werkzeug.datastructures import MIMEAccept
    >>> fs = formats_of("graph")
    >>> negotiate(MIMEAccept([("application/rdf+xml", 0.5), ("text/*", 0.9)]), fs).name
    'turtle'
    >>> negotiate(MIMEAccept([("text/turtle", 1)]), fs, "nt").name
    'ntriples'
    """
    if format_name:
        wanted = format_name.strip().lower()
        for f in candidates:
            if wanted in f.names or wanted == f.media_type:
                return f
        raise NotAcceptable(f"format={format_name!r} is not available here; choose one of "
                            + ", ".join(f.name for f in candidates))
    if not accept:
        return candidates[0]
    best: tuple[float, int, int, Format] | None = None
    for rank, f in enumerate(candidates):
        quality = accept.quality(f.media_type)
        specific = 2 if f.media_type in accept.values() else 0
        for alias, target in ALIASES.items():
            if target == f.media_type and alias in accept.values():
                quality, specific = max(quality, accept[alias]), max(specific, 1)
        if quality <= 0:
            continue
        key = (quality, specific, -rank, f)
        if best is None or key[:3] > best[:3]:
            best = key
    if best is None:
        raise NotAcceptable("none of the formats you accept is available here; this resource "
                            "comes as " + ", ".join(f.media_type for f in candidates))
    return best[3]


def negotiate_or_none(accept: MIMEAccept, candidates: list[Format],
                      format_name: str | None = None) -> Format | None:
    """:func:`negotiate`, or ``None`` when nothing in ``candidates`` fits: the SPARQL endpoint
    negotiates a format for each kind of answer before it knows which kind the query gives.

    >>> from werkzeug.datastructures import MIMEAccept
    >>> negotiate_or_none(MIMEAccept([("text/turtle", 1)]), formats_of("results")) is None
    True
    """
    try:
        return negotiate(accept, candidates, format_name)
    except NotAcceptable:
        return None
