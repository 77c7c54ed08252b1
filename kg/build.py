"""Builds: validate all sources, write a fast-loading graph plus a manifest, atomically, and rebuild when stale.

A build directory holds `graph.json` (the deterministic graph), `manifest.json` (counts, source checksums, kg and
schema versions) and whatever views register in VIEW_WRITERS (e.g. the RDF store). Nothing is replaced until
everything validated and every file was written to a staging folder; the same sources give byte-identical files.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import __version__
from kg.errors import InputError
from kg.paths import build_dir, loaders_dir, schema_dir

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.load.pipeline import LoadReport

log = logging.getLogger(__name__)

GRAPH_FILE = "graph.json"
MANIFEST_FILE = "manifest.json"
# Views written into the build folder after the graph: "module:function(graph, folder) -> list[str] of files".
VIEW_WRITERS: list[str] = ["kg.rdf.store:write_store", "kg.cite.store:write_publications"]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_checksums(sources: Sequence[Path]) -> dict[str, str]:
    """Checksums of every source file (and the schema), keyed by a stable display path."""
    from kg.load.discover import discover

    sums = {"schema/kg.yaml": sha256_file(schema_dir() / "kg.yaml")}
    for path in discover(sources):
        sums[_display(path)] = sha256_file(path)
    return dict(sorted(sums.items()))


def _display(path: Path) -> str:
    for base in (loaders_dir().parent, Path.cwd()):
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path.resolve())


def graph_stats(graph: KnowledgeGraph) -> dict[str, Any]:
    """Counts by category and predicate, and the share of edges with evidence."""
    edges = graph.edges
    with_evidence = sum(1 for e in edges if e.evidence)
    return {
        "entities": len(graph),
        "edges": len(edges),
        "evidence_records": sum(len(e.evidence) for e in edges),
        "publications": len({ev.source for e in edges for ev in e.evidence}),
        "edges_with_evidence_share": round(with_evidence / len(edges), 4) if edges else 1.0,
        "by_category": dict(sorted(Counter(e.category for e in graph.entities).items())),
        "by_predicate": dict(sorted(Counter(e.predicate for e in edges).items())),
        "by_status": dict(sorted(Counter(e.status for e in edges).items())),
    }


def default_sources() -> list[Path]:
    return [loaders_dir()]


def load_sources(sources: Sequence[Path], report: LoadReport) -> KnowledgeGraph:
    """The graph the sources state: YAML, TSV and SIF through the loader pipeline, or one RDF file written by
    `kg export rdf` (what `kg build --from FILE` reads) through the RDF view, validated the same way."""
    from kg.load.pipeline import load_paths
    from kg.rdf.formats import rdf_format, read_rdf_file

    rdf_files = [Path(s) for s in sources if Path(s).is_file() and rdf_format(Path(s))]
    if not rdf_files:
        return load_paths(sources, report=report)
    if len(sources) != 1:
        raise InputError(f"an RDF file ({rdf_files[0]}) is a whole graph: build from it alone, not with other sources")
    report.files.append(str(rdf_files[0]))
    return read_rdf_file(rdf_files[0])


def build(sources: Sequence[Path] | None = None, out: Path | None = None,
          progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Validate `sources` (default loaders/, or one RDF file) and write the build to `out`; returns the manifest."""
    from kg.load.pipeline import LoadReport

    sources = list(sources) if sources else default_sources()
    out = out or build_dir()
    say = progress or (lambda msg: log.info(msg))
    say(f"validating sources: {', '.join(str(s) for s in sources)}")
    report = LoadReport()
    graph = load_sources(sources, report)
    say(f"validated {len(report.files)} files: {len(graph)} entities, {len(graph.edges)} edges "
        f"({report.merged_edges} statements merged)")
    manifest = {
        "kg_version": __version__,
        "sources": [str(Path(s).resolve()) for s in sources],
        "checksums": source_checksums(sources),
        "counts": graph_stats(graph),
        "files": [GRAPH_FILE],
    }
    write_build(graph, manifest, out, say)
    return manifest


def write_build(graph: KnowledgeGraph, manifest: dict[str, Any], out: Path,
                say: Callable[[str], None]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        graph_bytes = _dumps(graph.to_dict())
        (staging / GRAPH_FILE).write_bytes(graph_bytes)
        manifest["graph_sha256"] = hashlib.sha256(graph_bytes).hexdigest()
        for target in VIEW_WRITERS:
            module_name, func = target.split(":")
            writer = getattr(importlib.import_module(module_name), func)
            say(f"writing view {module_name}")
            manifest["files"].extend(writer(graph, staging))
        (staging / MANIFEST_FILE).write_bytes(_dumps(manifest))
        (out / MANIFEST_FILE).unlink(missing_ok=True)  # a crash from here on leaves the build marked stale
        for name in [*manifest["files"], MANIFEST_FILE]:
            target_path = out / name
            if target_path.is_dir():
                shutil.rmtree(target_path)
            os.replace(staging / name, target_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _dumps(data: Any) -> bytes:
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(out: Path | None = None) -> dict[str, Any] | None:
    path = (out or build_dir()) / MANIFEST_FILE
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def stale_reason(out: Path | None = None) -> str | None:
    """Why the build must be redone (None if it is current)."""
    manifest = read_manifest(out)
    if manifest is None:
        return "no build yet"
    if manifest.get("kg_version") != __version__:
        return f"built by kg {manifest.get('kg_version')}, this is {__version__}"
    sources = [Path(s) for s in manifest.get("sources", [])]
    try:
        current = source_checksums(sources)
    except InputError as exc:
        return str(exc)
    if current != manifest.get("checksums"):
        changed = sorted(set(current.items()) ^ set(manifest.get("checksums", {}).items()))
        return f"source changed: {changed[0][0]}"
    return None


def load_graph(out: Path | None = None, *, rebuild: bool = True) -> KnowledgeGraph:
    """The current graph from the build, rebuilding first when a source changed."""
    out = out or build_dir()
    if not rebuild and (reason := stale_reason(out)) is not None:
        raise InputError(f"the build in {out} is not current ({reason}); run 'kg build'")
    ensure_current(out)
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.from_dict(read_graph_json(out), trusted=True)


def ensure_current(out: Path | None = None) -> Path:
    """Rebuild the build in `out` if a source changed; return the folder."""
    out = out or build_dir()
    reason = stale_reason(out)
    if reason is not None:
        manifest = read_manifest(out)
        sources = [Path(s) for s in manifest["sources"]] if manifest else None
        log.warning("rebuilding %s: %s", out, reason)
        build(sources, out)
    return out


def read_graph_json(out: Path) -> dict[str, Any]:
    return json.loads((out / GRAPH_FILE).read_text(encoding="utf-8"))
