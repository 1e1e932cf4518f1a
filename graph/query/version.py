"""One published graph version, and every value the service derives from it.

The service keeps things it computed from the graph: answers to repeated queries, whole
``/sparql`` responses, the search index, the catalogue and VoID, the sitemap's pages, the
partner recommender. Each is only true of the version it was computed from, so each is kept by
that version's :class:`PublishedVersion` (``version.derived(name, compute)``), never in a
cache of its own with its own rule for when to forget. A backend hands out the version a
request is pinned to (:attr:`graph.query.backend.Backend.published`); when a newer build is
switched in and the last request on the old one ends, the backend drops the old version and
everything derived from it goes with it.

>>> v = PublishedVersion("20261124T103000Z-1a2b3c4d")
>>> v.derived("answer", lambda: 6 * 7), v.derived("answer", lambda: 0)
(42, 42)
>>> v.holds("answer")
True
>>> v.drop()
>>> v.holds("answer"), v.derived("answer", lambda: 0)
(False, 0)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar, cast

from graph.core.store_layout import Published

T = TypeVar("T")


class PublishedVersion:
    """A graph version being served, with the values derived from it (computed lazily, once).

    ``version`` names it (``None`` for a remote server, whose data has no version we know),
    ``modified`` is when it was published, ``build`` is its build folder when it is a local
    build (``None`` for a remote server): its dumps, its reports, its partner model.
    """

    def __init__(self, version: str | None, modified: datetime | None = None,
                 build: Published | None = None) -> None:
        self.version, self.modified, self.build = version, modified, build
        self._values: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self._dropped = False

    def derived(self, name: Hashable, compute: Callable[[], T]) -> T:
        """The value called ``name`` derived from this version, computed by ``compute`` the
        first time it is asked for; requests asking meanwhile wait for that one computation
        rather than repeat it. Nothing is kept when ``compute`` raises (the next request tries
        again), nor once the version is dropped (a request still pinned to an old version gets
        a value that is not kept).
        """
        with self._lock:
            if name in self._values:
                return cast(T, self._values[name])
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            with self._lock:
                if name in self._values:
                    return cast(T, self._values[name])
            value = compute()
            with self._lock:
                if not self._dropped:
                    self._values[name] = value
            return value

    def holds(self, name: Hashable) -> bool:
        """Whether a value called ``name`` is kept now."""
        with self._lock:
            return name in self._values

    def drop(self) -> None:
        """Forget every derived value; this version is no longer served."""
        with self._lock:
            self._dropped = True
            self._values.clear()
            self._locks.clear()

    def __repr__(self) -> str:
        return f"PublishedVersion({self.version!r})"
