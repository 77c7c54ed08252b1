"""The build a running app answers from: the dict view for cards and search (in the app's process: small reads),
two pools of killable worker processes (computations; SPARQL), a small cache of what never changes within one
build (diagrams, views, the query list), and the watch that notices a new build and reloads all of them.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.serving.freshness import BuildWatch
from kg.serving.pool import WorkerError, WorkerPool
from kg.web.settings import Settings
from kg.web.worker import Job, Outcome

log = logging.getLogger(__name__)
CACHED_JOBS = frozenset({"diagram", "view", "html", "queries", "info", "plot"})
CACHE_SIZE = 64


class Unavailable(WorkerError):
    """No complete build to answer from (one is being written, or it was removed): 503, try again."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "no_build")


class AppState:
    def __init__(self, settings: Settings) -> None:
        from kg.rdf.query_worker import QueryRequest  # noqa: F401 - fail at start, not on the first query

        self.settings = settings
        self.folder = Path(settings.build_dir)
        self.watch = BuildWatch.start(self.folder)
        self.build_id = self.watch.loaded.build_id
        self._snapshot: Any = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], Outcome] = OrderedDict()
        self.pool = WorkerPool("kg.web.worker:make_handler", (str(self.folder),), settings.limits)
        self.sparql = WorkerPool("kg.rdf.query_worker:make_handler", (str(self.folder), ()), settings.limits)

    # ---- the build -------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload after a new build; Unavailable while there is no complete one."""
        with self._lock:
            changed = self.watch.check()
            if changed is not None:
                self.pool.reload()
                self.sparql.reload()
                self._snapshot = None
                self._cache.clear()
                self.build_id = changed.build_id
                if changed.present:
                    log.warning("a new build in %s: reloading (build %s)", self.folder, changed.build_id)
            if not self.watch.loaded.present:
                raise Unavailable(f"no complete build in {self.folder} (a build is being written, or was "
                                  "removed); try again")

    @property
    def snapshot(self) -> Any:
        """The build's dict view (kg.snapshot, what `kg show` reads)."""
        self.refresh()
        with self._lock:
            if self._snapshot is None:
                from kg.snapshot import read_snapshot

                self._snapshot = read_snapshot(self.folder)
            return self._snapshot

    # ---- computations ----------------------------------------------------------------------------------------
    def run(self, kind: str, **params: Any) -> Outcome:
        """A job's outcome from a worker (cached for the jobs whose answer depends only on the build)."""
        self.refresh()
        key = (self.build_id, kind, repr(sorted(params.items())))
        if kind in CACHED_JOBS:
            with self._lock:
                if key in self._cache:
                    self._cache.move_to_end(key)
                    return self._cache[key]
        outcome = self.pool.run(Job(kind, params))
        if kind in CACHED_JOBS and outcome.status == 200:
            with self._lock:
                self._cache[key] = outcome
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
        return outcome

    def sparql_query(self, text: str, accept: str) -> Any:
        """A read-only SPARQL query's answer (kg.rdf.query_worker.Answer), in a SPARQL worker."""
        from kg.rdf.query_worker import QueryRequest
        from kg.rdf.store import store_path

        self.refresh()
        if not store_path(self.folder).is_dir():
            raise KgError(f"no RDF store in {self.folder}; run 'kg build' (with the RDF view enabled)")
        return self.sparql.run(QueryRequest(text, accept, self.settings.limits.max_results))

    def warm(self) -> None:
        """Start every computation worker now (each loads the build once), so that the first requests are fast."""
        with ThreadPoolExecutor(max_workers=self.settings.limits.workers) as pool:
            for future in [pool.submit(self.pool.run, Job("ping")) for _ in range(self.settings.limits.workers)]:
                try:
                    future.result()
                except WorkerError as exc:
                    log.warning("a worker did not start: %s", exc)

    def close(self) -> None:
        self.pool.close()
        self.sparql.close()
