"""The records sources return: plain data, no RDF, no IRIs.

A source reads a file and returns a :class:`SourceBatch`: every row it read becomes either a
:class:`PartnershipRecord` or a :class:`Reject` (file, row, reason), so the build can account
for every input row. Reconciliation and IRI minting happen later, in :mod:`graph.pipeline.build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


class SourceError(ValueError):
    """A whole source cannot be read (missing file, wrong header); names the file and why."""

    def __init__(self, file: str | Path, reason: str, row: int | None = None) -> None:
        self.file, self.reason, self.row = str(file), reason, row
        where = f"{file}, row {row}" if row is not None else str(file)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class Participant:
    """One local authority as a source names it: free-text name and country."""

    name: str
    country: str
    official_code: str = ""
    lat: float | None = None
    long: float | None = None


@dataclass(frozen=True, slots=True)
class PartnershipRecord:
    """One partnership as one row of a source states it.

    Dates are XSD lexical forms (``2004``, ``2004-05``, ``2004-05-01``) already checked by the
    source; ``type``, ``status`` and ``themes`` are names as written (the build maps them to
    concepts and rejects unknown ones).
    """

    source: str
    file: str
    row: int
    participants: tuple[Participant, ...]
    since: str = ""
    until: str = ""
    type: str = ""
    status: str = ""
    themes: tuple[str, ...] = ()
    programme: str = ""
    notes: str = ""
    source_url: str = ""


@dataclass(frozen=True, slots=True)
class Reject:
    """An input row that is not in the graph, and why."""

    file: str
    row: int
    reason: str


@dataclass(frozen=True, slots=True)
class RegisterUnit:
    """One unit of an official register (a gmina, powiat, obec, kraj, LAU) as its row states it.

    ``scheme`` and ``code`` identify the unit (``teryt``/``0201011``, ``obec``/``554782``,
    ``okres``/``CZ0712``, ``kraj``/``CZ071``, ``lau``/``09162000``): the build mints its IRI
    from them (:func:`graph.core.iris.register_unit_key`), so two files describing one unit (TERC
    and the gmina table) land on one resource. ``parent`` is the ``(scheme, code)`` of the unit
    it lies in; ``codes`` the official codes as ``(property, value)`` pairs (``teryt``,
    ``czechMunicipalityCode``, ``lau``, ``nuts``); ``kinds`` slugs of the ``unit-kind``
    vocabulary; ``subdivision`` its ISO 3166-2 code where it is a subdivision the standard lists;
    ``other_names`` the other forms the register writes the name in (Eurostat's "München,
    Landeshauptstadt" beside the name "München"; the two names of "Bolzano/Bozen");
    ``former_names`` the names an earlier list gave the unit (Poland's gmina table keeps
    Eurostat's LAU 2020 name: gmina Redzikowo was "Słupsk" then).
    """

    source: str
    file: str
    row: int
    country: str
    level: str
    scheme: str
    code: str
    name: str = ""
    language: str = ""
    kinds: tuple[str, ...] = ()
    codes: tuple[tuple[str, str], ...] = ()
    parent: tuple[str, str] | None = None
    population: int | None = None
    population_year: str = ""
    lat: float | None = None
    long: float | None = None
    subdivision: str = ""
    other_names: tuple[str, ...] = ()
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NutsRegion:
    """One region of Eurostat's NUTS classification as its row states it: code, name, level
    (1-3) and the country code NUTS uses (``EL`` for Greece)."""

    source: str
    file: str
    row: int
    code: str
    name: str
    level: int
    country: str


@dataclass
class SourceBatch:
    """What one source yielded: records, register units, rejects, and RDF files to load.

    A ``reference`` batch's units are candidates only: the build publishes those a listed
    authority turns out to be, and reads the rest for reconciliation alone (``lau-linked``).
    """

    source: str
    file: str
    rows_read: int = 0
    reference: bool = False
    records: list[PartnershipRecord] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rdf_files: list[Path] = field(default_factory=list)
    units: list[RegisterUnit] = field(default_factory=list)
    regions: list[NutsRegion] = field(default_factory=list)


_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def parse_date(text: str) -> str:
    """Check a date written as year, year-month or full date and return it unchanged.

    >>> parse_date("1998-05")
    '1998-05'
    >>> parse_date("1998-13")
    Traceback (most recent call last):
    ...
    ValueError: bad date '1998-13' (expected YYYY, YYYY-MM or YYYY-MM-DD)

    Raises :class:`ValueError` with the text for anything else, including impossible dates.
    """
    text = text.strip()
    message = f"bad date {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)"
    if not _DATE.match(text):
        raise ValueError(message)
    parts = [int(p) for p in text.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(message) from None
    return text
