"""Builds: validate all sources, write a fast-loading graph plus a manifest as one transaction, rebuild when stale.

A build holds `graph.json` (the deterministic graph), `manifest.json` (counts, source and import checksums, the
import options, kg version, and the size and SHA-256 of every part) and whatever views register in VIEW_WRITERS
(e.g. the RDF store). One writer at a time holds the directory's lock; the build is staged, then published in one
atomic step (kg.builddir.versions); every read checks the parts against the manifest (kg.builddir.integrity). A
build that would be empty, or would drop imports or shrink by replacing the sources of the current build, is
refused unless `allow_empty`. The same sources give byte-identical graph files.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import os
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import __version__
from kg.builddir.integrity import DamagedBuild, check_bytes, part_records, sha256_file, verify, write_stamps
from kg.builddir.lock import build_lock
from kg.builddir.versions import VersionMissing, clean, commit, current_dir, new_staging
from kg.errors import InputError
from kg.paths import build_dir, loaders_dir, schema_dir

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.load.imports import ImportOptions
    from kg.load.pipeline import LoadReport

log = logging.getLogger(__name__)

GRAPH_FILE = "graph.json"
MANIFEST_FILE = "manifest.json"
LAYOUT = 2  # manifests with the size and checksum of every part
AUTO_REBUILD_WAIT = 600.0  # seconds a reader waits for another process's build before rebuilding itself
# Views written into the build folder after the graph: "module:function(graph, folder) -> list[str] of files".
VIEW_WRITERS: list[str] = ["kg.rdf.store:write_store", "kg.cite.store:write_publications"]

__all__ = ["GRAPH_FILE", "MANIFEST_FILE", "DamagedBuild", "build", "ensure_current", "load_graph", "parse_graph_json",
           "read_graph_bytes", "read_graph_json", "read_manifest", "sha256_file", "stale_reason"]


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


def load_sources(sources: Sequence[Path], report: LoadReport, options: ImportOptions | None = None) -> KnowledgeGraph:
    """The graph the sources state: YAML, TSV and SIF through the loader pipeline, or one RDF file written by
    `kg export rdf` (what `kg build --from FILE` reads) through the RDF view, validated the same way."""
    from kg.load.pipeline import load_paths
    from kg.rdf.formats import rdf_format, read_rdf_file

    rdf_files = [Path(s) for s in sources if Path(s).is_file() and rdf_format(Path(s))]
    if not rdf_files:
        return load_paths(sources, report=report, options=options)
    if len(sources) != 1:
        raise InputError(f"an RDF file ({rdf_files[0]}) is a whole graph: build from it alone, not with other sources")
    report.files.append(str(rdf_files[0]))
    return read_rdf_file(rdf_files[0])


def build(sources: Sequence[Path] | None = None, out: Path | None = None,
          progress: Callable[[str], None] | None = None, *, imports: Sequence[Path] = (),
          options: ImportOptions | None = None, allow_empty: bool = False, wait: float = 0.0,
          report: LoadReport | None = None) -> dict[str, Any]:
    """Validate `sources` (default loaders/, or one RDF file) plus `imports` (files given with --add) and publish the
    build in `out`; returns the manifest. Waits up to `wait` seconds for another writer (BuildInProgress after)."""
    out = Path(out or build_dir())
    with build_lock(out, wait=wait):
        return _build_locked(sources, out, progress, imports=imports, options=options, allow_empty=allow_empty,
                             report=report)


def _build_locked(sources: Sequence[Path] | None, out: Path, progress: Callable[[str], None] | None, *,
                  imports: Sequence[Path], options: ImportOptions | None, allow_empty: bool,
                  report: LoadReport | None) -> dict[str, Any]:
    from kg.load.imports import ImportOptions
    from kg.load.pipeline import LoadReport

    sources = list(sources) if sources else default_sources()
    options = options or ImportOptions()
    say = progress or (lambda msg: log.info(msg))
    for leftover in clean(out):
        say(f"removed {leftover} (left by an interrupted build)")
    previous = _previous_manifest(out)
    everything = [*sources, *imports]
    say(f"validating sources: {', '.join(str(s) for s in everything)}")
    report = report if report is not None else LoadReport()
    graph = load_sources(everything, report, options)
    say(f"validated {len(report.files)} files: {len(graph)} entities, {len(graph.edges)} edges "
        f"({report.merged_edges} statements merged)")
    manifest = {
        "kg_version": __version__,
        "layout": LAYOUT,
        "sources": [str(Path(s).resolve()) for s in sources],
        "imports": [str(Path(s).resolve()) for s in imports],
        "import_options": options.to_json(),
        "checksums": source_checksums(everything),
        "counts": graph_stats(graph),
        "imported": {"new_entities": len(report.imports.new_entities),
                     "near_duplicates": len(report.imports.near_duplicates)},
        "files": [GRAPH_FILE],
    }
    problems = losses(previous, manifest)
    if problems and not allow_empty:
        raise InputError("build refused: " + "; ".join(problems) + f". The current build in {out} is unchanged; "
                         "pass --allow-empty to write this build anyway")
    write_build(graph, manifest, out, say)
    return manifest


def _previous_manifest(out: Path) -> dict[str, Any] | None:
    try:
        return read_manifest(out)
    except DamagedBuild as exc:
        log.warning("%s", exc)
        return None


def losses(previous: dict[str, Any] | None, manifest: dict[str, Any]) -> list[str]:
    """What a new build would lose: everything (empty), imports of the current build, or entities and edges when
    it replaces the current build's sources with others."""
    counts = manifest["counts"]
    problems = []
    if counts["entities"] == 0 or counts["edges"] == 0:
        problems.append(f"the new build would be empty ({counts['entities']} entities, {counts['edges']} edges)")
    if not previous:
        return problems
    dropped = sorted(set(previous.get("imports") or []) - set(manifest["imports"]))
    if dropped:
        problems.append(f"it would drop the import(s) {', '.join(dropped)} of the current build (give them again "
                        "with --add to keep them)")
    before = previous.get("counts") or {}
    if set(previous.get("sources") or []) != set(manifest["sources"]) and (
            counts["entities"] < before.get("entities", 0) or counts["edges"] < before.get("edges", 0)):
        problems.append(f"it would replace the current build of {', '.join(previous.get('sources') or [])} "
                        f"({before.get('entities')} entities, {before.get('edges')} edges) with a smaller one from "
                        f"{', '.join(manifest['sources'])} ({counts['entities']} entities, {counts['edges']} edges)")
    return problems


