"""Harvest "twinned administrative body" (P190) statements from a Wikidata-shaped SPARQL server.

Why it works the way it does:

* **Standard SPARQL 1.1 over Wikidata's RDF model** (``p:``/``ps:``/``pq:``/``pqv:``,
  ``wikibase:rank``, ``rdfs:label``), never the query service's proprietary label service, so
  a local mirror, QLever or an ``oxigraph serve`` test server answer the same queries as
  ``query.wikidata.org``.
* **Wikidata's usage policy**: a descriptive User-Agent naming the project; statements are
  paged (``ORDER BY ?statement LIMIT/OFFSET``) and item details fetched in ``VALUES`` batches
  so that no query comes near the 60-second limit; at most ``concurrency`` queries run at a
  time; 429 and 5xx answers are retried with exponential back-off, honouring ``Retry-After``.
* **Reproducible offline builds**: the result is a JSON cache recording the harvest date, the
  endpoint and the countries. It is written to a temporary file and moved into place with
  :func:`os.replace`, so a harvest that fails leaves the previous cache as it was.

Ranks are kept: a deprecated statement is harvested too (the source adapter turns it into an
ended partnership). Times keep their precision (``1991``, ``1995-05``, ``2010-06-15``).
"""

from __future__ import annotations

import email.utils
import json
import re
import threading
import time
import urllib.error
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import SPARQLWrapper
from SPARQLWrapper import JSON, POST
from SPARQLWrapper import SPARQLWrapper as Client
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph.ingest.harvest_cache import (
    ENTITY,
    Harvest,
    Item,
    Statement,
    qid_number,
    qid_of,
    write_cache,
)
from graph.wikidata import queries

DIRECT = "http://www.wikidata.org/prop/direct/"
WIKIBASE = "http://wikiba.se/ontology#"
LANGUAGES = ("pl", "cs", "en", "de", "mul")
"""Label languages harvested; ``mul`` is Wikidata's language-neutral default label."""

IDENTIFIERS = {"P1653": "teryt", "P7606": "czech_code", "P782": "lau", "P605": "nuts",
               "P1566": "geonames"}
"""Identifier properties harvested for each authority, and their key in the cache."""

_POINT = re.compile(r"^\s*(?:<[^>]*>\s*)?Point\(\s*(\S+)\s+(\S+)\s*\)\s*$", re.IGNORECASE)
_EARTH = "http://www.wikidata.org/entity/Q2"
_QID = re.compile(r"^Q[1-9]\d*$")


class HarvestError(RuntimeError):
    """The harvest cannot complete: the endpoint kept failing, refused a query, or a country
    code is unknown. The message names the endpoint and the reason."""


def xsd_time(value: str, precision: int) -> str:
    """A Wikidata time at its precision as an XSD lexical form; empty below year precision.

    >>> xsd_time("1991-01-01T00:00:00Z", 9), xsd_time("1995-05-01T00:00:00Z", 10)
    ('1991', '1995-05')
    >>> xsd_time("2010-06-15T00:00:00Z", 11), xsd_time("1990-01-01T00:00:00Z", 8)
    ('2010-06-15', '')
    """
    match = re.match(r"^\+?(\d{4})-(\d{2})-(\d{2})", value)
    if not match or precision < 9:
        return ""
    year, month, day = match.groups()
    if precision == 9 or month == "00":
        return year
    if precision == 10 or day == "00":
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"


