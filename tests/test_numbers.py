"""Numbers stay finite: perturbation levels are bounded with a documented range, the solver gives finite answers
over the whole range, arithmetic failures and non-finite results exit 1 with one message, and no command's JSON
holds NaN or Infinity. Also the crashes of `kg predict ATP=up ENPP1=up` and `kg screen --effect up --pairs`."""

from __future__ import annotations

import json
import math

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.numbers import NumericalFailure, non_finite_path, numeric_guard, require_finite
from kg.simulate.perturb import MAX_LEVEL, parse_effect
from kg.simulate.predict import Simulator


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("numbers") / "build"
    result = CliRunner().invoke(main, ["build", "-q", "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def lite(build_dir):
    from kg.simulate.lite import load_lite

    return load_lite(build_dir)


def kg(build_dir, *args: str):
    return CliRunner().invoke(main, [*args, "--build-dir", str(build_dir)])


def _strict_json(text: str):
    """Parse JSON refusing the NaN / Infinity / -Infinity tokens Python's json writes and reads by default."""
    def refuse(token: str):
        raise AssertionError(f"non-finite number {token} in JSON output")
    return json.loads(text, parse_constant=refuse)


# ---- inputs -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["1e308", "1e200", "1001", "-1", "-0.5", "nan", "inf", "-inf", "1e-400x", "0x10",
                                 "1" * 40, "", "  "])
def test_out_of_range_or_malformed_levels_are_refused(raw):
    from kg.errors import InputError

    with pytest.raises(InputError, match=f"from 0 to {MAX_LEVEL:g}"):
        parse_effect(f"ENPP1={raw}", raw)


@pytest.mark.parametrize("raw", ["0", "0.5", "1", "1e3", str(MAX_LEVEL), "1e-300"])
def test_levels_in_range_are_accepted(raw):
    assert parse_effect(f"ENPP1={raw}", raw) == ("number", float(raw))


@pytest.mark.parametrize("args", [("ENPP1=1e308",), ("oral PPi=1e308",), ("ENPP1=1e200", "ALPL=1e200")])
def test_the_cli_refuses_huge_levels_with_exit_2(build_dir, args):
    result = kg(build_dir, "predict", *args)
    assert result.exit_code == 2 and "from 0 to 1000" in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.slow
def test_every_entity_at_both_ends_of_the_range_gives_finite_answers(lite):
    """What the documented range promises: 0 and MAX_LEVEL on every perturbable entity, in every context."""
    from kg.simulate.contexts import available, short_name

    for context in available(lite):
        sim = Simulator(lite, short_name(context))
        for ent in lite.entities:
            if ent.category in ("sequence_variant", "cell_system"):
                continue
            for level in (0, MAX_LEVEL):
                data = sim.run([f"{ent.id}={level:g}"]).to_json()
                assert non_finite_path(data) is None, (context.id, ent.id, level)


@pytest.mark.slow
def test_many_perturbations_at_the_top_of_the_range_stay_finite(build_dir, lite):
    genes = [e.id for e in lite.entities if e.category == "gene_or_protein"][:50]
    result = kg(build_dir, "predict", *[f"{g}={MAX_LEVEL:g}" for g in genes], "--format", "json")
    assert result.exit_code in (0, 1), result.output  # a result, or a refusal to report a non-finite one
    if result.exit_code == 0:
        _strict_json(result.output)
    else:
        assert "non-finite" in result.output and isinstance(result.exception, SystemExit)


# ---- the output boundary ------------------------------------------------------------------------------------------
def test_non_finite_numbers_are_found_wherever_they_are():
    assert non_finite_path({"a": [1.0, {"b": 2}], "c": "nan"}) is None
    assert non_finite_path({"a": [1.0, {"b": math.nan}]}) == "a[1].b"
    assert non_finite_path([math.inf]) == "[0]"
    with pytest.raises(NumericalFailure, match=r"at readouts\[0\]\.fold_change"):
        require_finite({"readouts": [{"fold_change": -math.inf}]}, "the prediction")


def test_an_arithmetic_failure_in_the_solver_is_one_message_and_exit_1(build_dir, monkeypatch):
    def broken(self, *args, **kwargs):
        return 1.0 / 0.0  # what ENPP1=1e308 did inside the solver

    monkeypatch.setattr(Simulator, "run", broken)
    result = kg(build_dir, "predict", "ENPP1=ko")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "the prediction failed: ZeroDivisionError" in result.output
    with pytest.raises(NumericalFailure), numeric_guard("x"):
        _ = math.exp(1e6)


