"""The simulator's on-disk model cache: kept inside the versioned build folder, served on a hit with identical
predictions, never when the build, context, hypotheses or removed edges differ, never for a tampered graph,
rewritten when damaged, and harmless when the folder cannot be written."""

from __future__ import annotations

import json
import shutil

import pytest

from kg.build import DamagedBuild, build, ensure_current
from kg.paths import loaders_dir
from kg.simulate import Simulator, cache
from kg.simulate.lite import load_lite


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    build([loaders_dir()], out)
    return out


def cache_dir(out):
    """The cache folder of a build: inside its current version (a new build starts without one)."""
    return ensure_current(out) / cache.FOLDER


def entries(out):
    return sorted(cache_dir(out).glob(f"*{cache.SUFFIX}"))


def test_a_hit_serves_the_stored_model_and_predicts_exactly_as_a_fresh_build(built, curated_graph, monkeypatch):
    shutil.rmtree(cache_dir(built), ignore_errors=True)
    first = Simulator(load_lite(built), "plasma").run(["ENPP1=ko"]).to_json()
    assert len(entries(built)) == 1

    def refuse(*_a, **_k):
        raise AssertionError("the model was derived again although the cache holds it")

    monkeypatch.setattr(cache, "_derive", refuse)
    again = Simulator(load_lite(built), "plasma").run(["ENPP1=ko"]).to_json()
    monkeypatch.undo()
    fresh = Simulator(curated_graph, "plasma").run(["ENPP1=ko"]).to_json()  # a KnowledgeGraph: no cache
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True) == json.dumps(fresh, sort_keys=True)


def test_the_key_follows_everything_the_model_depends_on():
    base = cache.key("graph-a", "KG:plasma", frozenset(), frozenset())
    others = [cache.key("graph-b", "KG:plasma", frozenset(), frozenset()),
              cache.key("graph-a", "UBERON:0002481", frozenset(), frozenset()),
              cache.key("graph-a", "KG:plasma", frozenset({"edge.1"}), frozenset()),
              cache.key("graph-a", "KG:plasma", frozenset(), frozenset({"edge.1"}))]
    assert len({base, *others}) == 5
    assert base == cache.key("graph-a", "KG:plasma", frozenset(), frozenset())


def test_a_changed_build_is_never_served_the_old_model(built, tmp_path):
    src = tmp_path / "loaders"
    shutil.copytree(loaders_dir(), src)
    contexts = src / "contexts.yaml"
    text = contexts.read_text(encoding="utf-8")
    old = 'NT5E>AMP.vmax: {value: 4.05,'
    assert old in text
    contexts.write_text(text.replace(old, 'NT5E>AMP.vmax: {value: 8.1,'), encoding="utf-8")
    out = tmp_path / "build"
    build([src], out)
    shutil.copytree(cache_dir(built), cache_dir(out), dirs_exist_ok=True)  # an old entry lying around
    before = {p.name for p in entries(out)}
    mine = Simulator(load_lite(out), "hek293").run(["ANKH=up"], readouts=["AMP"]).readouts[0]
    theirs = Simulator(load_lite(built), "hek293").run(["ANKH=up"], readouts=["AMP"]).readouts[0]
    assert mine["baseline"] < theirs["baseline"]  # twice the CD73 capacity: less AMP
    assert {p.name for p in entries(out)} - before  # a new entry under the new build's key


def test_a_damaged_entry_is_ignored_and_rewritten(built):
    Simulator(load_lite(built), "chondrocyte").run(["ANKH=ko"])
    graph = load_lite(built)
    sim = Simulator(graph, "chondrocyte")
    path = cache_dir(built) / f"{cache.key(graph.digest, sim.ctx.id, frozenset(), frozenset())}{cache.SUFFIX}"
    want = sim.run(["ANKH=ko"]).to_json()
    path.write_bytes(b"not a cache entry")
    got = Simulator(load_lite(built), "chondrocyte").run(["ANKH=ko"]).to_json()
    assert got == want and path.read_bytes() != b"not a cache entry"


def test_the_cache_is_inside_the_versioned_build_folder(built):
    Simulator(load_lite(built), "plasma").run(["ENPP1=ko"], readouts=["PPi"])
    assert entries(built) and not (built / cache.FOLDER).exists()
    assert cache_dir(built).parent.parent.name == ".versions"


def test_a_tampered_graph_is_refused_although_its_model_is_cached(built, tmp_path):
    """The cache is keyed by the graph.json bytes, which are checked against the manifest before anything is served."""
    out = tmp_path / "out"
    shutil.copytree(built, out, symlinks=True)
    Simulator(load_lite(out), "plasma").run(["ENPP1=ko"], readouts=["PPi"])  # the model is cached now
    graph = ensure_current(out) / "graph.json"
    text = graph.read_text(encoding="utf-8")
    assert '"label": "ENPP1"' in text
    graph.write_text(text.replace('"label": "ENPP1"', '"label": "XXXXX"'), encoding="utf-8")  # same size
    with pytest.raises(DamagedBuild, match=r"graph\.json does not match its checksum"):
        load_lite(out)


def test_a_folder_that_cannot_be_written_means_no_cache(built, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    store = cache.ModelCache(blocked / "sub")
    store.save("k", cache.Entry({}, "", compile("0", "<x>", "eval"), [], [], [], [], []))
    assert store.load("k") is None
