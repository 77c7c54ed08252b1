"""kg check refuses a bad cases file with every problem at once (case id and line each), and reports accuracy per
area and per context besides the totals."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import LoadErrors
from kg.simulate.check import check, load_cases


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("check") / "build"
    assert CliRunner().invoke(main, ["build", "-q", "--build-dir", str(out)]).exit_code == 0
    return out


def cases_file(tmp_path, text: str):
    path = tmp_path / "cases.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


BAD = """\
readouts:
  PPi: [PPi]
cases:
  - id: ok
    perturb: [ENPP1=ko]
    expect: {PPi: decrease}
  - id: c1
    context: synovium
    perturb: [ENPP1=ko]
    expect: {PPi: decrease}
  - id: c2
    perturb: [ENPPX=ko]
    expect: {PPi: decrease}
  - id: c3
    perturb: [ENPP1=ko]
    fold: {PPi: [5, 1]}
  - id: c4
    perturb: [ENPP1=ko]
    fold: {PPi: [.nan, .inf]}
  - id: c5
    perturb: [ENPP1=1e308]
    expect: {PPi: down}
  - id: c1
    perturb: [ALPL=ko]
    compare: {PPi: {lower_than: [NOSUCH=ko]}}
"""


def test_every_problem_in_a_cases_file_is_reported_at_once(build_dir, tmp_path):
    path = cases_file(tmp_path, BAD)
    result = CliRunner().invoke(main, ["check", str(path), "--build-dir", str(build_dir)])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    errors = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    expected = [("c3", 14, "is inverted"), ("c4", 17, "is not finite"), ("c5", 20, "expect.PPi is 'down'"),
                ("c1", 23, "id given twice (first at line 7)")]
    for cid, line, what in expected:
        assert any(f"cases.yaml:{line}: case {cid}: " in e and what in e for e in errors), (cid, errors)
    assert len(errors) == len(expected)  # shape errors first; the graph is consulted once the file is well formed


def test_unknown_contexts_and_perturbations_are_refused(build_dir, tmp_path):
    path = cases_file(tmp_path, """\
        cases:
          - {id: ok, perturb: [ENPP1=ko], expect: {PPi: decrease}}
          - {id: c1, context: synovium, perturb: [ENPP1=ko], expect: {PPi: decrease}}
          - {id: c2, perturb: [ENPPX=ko], expect: {PPi: decrease}}
          - {id: c5, perturb: [ENPP1=1e308], expect: {PPi: decrease}}
          - {id: c6, perturb: [ALPL=ko], compare: {PPi: {lower_than: [NOSUCH=ko]}}}
        """)
    result = CliRunner().invoke(main, ["check", str(path), "--build-dir", str(build_dir)])
    assert result.exit_code == 2, result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert any("cases.yaml:3: case c1: unknown context 'synovium'" in e and "field 'context'" in e for e in errors)
    assert any("cases.yaml:4: case c2: unknown entity 'ENPPX'" in e and "ENPP1" in e for e in errors), errors
    assert any("cases.yaml:5: case c5:" in e and "from 0 to 1000" in e for e in errors), errors
    assert any("cases.yaml:6: case c6: unknown entity 'NOSUCH'" in e and "compare.PPi" in e for e in errors)
    assert len(errors) == 4


def test_compartments_are_read_in_perturbations_and_readouts_and_an_unknown_one_is_refused(build_dir, tmp_path):
    good = cases_file(tmp_path, """\
        readouts:
          bonePPi: [PPi@bone]
        cases:
          - {id: a, perturb: ["Pi@gut=2"], expect: {serum phosphate: increase, bonePPi: unchanged}}
        """)
    result = CliRunner().invoke(main, ["check", str(good), "--build-dir", str(build_dir), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    rows = json.loads(result.output)["checks"]
    assert [r["covered"] for r in rows] == [True, True] and rows[0]["ok"], rows
    bad = cases_file(tmp_path, """\
        cases:
          - {id: ok, perturb: ["Pi@gut=2"], expect: {PPi: decrease}}
          - {id: c1, perturb: ["Pi@liver=2"], expect: {PPi: decrease}}
          - {id: c2, context: hek293, perturb: ["Pi@gut=2"], expect: {PPi: decrease}}
        """)
    result = CliRunner().invoke(main, ["check", str(bad), "--build-dir", str(build_dir)])
    assert result.exit_code == 2, result.output
    errors = [ln for ln in result.output.splitlines() if ln.startswith("error:")]
    assert any("cases.yaml:3: case c1: unknown compartment 'liver'" in e and "field 'perturb'" in e for e in errors)
    assert any("cases.yaml:4: case c2: unknown compartment 'gut'" in e for e in errors), errors
    assert len(errors) == 2


def test_skip_unknown_scores_unknown_entities_as_not_covered(build_dir, tmp_path):
    path = cases_file(tmp_path, """\
        cases:
          - {id: a, perturb: [ENPP1=ko], expect: {PPi: decrease}}
          - {id: b, perturb: [SLC99Z9=ko], expect: {PPi: decrease}}
        """)
    assert CliRunner().invoke(main, ["check", str(path), "--build-dir", str(build_dir)]).exit_code == 2
    result = CliRunner().invoke(main, ["check", str(path), "--build-dir", str(build_dir), "--skip-unknown",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert (summary["expectations"], summary["covered"], summary["passed"]) == (2, 1, 1)


def test_accuracy_is_reported_per_area_and_per_context(build_dir, tmp_path):
    path = cases_file(tmp_path, """\
        cases:
          - {id: a, area: vascular, perturb: [ENPP1=ko], expect: {PPi: decrease}}
          - {id: b, area: vascular, perturb: [ENPP1=ko], expect: {PPi: increase}}
          - {id: c, context: chondrocyte, perturb: [TGFB1=up], expect: {ANKH: increase}}
          - {id: d, context: hek293, perturb: [ANKH=up], expect: {PPi: increase}, fold: {PPi: [3.0, 8.0]}}
        """)
    result = CliRunner().invoke(main, ["check", str(path), "--build-dir", str(build_dir), "--format", "json"])
    assert result.exit_code == 1  # case b misses
    summary = json.loads(result.output)["summary"]
    assert summary["by_area"]["vascular"] == {"expectations": 2, "covered": 2, "passed": 1, "accuracy": 0.5,
                                              "coverage": 1.0, "cases": 2, "cases_passed": 1}
    assert summary["by_area"]["core"]["expectations"] == 3 and summary["by_area"]["core"]["accuracy"] == 1.0
    assert set(summary["by_context"]) == {"plasma", "chondrocyte", "hek293"}
    assert summary["by_context"]["plasma"]["accuracy"] == 0.5 and summary["by_context"]["hek293"]["passed"] == 2
    table = CliRunner().invoke(main, ["check", str(path), "--build-dir", str(build_dir), "--format", "table"])
    assert "accuracy by area" in table.output and "accuracy by context" in table.output
    assert "vascular" in table.output


def test_rows_carry_area_and_context_name(curated_graph, tmp_path):
    path = cases_file(tmp_path, "cases:\n  - {id: a, perturb: [ENPP1=ko], expect: {PPi: decrease}}\n")
    rows = check(curated_graph, load_cases(path, curated_graph)).rows
    assert (rows[0]["area"], rows[0]["context"], rows[0]["context_name"]) == ("core", None, "plasma")


def test_load_cases_without_a_graph_checks_the_shape_only(tmp_path):
    path = cases_file(tmp_path, "cases:\n  - {id: a, perturb: [NOSUCH=ko], expect: {X: decrease}}\n")
    assert load_cases(path)["cases"][0]["id"] == "a"
    with pytest.raises(LoadErrors, match=r"case a: fold\.X"):
        load_cases(cases_file(tmp_path, "cases:\n  - {id: a, perturb: [A], fold: {X: [1, 0.5]}}\n"))
