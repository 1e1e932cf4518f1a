"""Names for the reader: the graph holds a resource's names in many languages, a page shows one.

Queries return names in every language; :func:`pick_label` chooses the reader's language, then
the other interface languages, then the untagged name; :func:`labels_of` looks up the names of
the IRIs a page mentions in one query per few hundred IRIs. A page's heading, and the names of
register units, follow :func:`heading_label`: the reader's language where the graph knows the
name in it, else the native name (the preferred label in the unit's own language), never an
English list name in its place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graph.query.binding import bound
from graph.query.solutions import Cell, SparqlSource, select
from graph.views.queries import LABELS

LABELS_PER_QUERY = 400
"""IRIs looked up by one :data:`graph.views.queries.LABELS` query: a page may mention
thousands (the units of a region), asked for in batches so that no query grows without bound."""


def pick_label(labels: Iterable[Cell], languages: Sequence[str]) -> str | None:
    """The label in the first of ``languages`` that has one, else an untagged one, else any.

    >>> pick_label([Cell("Praha", lang="cs"), Cell("Prague", lang="en")], ["pl", "en"])
    'Prague'
    >>> pick_label([Cell("Praha", lang="cs"), Cell("Praha")], ["pl"])
    'Praha'
    >>> pick_label([], ["en"]) is None
    True
    """
    found = list(labels)
    for language in (*languages, ""):
        for cell in found:
            if cell.lang == language or (language and cell.lang.split("-")[0] == language):
                return cell.value
    return found[0].value if found else None


def heading_label(preferred: Iterable[Cell], plain: Iterable[str],
                  languages: Sequence[str]) -> str | None:
    """The name a page heads with: a preferred label (``skos:prefLabel``) in the first of
    ``languages`` that has one, else any preferred label (a register unit's is in its own
    language: the native name), else the first plain label (``rdfs:label``) in order.

    Where one language has several preferred labels (the curated data gives Swarzędz both
    "Swarzędz"@pl and "Gmina Swarzędz"@pl), the one equal to a plain label wins.

    >>> heading_label([Cell("Warszawa", lang="pl")], ["Warsaw", "Warszawa"], ["en"])
    'Warszawa'
    >>> heading_label([Cell("Prague", lang="en"), Cell("Praha", lang="cs")], [], ["en"])
    'Prague'
    >>> heading_label([], ["Miasto Kraków"], ["cs"])
    'Miasto Kraków'
    >>> heading_label([], [], ["en"]) is None
    True
    """
    plain_names = list(plain)
    ranked = sorted(preferred, key=lambda cell: cell.value not in plain_names)
    return pick_label(ranked, languages) or (plain_names[0] if plain_names else None)


def labels_of(source: SparqlSource, iris: Iterable[str],
              languages: Sequence[str]) -> dict[str, str]:
    """The best label of each IRI in ``languages`` (IRIs without a name are left out).

    :raises NotFound: one of ``iris`` is not a valid IRI.
    """
    wanted = sorted({iri for iri in iris if iri})
    result: dict[str, str] = {}
    for start in range(0, len(wanted), LABELS_PER_QUERY):
        query = bound(LABELS, resources=wanted[start:start + LABELS_PER_QUERY])
        found: dict[str, list[Cell]] = {}
        for row in select(source, query):
            found.setdefault(row["resource"].value, []).append(row["label"])
        for iri, cells in found.items():
            label = pick_label(cells, languages)
            if label is not None:
                result[iri] = label
    return result


def local_name(iri: str) -> str:
    """The last path segment of an IRI, a readable stand-in when it has no label.

    >>> local_name("https://w3id.org/twinning-kg/id/theme/culture")
    'culture'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
