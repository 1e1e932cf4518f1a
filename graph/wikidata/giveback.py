"""Give back to Wikidata: the partnerships we know that Wikidata lacks, and the reverse.

* :func:`missing_on_wikidata`: partnerships of exactly two authorities, both linked to Q-ids,
  with no P190 statement (of any rank) between the two items either way. Only pairs the harvest
  can speak for count: at least one of the two items must be in a harvested country, since the
  harvest holds every P190 statement from or to those countries and no others.
* :func:`quickstatements`: those partnerships as QuickStatements (V1, tab-separated) for a
  Wikidata editor to review: P190 on both items (P190 is symmetric on Wikidata), start time
  (P580) and end time (P582, ``somevalue`` when we know it ended but not when), each with a
  reference URL (S854: the partnership's own source document, else its Twinning KG IRI) and
  the retrieval date (S813).
* :func:`unlinked_on_our_side`: Wikidata's P190 statements one of whose items no authority of
  ours is linked to; a to-do list for reconciliation or for the curated data.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from pyoxigraph import Store

from graph.ingest.harvest_cache import Harvest
from graph.query.solutions import store_solutions
from graph.wikidata.reconcile import persistent_iri

_PARTNERSHIPS = """
PREFIX tkg: <https://w3id.org/twinning-kg/def#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?p ?a ?b ?start ?end ?status ?document ?label WHERE {
  ?p a tkg:Partnership ; tkg:participant ?a, ?b .
  FILTER(STR(?a) < STR(?b))
  FILTER NOT EXISTS { ?p tkg:participant ?c FILTER(?c != ?a && ?c != ?b) }
  OPTIONAL { ?p tkg:startDate ?start }
  OPTIONAL { ?p tkg:endDate ?end }
  OPTIONAL { ?p tkg:status ?status }
  OPTIONAL { ?p dct:source ?document }
  OPTIONAL { ?p rdfs:label ?label }
}"""

_WIKIDATA_LINKS = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?a ?item WHERE {
  ?a owl:sameAs ?item .
  FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/Q"))
}"""

_QS_PRECISION = {4: 9, 7: 10, 10: 11}
_URI_SAFE = ":/?#[]@!$&'()*+,;=%-._~"
# Wikipedia is not a reference Wikidata accepts for a statement; the partnership IRI is better.
_NOT_A_REFERENCE = ("wikipedia.org", "wikidata.org")


@dataclass(frozen=True, slots=True)
class OurPartnership:
    """A partnership of exactly two authorities as the graph holds it (persistent IRIs)."""

    iri: str
    label: str
    a: str
    b: str
    start: str = ""
    end: str = ""
    ended: bool = False
    documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Missing:
    """A partnership of ours that Wikidata lacks: both items and the facts to add."""

    partnership: OurPartnership
    a_qid: str
    b_qid: str

    @property
    def reference(self) -> str:
        """The URL to cite: the partnership's own source document, else its IRI."""
        documents = [d for d in self.partnership.documents
                     if d.startswith(("http://", "https://"))
                     and not any(host in d for host in _NOT_A_REFERENCE)]
        # Percent-encoded: Twinning KG IRIs keep diacritics, a Wikidata URL value is ASCII.
        return quote(sorted(documents)[0] if documents else self.partnership.iri,
                     safe=_URI_SAFE)


@dataclass
class _Facts:
    a: str
    b: str
    label: str = ""
    ended: bool = False
    starts: set[str] = field(default_factory=set)
    ends: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)


def partnerships_in_store(store: Store, base: str) -> list[OurPartnership]:
    """Every two-authority partnership in a store, IRIs moved back to the persistent base."""
    rows: dict[str, _Facts] = {}
    for s in store_solutions(store, _PARTNERSHIPS, union=True):
        iri = persistent_iri(s["p"].value, base)
        facts = rows.setdefault(iri, _Facts(persistent_iri(s["a"].value, base),
                                            persistent_iri(s["b"].value, base)))
        for key, values in (("start", facts.starts), ("end", facts.ends),
                            ("document", facts.documents)):
            if s[key] is not None:
                values.add(s[key].value)
        if s["status"] is not None and s["status"].value.endswith("/status/ended"):
            facts.ended = True
        if s["label"] is not None:
            facts.label = s["label"].value
    return [OurPartnership(iri, f.label, f.a, f.b, min(f.starts, default=""),
                           max(f.ends, default=""), f.ended or bool(f.ends),
                           tuple(sorted(f.documents)))
            for iri, f in sorted(rows.items())]