def user_agent() -> str:
    """The User-Agent Wikidata's policy asks for: project, purpose and contact address.

    >>> user_agent().startswith("TwinningKG/")
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("twinning-kg")
    except PackageNotFoundError:
        ours = "dev"
    return (f"TwinningKG/{ours} (https://w3id.org/twinning-kg/; harvester of twinned "
            f"administrative bodies, P190) SPARQLWrapper/{SPARQLWrapper.__version__}")


def _retry_after(headers: Any) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), if any.

    >>> _retry_after({"Retry-After": "5"}), _retry_after({}), _retry_after({"Retry-After": "x"})
    (5.0, None, None)
    >>> _retry_after({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    0.0
    """
    text = headers.get("Retry-After") if headers is not None else None
    if not text:
        return None
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Harvester:
    """Runs the harvest queries against one endpoint, politely.

    ``page_size`` rows per statements page, ``batch_size`` items per details query,
    ``concurrency`` queries at a time, ``retries`` further attempts after a 429/5xx/network
    failure, waiting ``backoff * 2**attempt`` seconds (or what ``Retry-After`` says, up to
    ``max_wait``), ``timeout`` seconds per request.
    """

    def __init__(self, endpoint: str, *, page_size: int = 5000, batch_size: int = 200,
                 concurrency: int = 3, retries: int = 4, backoff: float = 2.0,
                 max_wait: float = 120.0, timeout: float = 70.0,
                 agent: str | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if page_size < 1 or batch_size < 1 or concurrency < 1:
            raise ValueError("page_size, batch_size and concurrency must be at least 1")
        self.endpoint = endpoint
        self.page_size, self.batch_size, self.concurrency = page_size, batch_size, concurrency
        self.retries, self.backoff, self.max_wait, self.timeout = retries, backoff, max_wait, \
            timeout
        self.agent = agent or user_agent()
        self.sleep = sleep
        self.queries = 0
        self._count = threading.Lock()

    def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        """The bindings of one SELECT query, retried on 429/5xx/network failures.

        Raises :class:`HarvestError` naming the endpoint when the query is refused (4xx) or
        keeps failing, or when the server asks to wait longer than ``max_wait``.
        """
        for attempt in range(self.retries + 1):
            client = Client(self.endpoint, agent=self.agent)
            client.setMethod(POST)
            client.setReturnFormat(JSON)
            client.setTimeout(int(self.timeout))
            client.setQuery(query)
            with self._count:
                self.queries += 1
            wait: float | None = None
            try:
                result = client.queryAndConvert()
            except urllib.error.HTTPError as error:
                wait, reason = _retry_after(error.headers), f"HTTP {error.code} {error.reason}"
                error.close()
                if error.code != 429 and error.code < 500:
                    raise HarvestError(f"{self.endpoint}: the query was refused ({reason})") \
                        from None
            except SPARQLWrapperException as error:
                # SPARQLWrapper maps 500 to EndPointInternalError (retried) and 400/401/404/414
                # to errors that no retry can mend.
                reason = error.__class__.__name__ + ": " + str(error).splitlines()[0]
                if error.__class__.__name__ != "EndPointInternalError":
                    raise HarvestError(f"{self.endpoint}: the query was refused ({reason})") \
                        from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                reason = f"cannot reach the endpoint ({getattr(error, 'reason', error)})"
            else:
                if not isinstance(result, dict) or "results" not in result:
                    raise HarvestError(f"{self.endpoint}: the answer is not SPARQL JSON results")
                bindings: list[dict[str, dict[str, str]]] = result["results"]["bindings"]
                return bindings
            if attempt == self.retries:
                break
            delay = self.backoff * 2 ** attempt if wait is None else wait
            if delay > self.max_wait:
                raise HarvestError(f"{self.endpoint}: the server asks to wait {delay:.0f} s "
                                   f"({reason}), more than the {self.max_wait:.0f} s allowed")
            self.sleep(delay)
        raise HarvestError(f"{self.endpoint}: {reason}; gave up after {self.retries + 1} "
                           "attempts")

    def harvest(self, countries: Sequence[str], *, coded: bool = True) -> Harvest:
        """Every P190 statement from or to an authority in ``countries`` (ISO 3166-1 alpha-2),
        and the details of every authority they name; with ``coded``, also every authority of
        those countries that has a TERYT, Czech municipality or LAU code (for reconciliation).

        Raises :class:`HarvestError` for an unknown country code or a failing endpoint.
        """
        codes = sorted({c.strip().upper() for c in countries if c.strip()})
        if not codes:
            raise HarvestError("no country codes given")
        started = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        country_items = self._countries(codes)
        streams = [(item, side) for item in country_items for side in ("subject", "object")]
        statements: dict[str, Statement] = {}
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            for rows in pool.map(lambda s: self._statements(*s), streams):
                for statement in rows:
                    statements.setdefault(statement.id, statement)
            named = {q for s in statements.values() for q in (s.subject, s.object)}
            if coded:
                for found in pool.map(self._coded, country_items):
                    named.update(found)
            qids = sorted(named, key=qid_number)
            items = {q: Item(q) for q in qids}
            batches = [qids[i:i + self.batch_size] for i in range(0, len(qids),
                                                                   self.batch_size)]
            for labels in pool.map(self._labels, batches):
                for qid, language, text in labels:
                    items[qid].labels.setdefault(language, text)
            claims = [c for batch in pool.map(self._claims, batches) for c in batch]
        self._apply_claims(items, claims)
        return Harvest(self.endpoint, codes, started, sorted(statements.values(),
                                                             key=lambda s: s.id),
                       items, self.queries)

    def _countries(self, codes: list[str]) -> list[str]:
        values = " ".join(json.dumps(c) for c in codes)
        rows = self.select(queries.COUNTRIES.format(codes=values))
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row["code"]["value"], []).append(row["country"]["value"])
        missing = [c for c in codes if c not in found]
        if missing:
            raise HarvestError(f"{self.endpoint}: no item has the ISO 3166-1 code(s) "
                               f"{', '.join(missing)} (P297)")
        return sorted(iri for iris in found.values() for iri in iris)

    def _statements(self, country: str, side: str) -> list[Statement]:
        """All statements of one country and direction, page by page, qualifiers merged."""
        merged: dict[str, dict[str, str]] = {}
        offset = 0
        while True:
            rows = self.select(queries.STATEMENTS.format(side=side, country=country,
                                                  limit=self.page_size, offset=offset))
            for row in rows:
                self._merge_row(merged, row)
            if len(rows) < self.page_size:
                break
            offset += self.page_size
        return [Statement(**values) for values in merged.values()]

    def _coded(self, country: str) -> list[str]:
        """The Q-ids of a country's authorities that carry an official code, page by page."""
        found: list[str] = []
        offset = 0
        while True:
            rows = self.select(queries.CODED.format(country=country, limit=self.page_size,
                                             offset=offset))
            found += [qid_of(r["item"]["value"]) for r in rows
                      if r["item"]["value"].startswith(ENTITY)]
            if len(rows) < self.page_size:
                return found
            offset += self.page_size

    @staticmethod
    def _merge_row(merged: dict[str, dict[str, str]], row: dict[str, dict[str, str]]) -> None:
        if row["object"]["type"] != "uri" or not row["object"]["value"].startswith(ENTITY):
            return  # "some value" / "no value" snaks name no authority
        statement = merged.setdefault(row["statement"]["value"], {
            "id": row["statement"]["value"], "subject": qid_of(row["subject"]["value"]),
            "object": qid_of(row["object"]["value"]),
            "rank": row["rank"]["value"].rsplit("#", 1)[-1].removesuffix("Rank").lower(),
            "start": "", "end": ""})
        # A statement with two start times keeps the earliest, two end times the latest.
        for key, pick in (("start", min), ("end", max)):
            if key in row and f"{key}Precision" in row:
                value = xsd_time(row[key]["value"], int(row[f"{key}Precision"]["value"]))
                if value:
                    statement[key] = pick(statement[key], value) if statement[key] else value

    def _labels(self, qids: list[str]) -> list[tuple[str, str, str]]:
        rows = self.select(queries.LABELS.format(items=_values(qids), languages=", ".join(
            json.dumps(lang) for lang in LANGUAGES)))
        found = [(qid_of(r["item"]["value"]), r["label"].get("xml:lang", ""),
                  r["label"]["value"]) for r in rows]
        return sorted(found)

    def _claims(self, qids: list[str]) -> list[tuple[str, str, dict[str, str]]]:
        identifiers = " ".join(f"wdt:{p}" for p in IDENTIFIERS)
        rows = self.select(queries.CLAIMS.format(items=_values(qids), identifiers=identifiers))
        return [(qid_of(r["item"]["value"]), qid_of(r["property"]["value"]), r["value"])
                for r in rows]

    def _apply_claims(self, items: dict[str, Item],
                      claims: list[tuple[str, str, dict[str, str]]]) -> None:
        countries = sorted({v["value"] for _, p, v in claims if p == "P17"})
        iso: dict[str, str] = {}
        for batch in (countries[i:i + self.batch_size] for i in range(0, len(countries),
                                                                       self.batch_size)):
            named = " ".join(f"<{c}>" for c in batch)
            for row in self.select(queries.ISO_CODES.format(items=named)):
                iso.setdefault(row["country"]["value"], row["code"]["value"])
        for qid, prop, value in sorted(claims, key=lambda c: (c[0], c[1], c[2]["value"])):
            item, text = items[qid], value["value"]
            if prop == "P17":
                # An item in two countries (a border town's history) keeps the first code.
                item.country = item.country or iso.get(text, "")
            elif prop == "P625":
                point = _POINT.match(text)
                globe = text.strip()[1:].split(">", 1)[0] if text.strip().startswith("<") \
                    else _EARTH
                if point and globe == _EARTH and item.lat is None:
                    item.long, item.lat = float(point.group(1)), float(point.group(2))
            elif prop == "P1082":
                try:
                    population = int(float(text))
                except ValueError:
                    continue
                item.population = max(item.population or 0, population)
            elif prop in IDENTIFIERS:
                codes: list[str] = getattr(item, IDENTIFIERS[prop])
                if text not in codes:
                    codes.append(text)


def _values(qids: Iterable[str]) -> str:
    return " ".join(f"wd:{q}" for q in qids if _QID.match(q))


def harvest_to_file(endpoint: str, countries: Sequence[str], out: Path,
                    **options: Any) -> Harvest:
    """Harvest and write the cache; on any failure the previous cache at ``out`` is untouched.

    Raises :class:`HarvestError` (endpoint failures) or :class:`OSError` (cannot write).
    """
    harvest = Harvester(endpoint, **options).harvest(countries)
    write_cache(harvest, out)
    return harvest
