"""The exporter contract and the registry: one module per format, each exposing `EXPORTER`.

An exporter has a `name`, a file `suffix`, a `write(graph, path, **options)` that writes the file(s) named by
`targets(path)`, and where the format can carry the graph back, a `read(path) -> KnowledgeGraph`. `export()`
writes through a temporary folder beside the target and moves the finished files into place, so a failure
(bad option, unknown entity, full disk) never leaves a partial file behind.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

# format name -> module under kg.export that defines EXPORTER (imported only when the format is used)
FORMATS: dict[str, str] = {
    "diagram": "diagram",
    "sbgn": "sbgn",
    "graphml": "graphml",
    "gexf": "gexf",
    "cytoscape": "cytoscape",
    "cx2": "cx2",
    "sif": "sif",
    "sif-extended": "sif",
    "mermaid": "mermaid",
    "kgx": "kgx",
    "html": "html",
}


def _single(path: Path, **_options: Any) -> list[Path]:
    return [path]


@dataclass(frozen=True)
class Exporter:
    """One format. `write` must write exactly the files `targets(path, **options)` names."""

    name: str
    suffix: str
    description: str
    write: Callable[..., None]
    read: Callable[[Path], Any] | None = None
    targets: Callable[..., list[Path]] = field(default=_single)


def get_exporter(name: str) -> Exporter:
    """The exporter for a format name; InputError (exit 2) naming the known formats otherwise."""
    module = FORMATS.get(name)
    if module is None:
        raise InputError(f"unknown export format '{name}' (known: {', '.join(sorted(FORMATS))})")
    mod = importlib.import_module(f"kg.export.{module}")
    exporters: dict[str, Exporter] = getattr(mod, "EXPORTERS", {})
    return exporters.get(name) or mod.EXPORTER


def check_writable(path: Path) -> Path:
    """The folder the file goes into, after checking that it exists and is writable (InputError otherwise)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(f"cannot write '{path}': it is a folder; give a file name")
    if not folder.is_dir():
        raise InputError(f"cannot write '{path}': folder '{folder}' does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write '{path}': folder '{folder}' is not writable")
    return folder


def export(graph: KnowledgeGraph, fmt: str, path: Path, **options: Any) -> list[Path]:
    """Write `graph` as `fmt` to `path` atomically; returns the files written."""
    exporter = get_exporter(fmt)
    path = Path(path)
    targets = exporter.targets(path, **options)
    for target in targets:
        check_writable(target)
    folder = check_writable(targets[0])
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=folder))
    try:
        staged = staging / path.name
        exporter.write(graph, staged, **options)
        for target in targets:
            os.replace(staging / target.name, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call `write(staged)` on a temporary file beside `path`, then move it into place (nothing is left behind on
    failure): for outputs that are not graph formats (figures, the simulator's model files)."""
    path = Path(path)
    folder = check_writable(path)
    fd, staged = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    os.close(fd)
    try:
        write(Path(staged))
        os.replace(staged, path)
    finally:
        if os.path.exists(staged):
            os.unlink(staged)
    return path
