"""Checking a build against its manifest before anything is answered from it.

The manifest lists every part of the build (each file; every file inside a folder such as the RDF store) with
its size and SHA-256. A reader checks (measured in bench/bench_reliability.py, recorded in BENCHMARKS.md):
- the graph file's SHA-256 every time it reads it (the bytes are in memory anyway: hashing costs a few per cent
  of parsing them);
- every other part's size; parts up to HASH_ALWAYS_BYTES by SHA-256 every time; larger ones by SHA-256 only when
  their size or modification time differs from the stamp written when the build was committed (`.stamps.json`,
  which is a cache, not evidence: a missing or odd stamp only means hashing).
A damaged build is refused with one message (DamagedBuild, exit 1) naming the part, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.errors import KgError

HASH_ALWAYS_BYTES = 1 << 20
STAMPS_FILE = ".stamps.json"


class DamagedBuild(KgError):
    """A build whose parts do not match its manifest (exit 1)."""

    def __init__(self, folder: Path, problem: str) -> None:
        super().__init__(f"the build in {folder} is damaged: {problem}. Nothing was answered from it; run "
                         f"'kg build' to write a fresh build (the sources are untouched)")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder: Path, names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        path = folder / name
        if path.is_dir():
            out.extend(str(p.relative_to(folder)) for p in sorted(path.rglob("*")) if p.is_file())
        else:
            out.append(name)
    return out


def part_records(folder: Path, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """{relative path: {size, sha256}} for every file of the named parts (folders expanded)."""
    records = {}
    for rel in _files(folder, names):
        path = folder / rel
        records[rel] = {"size": path.stat().st_size, "sha256": sha256_file(path)}
    return dict(sorted(records.items()))


def write_stamps(folder: Path, parts: dict[str, dict[str, Any]]) -> None:
    stamps = {}
    for rel in parts:
        st = (folder / rel).stat()
        stamps[rel] = [st.st_size, st.st_mtime_ns]
    (folder / STAMPS_FILE).write_text(json.dumps(stamps, sort_keys=True), encoding="utf-8")


def _stamps(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / STAMPS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def verify(folder: Path, manifest: dict[str, Any], *, hashed_on_read: Iterable[str] = ()) -> None:
    """Raise DamagedBuild unless every part listed in the manifest is present and intact."""
    parts = manifest.get("parts")
    if not isinstance(parts, dict) or not parts:
        raise DamagedBuild(folder, "manifest.json lists no parts")
    skip = set(hashed_on_read)
    stamps = _stamps(folder)
    for rel, record in parts.items():
        path = folder / rel
        if not isinstance(record, dict) or not isinstance(record.get("size"), int):
            raise DamagedBuild(folder, f"manifest.json has no size for {rel}")
        try:
            st = path.stat()
        except OSError:
            raise DamagedBuild(folder, f"{rel} is missing") from None
        if st.st_size != record["size"]:
            raise DamagedBuild(folder, f"{rel} has {st.st_size:,} bytes where the manifest says {record['size']:,}")
        if rel in skip:
            continue
        if st.st_size > HASH_ALWAYS_BYTES and stamps.get(rel) == [st.st_size, st.st_mtime_ns]:
            continue
        if sha256_file(path) != record.get("sha256"):
            raise DamagedBuild(folder, f"{rel} does not match its checksum in manifest.json (changed after the build)")


def check_bytes(folder: Path, manifest: dict[str, Any], rel: str, data: bytes) -> None:
    """Raise DamagedBuild unless `data` (the content of part `rel`, already read) matches the manifest."""
    record = (manifest.get("parts") or {}).get(rel)
    if not isinstance(record, dict):
        raise DamagedBuild(folder, f"manifest.json does not list {rel}")
    if hashlib.sha256(data).hexdigest() != record.get("sha256"):
        raise DamagedBuild(folder, f"{rel} does not match its checksum in manifest.json (changed after the build)")
