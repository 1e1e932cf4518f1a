"""A Wikidata harvest as a file: what Wikidata stated, kept for reproducible offline builds.

Why it is in ``ingest``: the harvest cache is a source the build reads like any other
(:mod:`graph.ingest.sources.wikidata`), while fetching it from a SPARQL server is the job of
:mod:`graph.wikidata.harvest`. Both sides share these types; the file is written to a temporary
file and moved into place with :func:`os.replace`, so a failed harvest leaves the old cache.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CACHE_FORMAT = "twinkg-wikidata-harvest/1"
ENTITY = "http://www.wikidata.org/entity/"
_QID = re.compile(r"^Q[1-9]\d*$")


class CacheError(ValueError):
    """A harvest cache file cannot be read (missing, not JSON, wrong format); names the file."""


@dataclass(frozen=True, slots=True)
class Statement:
    """One P190 statement: ``subject`` twinned with ``object`` (Q-ids), with rank and times.

    ``start`` and ``end`` are XSD lexical forms at the statement's precision (``1991``,
    ``1995-05``, ``2010-06-15``) or empty.
    """

    id: str
    subject: str
    object: str
    rank: str = "normal"
    start: str = ""
    end: str = ""

    @property
    def ended(self) -> bool:
        """Whether the partnership is over: an end time, or a deprecated statement."""
        return bool(self.end) or self.rank == "deprecated"


@dataclass(slots=True)
class Item:
    """One authority's facts as Wikidata states them (truthy values only)."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    country: str = ""
    lat: float | None = None
    long: float | None = None
    population: int | None = None
    teryt: list[str] = field(default_factory=list)
    czech_code: list[str] = field(default_factory=list)
    lau: list[str] = field(default_factory=list)
    nuts: list[str] = field(default_factory=list)
    geonames: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Harvest:
    """What one harvest fetched, and from where and when."""

    endpoint: str
    countries: list[str]
    harvested_at: str
    statements: list[Statement] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)
    queries: int = 0

    def to_json(self) -> dict[str, Any]:
        """The cache's JSON form, sorted so that two harvests of the same data are equal."""
        return {
            "format": CACHE_FORMAT,
            "harvested_at": self.harvested_at,
            "endpoint": self.endpoint,
            "countries": self.countries,
            "queries": self.queries,
            "statements": [asdict(s) for s in sorted(self.statements, key=lambda s: s.id)],
            "items": {q: {k: v for k, v in asdict(i).items() if k != "qid"}
                      for q, i in sorted(self.items.items(), key=lambda kv: qid_number(kv[0]))},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Harvest:
        """Read the cache's JSON form; raises :class:`KeyError`/:class:`TypeError` when bad."""
        return cls(
            endpoint=data["endpoint"], countries=list(data["countries"]),
            harvested_at=data["harvested_at"], queries=int(data.get("queries", 0)),
            statements=[Statement(**s) for s in data["statements"]],
            items={q: Item(qid=q, **values) for q, values in data["items"].items()})


def qid_number(qid: str) -> int:
    """A Q-id's number, for sorting items as Wikidata numbers them (0 when not a Q-id)."""
    return int(qid[1:]) if _QID.match(qid) else 0


def qid_of(iri: str) -> str:
    """The Q-id of a Wikidata entity IRI.

    >>> qid_of("http://www.wikidata.org/entity/Q1792")
    'Q1792'
    """
    return iri.rsplit("/", 1)[-1]

def write_cache(harvest: Harvest, path: Path) -> None:
    """Write the cache atomically: a temporary file in the same folder, then :func:`os.replace`.

    A crash or a full disk leaves the previous cache as it was. Raises :class:`OSError`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,  # noqa: SIM115
                                         prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with handle:
            json.dump(harvest.to_json(), handle, ensure_ascii=False, indent=1)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def read_cache(path: Path) -> Harvest:
    """Read a harvest cache; raises :class:`CacheError` naming the file and what is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CacheError(f"{path}: cannot read the harvest cache ({error.strerror})") from None
    except json.JSONDecodeError as error:
        raise CacheError(f"{path}: not a harvest cache (invalid JSON at line {error.lineno})") \
            from None
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        raise CacheError(f"{path}: not a harvest cache (expected format {CACHE_FORMAT!r})")
    try:
        return Harvest.from_json(data)
    except (KeyError, TypeError, ValueError) as error:
        raise CacheError(f"{path}: damaged harvest cache ({error!r})") from None