def write_build(graph: KnowledgeGraph, manifest: dict[str, Any], out: Path, say: Callable[[str], None]) -> None:
    """Stage every part, checksum it into the manifest, and publish the whole build in one step."""
    staging = new_staging(out)
    try:
        graph_bytes = _dumps(graph.to_dict())
        (staging / GRAPH_FILE).write_bytes(graph_bytes)
        manifest["graph_sha256"] = sha256_file(staging / GRAPH_FILE)
        for target in VIEW_WRITERS:
            module_name, func = target.split(":")
            writer = getattr(importlib.import_module(module_name), func)
            say(f"writing view {module_name}")
            manifest["files"].extend(writer(graph, staging))
        manifest["parts"] = part_records(staging, manifest["files"])
        (staging / MANIFEST_FILE).write_bytes(_dumps(manifest))
        write_stamps(staging, manifest["parts"])
        commit(out, staging, [*manifest["files"], MANIFEST_FILE])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    clean(out)


def _dumps(data: Any) -> bytes:
    return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _folder(out: Path | None) -> Path | None:
    """The folder of the current build in `out` (a build directory or already a version folder)."""
    out = Path(out or build_dir())
    try:
        return current_dir(out)
    except VersionMissing as exc:
        raise DamagedBuild(out, str(exc)) from None


def read_manifest(out: Path | None = None) -> dict[str, Any] | None:
    """The current build's manifest; None when there is no build; DamagedBuild when it is unreadable."""
    folder = _folder(out)
    if folder is None:
        return None
    return _manifest_in(folder)


def _manifest_in(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST_FILE).read_bytes())
    except (OSError, ValueError) as exc:
        raise DamagedBuild(folder, f"manifest.json is unreadable ({exc})") from None
    if not isinstance(data, dict):
        raise DamagedBuild(folder, "manifest.json is not a JSON object")
    return data


def stale_reason(out: Path | None = None) -> str | None:
    """Why the build must be redone (None if it is current)."""
    manifest = read_manifest(out)
    if manifest is None:
        return "no build yet"
    if manifest.get("kg_version") != __version__:
        return f"built by kg {manifest.get('kg_version')}, this is {__version__}"
    if manifest.get("layout") != LAYOUT:
        return "written by an earlier kg, without checksums of its parts"
    sources = [Path(s) for s in [*(manifest.get("sources") or []), *(manifest.get("imports") or [])]]
    try:
        current = source_checksums(sources)
    except InputError as exc:
        return str(exc)
    if current != manifest.get("checksums"):
        changed = sorted(set(current.items()) ^ set((manifest.get("checksums") or {}).items()))
        return f"source changed: {changed[0][0]}"
    return None