def wikidata_links_in_store(store: Store, base: str) -> dict[str, str]:
    """Authority IRI (persistent) → Q-id, for authorities linked to exactly one item."""
    found: dict[str, set[str]] = {}
    for s in store_solutions(store, _WIKIDATA_LINKS, union=True):
        found.setdefault(persistent_iri(s["a"].value, base), set()).add(
            s["item"].value.rsplit("/", 1)[-1])
    return {a: next(iter(q)) for a, q in found.items() if len(q) == 1}


def missing_on_wikidata(partnerships: Iterable[OurPartnership], qids: Mapping[str, str],
                        harvest: Harvest) -> tuple[list[Missing], int]:
    """Our linked partnerships with no P190 either way, and how many linked pairs the harvest
    cannot speak for (neither item in a harvested country)."""
    stated = {frozenset((s.subject, s.object)) for s in harvest.statements}
    covered = set(harvest.countries)
    missing, uncovered = [], 0
    for partnership in partnerships:
        a, b = qids.get(partnership.a), qids.get(partnership.b)
        if not a or not b or a == b:
            continue
        countries = {harvest.items[q].country for q in (a, b) if q in harvest.items}
        if not countries & covered:
            uncovered += 1
            continue
        if frozenset((a, b)) not in stated:
            missing.append(Missing(partnership, a, b))
    return missing, uncovered


def qs_time(value: str) -> str:
    """An XSD date, year-month or year as a QuickStatements time with its precision.

    >>> qs_time("1991"), qs_time("1995-05"), qs_time("2010-06-15")
    ('+1991-00-00T00:00:00Z/9', '+1995-05-00T00:00:00Z/10', '+2010-06-15T00:00:00Z/11')
    """
    year, month, day = [*value.split("-"), "00", "00"][:3]
    return f"+{year}-{month}-{day}T00:00:00Z/{_QS_PRECISION[len(value)]}"


def quickstatements(missing: Iterable[Missing], retrieved: date) -> str:
    """QuickStatements V1 commands adding P190 both ways, with dates and a reference."""
    lines = []
    for m in sorted(missing, key=lambda m: m.partnership.iri):
        qualifiers = []
        if m.partnership.start:
            qualifiers += ["P580", qs_time(m.partnership.start)]
        if m.partnership.end:
            qualifiers += ["P582", qs_time(m.partnership.end)]
        elif m.partnership.ended:
            qualifiers += ["P582", "somevalue"]
        source = ["S854", f'"{m.reference}"', "S813", f"+{retrieved.isoformat()}T00:00:00Z/11"]
        for subject, item in ((m.a_qid, m.b_qid), (m.b_qid, m.a_qid)):
            lines.append("\t".join([subject, "P190", item, *qualifiers, *source]))
    return "".join(line + "\n" for line in lines)


def _label(harvest: Harvest, qid: str) -> str:
    """A readable label for an item in a report (its English label first)."""
    item = harvest.items.get(qid)
    if item is None:
        return ""
    return next((item.labels[lang] for lang in ("en", "pl", "cs", "de", "mul")
                 if item.labels.get(lang)), "")


def write_missing_report(missing: list[Missing], harvest: Harvest, path: Path) -> None:
    """The missing partnerships as CSV, one row per partnership, for people to review.

    Raises :class:`OSError` when the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["partnership", "label", "item_a", "label_a", "item_b", "label_b",
                         "start", "end", "ended", "reference"])
        for m in sorted(missing, key=lambda m: m.partnership.iri):
            p = m.partnership
            writer.writerow([p.iri, p.label, m.a_qid, _label(harvest, m.a_qid), m.b_qid,
                             _label(harvest, m.b_qid), p.start, p.end,
                             "yes" if p.ended else "", m.reference])


@dataclass(frozen=True, slots=True)
class UnlinkedStatement:
    """A Wikidata P190 statement with an item that no authority of ours is linked to."""

    statement: str
    subject: str
    object: str
    unlinked: tuple[str, ...]


def unlinked_on_our_side(harvest: Harvest, linked: Iterable[str]) -> list[UnlinkedStatement]:
    """Wikidata partnerships whose authorities (one or both) we could not link."""
    ours = set(linked)
    return [UnlinkedStatement(s.id, s.subject, s.object,
                              tuple(q for q in (s.subject, s.object) if q not in ours))
            for s in harvest.statements if s.subject not in ours or s.object not in ours]


def write_unlinked_statements(rows: list[UnlinkedStatement], harvest: Harvest,
                              path: Path) -> None:
    """The reverse report as CSV: statement, both items with a label, the unlinked ones.

    Raises :class:`OSError` when the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["statement", "subject", "subject_label", "object", "object_label",
                         "unlinked"])
        for row in rows:
            writer.writerow([row.statement, row.subject, _label(harvest, row.subject), row.object,
                             _label(harvest, row.object), " ".join(row.unlinked)])
