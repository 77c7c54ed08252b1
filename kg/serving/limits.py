"""The limits every request to a kg endpoint runs under (configurable; the defaults suit one laptop)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """`timeout`: seconds a request may run before its worker is killed; `max_results`: rows (or triples) an
    answer may hold; `memory_mb`: address space of each worker process; `workers`: requests served at once
    (more wait up to `queue_seconds`, then get 503); `max_request_bytes`: size of a request body."""

    timeout: float = 30.0
    max_results: int = 100_000
    memory_mb: int = 2048
    workers: int = 2
    queue_seconds: float = 10.0
    max_request_bytes: int = 1 << 20

    def __post_init__(self) -> None:
        if not (self.timeout > 0 and self.max_results > 0 and self.memory_mb >= 256 and self.workers > 0):
            raise ValueError("limits must be positive (and memory at least 256 MB)")
