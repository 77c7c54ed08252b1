"""What `kg serve` was asked for: where the build is, whom to answer, and the limits every request runs under."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.serving.limits import Limits

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class Settings:
    """`allow_hosts`: extra Host header names answered (localhost and loopback addresses always are);
    `cors_origins`: origins allowed to read the API from another site's page (none by default);
    `limits`: time, results, memory, workers and request body size (kg.serving.limits)."""

    build_dir: Path
    bind_host: str = "127.0.0.1"
    allow_hosts: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)
    warm: bool = True  # start the worker processes with the app (else on the first request)
