"""Requests run in worker processes that can be killed: the only way to stop a query engine that is busy inside
native code (Oxigraph evaluates a query without returning to Python until it has a row to give).

A worker is spawned (never forked from a threaded server), limits its own address space (RLIMIT_AS), builds its
handler once from a "module:function" factory (e.g. opening the store) and then answers requests one at a time
over a pipe. `WorkerPool.run` hands a request to an idle worker and waits at most `timeout` seconds: past that
the worker is killed (its work stops at once, its memory is returned) and a fresh one replaces it on demand. A
worker that dies (out of memory: the allocator aborts) is reported the same way. `reload()` retires every
worker, so that the next requests see a new build.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError
from kg.serving.limits import Limits

log = logging.getLogger(__name__)


class WorkerError(KgError):
    """A request could not be answered: timed out, its worker died, no worker was free, or set-up failed."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # "timeout", "died", "busy", "setup"


def _limit_memory(memory_mb: int) -> None:
    import resource

    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _die_with_parent() -> None:
    """Linux: have the kernel kill this worker when the server process dies, even mid-query. (The signal comes
    when the *thread* that started the worker ends: the pool starts workers from one long-lived thread.)"""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _worker_main(conn: Any, factory: str, args: tuple[Any, ...], memory_mb: int) -> None:
    """The worker process: build the handler, then answer requests until the pipe closes."""
    try:
        _die_with_parent()
        _limit_memory(memory_mb)
        module, func = factory.split(":")
        handle: Callable[[Any], Any] = getattr(importlib.import_module(module), func)(*args)
    except (KgError, OSError, ImportError, AttributeError, ValueError) as exc:
        conn.send(("setup", str(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", handle(request)))
        except KgError as exc:
            conn.send(("error", exc))
        except MemoryError:
            conn.send(("memory", None))


@dataclass
class _Worker:
    process: Any
    conn: Any
    generation: int

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.conn.close()


@dataclass
class WorkerPool:
    """`limits.workers` killable workers, each built by `factory(*args)` ("module:function")."""

    factory: str
    args: tuple[Any, ...]
    limits: Limits
    _idle: queue.LifoQueue = field(default_factory=queue.LifoQueue, init=False)
    _slots: threading.Semaphore = field(init=False)
    _generation: int = field(default=0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self._slots = threading.Semaphore(self.limits.workers)
        self._context = multiprocessing.get_context("spawn")
        self._starter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-worker-starter")

    def _spawn(self) -> _Worker:
        return self._starter.submit(self._start_worker).result()

    def _start_worker(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.factory, self.args,
                                                                   self.limits.memory_mb), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent, self._generation)
        if not parent.poll(max(self.limits.timeout, 60.0)):
            worker.stop()
            raise WorkerError("a worker process did not start", "setup")
        try:
            status, detail = parent.recv()
        except EOFError:
            worker.stop()
            raise WorkerError("a worker process died while starting", "setup") from None
        if status != "ready":
            worker.stop()
            raise WorkerError(str(detail), "setup")
        return worker

    def _take(self) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return self._spawn()
            if worker.generation == self._generation and worker.process.is_alive():
                return worker
            worker.stop()

    def run(self, request: Any) -> Any:
        """The handler's answer to `request`; WorkerError when it took too long, died, or no worker was free.
        KgErrors raised by the handler are raised here."""
        if not self._slots.acquire(timeout=self.limits.queue_seconds):
            raise WorkerError(f"the endpoint is busy ({self.limits.workers} requests running); try again", "busy")
        try:
            worker = self._take()
            try:
                worker.conn.send(request)
                if not worker.conn.poll(self.limits.timeout):
                    worker.stop()
                    raise WorkerError(f"the request ran longer than the endpoint's time limit "
                                      f"({self.limits.timeout:g} s) and was stopped", "timeout")
                status, answer = worker.conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                worker.stop()
                raise WorkerError(f"the request was stopped: its worker ran out of memory (limit "
                                  f"{self.limits.memory_mb} MB) or crashed", "died") from None
            if status == "memory":
                worker.stop()
                raise WorkerError(f"the request ran out of memory (limit {self.limits.memory_mb} MB)", "died")
            self._idle.put(worker)
            if status == "error":
                raise answer
            return answer
        finally:
            self._slots.release()

    def reload(self) -> None:
        """Retire every worker: idle ones now, busy ones when they finish; new ones are built afresh."""
        with self._lock:
            self._generation += 1
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return

    def close(self) -> None:
        self.reload()
        self._starter.shutdown(wait=False)
