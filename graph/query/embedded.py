"""The published pyoxigraph store as the query backend, following ``STORE/current``.

Queries run in worker processes that are stopped past the time limit (:mod:`graph.query.pool`).
Each published build being served is one generation: its query runner and its
:class:`graph.query.version.PublishedVersion`, which keeps what is derived from that build
(answers to repeated queries, keyed by a digest of what was asked and bounded in bytes, so a
repeated query costs a dictionary look-up; and what the service derives). The backend follows
the atomic switch of ``STORE/current``: a new build is opened in the background while the old
one keeps answering, then swapped in; requests already running finish on the old one, and
when the last of them ends the old generation closes and its derived values go with it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path

from graph.core.store_layout import CURRENT, NotPublished, Published, published
from graph.query.backend import Backend, ByteBoundedCache, job_digest
from graph.query.errors import BackendError
from graph.query.pool import QueryJob, QueryOutput, QueryRunner
from graph.query.process import ANSWER_BYTES, MEMORY_BYTES
from graph.query.version import PublishedVersion

__all__ = ["ANSWERS", "EmbeddedBackend"]

_log = logging.getLogger(__name__)

ANSWERS = "query-answers"
"""The name of a version's cache of query answers (:meth:`PublishedVersion.derived`)."""


@dataclass(eq=False)
class _Generation:
    """One published build being served: its runner, its version (and what is derived from
    it), its users."""

    target: str
    published: PublishedVersion
    runner: QueryRunner
    cache_bytes: int
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def enter(self) -> bool:
        """Count one more user; False once retired and closed (take the newer one)."""
        with self.lock:
            if self.retired and self.users == 0:
                return False
            self.users += 1
            return True

    def leave(self) -> None:
        with self.lock:
            self.users -= 1
            closing = self.retired and self.users == 0
        if closing:
            self._close()

    def retire(self) -> None:
        """No new users; close as soon as the last one leaves (queries in flight finish)."""
        with self.lock:
            self.retired = True
            closing = self.users == 0
        if closing:
            self._close()

    def _close(self) -> None:
        """Stop the runner and forget everything derived from this version."""
        self.runner.close()
        self.published.drop()

    def answers(self) -> ByteBoundedCache[bytes, QueryOutput]:
        """This version's cache of query answers."""
        return self.published.derived(ANSWERS, lambda: ByteBoundedCache(self.cache_bytes))

    def run(self, job: QueryJob, remember: bool = True) -> QueryOutput:
        """The answer to ``job``, from this version's cache when it is there; kept in it
        when ``remember`` (and the cache has room at all)."""
        if not remember or self.cache_bytes <= 0:
            return self.runner.run(job)
        key = job_digest(job)
        cache = self.answers()
        cached = cache.get(key)
        if cached is not None:
            return cached
        output = self.runner.run(job)
        cache.put(key, output, len(output.body) + len(key) + 256)
        return output


