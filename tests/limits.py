"""Running kg under a memory limit: a hostile input must be refused, not allowed to exhaust the machine."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

KG = str(Path(sys.executable).with_name("kg"))
MEMORY_LIMIT = 1 << 30  # 1 GiB of address space: a normal `kg build` of the curated graph fits in it


def run_limited(args: list[str], *, memory: int = MEMORY_LIMIT, timeout: float = 120, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`kg ARGS` in a child process whose address space is capped at `memory` bytes (RLIMIT_AS)."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([KG, *args], preexec_fn=cap, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, **(env or {})}, check=False)


def no_traceback(result: subprocess.CompletedProcess[str]) -> bool:
    return "Traceback" not in result.stderr and "Traceback" not in result.stdout
