"""Builds are transactions: one writer per build directory, versions published in one step, crashes leave the old
or the new build (and imports survive), leftovers are cleaned, damaged builds are refused with one message, and
builds that would be empty or lose imports are refused."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import MANIFEST_FILE, build, ensure_current, read_graph_json, read_manifest
from kg.builddir.lock import BuildInProgress, build_lock
from kg.builddir.versions import CURRENT, VERSIONS_DIR, current_dir
from kg.cli import main
from kg.graph import KnowledgeGraph

from .limits import KG
from .test_load import EDGE, ENTITIES


def write_sources(folder: Path, confidence: str = "high") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.yaml").write_text(ENTITIES, encoding="utf-8")
    (folder / "b.yaml").write_text(EDGE.format(name="b", extra="", confidence=confidence), encoding="utf-8")
    return folder


@pytest.fixture()
def sources(tmp_path):
    return write_sources(tmp_path / "src")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One real build of the small sources, copied (links kept) by each test that damages it."""
    root = tmp_path_factory.mktemp("template")
    build([write_sources(root / "src")], root / "out")
    return root


@pytest.fixture()
def built(template, tmp_path):
    """A copy of the template build (it reads the template's sources, which no test changes)."""
    out = tmp_path / "out"
    shutil.copytree(template / "out", out, symlinks=True)
    return out


