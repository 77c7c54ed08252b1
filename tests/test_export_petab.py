"""PEtab export: the petab linter passes, the tables say what the observations say, and libRoadRunner running the
problem's conditions (pre-equilibrated, to steady state) gives kg's own predictions of every measurement."""

from __future__ import annotations

import csv

import pytest

from kg.errors import InputError
from kg.export.petab import FILES, build, lint, write
from kg.simulate.fit.observations import read
from kg.simulate.fit.problem import Problem
from kg.simulate.lite import load_lite
from kg.simulate.predict import Simulator
from tests.roadrunner_helpers import rr_settle

TABLE = ("perturbation\treadout\tvalue\tunit\tsd\nbaseline\tPPi\t500\tnM\t50\nANKH=up\tPPi\t3.1\tfold\t0.3\n"
         "ENPP1=0.5; probenecid\tATP\t0.02\tuM\t0.004\n")


@pytest.fixture(scope="module")
def graph(kg):
    return load_lite(kg.build_dir)


def rows(path):
    return list(csv.DictReader(path.open(), delimiter="\t"))


def test_the_problem_lints_and_holds_the_table(graph, tmp_path):
    obs = tmp_path / "lab.tsv"
    obs.write_text(TABLE, encoding="utf-8")
    sim = Simulator(graph, "hek293")
    written = write(sim, read(obs), tmp_path / "petab", ["k__ENPP1__ATP*", "vmax__ANKH__ATP*"])
    assert [p.name for p in written] == list(FILES)
    folder = tmp_path / "petab"
    lint(folder / "problem.yaml")
    meas = rows(folder / "measurements.tsv")
    assert [float(m["measurement"]) for m in meas] == pytest.approx([0.5, 3.1, 0.02])
    assert {m["preequilibrationConditionId"] for m in meas} == {"baseline"} and {m["time"] for m in meas} == {"inf"}
    params = rows(folder / "parameters.tsv")
    assert {p["parameterId"] for p in params} == {"k__ENPP1__ATP__hek293", "vmax__ANKH__ATP__hek293"}
    assert all(p["parameterScale"] == "log10" and p["estimate"] == "1" for p in params)
    conds = {c["conditionId"]: c for c in rows(folder / "conditions.tsv")}
    assert conds["baseline"]["tg__ANKH"] == "0.0" and any(c["tg__ANKH"] == "7.5" for c in conds.values())


def test_libroadrunner_on_the_problem_gives_kg_predictions(graph, tmp_path):
    roadrunner = pytest.importorskip("roadrunner")
    obs_path = tmp_path / "lab.tsv"
    obs_path.write_text(TABLE, encoding="utf-8")
    sim = Simulator(graph, "hek293")
    observations = read(obs_path)
    files = build(sim, observations, ["k__ENPP1__ATP*"])
    conds = {r["conditionId"]: r for r in csv.DictReader(files["conditions.tsv"].splitlines(), delimiter="\t")}
    formulas = {r["observableId"]: r["observableFormula"]
                for r in csv.DictReader(files["observables.tsv"].splitlines(), delimiter="\t")}
    ours, _ok = Problem(sim, observations, ["k__ENPP1__ATP*"]).predictions(
        Problem(sim, observations, ["k__ENPP1__ATP*"]).start[:, None])
    for i, m in enumerate(csv.DictReader(files["measurements.tsv"].splitlines(), delimiter="\t")):
        rr = roadrunner.RoadRunner(files["model.xml"])
        for name, value in conds[m["simulationConditionId"]].items():
            if name not in ("conditionId", "conditionName"):
                rr[name] = float(value)
        assert rr_settle(rr) < 1e-9
        sym, _, divisor = formulas[m["observableId"]].partition(" / ")
        theirs = rr[f"[{sym}]"] / (float(divisor) if divisor else 1.0)
        assert theirs == pytest.approx(float(ours[i, 0]), rel=1e-6)


def test_what_petab_cannot_say_is_refused(graph, tmp_path):
    obs = tmp_path / "lab.tsv"
    obs.write_text("perturbation\treadout\tvalue\tunit\tsd\nPi@gut=2\tPi\t1.5\tfold\t0.1\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds a species"):
        build(Simulator(graph, "plasma"), read(obs), ["k__ENPP1__ATP*"])


def test_the_command(kg, tmp_path):
    obs = tmp_path / "lab.tsv"
    obs.write_text(TABLE, encoding="utf-8")
    r = kg("export", "petab", str(tmp_path / "out"), str(obs), "-c", "hek293", "--param", "k__ENPP1__ATP*")
    assert r.exit_code == 0, r.output
    assert "petab linter: no errors" in r.stderr and (tmp_path / "out" / "problem.yaml").exists()
    r = kg("export", "petab", str(obs), str(obs), "-c", "hek293")
    assert r.exit_code == 2 and "is a file" in r.output
