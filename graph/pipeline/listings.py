"""Which side's Wikipedia page lists a partnership: each country's list as a source of its own.

The Wikipedia file (``city1,country1,city2,country2``) is compiled from English Wikipedia's
per-country lists of twin towns, ``city1``/``country1`` being the participant whose country's
page lists the pair. Few pairs are listed from both sides (about 1,360 of 24,750), and each
country's list is written by other people from other references; so the pairs only one
country's list holds are partnerships a model trained without that list has never seen in any
form (the cross-source protocol of :mod:`graph.recommend.evaluation` hides them).

A row is mapped to a published graph's authorities as the build maps it: the country and name
as :func:`graph.pipeline.normalise.country_and_name` settles them, the IRI
:func:`graph.core.iris.authority_iri` mints from them and, where the build linked that
authority to a register unit (the ``register_unit`` column of ``reports/reconciliation.csv``)
and the graph knows it by the unit, the unit. A row that cannot be mapped is kept as a
:class:`graph.ingest.records.Reject` with its file, row and reason, never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.core import iris
from graph.core.namespaces import PERSISTENT_BASE
from graph.ingest.records import Participant, Reject
from graph.ingest.sources import wikipedia
from graph.ingest.sources.csv_files import csv_table
from graph.pipeline.normalise import country_and_name

Pair = tuple[int, int]


@dataclass
class Listings:
    """For each linked pair (smaller index first), the participants whose page lists it."""

    sides: dict[Pair, set[int]] = field(default_factory=dict)
    unmapped: list[Reject] = field(default_factory=list)
    rows_read: int = 0

    def pages(self, pair: Pair, countries: Sequence[str]) -> set[str]:
        """The countries whose Wikipedia list states ``pair`` (``countries``: by index)."""
        return {str(countries[side]) for side in self.sides[pair]}

    def held_only_by(self, country: str, countries: Sequence[str]) -> set[Pair]:
        """The pairs that ``country``'s list states and no other country's list does.

        A pair of two authorities of ``country`` stays one list's even when both list it:
        both rows are on the same page.
        """
        return {pair for pair in self.sides if self.pages(pair, countries) == {country}}


def register_units(report: Path) -> dict[str, str]:
    """Authority IRI -> register unit IRI, from a build's ``reports/reconciliation.csv``.

    Raises :class:`graph.ingest.records.SourceError` when the report cannot be read or lacks
    the ``authority`` or ``register_unit`` column.
    """
    with csv_table(report, ("authority", "register_unit")) as (reader, header):
        authority, unit = header.index("authority"), header.index("register_unit")
        return {row[authority]: row[unit] for row in reader
                if len(row) == len(header) and row[unit]}


def base_of(authorities: Iterable[str]) -> str:
    """The base IRI a graph's authorities were minted under (``<base>id/authority/...``).

    >>> base_of(["https://w3id.org/twinning-kg/id/authority/pl/gniezno"])
    'https://w3id.org/twinning-kg/'

    Raises :class:`ValueError` when no IRI is an authority's.
    """
    for iri in authorities:
        at = iri.find("id/authority/")
        if at > 0:
            return iri[:at]
    raise ValueError("no authority IRI to take the base from")


def _index_of(participant: Participant, index: Mapping[str, int], units: Mapping[str, str],
              base: str) -> int:
    """The graph index of one participant; raises :class:`ValueError` with the reason."""
    name, country = country_and_name(participant.name, participant.country)
    iri = iris.authority_iri(country.alpha2, name, base)
    found = index.get(iri)
    if found is None and iri in units:
        found = index.get(units[iri])
    if found is None:
        raise ValueError(f"{name!r} ({country.alpha2}) is no authority of the graph")
    return found


def listing_sides(path: Path, index: Mapping[str, int], units: Mapping[str, str], *,
                  base: str = PERSISTENT_BASE) -> Listings:
    """Read a Wikipedia-format CSV (plain, .xz or .gz) and map each row to a graph's pair.

    ``index`` maps the graph's authority IRIs (minted under ``base``) to indices, ``units``
    an authority IRI to the register unit the build linked it to (:func:`register_units`).
    The first participant of a row is the listing side. Raises
    :class:`graph.ingest.records.SourceError` when the file cannot be read or lacks a column.
    """
    batch = wikipedia.read(path)
    listings = Listings(unmapped=list(batch.rejects), rows_read=batch.rows_read)
    for record in batch.records:
        try:
            lister, partner = [_index_of(p, index, units, base) for p in record.participants]
        except ValueError as error:
            listings.unmapped.append(Reject(record.file, record.row, str(error)))
            continue
        if lister == partner:
            listings.unmapped.append(Reject(record.file, record.row,
                                            "both sides are one authority of the graph"))
            continue
        pair = (min(lister, partner), max(lister, partner))
        listings.sides.setdefault(pair, set()).add(lister)
    listings.unmapped.sort(key=lambda reject: reject.row)
    return listings
