"""Finding source files; kept free of heavy imports because every CLI command checks build staleness."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kg.errors import LoadError

SOURCE_SUFFIXES = (".yaml", ".yml", ".tsv", ".sif")


def discover(paths: Iterable[Path]) -> list[Path]:
    """Source files under the given files or folders, sorted for determinism."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())
        elif path.exists():
            found.append(path)
        else:
            raise LoadError("no such file or folder", file=str(path), expected="an existing source path")
    return sorted(set(found))