def kg(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def consistent(out: Path) -> KnowledgeGraph:
    """The build verifies, and its graph file, manifest and RDF store state one and the same graph."""
    from kg.rdf.store import graph_from_store, open_store

    folder = ensure_current(out)
    graph = KnowledgeGraph.from_dict(read_graph_json(folder), trusted=True)
    manifest = read_manifest(out)
    assert manifest["counts"]["edges"] == len(graph.edges) and manifest["counts"]["entities"] == len(graph)
    store = open_store(folder)
    assert graph_from_store(store) == graph
    del store
    return graph


# ---- layout ---------------------------------------------------------------------------------------------------------
def test_a_build_is_a_version_published_through_one_link(sources, tmp_path):
    out = tmp_path / "out"
    build([sources], out)
    assert (out / CURRENT).is_symlink() and current_dir(out).parent.name == VERSIONS_DIR
    for name in ("graph.json", "manifest.json", "rdf.oxigraph"):
        assert (out / name).is_symlink() and os.readlink(out / name) == f"{CURRENT}/{name}"
    parts = read_manifest(out)["parts"]
    assert "graph.json" in parts and any(p.startswith("rdf.oxigraph/") for p in parts)
    consistent(out)


def test_only_the_previous_version_is_kept(sources, tmp_path):
    out = tmp_path / "out"
    for confidence in ("high", "medium", "low", "high"):
        write_sources(sources, confidence)
        build([sources], out)
    versions = sorted(p.name for p in (out / VERSIONS_DIR).iterdir())
    assert len(versions) == 2 and current_dir(out).name == versions[-1]


def test_an_old_plain_build_directory_is_converted(sources, tmp_path):
    out = tmp_path / "out"
    build([sources], out)
    legacy = tmp_path / "legacy"
    shutil.copytree(current_dir(out), legacy)
    manifest = json.loads((legacy / MANIFEST_FILE).read_text(encoding="utf-8"))
    del manifest["layout"], manifest["parts"]
    (legacy / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    (legacy / ".staging-123abc").mkdir()  # what the old code left after a crash
    assert kg("show", "ANKH", "--build-dir", legacy).exit_code == 0  # rebuilt on first read
    assert (legacy / CURRENT).is_symlink() and (legacy / "graph.json").is_symlink()
    assert not (legacy / ".staging-123abc").exists()
    consistent(legacy)


# ---- one writer ---------------------------------------------------------------------------------------------------
def test_a_second_builder_is_told_who_is_building(sources, tmp_path):
    out = tmp_path / "out"
    with build_lock(out):
        result = subprocess.run([KG, "build", "-q", "-s", str(sources), "--build-dir", str(out)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"a build of {out} is in progress by PID {os.getpid()}" in result.stderr and "--wait" in result.stderr
        with pytest.raises(BuildInProgress, match=r"waited 0\.2 s"):
            build([sources], out, wait=0.2)


def test_a_waiting_builder_builds_once_the_lock_is_free(sources, tmp_path):
    out = tmp_path / "out"
    held = threading.Event()

    def hold() -> None:
        with build_lock(out):
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    result = kg("build", "-q", "-s", sources, "--build-dir", out, "--wait", "30")
    thread.join()
    assert result.exit_code == 0, result.output
    consistent(out)


def test_readers_do_not_wait_for_a_writer(built):
    with build_lock(built):
        assert kg("show", "ANKH", "--build-dir", built).exit_code == 0


def _builder(args: tuple[str, str, object, float]) -> tuple[str, str]:
    src, out, barrier, wait = args
    barrier.wait()
    try:
        build([Path(src)], Path(out), wait=wait)
    except BuildInProgress as exc:
        return "busy", str(exc)
    return "built", src


@pytest.mark.slow
@pytest.mark.parametrize("wait", [0.0, 120.0])
def test_concurrent_builds_leave_one_consistent_build(tmp_path, wait):
    """Four builders of different source sets released at once by a barrier, several rounds: every builder either
    builds or is told the directory is busy (no traceback, no 'Directory not empty'), and what remains is one build
    whose graph file, manifest and store agree, from the sources of the last builder to finish."""
    sets = [write_sources(tmp_path / f"src{i}", c) for i, c in enumerate(("high", "medium", "low", "high"))]
    out = tmp_path / "out"
    ctx = multiprocessing.get_context("spawn")
    kinds: list[str] = []
    with ctx.Manager() as manager, ctx.Pool(4) as pool:
        for _round in range(3):
            barrier = manager.Barrier(4)
            results = pool.map(_builder, [(str(s), str(out), barrier, wait) for s in sets])
            kinds += [kind for kind, _ in results]
            built_ = [r for r in results if r[0] == "built"]
            assert built_, results
            assert all("in progress by PID" in msg for kind, msg in results if kind == "busy")
            if wait:
                assert len(built_) == 4
            graph = consistent(out)
            manifest = read_manifest(out)
            (source,) = manifest["sources"]
            from kg.load.pipeline import load_paths

            assert load_paths([Path(source)]) == graph
    assert not list((out / VERSIONS_DIR).glob(".staging-*"))
    assert "busy" in kinds if not wait else set(kinds) == {"built"}  # released together, they did contend


@pytest.mark.slow
def test_readers_of_a_stale_build_rebuild_it_once(sources, tmp_path):
    out = tmp_path / "out"
    build([sources], out)
    write_sources(sources, "medium")
    procs = [subprocess.Popen([KG, "show", "ANKH", "--build-dir", str(out), "--format", "json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert sum("rebuilding" in err for _, err in outputs) == 1, [err for _, err in outputs]
    assert consistent(out).edges[0].evidence[0].confidence == "medium"


# ---- crashes -------------------------------------------------------------------------------------------------------
CRASH = """
import os, signal, sys
from pathlib import Path
import kg.build, kg.builddir.versions as versions, kg.rdf.store as store

point, src, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
imports = [Path(p) for p in sys.argv[4:]]

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

if point == "view":
    store.write_store = die
elif point == "publish":
    versions._swap_link = die
elif point == "links":
    original = versions._swap_link
    versions._swap_link = lambda link, target: die() if link.name != "current" else original(link, target)
elif point == "cleanup":
    calls = []
    original_clean = kg.build.clean
    kg.build.clean = lambda out: die() if calls.append(1) or len(calls) > 1 else original_clean(out)
if point == "rebuild":
    versions._swap_link = die
    kg.build.ensure_current(out)
else:
    kg.build.build([src], out, imports=imports, allow_empty=True)
"""


def crash(point: str, src: Path, out: Path, *imports: Path) -> None:
    result = subprocess.run([sys.executable, "-c", CRASH, point, str(src), str(out), *map(str, imports)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == -9, result.stderr


IMPORT = ("source\ttarget\tsign\tmechanism\tpmid\tstatus\tnew\n"
          "GeneX\tANKH\t+\texpression_regulation\t1\thypothesis\tsource\n")


@pytest.mark.slow
@pytest.mark.parametrize("point", ["view", "publish", "cleanup"])
def test_a_build_killed_at_any_point_leaves_a_whole_build(sources, tmp_path, point):
    out = tmp_path / "out"
    build([sources], out)
    before = read_graph_json(out)
    write_sources(sources, "low")
    crash(point, sources, out)
    after = read_graph_json(ensure_current(out))  # old, or rebuilt from the changed sources: whole either way
    assert after == before or after["edges"][0]["evidence"][0]["confidence"] == "low"
    consistent(out)


@pytest.mark.slow
def test_a_first_build_killed_before_its_stable_links_still_reads(sources, tmp_path):
    out = tmp_path / "out"
    crash("links", sources, out)
    assert (out / CURRENT).is_symlink() and not (out / "graph.json").exists()
    assert kg("show", "ANKH", "--build-dir", out).exit_code == 0
    build([sources], out)
    assert (out / "graph.json").is_symlink()
    consistent(out)


@pytest.mark.slow
def test_crashed_leftovers_are_removed_by_the_next_build(sources, tmp_path):
    out = tmp_path / "out"
    build([sources], out)
    crash("view", sources, out)
    leftovers = list((out / VERSIONS_DIR).glob(".staging-*"))
    assert leftovers  # what a crashed build leaves (403 MB in the report)
    said: list[str] = []
    build([sources], out, progress=said.append)
    assert not list((out / VERSIONS_DIR).glob(".staging-*")) and not list(out.glob(".current-*"))
    assert any("left by an interrupted build" in s for s in said)


@pytest.mark.slow
def test_an_import_survives_a_crashed_automatic_rebuild(sources, tmp_path):
    out = tmp_path / "out"
    extra = tmp_path / "mine.tsv"
    extra.write_text(IMPORT, encoding="utf-8")
    assert kg("build", "-q", "-s", sources, "--add", extra, "--build-dir", out).exit_code == 0
    assert read_manifest(out)["imports"] == [str(extra.resolve())]
    write_sources(sources, "medium")  # stale: the next read rebuilds
    crash("rebuild", sources, out)
    result = kg("show", "GeneX", "--build-dir", out, "--format", "json")
    assert result.exit_code == 0, result.output
    assert read_manifest(out)["imports"] == [str(extra.resolve())]
    assert consistent(out).edges[0].evidence[0].confidence in ("medium", "high")


# ---- damage ---------------------------------------------------------------------------------------------------------
def _edit_graph(folder: Path) -> str:
    """A hand edit that keeps the file valid JSON of the same size (served as good before)."""
    text = (folder / "graph.json").read_text(encoding="utf-8")
    assert '"label": "ANKH"' in text
    (folder / "graph.json").write_text(text.replace('"label": "ANKH"', '"label": "XXXX"'), encoding="utf-8")
    return "graph.json"


def _truncate(rel: str):
    def damage(folder: Path) -> str:
        path = folder / rel if rel != "store" else max((folder / "rdf.oxigraph").glob("*.sst"),
                                                       key=lambda p: p.stat().st_size)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        return path.name
    return damage


def _flip_store_byte(folder: Path) -> str:
    path = max((folder / "rdf.oxigraph").glob("*.sst"), key=lambda p: p.stat().st_size)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path.name


def _delete(rel: str):
    def damage(folder: Path) -> str:
        path = folder / rel if rel != "store" else next((folder / "rdf.oxigraph").glob("*.sst"))
        path.unlink()
        return path.name if rel == "store" else rel
    return damage


def _garbage_manifest(folder: Path) -> str:
    (folder / MANIFEST_FILE).write_bytes(b"\x00\xff not json")
    return "manifest.json"


def _missing_version(folder: Path) -> str:
    shutil.rmtree(folder)
    return "missing"


DAMAGE = {"edited graph": _edit_graph, "truncated graph": _truncate("graph.json"),
          "truncated manifest": _truncate("manifest.json"), "garbage manifest": _garbage_manifest,
          "deleted graph": _delete("graph.json"), "deleted manifest": _delete("manifest.json"),
          "flipped store byte": _flip_store_byte, "truncated store file": _truncate("store"),
          "deleted store file": _delete("store"), "version gone": _missing_version}
READERS = {"show": ("show", "ANKH"), "info": ("info", "--format", "json"),
           "query": ("query", "interactions", "--of", "ANKH"),
           "sparql": ("sparql", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("reader", READERS)
def test_a_damaged_build_is_refused_with_one_message(built, damage, reader):
    part = DAMAGE[damage](current_dir(built))
    result = kg(*READERS[reader], "--build-dir", built)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # handled: no traceback
    (line,) = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert "is damaged" in line and part in line and "kg build" in line


def test_a_damaged_build_is_refused_by_a_real_process_too(built):
    _edit_graph(current_dir(built))
    result = subprocess.run([KG, "show", "ANKH", "--build-dir", str(built)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    assert "graph.json does not match its checksum" in result.stderr


def test_kg_build_replaces_a_damaged_build(built):
    (source,) = read_manifest(built)["sources"]
    _edit_graph(current_dir(built))
    assert kg("build", "-q", "-s", source, "--build-dir", built).exit_code == 0
    assert kg("show", "ANKH", "--build-dir", built).exit_code == 0


def test_garbled_stamps_only_cost_a_hash(built):
    (current_dir(built) / ".stamps.json").write_text("{not json", encoding="utf-8")
    assert kg("show", "ANKH", "--build-dir", built).exit_code == 0


def test_a_sparql_update_keeps_the_build_verifiable(built):
    result = kg("sparql", "--write", "--build-dir", built,
                'INSERT DATA { <urn:kg:x> <http://www.w3.org/2000/01/rdf-schema#label> "x" }')
    assert result.exit_code == 0, result.output
    assert read_manifest(built)["store_updated"] is True
    assert kg("show", "ANKH", "--build-dir", built).exit_code == 0


# ---- builds that would lose something --------------------------------------------------------------------------
def test_an_empty_build_is_refused_unless_allowed(built, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    before = read_graph_json(built)
    result = kg("build", "-q", "-s", empty, "--build-dir", built)
    assert result.exit_code == 2 and "would be empty" in result.output and "--allow-empty" in result.output
    assert read_graph_json(ensure_current(built)) == before
    assert kg("build", "-q", "-s", empty, "--build-dir", built, "--allow-empty").exit_code == 0
    assert read_graph_json(built)["entities"] == []
    fresh = kg("build", "-q", "-s", empty, "--build-dir", tmp_path / "fresh")
    assert fresh.exit_code == 2 and current_dir(tmp_path / "fresh") is None


@pytest.mark.parametrize("content", ["", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n"])
def test_an_empty_or_foreign_rdf_file_does_not_replace_a_build(built, tmp_path, content):
    rdf = tmp_path / "foreign.ttl"
    rdf.write_text(content, encoding="utf-8")
    before = read_graph_json(built)
    result = kg("build", "-q", "--from", rdf, "--build-dir", built)
    assert result.exit_code == 2 and "would be empty" in result.output
    assert read_graph_json(ensure_current(built)) == before


def test_a_build_that_would_drop_imports_is_refused(sources, tmp_path):
    out, extra = tmp_path / "out", tmp_path / "mine.tsv"
    extra.write_text(IMPORT, encoding="utf-8")
    assert kg("build", "-q", "-s", sources, "--add", extra, "--build-dir", out).exit_code == 0
    result = kg("build", "-q", "-s", sources, "--build-dir", out)
    assert result.exit_code == 2 and "drop the import(s)" in result.output and str(extra.resolve()) in result.output
    assert kg("build", "-q", "-s", sources, "--add", extra, "--build-dir", out).exit_code == 0
    assert kg("build", "-q", "-s", sources, "--build-dir", out, "--allow-empty").exit_code == 0
    assert read_manifest(out)["imports"] == []


def test_replacing_the_sources_with_a_smaller_graph_is_refused(sources, tmp_path):
    out = tmp_path / "out"
    build([sources], out)
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    (smaller / "a.yaml").write_text(ENTITIES, encoding="utf-8")
    (smaller / "b.yaml").write_text(EDGE.format(name="b", extra="", confidence="high"), encoding="utf-8")
    (sources / "c.yaml").write_text(EDGE.format(name="c", extra="", confidence="high").replace(
        "ANKH\n    predicate: transports", "TGFB1\n    predicate: increases_expression_of").replace(
        "object: ATP", "object: ANKH").replace("from_compartment: intracellular\n    to_compartment: extracellular\n",
                                              ""), encoding="utf-8")
    build([sources], out)
    result = kg("build", "-q", "-s", smaller, "--build-dir", out)
    assert result.exit_code == 2 and "with a smaller one" in result.output
