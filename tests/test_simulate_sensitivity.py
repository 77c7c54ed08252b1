"""Global sensitivity: every uncertain quantity ranked, a quantity the readout cannot depend on has no effect, the
one that sets it most comes first, and the output is seeded."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.simulate.lite import load_lite
from kg.simulate.model.ranges import factors
from kg.simulate.predict import Simulator
from kg.simulate.sensitivity import sensitivity


@pytest.fixture(scope="module")
def graph(kg):
    return load_lite(kg.build_dir)


def test_morris_ranks_every_quantity_with_its_provenance(graph):
    sim = Simulator(graph, "hek293")
    res = sensitivity(sim, "PPi", ["ANKH=up"], trajectories=6, seed=3)
    names = [r["factor"] for r in res.rows]
    quantities = factors(sim.model().model)
    assert set(names) == {q.name for q in quantities} | {"ANKH.up"}  # and the effect size the perturbation used
    assert [r["rank"] for r in res.rows] == list(range(1, len(names) + 1))
    assert all(res.rows[i]["mu_star"] >= res.rows[i + 1]["mu_star"] for i in range(len(names) - 1))
    assert res.solves == 6 * (len(names) + 1) and res.failed == 0
    by_name = {r["factor"]: r for r in res.rows}
    citrate = [r for n, r in by_name.items() if "citrate" in n]  # PPi's fold does not depend on citrate's numbers
    assert citrate and all(r["mu_star"] < 1e-9 for r in citrate)  # round-off at most
    assert by_name["ANKH.up"]["mu_star"] > 0 and by_name["ANKH.up"]["basis"]
    assert all(r["basis"] in ("measured", "derived", "fitted", "assumed") for r in res.rows)


def test_sobol_indices_and_seeding(graph):
    sim = Simulator(graph, "hek293")
    a = sensitivity(sim, "PPi", [], method="sobol", samples=16, seed=1)
    b = sensitivity(sim, "PPi", [], method="sobol", samples=16, seed=1)
    assert json.dumps(a.to_json(), sort_keys=True) == json.dumps(b.to_json(), sort_keys=True)
    assert a.output.startswith("log baseline level of PPi")
    assert "ST" in a.rows[0] and "S1" in a.rows[0]


def test_a_signed_readout_or_a_bad_method_is_refused(graph):
    sim = Simulator(graph, "plasma")
    with pytest.raises(InputError, match="not in the kinetic model"):
        sensitivity(sim, "inflammation", ["ENPP1=ko"], trajectories=2)
    with pytest.raises(InputError, match="unknown method"):
        sensitivity(sim, "PPi", [], method="fast")


def test_the_command(kg, tmp_path):
    out = tmp_path / "s.png"
    r = kg("sensitivity", "PPi", "ENPP1=ko", "-c", "hek293", "--trajectories", "3", "--top", "5", "-o", str(out),
           "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["factors"]) == 5 and data["method"] == "morris" and out.read_bytes()[:4] == b"\x89PNG"
