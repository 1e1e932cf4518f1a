"""What a build is asked to do: its sources, base IRI and store, from the CLI or a TOML file.

The build itself (:func:`graph.pipeline.build.build`) takes plain arguments; this module turns
a config file and source specs (``KIND:PATH``) into them, so that the command line, a config
file and a library caller all reach the build the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graph.ingest.bundled import expand_sources

CONFIG_KEYS = frozenset({"sources", "base_iri", "store"})
"""The keys a build config may have; any other is a mistake worth stopping for."""


class BuildError(RuntimeError):
    """The build cannot produce a graph (invalid curated data, unreadable source)."""


def source_specs(sources: Sequence[str]) -> list[str]:
    """The sources a build reads: bundled names expanded, and the curated data always first.

    The curated data carries the vocabularies that resolve type, status and theme names and
    that the shapes check themes against, so a build without it could not settle any row.

    >>> source_specs([])
    ['curated']
    >>> source_specs(["wikipedia:list.csv"])
    ['curated', 'wikipedia:list.csv']
    """
    specs = expand_sources(sources) or ["curated"]
    if "curated" not in {s.split(":", 1)[0] for s in specs}:
        specs.insert(0, "curated")
    return specs


def read_config(path: Path) -> dict[str, Any]:
    """A TOML build config: ``sources`` (list of KIND:PATH), ``base_iri``, ``store``.

    Relative paths are taken relative to the config file. Raises :class:`BuildError` naming
    the file for bad TOML or an unknown key.
    """
    import tomllib

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BuildError(f"{path}: cannot read the build config ({error})") from None
    unknown = set(data) - CONFIG_KEYS
    if unknown:
        raise BuildError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    folder = path.parent
    sources = []
    for spec in data.get("sources", []):
        kind, sep, where = str(spec).partition(":")
        sources.append(f"{kind}:{folder / where}" if sep and where else kind)
    data["sources"] = sources
    if "store" in data:
        data["store"] = folder / str(data["store"])
    return data
