"""Builds: deterministic bytes, atomic writes that leave nothing half-built, rebuild when a source changes."""

import json
import shutil

import pytest

from kg.build import GRAPH_FILE, MANIFEST_FILE, build, load_graph, stale_reason
from kg.errors import LoadErrors

from .test_load import EDGE, ENTITIES


@pytest.fixture()
def sources(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.yaml").write_text(ENTITIES, encoding="utf-8")
    (src / "b.yaml").write_text(EDGE.format(name="b", extra="", confidence="high"), encoding="utf-8")
    return src


def test_building_twice_gives_byte_identical_output(sources, tmp_path):
    build([sources], tmp_path / "b1")
    build([sources], tmp_path / "b2")
    for name in (GRAPH_FILE, MANIFEST_FILE):
        a, b = (tmp_path / "b1" / name).read_bytes(), (tmp_path / "b2" / name).read_bytes()
        if name == MANIFEST_FILE:  # the manifest records the build's own source paths, identical here
            a, b = _without_store_parts(json.loads(a)), _without_store_parts(json.loads(b))
        assert a == b


def _without_store_parts(manifest):
    """The manifest less the checksums of the RDF store's files: RocksDB numbers and stamps its files anew on every
    write, so only the graph file and the rest of the manifest are byte-identical between builds."""
    parts = manifest.pop("parts")
    assert parts["graph.json"]["sha256"] == manifest["graph_sha256"]
    assert any(rel.startswith("rdf.oxigraph/") for rel in parts)
    return manifest


def test_manifest_has_counts_checksums_and_version(sources, tmp_path):
    manifest = build([sources], tmp_path / "out")
    assert manifest["counts"]["entities"] == 3 and manifest["counts"]["edges"] == 1
    assert manifest["counts"]["edges_with_evidence_share"] == 1.0
    assert set(manifest["checksums"]) >= {"schema/kg.yaml"} and len(manifest["checksums"]) == 3
    assert manifest["kg_version"]


def test_a_failed_build_leaves_the_previous_one_untouched(sources, tmp_path):
    out = tmp_path / "out"
    build([sources], out)
    before = _files(out)
    assert any("/rdf.oxigraph/" in name for name in before)  # the RDF store is part of the build (its version)
    (sources / "b.yaml").write_text(EDGE.format(name="b", extra="", confidence="high").replace(
        "transports", "exports"), encoding="utf-8")
    with pytest.raises(LoadErrors):
        build([sources], out)
    assert _files(out) == before  # no staging folder left either


def _files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_changed_source_makes_the_build_stale_and_load_rebuilds(sources, tmp_path):
    out = tmp_path / "out"
    build([sources], out)
    assert stale_reason(out) is None
    shutil.copy(sources / "b.yaml", sources / "c.yaml")
    (sources / "c.yaml").write_text((sources / "b.yaml").read_text(encoding="utf-8").replace(
        "confidence: high}", "confidence: high}\n      - {source: \"PMID:35147247\"}"))
    assert "source changed" in stale_reason(out)
    g = load_graph(out)
    assert len(g.edges[0].evidence) == 2 and stale_reason(out) is None


def test_the_build_round_trips_to_an_equal_graph(sources, tmp_path):
    from kg.load.pipeline import load_paths

    build([sources], tmp_path / "out")
    assert load_graph(tmp_path / "out") == load_paths([sources])