def load_graph(out: Path | None = None, *, rebuild: bool = True) -> KnowledgeGraph:
    """The current graph from the build, rebuilding first when a source changed."""
    out = out or build_dir()
    if not rebuild and (reason := stale_reason(out)) is not None:
        raise InputError(f"the build in {out} is not current ({reason}); run 'kg build'")
    folder = ensure_current(out)
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.from_dict(read_graph_json(folder), trusted=True)


def auto_rebuild_wait() -> float:
    """Seconds a reader waits for another process's build: `KG_BUILD_WAIT`, else AUTO_REBUILD_WAIT."""
    try:
        value = float(os.environ.get("KG_BUILD_WAIT", AUTO_REBUILD_WAIT))
    except ValueError:
        return AUTO_REBUILD_WAIT
    return value if value >= 0 and not math.isnan(value) else AUTO_REBUILD_WAIT


def ensure_current(out: Path | None = None) -> Path:
    """Rebuild the build in `out` if a source changed (keeping its imports and import options); check every part
    against the manifest; return the folder of the current build (read all parts from that one folder)."""
    out = Path(out or build_dir())
    if stale_reason(out) is not None:
        with build_lock(out, wait=auto_rebuild_wait()):
            reason = stale_reason(out)  # another process may have rebuilt it while we waited
            if reason is not None:
                from kg.load.imports import ImportOptions  # only to rebuild: a current build's readers skip pydantic

                manifest = read_manifest(out)
                log.warning("rebuilding %s: %s", out, reason)
                _build_locked([Path(s) for s in manifest["sources"]] if manifest else None, out, None,
                              imports=[Path(s) for s in (manifest or {}).get("imports") or []],
                              options=ImportOptions.from_json((manifest or {}).get("import_options")),
                              allow_empty=False, report=None)
    folder = _folder(out)
    if folder is None:
        raise DamagedBuild(out, "no current build after rebuilding")
    verify(folder, _manifest_in(folder), hashed_on_read=[GRAPH_FILE])
    return folder


def read_graph_json(folder: Path) -> dict[str, Any]:
    """The graph of a build folder (from ensure_current), checked against the manifest's checksum."""
    folder = _folder(folder) or Path(folder)
    return parse_graph_json(folder, read_graph_bytes(folder))


def read_graph_bytes(folder: Path) -> bytes:
    """The graph.json bytes of a build folder, checked against the manifest's checksum (a reader that keys a cache
    by these bytes, as the simulator does, still refuses a tampered graph)."""
    folder = _folder(folder) or Path(folder)
    manifest = _manifest_in(folder)
    try:
        data = (folder / GRAPH_FILE).read_bytes()
    except OSError as exc:
        raise DamagedBuild(folder, f"{GRAPH_FILE} is unreadable ({exc.strerror})") from None
    check_bytes(folder, manifest, GRAPH_FILE, data)
    return data


def parse_graph_json(folder: Path, data: bytes) -> dict[str, Any]:
    """The graph in graph.json bytes already checked by read_graph_bytes; DamagedBuild if it is not a graph."""
    try:
        graph = json.loads(data)
    except ValueError as exc:
        raise DamagedBuild(folder, f"{GRAPH_FILE} is not valid JSON ({exc})") from None
    if not isinstance(graph, dict) or not isinstance(graph.get("entities"), list) or not isinstance(
            graph.get("edges"), list):
        raise DamagedBuild(folder, f"{GRAPH_FILE} holds no entities and edges")
    return graph


def record_store_update(out: Path | None = None) -> None:
    """After `kg sparql --write` changed the RDF store: checksum its files again, so the build still verifies (the
    manifest then says the store was updated and may differ from graph.json until the next build)."""
    out = Path(out or build_dir())
    with build_lock(out, wait=auto_rebuild_wait()):
        folder = _folder(out)
        if folder is None:
            return
        manifest = _manifest_in(folder)
        manifest["parts"] = part_records(folder, manifest.get("files") or [GRAPH_FILE])
        manifest["store_updated"] = True
        tmp = folder / f".{MANIFEST_FILE}.tmp"
        tmp.write_bytes(_dumps(manifest))
        os.replace(tmp, folder / MANIFEST_FILE)
        write_stamps(folder, manifest["parts"])
