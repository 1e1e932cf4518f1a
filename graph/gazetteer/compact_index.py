"""A name index that maps most keys to one position and only shared keys to a list.

Why: the gazetteer indexes ~1.2M place names and ~200k division names, nearly all unique;
a one-element list per key would cost ~100 MB more than a plain ``int``.
"""

from __future__ import annotations

CompactIndex = dict[str, "int | list[int]"]


def add(table: CompactIndex, key: str, position: int) -> None:
    """Record ``position`` under ``key`` (once, however often it is added).

    >>> table: CompactIndex = {}
    >>> add(table, "pl|lodz", 3); add(table, "pl|lodz", 3); table
    {'pl|lodz': 3}
    >>> add(table, "pl|lodz", 7); table
    {'pl|lodz': [3, 7]}
    """
    found = table.get(key)
    if found is None:
        table[key] = position
    elif isinstance(found, list):
        if position not in found:
            found.append(position)
    elif found != position:
        table[key] = [found, position]


def positions(table: CompactIndex, key: str) -> list[int]:
    """The positions recorded under ``key``, as a new list (empty when none)."""
    found = table.get(key)
    if found is None:
        return []
    return list(found) if isinstance(found, list) else [found]


__all__ = ["CompactIndex", "add", "positions"]
