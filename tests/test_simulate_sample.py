"""Uncertainty: ranges from the basis, seeded draws, the batched solver against the scalar one, and what an
ensemble adds to a prediction (intervals, probabilities, directions by threshold, derived confidence)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from kg.simulate.changes import Effects
from kg.simulate.lite import load_lite
from kg.simulate.model.ir import Model
from kg.simulate.model.ranges import SPREADS, effect_span, factors, span
from kg.simulate.predict import Simulator
from kg.simulate.sample.draw import draw, from_unit
from kg.simulate.sample.ensemble import Spec
from kg.simulate.sample.sampler import Sampler
from kg.simulate.sample.summary import spread
from kg.simulate.solve.baseline import calibrate


@pytest.fixture(scope="module")
def graph(kg):
    return load_lite(kg.build_dir)


def test_a_range_follows_the_basis_unless_a_source_gives_one():
    spread_ = dict(SPREADS)
    assert span(2.0, "assumed", spread_) == pytest.approx((2 / 3, 6.0))
    assert span(2.0, "measured", spread_) == pytest.approx((1.6, 2.5))
    assert span(2.0, "derived", spread_) == pytest.approx((1.0, 4.0))
    assert span(2.0, "measured", spread_, 1.5, 3.0) == (1.5, 3.0)
    assert span(-1.0, "assumed", spread_) == pytest.approx((-3.0, -1 / 3))
    assert span(0.0, "assumed", spread_) is None


def test_an_effect_size_keeps_its_side_of_one():
    spread_ = dict(SPREADS)
    assert effect_span(2.0, "assumed", spread_) == pytest.approx((1.0, 6.0))
    assert effect_span(0.2, "assumed", spread_) == pytest.approx((0.2 / 3, 0.6))
    assert effect_span(0.5, "assumed", spread_) == pytest.approx((1 / 6, 1.0))
    assert effect_span(1.0, "assumed", spread_) is None


def test_the_model_carries_ranges_and_groups(graph):
    model = Simulator(graph, "plasma").model().model
    qs = factors(model)
    uncertain = {p.name for p in model.params.values() if p.low is not None}
    assert uncertain == {n for q in qs for n in q.params}
    for p in model.params.values():
        if p.role not in ("", "fixed"):
            assert p.low is None, p.name  # set by perturbations or the calibration: not uncertain
    assert all(q.low < q.high for q in qs)
    # a Hill ceiling keeps its side of 1 (an inhibitor stays one)
    folds = [q for q in qs if q.name.startswith("max_fold__")]
    assert folds and all((q.low >= 1.0) == (q.value > 1.0) and (q.high <= 1.0) == (q.value < 1.0) for q in folds)
    # one edge's value used in several compartments is one quantity
    assert any(len(q.params) > 1 for q in qs)
    assert model.calibration and all(model.params[n].role == "baseline" for n in model.calibration)
    # the culture volume is a convention, not an uncertain number
    culture = Simulator(graph, "hek293").model().model
    assert culture.params["V__hek293"].low is None


def test_draws_are_seeded_log_uniform_and_within_range():
    spans = [(0.5, 4.5), (2.0, 3.0), (-6.0, -2.0)]
    a, b, c = draw(spans, 4000, 7), draw(spans, 4000, 7), draw(spans, 4000, 8)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    for row, (lo, hi) in zip(a, spans, strict=True):
        assert row.min() >= lo and row.max() <= hi
    assert np.median(a[0]) == pytest.approx(1.5, rel=0.05)  # geometric midpoint of 0.5 and 4.5
    unit = np.array([[0.0, 0.5, 1.0]] * 3)
    assert from_unit(spans, unit)[0] == pytest.approx([0.5, 1.5, 4.5])


@pytest.mark.parametrize("context", ["plasma", "hek293"])
def test_the_batched_solver_matches_the_scalar_one_draw_by_draw(graph, context):
    """Each draw's calibrated baseline, solved in one batch, equals a scalar calibration of that draw's model."""
    sim = Simulator(graph, context)
    kin = sim.network().kin
    sampler = Sampler(kin)
    n = 6
    values = draw([(q.low, q.high) for q in sampler.quantities], n, 3)
    base = sampler.baselines(sampler.params(values), n)
    assert base.ok.all()
    for j in range(n):
        model = Model.from_json(kin.model.to_json())
        for q, row in zip(sampler.quantities, values, strict=True):
            for name in q.params:
                model.params[name].value = float(row[j])
        _cm, x, _lu = calibrate(model)
        scale = np.maximum(np.abs(x), 1e-6)
        assert np.max(np.abs(base.x[:, j] - x) / scale) < 1e-7


def test_the_ensemble_is_deterministic_and_reports_what_it_drew(graph):
    sim = Simulator(graph, "plasma")
    a = sim.run(["ANKH:p.P5L"], ["PPi", "ANKH"], Spec(60, 5)).to_json()
    b = sim.run(["ANKH:p.P5L"], ["PPi", "ANKH"], Spec(60, 5)).to_json()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    e = a["ensemble"]
    assert e["n"] == 60 and e["seed"] == 5 and e["converged"] + e["failed"] == 60
    assert [s["key"] for s in e["effect_sizes"]] == ["variant.increased"]
    ppi = next(r for r in a["readouts"] if r["label"] == "PPi")
    low, high = ppi["fold_interval"]
    assert low <= ppi["fold_median"] <= high and low < high
    assert set(ppi["probability"]) == {"increase", "decrease", "unchanged"}
    assert sum(ppi["probability"].values()) == pytest.approx(1.0, abs=2e-3)
    ankh = next(r for r in a["readouts"] if r["label"] == "ANKH")
    assert ankh["layer"] == "input" and ankh["fold_interval"][0] >= 1.0  # an increased variant stays increased


def test_direction_needs_the_threshold_and_confidence_follows_agreement():
    up = spread(np.ones(100), np.linspace(1.1, 3.0, 100))
    assert up.direction(0.8) == "increase" and up.level(0.8) == 2
    mixed = spread(np.ones(100), np.r_[np.full(70, 1.5), np.full(30, 0.5)])
    assert mixed.probability == {"increase": 0.7, "decrease": 0.3, "unchanged": 0.0}
    assert mixed.direction(0.8) == "ambiguous" and mixed.direction(0.6) == "increase" and mixed.level(0.8) == 0
    assert mixed.fold_interval[0] == pytest.approx(0.5) and mixed.fold_interval[1] == pytest.approx(1.5)


def test_an_ambiguous_ensemble_readout_says_so_and_is_never_high(graph):
    pred = Simulator(graph, "plasma").run(["ANKH:p.P5L"], None, Spec(80, 1, 0.8))
    for r in pred.readouts:
        if r["layer"] == "kinetic" and "probability" in r:
            share = max(r["probability"].values())
            assert (r["direction"] == "ambiguous") == (share < 0.8)
            if share < 0.95:
                assert r["confidence"] != "high"
            if r["direction"] == "ambiguous":
                assert r["explanation"]["summary"].startswith("ambiguous over the parameter draws")


def test_without_an_ensemble_a_kinetic_readout_is_at_most_medium(graph):
    pred = Simulator(graph, "plasma").run(["ENPP1=ko"])
    kinetic = [r for r in pred.readouts if r["layer"] == "kinetic" and r["direction"] != "unchanged"]
    assert kinetic and all(r["confidence"] in ("low", "medium") for r in kinetic)
    kinetic_ids = {r["id"] for r in kinetic}
    for r in pred.readouts:  # a signed readout reached from a kinetic one is never more confident than it
        paths = r["explanation"]["supporting"]
        if r["layer"] == "signed" and paths and paths[0]["steps"][0]["subject"] in kinetic_ids:
            assert r["confidence"] != "high"


def test_effect_sizes_and_doses_are_said(graph):
    pred = Simulator(graph, "plasma").run(["ANKH:p.P5L", "ENPP1-Fc=2"], ["PPi"])
    notes = " | ".join(pred.notes)
    assert "effect size variant.increased = 2 (assumed" in notes
    assert "ENPP1-Fc: dose 2;" in notes and "one dose adds ENPP1 activity" in notes
    default = Simulator(graph, "plasma").run(["ENPP1=ko", "ENPP1-Fc"], ["PPi"])
    assert any("dose 1 (the default: effect.dose = 1, assumed" in n for n in default.notes)


def test_an_effect_size_override_changes_only_what_it_names(graph):
    sim = Simulator(graph, "hek293")
    pred = sim.run(["ANKH=up"], ["PPi"])
    (key,) = [k for k, s in pred.plan.used.items() if s.drawn]
    nominal = pred.plan.changes()
    bigger = pred.plan.changes({key: pred.plan.used[key].value * 2})
    ankh = next(iter(nominal.genes))
    assert bigger.genes[ankh].transgene > nominal.genes[ankh].transgene
    assert isinstance(Effects(graph, sim.ctx, {key: 3.0}).sizes[key], float)


def test_the_cli_prints_intervals_and_probabilities(kg):
    r = kg("predict", "ANKH:p.P5L", "-r", "PPi", "--ensemble", "40", "--format", "tsv")
    assert r.exit_code == 0, r.output
    header, row = r.stdout.splitlines()[:2]
    cells = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    assert float(cells["fold_low"]) <= float(cells["fold_median"]) <= float(cells["fold_high"])
    assert math.isclose(sum(float(cells[f"p_{k}"]) for k in ("increase", "decrease", "unchanged")), 1.0, abs_tol=2e-3)
    table = kg("predict", "ANKH:p.P5L", "-r", "PPi", "--ensemble", "40", "--format", "table")
    assert table.exit_code == 0 and "[" in table.stdout and "40 of 40 parameter draws" in table.stderr
    bad = kg("predict", "ANKH:p.P5L", "--ensemble", "-3")
    assert bad.exit_code == 2


def test_a_range_a_source_gives_replaces_the_basis_default(kg):
    """`low` and `high` on a parameter record reach the IR unchanged (and on a per-compartment edge value)."""
    from kg.simulate.lite import LiteGraph

    data = json.loads((kg.build_dir / "graph.json").read_text(encoding="utf-8"))
    ctx = next(e for e in data["entities"] if e.get("symbol") == "chondrocyte" or e["id"] == "KG:chondrocyte")
    ctx["parameters"]["ENPP1>ATP.k"].update({"low": 10.0, "high": 25.0})
    model = Simulator(LiteGraph(data), "chondrocyte").model().model
    p = model.params["k__ENPP1__ATP__chondrocyte"]
    assert (p.low, p.high) == (10.0, 25.0)
    default = Simulator(load_lite(kg.build_dir), "chondrocyte").model().model.params["k__ENPP1__ATP__chondrocyte"]
    assert (default.low, default.high) == pytest.approx((p.value / 3, p.value * 3))
