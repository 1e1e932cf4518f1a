"""The Wikidata harvest cache as a build source: ``twinkg build --source wikidata:FILE``.

FILE is a cache written by ``twinkg harvest wikidata`` (:mod:`graph.wikidata.harvest`). Every
P190 statement is one row: it becomes a partnership record or a reject naming the statement.

Why it reads the cache the way it does:

* **Ended, not dropped**: a statement with an end time (P582) or a deprecated rank gives
  status ``ended``. The two statements of a pair ("A twinned with B" and "B twinned with A")
  describe one partnership, so both records carry the pair's merged facts (ended if either
  says so, earliest start, latest end); the build then merges them into one resource.
* **Names**: an authority of Poland or Czechia is named by its Polish or Czech label (the name
  official registers and the curated data use), any other by its English label (the name the
  other sources' lists use), then by its own country's language, then ``mul``. An authority
  with none of the harvested labels is rejected, not invented.
* **Links**: the Q-id links of all authorities are made after a build by
  :mod:`graph.wikidata.reconcile` into ``<FILE stem>.links.ttl`` next to the cache; when that
  file exists this source loads it into the ``wikidata`` graph too.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from graph.ingest.harvest_cache import ENTITY, CacheError, Item, Statement, read_cache
from graph.ingest.records import Participant, PartnershipRecord, Reject, SourceBatch, SourceError

KIND = "wikidata"
_OWN_LANGUAGE = {"PL": "pl", "CZ": "cs", "DE": "de", "AT": "de", "CH": "de", "SK": "cs"}
_FIRST_OWN = frozenset({"PL", "CZ"})


def links_path(cache: Path) -> Path:
    """Where the Q-id links made from a harvest cache live: next to it.

    >>> links_path(Path("var/wikidata/harvest.json"))
    PosixPath('var/wikidata/harvest.links.ttl')
    """
    return cache.with_name(cache.stem + ".links.ttl")


def label_of(item: Item) -> str:
    """The name the build uses for an authority, or ``""`` when it has none we harvested.

    >>> label_of(Item("Q1", {"en": "Hanover", "de": "Hannover"}, "DE"))
    'Hanover'
    >>> label_of(Item("Q2", {"en": "Poznan", "pl": "Poznań"}, "PL"))
    'Poznań'
    >>> label_of(Item("Q3", {"cs": "Hranice"}, "CZ"))
    'Hranice'
    """
    own = _OWN_LANGUAGE.get(item.country, "")
    order = [own, "en"] if item.country in _FIRST_OWN else ["en", own]
    for language in [*order, "mul", "pl", "cs", "de"]:
        if language and item.labels.get(language, "").strip():
            return item.labels[language].strip()
    return ""


def participant_of(item: Item) -> Participant:
    """An item as a record's participant; raises :class:`ValueError` when it cannot be one."""
    if not item.country:
        raise ValueError(f"{item.qid} has no country with an ISO code (P17/P297)")
    name = label_of(item)
    if not name:
        raise ValueError(f"{item.qid} has no label in pl, cs, en, de or mul")
    code = (item.teryt[:1] if item.country == "PL" else
            item.czech_code[:1] if item.country == "CZ" else [])
    return Participant(name, item.country, code[0] if code else "", item.lat, item.long)


def _pair_facts(statements: list[Statement]) -> dict[frozenset[str], tuple[bool, str, str, bool]]:
    """Per unordered pair: ended, earliest start, latest end, any statement deprecated."""
    by_pair: dict[frozenset[str], list[Statement]] = defaultdict(list)
    for statement in statements:
        by_pair[frozenset((statement.subject, statement.object))].append(statement)
    facts = {}
    for pair, group in by_pair.items():
        starts = [s.start for s in group if s.start]
        ends = [s.end for s in group if s.end]
        facts[pair] = (any(s.ended for s in group), min(starts) if starts else "",
                       max(ends) if ends else "", any(s.rank == "deprecated" for s in group))
    return facts


def read(path: Path) -> SourceBatch:
    """Read a harvest cache; every statement becomes a record or a reject.

    Raises :class:`SourceError` when the file is missing or is not a harvest cache.
    """
    try:
        harvest = read_cache(path)
    except CacheError as error:
        raise SourceError(path, str(error).removeprefix(f"{path}: ")) from None
    batch = SourceBatch(KIND, str(path))
    links = links_path(path)
    if links.is_file():
        batch.rdf_files.append(links)
    facts = _pair_facts(harvest.statements)
    for row, statement in enumerate(harvest.statements, start=1):
        batch.rows_read += 1
        try:
            if statement.subject == statement.object:
                raise ValueError(f"{statement.subject} is twinned with itself")
            participants = tuple(participant_of(harvest.items[q]) if q in harvest.items
                                 else _missing(q) for q in (statement.subject,
                                                            statement.object))
        except ValueError as error:
            batch.rejects.append(Reject(str(path), row, f"statement {statement.id}: {error}"))
            continue
        ended, since, until, deprecated = facts[frozenset((statement.subject,
                                                           statement.object))]
        batch.records.append(PartnershipRecord(
            source=KIND, file=str(path), row=row, participants=participants,
            since=since, until=until, type="twinning", status="ended" if ended else "",
            notes="Wikidata marks this statement as deprecated." if deprecated else "",
            source_url=ENTITY + statement.subject))
    return batch


def _missing(qid: str) -> Participant:
    raise ValueError(f"{qid} is not in the harvest cache")
