"""Fitting: parameters are recovered from data the model itself made (noise seeded), a parameter the data cannot
see is reported as unidentifiable, the calibrated context is what kg predict then uses, and bad tables exit 2
with their line."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kg.errors import InputError
from kg.simulate.fit import contextfile
from kg.simulate.fit.estimate import fit
from kg.simulate.fit.observations import Observation, read
from kg.simulate.fit.problem import Problem
from kg.simulate.lite import load_lite
from kg.simulate.predict import Simulator

DESIGN = [((), "PPi"), ((), "AMP"), (("ANKH=up",), "PPi"), (("ANKH=up",), "AMP"), (("ALPL=ko",), "PPi"),
          (("ENPP1=0.5",), "ATP"), (("ENPP1=0.5",), "PPi")]
FREE = ["k__ENPP1__ATP*", "k__ALPL__PPi*"]
TRUTH = np.log([1.8, 0.6])  # the true values, relative to the nominal ones


@pytest.fixture(scope="module")
def graph(kg):
    return load_lite(kg.build_dir)


def simulated(sim, free, noise=0.02, seed=11):
    """Observations the model makes at known parameters, with seeded relative noise."""
    blank = [Observation(2 + i, p, r, 1.0, 1.0, "uM", False) for i, (p, r) in enumerate(DESIGN)]
    probe = Problem(sim, blank, free)
    truth = probe.start + TRUTH
    pred, ok = probe.predictions(truth[:, None])
    assert ok.all()
    rng = np.random.default_rng(seed)
    values = pred[:, 0] * (1 + noise * rng.standard_normal(len(DESIGN)))
    return [Observation(o.line, o.perturbations, o.readout, float(v), float(noise * v), "uM", False)
            for o, v in zip(blank, values, strict=True)], np.exp(truth)


def test_known_parameters_are_recovered_within_their_intervals(graph):
    sim = Simulator(graph, "hek293")
    obs, truth = simulated(sim, FREE)
    result = fit(Problem(sim, obs, FREE))
    assert result.converged and result.dof == len(DESIGN) - 2
    assert result.p_value is not None and result.p_value > 0.001  # the model that made the data fits it
    for e, true in zip(result.estimates, truth, strict=True):
        assert e.identifiable, e.why
        assert e.low <= true <= e.high, (e.name, e.low, true, e.high)
        assert e.value == pytest.approx(true, rel=0.25)
    assert result.to_json()["goodness_of_fit"]["chi2"] >= 0


def test_a_parameter_the_data_cannot_see_is_reported(graph):
    sim = Simulator(graph, "hek293")
    obs, _truth = simulated(sim, FREE)
    result = fit(Problem(sim, obs, [*FREE, "clearance__citrate*"]))
    citrate = next(e for e in result.estimates if "citrate" in e.name)
    assert not citrate.identifiable and "unidentifiable" in citrate.why
    assert (citrate.low, citrate.high) == pytest.approx((citrate.range_low, citrate.range_high))
    assert any("not identifiable" in n for n in result.notes)


def test_the_calibrated_context_round_trips_into_predictions(graph, tmp_path):
    sim = Simulator(graph, "hek293")
    obs, truth = simulated(sim, FREE, noise=0.001)
    result = fit(Problem(sim, obs, FREE))
    path = tmp_path / "mine.yaml"
    contextfile.write(path, "hek293", "lab.tsv", result)
    calibrated = Simulator(graph, str(path))
    assert calibrated.ctx.name == "hek293"
    model = calibrated.model().model
    assert model.params["k__ENPP1__ATP__hek293"].value == pytest.approx(truth[0], rel=0.02)
    assert model.params["k__ENPP1__ATP__hek293"].basis == "fitted"
    got = calibrated.run(["ANKH=up"], ["PPi"]).readouts[0]["perturbed"]
    assert got == pytest.approx(obs[2].value, rel=0.01)  # the calibrated model reproduces the lab's number
    uncalibrated = Simulator(graph, "hek293").model().model
    assert uncalibrated.params["k__ENPP1__ATP__hek293"].value != model.params["k__ENPP1__ATP__hek293"].value


def test_bad_tables_exit_2_with_their_line(tmp_path, kg):
    def table(text):
        path = tmp_path / "obs.tsv"
        path.write_text(text, encoding="utf-8")
        return path

    header = "perturbation\treadout\tvalue\tunit\tsd\n"
    cases = {
        "perturbation\treadout\tvalue\n": "missing: unit, sd",
        header + "ANKH=up\tPPi\tlots\tuM\t0.1\n": ":2: column 'value'",
        header + "-\tPPi\t1\tuM\t0.1\nANKH=up\tPPi\t1\tuM\t0\n": ":3: column 'sd'",
        header + "-\tPPi\t1\tfurlongs\t0.1\n": ":2: column 'unit'",
        header + "-\tPPi\t1\tuM\n": ":2: 4 cells",
    }
    for text, message in cases.items():
        with pytest.raises(InputError, match=message):
            read(table(text))
    r = kg("fit", str(table(header + "-\tPPi\t1\tuM\t0.1\nNOPE=ko\tPPi\t1\tuM\t0.1\n")), "-c", "hek293")
    assert r.exit_code == 2 and "obs.tsv:3: column 'perturbation'" in r.output
    r = kg("fit", str(table(header + "-\tinflammation\t1\tfold\t0.1\n")), "-c", "hek293")
    assert r.exit_code == 2 and "obs.tsv:2: column 'readout'" in r.output
    r = kg("fit", str(table(header + "-\tPPi\t1\tindex\t0.1\n")), "-c", "hek293")
    assert r.exit_code == 2 and "obs.tsv:2: column 'unit'" in r.output


def test_the_command_writes_a_context_kg_predict_reads(kg, tmp_path):
    obs = tmp_path / "lab.tsv"
    obs.write_text("perturbation\treadout\tvalue\tunit\tsd\nbaseline\tPPi\t500\tnM\t50\n"
                   "ANKH=up\tPPi\t3.1\tfold\t0.3\nENPP1=0.5\tATP\t0.02\tuM\t0.004\n", encoding="utf-8")
    out = tmp_path / "ctx.yaml"
    r = kg("fit", str(obs), "-c", "hek293", "--param", "k__ENPP1__ATP*", "--param", "vmax__ANKH__ATP*", "-o",
           str(out), "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert {p["name"] for p in data["parameters"]} == {"k__ENPP1__ATP__hek293", "vmax__ANKH__ATP__hek293"}
    assert data["residuals"][0]["unit"] == "uM" and data["residuals"][0]["measured"] == pytest.approx(0.5)
    r = kg("predict", "--context", str(out), "ANKH=up", "-r", "PPi", "--format", "json")
    assert r.exit_code == 0, r.output
    fold = json.loads(r.stdout)["readouts"][0]["fold_change"]
    assert abs(fold - 3.1) < abs(4.92 - 3.1)  # closer to the lab's fold than the uncalibrated model
    out.write_text("kg_calibrated_context: 1\ncontext: hek293\nparameters:\n  nope: {value: 1.0}\n", encoding="utf-8")
    r = kg("predict", "--context", str(out), "ANKH=up")
    assert r.exit_code == 2 and "'nope' is not an uncertain quantity" in r.output
    r = kg("fit", str(obs), "-c", "hek293", "--param", "zzz*")
    assert r.exit_code == 2 and "matches no uncertain parameter" in r.output
