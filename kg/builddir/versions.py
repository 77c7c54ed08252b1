"""Versioned builds switched in one atomic step.

Layout of a build directory OUT:

    OUT/.versions/v<time>-<pid>/   one complete build each (graph.json, manifest.json, rdf.oxigraph, ...)
    OUT/current -> .versions/v...  the build readers see; replaced by one rename(2) of a new symlink
    OUT/graph.json -> current/graph.json, OUT/manifest.json, OUT/rdf.oxigraph: stable paths for tools
    OUT/.build.lock                the writers' lock (kg.builddir.lock)

A build is written into `OUT/.versions/.staging-<pid>-*`, synced to disk, renamed into a version, and published
by swapping `current`; a crash at any moment leaves either the old or the new build current, never a mix. The
previous version is kept (KEEP_PREVIOUS) for readers that resolved it just before a swap; older ones, staging
folders of crashed builds and stray temporary links are removed by the next writer (`clean`), which holds the lock,
so nothing it removes can belong to a live build. Readers resolve `current` once and read every part from that
one version. A directory written by earlier kg versions (plain files in OUT) still reads, and is converted by
the next build.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

VERSIONS_DIR = ".versions"
CURRENT = "current"
STAGING_PREFIX = ".staging-"
LINK_PREFIX = ".current-"
KEEP_PREVIOUS = 1
MANIFEST_NAME = "manifest.json"


class VersionMissing(Exception):
    """`current` points at a version that is not there."""


def current_dir(out: Path) -> Path | None:
    """The folder holding the current build (a version, or OUT itself for an old plain layout); None if none."""
    out = Path(out)
    link = out / CURRENT
    if link.is_symlink():
        target = out / os.readlink(link)
        if not target.is_dir():
            raise VersionMissing(f"{link} points to {os.readlink(link)}, which is missing")
        return target
    manifest = out / MANIFEST_NAME
    if manifest.is_file() and not manifest.is_symlink():
        return out
    return None


def new_staging(out: Path) -> Path:
    versions = Path(out) / VERSIONS_DIR
    versions.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=versions))


def commit(out: Path, staging: Path, names: Iterable[str]) -> Path:
    """Publish a complete staging folder as the current build; returns the version folder."""
    out = Path(out)
    _sync_tree(staging)
    version = out / VERSIONS_DIR / f"v{time.time_ns():020d}-{os.getpid()}"
    os.rename(staging, version)
    _sync_dir(version.parent)
    _swap_link(out / CURRENT, os.path.join(VERSIONS_DIR, version.name))  # the one step that publishes it
    _sync_dir(out)
    for name in names:
        _ensure_link(out / name, os.path.join(CURRENT, name))
    return version


def clean(out: Path, keep_previous: int = KEEP_PREVIOUS) -> list[str]:
    """Remove what no live build needs: staging folders, stray links, versions older than the kept ones.
    Call only while holding the build lock. Returns what was removed (relative names)."""
    out = Path(out)
    removed: list[str] = []
    current = current_dir(out) if (out / CURRENT).is_symlink() else None
    versions = out / VERSIONS_DIR
    for path in sorted(out.glob(f"{STAGING_PREFIX}*")) + sorted(versions.glob(f"{STAGING_PREFIX}*")):
        _remove(path, removed, out)
    for path in sorted(out.glob(f"{LINK_PREFIX}*")):
        if path.is_symlink():
            _remove(path, removed, out)
    if current is not None:
        older = sorted((p for p in versions.glob("v*") if p.is_dir() and p.name != current.name), reverse=True)
        for path in older[keep_previous:]:
            _remove(path, removed, out)
    return removed


def _remove(path: Path, removed: list[str], out: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    removed.append(str(path.relative_to(out)))


def _swap_link(link: Path, target: str) -> None:
    tmp = link.with_name(f"{LINK_PREFIX}{os.getpid()}-{time.time_ns()}")
    os.symlink(target, tmp)
    os.replace(tmp, link)


def _ensure_link(link: Path, target: str) -> None:
    """A stable path OUT/NAME -> current/NAME (an old plain file or folder there is replaced)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)
    _swap_link(link, target)


def _sync_tree(folder: Path) -> None:
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _sync_dir(Path(root))


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
