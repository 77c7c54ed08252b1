"""Time courses and dose-responses: they start and end where the steady states say, the band holds the nominal
curve, inputs are bounded, and figures are deterministic bytes."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.simulate.dynamics.dose import dose_response, levels_between
from kg.simulate.dynamics.timecourse import timecourse
from kg.simulate.lite import load_lite
from kg.simulate.predict import Simulator
from kg.simulate.sample.ensemble import Spec


@pytest.fixture(scope="module")
def graph(kg):
    return load_lite(kg.build_dir)


def test_a_time_course_starts_at_baseline_and_ends_at_the_steady_state(graph):
    sim = Simulator(graph, "hek293")
    course = timecourse(sim, ["ANKH=up"], 2000.0, 5, ["PPi", "ATP"])
    steady = sim.run(["ANKH=up"], ["PPi", "ATP"])
    for s, r in zip(course.series, steady.readouts, strict=True):
        assert s.values[0] == pytest.approx(r["baseline"], rel=1e-9)
        assert s.values[-1] == pytest.approx(r["perturbed"], rel=1e-6)
    assert course.times == [0.0, 500.0, 1000.0, 1500.0, 2000.0]


def test_a_time_course_follows_the_movers_by_default_and_refuses_signed_readouts(graph):
    sim = Simulator(graph, "plasma")
    course = timecourse(sim, ["ENPP1=ko"], 48.0, 3)
    assert 1 <= len(course.series) <= 6
    assert "PPi" in {s.label for s in course.series}
    with pytest.raises(InputError, match="not in the kinetic model"):
        timecourse(sim, ["ENPP1=ko"], 48.0, 3, ["inflammation"])
    with pytest.raises(InputError, match="--hours"):
        timecourse(sim, ["ENPP1=ko"], -1.0, 3)


def test_levels_are_bounded_and_spaced():
    assert levels_between(0.0, 4.0, 5, False) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert levels_between(0.01, 100.0, 5, True) == pytest.approx([0.01, 0.1, 1.0, 10.0, 100.0])
    for args in ((2.0, 1.0, 5, False), (0.0, 1.0, 5, True), (0.0, 1.0, 1, False), (-1.0, 1.0, 5, False)):
        with pytest.raises(InputError):
            levels_between(*args)


def test_a_dose_response_matches_single_predictions_and_its_band_holds_it(graph):
    sim = Simulator(graph, "plasma")
    sweep = dose_response(sim, "ENPP1-Fc", 0.0, 2.0, 3, background=["ENPP1=ko"], readouts=["PPi"],
                          ensemble=Spec(40, 2))
    (ppi,) = sweep.series
    for level, value in zip(sweep.levels, ppi.values, strict=True):
        single = sim.run(["ENPP1=ko", f"ENPP1-Fc={level!r}"], ["PPi"]).readouts[0]["perturbed"]
        assert value == pytest.approx(single, rel=1e-8)
    assert ppi.values[0] < ppi.values[1] < ppi.values[2]  # more enzyme, more PPi
    assert all(lo <= hi for lo, hi in zip(ppi.low, ppi.high, strict=True))
    assert sweep.ensemble["n"] == 40
    assert any("one dose adds ENPP1 activity" in n for n in sweep.notes)
    with pytest.raises(InputError, match="without a level"):
        dose_response(sim, "ENPP1-Fc=2", 0.0, 1.0)


def test_the_commands_write_data_and_deterministic_figures(kg, tmp_path):
    a, b = tmp_path / "a.svg", tmp_path / "b.svg"
    for out in (a, b):
        r = kg("timecourse", "ENPP1=ko", "--hours", "24", "--points", "4", "-r", "PPi", "-o", str(out))
        assert r.exit_code == 0, r.output
    assert a.read_bytes() == b.read_bytes() and b"<svg" in a.read_bytes()
    png1, png2 = tmp_path / "d1.png", tmp_path / "d2.png"
    for out in (png1, png2):
        r = kg("dose", "ALPL", "--from", "0.1", "--to", "10", "--log", "--points", "4", "-r", "PPi", "-o", str(out),
               "--format", "json")
        assert r.exit_code == 0, r.output
    assert png1.read_bytes() == png2.read_bytes() and png1.read_bytes()[:4] == b"\x89PNG"
    data = json.loads(r.stdout)
    assert data["levels"][0] == pytest.approx(0.1) and data["readouts"][0]["label"] == "PPi"
    tsv = kg("timecourse", "ENPP1=ko", "--hours", "10", "--points", "3", "-r", "PPi", "--format", "tsv")
    assert tsv.stdout.splitlines()[0] == "time_h\tPPi@plasma (uM)"
    bad = kg("dose", "ALPL", "--from", "1", "--to", "0.5")
    assert bad.exit_code == 2 and "--from" in bad.output
    bad = kg("timecourse", "ENPP1=ko", "--hours", "5", "-o", str(tmp_path / "x.pdf"))
    assert bad.exit_code == 2 and ".png or .svg" in bad.output
