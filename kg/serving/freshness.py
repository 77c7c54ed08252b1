"""Noticing a new build under a running server, cheaply: one stat of the manifest per request.

`kg build` writes a new manifest whenever it replaces a build (and removes it first, so a build in progress
shows as no manifest). A server keeps the signature of the manifest it loaded; when the signature changes it
reloads, and while there is no manifest it says so rather than answer from a store that is being replaced.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST_FILE = "manifest.json"  # kg.build.MANIFEST_FILE (not imported: a server needs none of kg.build)


@dataclass(frozen=True)
class BuildState:
    """What the server sees in the build folder: a signature that changes with every build, and a short id."""

    signature: tuple[int, int, int] | None
    build_id: str | None

    @property
    def present(self) -> bool:
        return self.signature is not None


def build_state(folder: Path) -> BuildState:
    """The current build's state; `signature` None while no manifest is there (no build, or one in progress)."""
    path = Path(folder) / MANIFEST_FILE
    try:
        st = os.stat(path)
        data = path.read_bytes()
    except OSError:
        return BuildState(None, None)
    return BuildState((st.st_ino, st.st_mtime_ns, st.st_size), hashlib.sha256(data).hexdigest()[:12])


@dataclass
class BuildWatch:
    """Compares the build folder with the build a server loaded."""

    folder: Path
    loaded: BuildState

    @classmethod
    def start(cls, folder: Path) -> BuildWatch:
        return cls(Path(folder), build_state(folder))

    def check(self) -> BuildState | None:
        """The new state when the build changed since it was loaded (then `loaded` is updated), else None."""
        path = self.folder / MANIFEST_FILE
        try:
            st = os.stat(path)
            signature: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            signature = None
        if signature == self.loaded.signature:
            return None
        self.loaded = build_state(self.folder)
        return self.loaded