class EmbeddedBackend(Backend):
    """The published pyoxigraph store, queried in killable worker processes, answers cached,
    following ``STORE/current`` when a new build is published.

    ``current`` is read (one ``readlink``) at most every ``switch_check`` seconds, when a query
    runs or a request pins a version. A new build is opened in a background thread while the old
    one keeps answering; once it is ready it is swapped in, and the old one is closed when its
    last request ends. A build that cannot be opened is logged and retried after a minute; the
    old one stays.

    :raises BackendError: nothing is published in ``store_dir`` or the store cannot be opened.
    """

    def __init__(self, store_dir: Path, *, timeout: float = 30.0, processes: int = 2,
                 in_memory: bool = True, cache_bytes: int = 64 * 2**20,
                 allowlist: Iterable[str] = (), result_limit: int = 100_000,
                 switch_check: float = 0.5, answer_bytes: int = ANSWER_BYTES,
                 memory_bytes: int = MEMORY_BYTES) -> None:
        super().__init__(allowlist=allowlist, result_limit=result_limit,
                         answer_bytes=answer_bytes)
        self.store_dir = Path(store_dir)
        self.timeout, self.processes, self.in_memory = timeout, processes, in_memory
        self.memory_bytes = memory_bytes
        self.cache_bytes, self.switch_check = cache_bytes, switch_check
        self._lock = threading.Lock()
        self._loading: str | None = None
        self._failed: dict[str, float] = {}
        self._checked_at = time.monotonic()
        self._closed = False
        try:
            # graph.core.store_layout's layout, which every other build follows
            self._layout = published(self.store_dir)
        except NotPublished as error:
            raise BackendError(str(error)) from None
        self._generation = self._open(self._target())

    @property
    def published(self) -> PublishedVersion:
        """The version being served now (the newest opened build)."""
        return self._live().published

    @property
    def runner(self) -> QueryRunner:
        """The query runner of the version being served now."""
        return self._live().runner

    def pin(self) -> Backend:
        """:raises BackendError: the backend is closed."""
        return _Pinned(self, self._enter())

    def _run(self, job: QueryJob, remember: bool) -> QueryOutput:
        generation = self._enter()
        try:
            return generation.run(job, remember)
        finally:
            generation.leave()

    def _enter(self) -> _Generation:
        """The live generation, counted as used until :meth:`_Generation.leave`.

        :raises BackendError: the backend is closed.
        """
        while not self._closed:
            generation = self._live()
            if generation.enter():
                return generation
            # retired and closed between the two lines above: the newer one is live now
        raise BackendError("the query backend is closed")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            generation = self._generation
        generation.retire()

    def _target(self) -> str:
        """Where ``STORE/current`` points now.

        :raises BackendError: nothing is published.
        """
        try:
            return os.readlink(self.store_dir / CURRENT)
        except OSError:
            raise BackendError(f"no published graph in {self.store_dir} (run twinkg build "
                               f"--store {self.store_dir})") from None

    def _open(self, target: str) -> _Generation:
        """Open the build ``target`` names (it stays complete: builds are never rewritten).

        :raises BackendError: the build cannot be opened.
        """
        build = _build_at(self._layout, self.store_dir / target)
        runner = QueryRunner(build.oxigraph, processes=self.processes, timeout=self.timeout,
                             in_memory=self.in_memory, memory_bytes=self.memory_bytes,
                             sandboxed=not self.allowlist)
        version = PublishedVersion(build.version, _version_time(build.version), build)
        return _Generation(target, version, runner, self.cache_bytes)

    def _live(self) -> _Generation:
        """The generation to use now; starts opening a newer build when ``current`` moved."""
        now = time.monotonic()
        if now - self._checked_at >= self.switch_check and not self._closed:
            self._checked_at = now
            try:
                target = os.readlink(self.store_dir / CURRENT)
            except OSError:
                target = None  # unpublished meanwhile: keep serving what we have
            if target is not None and target != self._generation.target:
                self._start_loading(target, now)
        return self._generation

    def _start_loading(self, target: str, now: float) -> None:
        with self._lock:
            if self._loading is not None or now < self._failed.get(target, 0.0):
                return
            self._loading = target
        threading.Thread(target=self._load, args=(target,), daemon=True,
                         name=f"twinkg-open-{Path(target).name}").start()

    def _load(self, target: str) -> None:
        """Open ``target`` and swap it in (background thread)."""
        try:
            generation = self._open(target)
        except BackendError as error:
            _log.error("could not open the newly published build %s, still serving %s: %s",
                       target, self._generation.published.version, error)
            with self._lock:
                self._failed[target] = time.monotonic() + 60.0
                self._loading = None
            return
        with self._lock:
            old, self._generation = self._generation, generation
            self._loading = None
            closed = self._closed
        _log.info("now serving build %s (was %s)", generation.published.version,
                  old.published.version)
        old.retire()
        if closed:
            generation.retire()


def _build_at(layout: Published, root: Path) -> Published:
    """The build in folder ``root``, laid out as ``layout`` is (builds are named by their
    version)."""
    moved = {f.name: root / value.relative_to(layout.root) for f in fields(layout)
             if isinstance(value := getattr(layout, f.name), Path)}
    return replace(layout, version=root.name, **moved)


def _version_time(version: str) -> datetime:
    """When a build was published, from its version name (see :mod:`graph.core.store_layout`);
    now, for a folder not named like a version."""
    try:
        return datetime.strptime(version.split("-")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return datetime.now(UTC)


class _Pinned(Backend):
    """An :class:`EmbeddedBackend` bound to one generation for the life of one request."""

    def __init__(self, parent: EmbeddedBackend, generation: _Generation) -> None:
        super().__init__(allowlist=parent.allowlist, result_limit=parent.result_limit,
                         answer_bytes=parent.answer_bytes)
        self.parent, self.generation = parent, generation
        self._released = False

    @property
    def published(self) -> PublishedVersion:
        """The version this request is pinned to."""
        return self.generation.published

    def _run(self, job: QueryJob, remember: bool) -> QueryOutput:
        if self._released:
            return self.parent._run(job, remember)
        return self.generation.run(job, remember)

    def release(self) -> None:
        if not self._released:
            self._released = True
            self.generation.leave()
