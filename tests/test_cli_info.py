"""`kg info`: counts per curation area (each loader file's `source.area`), and unknown areas refused (exit 2)."""

import json
from pathlib import Path

import pytest

from kg.cli import main

from .test_cli import TGFB1_EDGE, built
from .test_load import EDGE, ENTITIES

TREATMENT_EDGE = EDGE.replace("source: {{name: {name}}}", "source: {{name: {name}, area: treatment}}")


@pytest.fixture()
def env(tmp_path):
    """a.yaml (core) defines three entities; b.yaml (systemic) and c.yaml (treatment) state the same edge; d.yaml
    declares no area."""
    return built(tmp_path, {
        "a.yaml": ENTITIES.replace("source: {name: entities}", "source: {name: entities, area: core}"),
        "b.yaml": EDGE.replace("source: {{name: {name}}}", "source:\n  name: {name}\n  area: systemic")
        .format(name="b", extra="", confidence="high"),
        "c.yaml": TREATMENT_EDGE.format(name="c", extra="", confidence="high"),
        "d.yaml": "source: {name: d}\n" + TGFB1_EDGE})


def test_info_json_counts_entities_and_edges_per_area(env):
    runner, bd, _ = env
    info = json.loads(runner.invoke(main, ["info", "--format", "json", *bd]).stdout)
    assert info["entities"] == 3 and info["edges"] == 2
    assert info["by_area"] == {
        "core": {"files": 1, "entities": 3, "edges": 0},
        # the one edge b.yaml and c.yaml both state counts in both areas
        "systemic": {"files": 1, "entities": 0, "edges": 1},
        "treatment": {"files": 1, "entities": 0, "edges": 1},
        "unassigned": {"files": 1, "entities": 0, "edges": 1},
    }


def test_info_table_lists_areas_and_says_how_shared_edges_count(env):
    runner, bd, _ = env
    result = runner.invoke(main, ["info", "--format", "tsv", *bd])
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert ["area edges", "systemic", "1"] in rows and ["area entities", "core", "3"] in rows
    assert ["area files", "unassigned", "1"] in rows
    table = runner.invoke(main, ["info", "--format", "table", *bd])
    assert table.exit_code == 0 and "counts in both" in table.stderr and "area edges" in table.stdout


@pytest.mark.parametrize("area", ["systemc", "[core]"])
def test_unknown_area_exits_2_naming_file_line_and_field(env, area):
    runner, bd, src = env
    (src / "b.yaml").write_text(EDGE.replace("source: {{name: {name}}}", f"source:\n  name: {{name}}\n  area: {area}")
                                .format(name="b", extra="", confidence="high"), encoding="utf-8")
    for command in (["validate", str(src)], ["build", "-q", "-s", str(src), *bd]):
        result = runner.invoke(main, command)
        assert result.exit_code == 2, result.output
        assert "b.yaml:3" in result.stderr and "source.area" in result.stderr and "unknown area" in result.stderr
        assert "systemic" in result.stderr  # the known areas are named
        assert "Traceback" not in result.output


def test_the_manifest_records_each_files_area(env):
    from kg.build import read_manifest

    _, bd, _ = env
    areas = read_manifest(Path(bd[1]))["areas"]
    assert {Path(k).name: v for k, v in areas.items()} == {"a.yaml": "core", "b.yaml": "systemic",
                                                           "c.yaml": "treatment"}
