"""The one table of settings: name, default and help.

The CLI, the Flask app (``TWINKG_<NAME>`` environment variables through
``app.config.from_prefixed_env("TWINKG")``), the README and the docs all read this table, so a
setting is declared exactly once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graph.core.namespaces import PERSISTENT_BASE

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The folder above the ``graph`` package: the repository under an editable install, where the
SHARED_DATA_DIR default (``../shared/data``, the originals the tests, benchmarks and
``scripts/bundle-data`` read) is relative to it; in an install from a wheel it is meaningless.
Nothing else may use it: the project's own files are found by :mod:`graph.core.resources`."""


@dataclass(frozen=True)
class Setting:
    """One setting: its name (upper case, as in Flask config), default and why it exists."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("STORE", "var/store", "Directory of the published graph (an Oxigraph store and "
            "its reports, dumps and stats)."),
    Setting("BASE_IRI", PERSISTENT_BASE, "Base of every minted IRI; set it to the service's "
            "own address so that IRIs dereference on it."),
    Setting("SHARED_DATA_DIR", str(REPO_ROOT.parent / "shared" / "data"), "Folder holding the "
            "real data files (wikipedia_twin_towns_raw.csv, ..._geocoded.csv)."),
    Setting("SPARQL_ENDPOINT", "", "URL of a remote SPARQL 1.1 server to serve from instead of "
            "the embedded store (Fuseki, Virtuoso, QLever, GraphDB, Oxigraph server)."),
    Setting("QUERY_TIMEOUT", 30.0, "Seconds a query may run before it is stopped."),
    Setting("RESULT_LIMIT", 100_000, "Most rows or triples a query may return."),
    Setting("MAX_BODY_BYTES", 1_000_000, "Largest request body accepted."),
    Setting("MAX_QUERY_CHARS", 100_000, "Longest query text the SPARQL endpoint reads; a "
            "longer one is refused (413) before anything parses it."),
    Setting("ANSWER_MAX_MB", 32.0, "Largest serialized answer of one query; past it the query "
            "process stops writing and the query is refused, naming this limit."),
    Setting("QUERY_MEMORY_MB", 1024.0, "Memory a query process may take beyond the store it "
            "shares; a query that needs more is stopped and refused, naming this limit."),
    Setting("FEDERATION_ALLOWLIST", "", "Space-separated SERVICE endpoints a query may call; "
            "empty means federation is refused."),
    Setting("WIKIDATA_ENDPOINT", "https://query.wikidata.org/sparql", "SPARQL endpoint the "
            "Wikidata harvester queries."),
    Setting("WIKIDATA_HARVEST", "var/wikidata/harvest.json", "File in which the run command "
            "keeps its Wikidata harvest of Poland and Czechia (made on the first run with "
            "internet); delete it to harvest again."),
    Setting("HOST", "127.0.0.1", "Address the server listens on."),
    Setting("PORT", 8080, "Port the server listens on."),
    Setting("PUBLIC_BASE", "", "Public address of the service (`https://example.org/`) from "
            "which robots.txt, the sitemaps, the SPARQL service description and shareable "
            "links build absolute URLs; empty means the address served, "
            "`http://HOST:PORT/`. Never taken from a request's Host header."),
    Setting("WORKERS", 2, "Web worker processes (Granian)."),
    Setting("WEB_THREADS", 4, "Threads per web worker that run requests; a query holds one "
            "while its query process answers."),
    Setting("ACCESS_LOG", True, "Whether the server writes a line per request to its standard "
            "output (in Granian's format, without the query string, written in batches every "
            "quarter second); `0` (or `false`, `no`, `off`) turns it off, for an operator whose "
            "proxy already logs requests."),
    Setting("QUERY_PROCESSES", 2, "Query processes per server worker; a query past the time "
            "limit is stopped by ending its process, the others keep answering."),
    Setting("STORE_MODE", "memory", "How query processes hold the published store: `memory` "
            "(copied into RAM, fastest) or `disk` (opened read-only, least RAM)."),
    Setting("CACHE_MB", 64, "Memory for each of the two answer caches of a server worker "
            "(whole responses and query results), kept until the next published version; 0 "
            "turns caching off."),
    Setting("CORS_ORIGIN", "*", "Value of Access-Control-Allow-Origin; empty turns CORS off."),
    Setting("TILE_URL", "", "Optional map tile server URL template; without it maps use the "
            "bundled country outlines and work offline."),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


WILDCARD_HOSTS = ("", "0.0.0.0", "::", "[::]")  # noqa: S104  (names, nothing is bound here)
"""Listening addresses that are not an address a client could use; ``localhost`` stands in."""


def check_public_base(value: str) -> str:
    """``value`` with a trailing slash, when it is a usable public base (or empty).

    :raises ValueError: not an absolute ``http``/``https`` URL without query or fragment; the
        app refuses to start rather than publish broken links.

    >>> check_public_base("https://twinning.example/kg")
    'https://twinning.example/kg/'
    >>> check_public_base("")
    ''
    >>> check_public_base("twinning.example")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: PUBLIC_BASE must be an absolute http(s) URL ..., not 'twinning.example'
    """
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
            or parts.fragment:
        raise ValueError("PUBLIC_BASE must be an absolute http(s) URL such as "
                         f"https://example.org/, not {value!r}")
    return value if value.endswith("/") else value + "/"


def served_base(host: str, port: int) -> str:
    """The base URL of a server listening on ``host``:``port`` (the default public base).

    >>> served_base("127.0.0.1", 8080)
    'http://127.0.0.1:8080/'
    >>> served_base("::1", 8080)
    'http://[::1]:8080/'
    >>> served_base("0.0.0.0", 80)
    'http://localhost/'
    """
    host = "localhost" if host.strip() in WILDCARD_HOSTS else host.strip()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}/" if port == 80 else f"http://{host}:{port}/"


def public_base_of(config: Mapping[str, Any]) -> str:
    """The public base URL ``config`` names (``PUBLIC_BASE``, else the address served), ending
    in ``/``: the one source of every absolute URL the service writes and of the base of
    relative IRIs in queries, whatever ``Host`` a request names.

    :raises ValueError: ``PUBLIC_BASE`` is set but not a usable base.

    >>> public_base_of({"PUBLIC_BASE": "https://twinning.example", "HOST": "0.0.0.0"})
    'https://twinning.example/'
    >>> public_base_of({"HOST": "127.0.0.1", "PORT": 8080})
    'http://127.0.0.1:8080/'
    """
    return check_public_base(str(config.get("PUBLIC_BASE") or "")) or served_base(
        str(config.get("HOST") or ""), int(config.get("PORT") or 80))


def setting(name: str) -> Any:
    """A setting's value from ``TWINKG_<NAME>`` in the environment, else its default.

    Only the CLI and :func:`service.create_app` call this; library code takes values as
    arguments so that tests can pass their own.

    :raises ValueError: the variable does not read as the setting's type (:func:`flag` for
        an on/off setting).
    """
    default = DEFAULTS[name]
    raw = os.environ.get(f"TWINKG_{name}")
    if raw is None:
        return default
    if isinstance(default, bool):  # bool("0") would be True
        return flag(f"TWINKG_{name}", raw)
    return type(default)(raw) if not isinstance(default, str) else raw


_ON, _OFF = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def flag(name: str, raw: str) -> bool:
    """An on/off setting's value from the text of variable ``name``, in any case.

    :raises ValueError: ``raw`` is none of the words for on or off.

    >>> flag("TWINKG_ACCESS_LOG", "Off"), flag("TWINKG_ACCESS_LOG", "1")
    (False, True)
    >>> flag("TWINKG_ACCESS_LOG", "maybe")
    Traceback (most recent call last):
    ...
    ValueError: TWINKG_ACCESS_LOG must be one of 1, true, yes, on, 0, false, no, off, not 'maybe'
    """
    value = raw.strip().lower()
    if value in _ON or value in _OFF:
        return value in _ON
    raise ValueError(f"{name} must be one of {', '.join(_ON + _OFF)}, not {raw!r}")


def settings_markdown() -> str:
    """The settings table as Markdown, for the README and the docs."""
    rows = ["| setting | environment variable | default | what it does |", "|---|---|---|---|"]
    rows += [f"| {s.name.lower()} | `TWINKG_{s.name}` | `{s.default}` | {s.help} |"
             for s in SETTINGS]
    return "\n".join(rows)
