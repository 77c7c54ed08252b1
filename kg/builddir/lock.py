"""One writer per build directory: an OS file lock (flock) on `.build.lock`, released by the kernel when the
holder exits, however it exits. The holder writes its PID into the file so that others can say who is building."""

from __future__ import annotations

import fcntl
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import KgError

LOCK_FILE = ".build.lock"
POLL_SECONDS = 0.1


class BuildInProgress(KgError):
    """Another process holds the build directory's lock (exit 1)."""


def lock_holder(out: Path) -> str:
    """The PID written by the lock's current (or last) holder, as text; '?' when unknown."""
    try:
        text = (Path(out) / LOCK_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "?"
    return text if text.isdigit() else "?"


@contextmanager
def build_lock(out: Path, *, wait: float = 0.0) -> Iterator[None]:
    """Hold the build directory's lock inside the block. Waits up to `wait` seconds (math.inf: no limit) for
    another builder, then raises BuildInProgress naming it."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    waited = "" if wait <= 0 else f" (waited {wait:g} s)"
                    raise BuildInProgress(
                        f"a build of {out} is in progress by PID {lock_holder(out)}{waited}; wait for it to finish "
                        f"or pass --wait SECONDS") from None
                time.sleep(POLL_SECONDS if math.isinf(wait) else min(POLL_SECONDS, max(deadline - time.monotonic(),
                                                                                         0.001)))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