def test_a_non_finite_result_is_refused_not_printed(build_dir, monkeypatch):
    original = Simulator.run

    def poisoned(self, *args, **kwargs):
        prediction = original(self, *args, **kwargs)
        prediction.readouts[0]["fold_change"] = math.nan
        return prediction

    monkeypatch.setattr(Simulator, "run", poisoned)
    for fmt in ("json", "table"):
        result = kg(build_dir, "predict", "ENPP1=ko", "--format", fmt)
        assert result.exit_code == 1 and "non-finite number at readouts[0].fold_change" in result.output
        assert "NaN" not in result.output and isinstance(result.exception, SystemExit)


# ---- the crashes --------------------------------------------------------------------------------------------------
def test_two_perturbations_on_one_edge_no_longer_crash(build_dir):
    result = kg(build_dir, "predict", "ATP=up", "ENPP1=up", "--readout", "PPi", "--format", "json")
    assert result.exit_code == 0, result.output
    assert _strict_json(result.output)["readouts"][0]["direction"] == "increase"


@pytest.mark.slow
def test_an_up_screen_with_pairs_runs(build_dir):
    result = kg(build_dir, "screen", "--effect", "up", "--pairs", "--top", "5", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = _strict_json(result.output)
    assert len(rows) == 5 and [r["rank"] for r in rows] == [1, 2, 3, 4, 5]


def test_best_paths_is_deterministic_when_paths_tie():
    from kg.simulate.network import Step
    from kg.simulate.signed import best_paths

    # one edge carrying a step from each of two seeds to one target: equal score, length and edges
    adj = {"E": [Step("E", "P", 1, "edge1", "produces", 1.0, ())],
           "S": [Step("S", "P", 1, "edge1", "produces", 1.0, ())]}
    first = best_paths(adj, {"E": 1, "S": 1})
    assert [p.seed for p in first[("P", 1)]] == ["S", "E"] == [p.seed for p in best_paths(adj, {"S": 1, "E": 1})[
        ("P", 1)]]


# ---- every command's JSON ----------------------------------------------------------------------------------------
JSON_COMMANDS = [
    ("show", "ANKH"), ("show", "PPi"), ("info",), ("query", "interactions", "--of", "ANKH"),
    ("query", "neighbors", "PPi", "--depth", "2"), ("query", "paths", "TGFB1", "PPi", "--signed"),
    ("query", "regulators", "ANKH"), ("predict", "ENPP1=ko"), ("predict", "ANKH:p.P5L"),
    ("predict", "ENPP1=1000", "ALPL=0"), ("predict", "hypoxia", "--context", "chondrocyte"),
    ("predict", "ATP=up", "ENPP1=up"), ("screen", "--effect", "ko", "--top", "5"),
    ("sparql", 'SELECT (xsd:double("NaN") AS ?x) (xsd:double("INF") AS ?y) (1e308 * 10 AS ?z) WHERE {}'),
    ("sparql", "SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 50"),
    ("query", "run", "regulators", "--param", "target=ANKH"),
    ("query", "run", "regulators", "--param", "target=ANKH", "--engine", "sparql"),
    ("build", "-q"),
]


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=[" ".join(a)[:40] for a in JSON_COMMANDS])
def test_json_output_never_holds_nan_or_infinity(build_dir, args):
    result = kg(build_dir, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    _strict_json(result.output)


def test_kg_validate_json_is_finite_too():
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    _strict_json(result.output)


def test_kg_check_json_is_finite_too(build_dir, tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("cases:\n  - {id: a, perturb: [ENPP1=1000], expect: {PPi: increase},\n"
                     "     fold: {PPi: [0, 1.0e+300]}}\n", encoding="utf-8")
    result = kg(build_dir, "check", str(cases), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    _strict_json(result.output)


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_a_non_finite_number_in_a_source_is_refused_with_its_line(tmp_path, value):
    from kg.errors import LoadErrors
    from kg.load.pipeline import load_paths

    path = tmp_path / "ctx.yaml"
    path.write_text("source: {name: ctx}\nentities:\n  - id: KG:lab\n    category: cell_system\n    label: lab\n"
                    f"    parameters:\n      PPi.clearance: {{value: {value}, unit: 1/s, basis: assumed, note: x}}\n",
                        encoding="utf-8")
    with pytest.raises(LoadErrors, match=r"ctx.yaml:7: .*finite number"):
        load_paths([path], root=tmp_path)


@pytest.mark.parametrize("args", [("build", "--wait", "nan"), ("build", "--wait", "inf"), ("build", "--wait", "-1"),
                                  ("screen", "--top", "0"), ("screen", "--top", "-5")])
def test_numeric_options_are_bounded(args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2 and "Invalid value" in result.output
