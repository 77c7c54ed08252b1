"""Bulk-work helpers. Creating ~10^5 small objects triggers CPython's cyclic GC over and over; pausing it for
the duration of a load halves the time of a 100k-edge import (measured in bench/bench_core.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block (re-enabled after, as it was)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
