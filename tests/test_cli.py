"""The CLI through click's runner: formats, stable JSON, exit codes, errors for people."""

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

from .test_load import EDGE, ENTITIES

TGFB1_EDGE = ("edges:\n  - {subject: TGFB1, predicate: increases_expression_of, object: ANKH, "
              "evidence: [{source: \"DOI:10.1186/ar2330\", species: rat}]}\n")


def built(tmp_path, files: dict[str, str]):
    """The source files written to tmp_path/src and built: (runner, build-dir args, source folder)."""
    src = tmp_path / "src"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path / "build"
    runner = CliRunner()
    result = runner.invoke(main, ["build", "-q", "-s", str(src), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    return runner, ["--build-dir", str(out)], src


@pytest.fixture()
def env(tmp_path):
    return built(tmp_path, {"a.yaml": ENTITIES, "b.yaml": EDGE.format(name="b", extra="", confidence="high"),
                            "c.yaml": TGFB1_EDGE})


def test_show_card_json_is_stable(env):
    runner, bd, _ = env
    result = runner.invoke(main, ["show", "tgf-beta1", "--format", "json", *bd])
    assert result.exit_code == 0
    card = json.loads(result.stdout)
    assert card["id"] == "HGNC:11766" and card["label"] == "TGF-β1"
    [edge] = card["edges"]
    assert {"id", "subject", "predicate", "object", "sign", "mechanism", "status", "evidence", "subject_label",
            "object_label"} <= set(edge)
    assert edge["evidence"][0] == {"source": "DOI:10.1186/ar2330", "species": "rat", "confidence": "medium",
                                   "status": "established"}


def test_show_table_and_tsv(env):
    runner, bd, _ = env
    table = runner.invoke(main, ["show", "ANKH", "--format", "table", *bd])
    assert table.exit_code == 0 and "ANKH  (HGNC:15492, gene_or_protein)" in table.stdout
    tsv = runner.invoke(main, ["show", "ANKH", "--format", "tsv", *bd]).stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["edge", "sign", "status"] and len(tsv) == 3


def test_unknown_name_exits_2_with_suggestions(env):
    runner, bd, _ = env
    result = runner.invoke(main, ["show", "ANHK", *bd])
    assert result.exit_code == 2
    assert "error: unknown entity 'ANHK'; did you mean: ANKH" in result.stderr and result.stdout == ""


def test_info_json_counts_by_category_and_predicate(env):
    runner, bd, _ = env
    info = json.loads(runner.invoke(main, ["info", "--format", "json", *bd]).stdout)
    assert info["entities"] == 3 and info["edges"] == 2 and info["edges_with_evidence_share"] == 1.0
    assert info["by_category"] == {"gene_or_protein": 2, "small_molecule": 1}
    assert info["by_predicate"] == {"increases_expression_of": 1, "transports": 1}


def test_query_commands(env):
    runner, bd, _ = env
    rows = json.loads(runner.invoke(main, ["query", "interactions", "--of", "ANKH", "--sign", "positive",
                                           "--format", "json", *bd]).stdout)
    assert len(rows) == 2
    rows = json.loads(runner.invoke(main, ["query", "interactions", "--predicate", "transports", "--format",
                                           "json", *bd]).stdout)
    assert [r["object_label"] for r in rows] == ["ATP"]
    rows = json.loads(runner.invoke(main, ["query", "paths", "TGFB1", "ATP", "--signed", "--format", "json",
                                           *bd]).stdout)
    assert rows[0]["labels"] == ["TGF-β1", "ANKH", "ATP"] and rows[0]["sign"] == "positive"
    rows = json.loads(runner.invoke(main, ["query", "regulators", "ANKH", "--format", "json", *bd]).stdout)
    assert [r["regulator_label"] for r in rows] == ["TGF-β1"]
    rows = json.loads(runner.invoke(main, ["query", "neighbors", "ATP", "--depth", "2", "--format", "json",
                                           *bd]).stdout)
    assert {r["label"]: r["distance"] for r in rows} == {"ANKH": 1, "TGF-β1": 2}


def test_bad_predicate_and_usage_exit_2(env):
    runner, bd, _ = env
    bad = runner.invoke(main, ["query", "interactions", "--predicate", "exports", *bd])
    assert bad.exit_code == 2 and "unknown predicate 'exports'" in bad.stderr
    usage = runner.invoke(main, ["show", *bd])
    assert usage.exit_code == 2
    assert runner.invoke(main, ["show", "ANKH", "--format", "xml", *bd]).exit_code == 2


def test_validate_reports_file_line_and_exits_2(env, tmp_path):
    runner, _, src = env
    ok = runner.invoke(main, ["validate", str(src), "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["valid"] is True
    (src / "d.yaml").write_text("edges:\n  - {subject: ANKH, predicate: transports, object: ATP}\n", encoding="utf-8")
    bad = runner.invoke(main, ["validate", str(src)])
    assert bad.exit_code == 2 and "d.yaml:2" in bad.stderr and "field 'evidence'" in bad.stderr


def test_build_refuses_bad_sources_and_keeps_the_old_build(env):
    runner, bd, src = env
    (src / "d.yaml").write_text("entities:\n  - {id: HGNC:abc, category: gene_or_protein, label: X}\n",
        encoding="utf-8")
    result = runner.invoke(main, ["build", "-q", "-s", str(src), *bd])
    assert result.exit_code == 2 and "HGNC:abc" in result.stderr
    (src / "d.yaml").unlink()
    assert runner.invoke(main, ["show", "ANKH", *bd]).exit_code == 0


def test_commands_rebuild_when_a_source_changed(env, caplog):
    runner, bd, src = env
    (src / "d.yaml").write_text("entities:\n  - {id: CHEBI:16027, category: small_molecule, label: AMP}\n",
                                encoding="utf-8")
    result = runner.invoke(main, ["show", "AMP", "--format", "json", *bd])
    assert result.exit_code == 0 and json.loads(result.stdout)["id"] == "CHEBI:16027"
    assert "rebuilding" in caplog.text and "d.yaml" in caplog.text


def test_version_and_help_are_fast_paths():
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).exit_code == 0
    help_text = runner.invoke(main, ["--help"]).stdout
    for cmd in ("build", "validate", "info", "show", "query"):
        assert cmd in help_text
