"""`kg export ...` through the real CLI: files written, bad arguments exit 2 and leave nothing behind."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.conftest import require

HAS_DOT = shutil.which("dot") is not None


@pytest.fixture(scope="session")
def build_dir(tmp_path_factory):
    from kg.build import build
    from kg.paths import loaders_dir

    out = tmp_path_factory.mktemp("build")
    build([loaders_dir()], out)
    return out


def run(*args):
    return CliRunner().invoke(main, ["export", *map(str, args)], catch_exceptions=False)


@pytest.mark.parametrize(("command", "name", "extra"), [
    ("graphml", "g.graphml", []), ("gexf", "g.gexf", []), ("cytoscape", "g.cyjs", ["--layout", "grid"]),
    ("cx2", "g.cx2", ["--layout", "grid"]), ("sbgn", "g.sbgn", ["--layout", "grid"]), ("mermaid", "g.mmd", []),
    ("sif", "g.sif", []), ("sif", "g.txt", ["--extended"]),
])
def test_export_writes_the_file(command, name, extra, build_dir, tmp_path):
    result = run(command, "--build-dir", build_dir, "-o", tmp_path / name, *extra)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_kgx_writes_nodes_and_edges(build_dir, tmp_path):
    result = run("kgx", "--build-dir", build_dir, "--format", "jsonl", "-o", tmp_path / "ankh")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ankh_edges.jsonl", "ankh_nodes.jsonl"]


def test_diagram_core_module_svg(build_dir, tmp_path):
    require(HAS_DOT, "Graphviz 'dot' is not installed (Debian package graphviz)")
    out = tmp_path / "core.svg"
    result = run("diagram", "--build-dir", build_dir, "--module", "core", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "kg: core module" in text and ">ANKH<" in text and ">MYBBP1A<" in text


@pytest.mark.parametrize("args", [
    ["diagram", "--format", "gif"],
    ["diagram", "--focus", "NOSUCHGENE"],
    ["diagram", "--module", "nosuch"],
    ["diagram", "--format", "png"],          # -o x.svg: the suffix contradicts the format
    ["nosuchformat"],
    ["kgx", "--format", "csv"],
])
def test_bad_arguments_exit_2_and_write_nothing(args, build_dir, tmp_path):
    out = tmp_path / "x.svg"
    result = run(*args, "--build-dir", build_dir, "-o", out) if args[0] != "nosuchformat" else \
        run(*args, "-o", out)
    assert result.exit_code == 2, result.output
    assert list(tmp_path.iterdir()) == []


def test_unknown_focus_says_so(build_dir, tmp_path):
    result = run("diagram", "--build-dir", build_dir, "--focus", "NOSUCHGENE", "-o", tmp_path / "x.svg")
    assert result.exit_code == 2
    assert "unknown entity 'NOSUCHGENE'" in result.output


@pytest.mark.parametrize("command", ["graphml", "diagram", "html"])
def test_unwritable_path_exits_2(command, build_dir, tmp_path):
    missing = tmp_path / "no" / "such" / "folder" / "x.out"
    result = run(command, "--build-dir", build_dir, "-o", missing)
    assert result.exit_code == 2
    assert "does not exist" in result.output
    if os.geteuid() != 0:  # root writes anywhere; the permission check only means something for other users
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        result = run(command, "--build-dir", build_dir, "-o", locked / "x.out")
        assert result.exit_code == 2
        assert "not writable" in result.output


def test_rdf_is_listed_only_when_its_module_exists():
    import importlib.util

    result = CliRunner().invoke(main, ["export", "--help"])
    assert result.exit_code == 0
    listed = "  rdf " in result.output
    assert listed == (importlib.util.find_spec("kg.cli.rdf") is not None)


@pytest.mark.parametrize("context", [None, "chondrocyte"])
def test_overlay_on_a_module_predicts_on_the_whole_graph(context, build_dir, tmp_path):
    """The core module holds no context entity: the prediction must run on the whole graph, the picture on a part."""
    from kg.build import load_graph
    from kg.export.style import DIRECTION_COLOURS
    from kg.simulate import predict

    out = tmp_path / "p5l.dot"
    ctx = ["--context", context] if context else []
    result = run("diagram", "--build-dir", build_dir, "--module", "core", "--overlay", "ANKH:p.P5L", *ctx,
                 "-o", out)
    assert result.exit_code == 0, result.output
    src = out.read_text(encoding="utf-8")
    assert "ANKH:p.P5L" in src
    prediction = predict(load_graph(build_dir, rebuild=False), ["ANKH:p.P5L"], context=context)
    ppi = prediction.readout("CHEBI:18361")
    assert ppi["direction"] == "increase"
    line = next(line for line in src.splitlines() if line.strip().startswith('"CHEBI:18361" ['))
    assert f'fillcolor="{DIRECTION_COLOURS["increase"]}"' in line
