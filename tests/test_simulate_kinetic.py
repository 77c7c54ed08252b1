"""The kinetic layer on a hand-built module with analytic steady states, checked against scipy's ODE solver."""

from __future__ import annotations

import pytest

from kg.errors import KgError
from kg.simulate import Simulator, predict
from kg.simulate.solve.run import Changes, GeneChange
from kg.simulate.solve.steady import steady_state
from tests.test_simulate_graphs import ALPL, ANKH, ATP, CPP, ENPP1, GATE, HA, PI, PPI, TGFB1, kinetic_graph, p

R_BASE = 1001 / 0.5  # Pi/PPi at baseline


def run(perts, graph=None, **kw):
    return predict(graph or kinetic_graph(), perts, "ctx", **kw)


def val(pred, eid):
    r = pred.readout(eid)
    return r["baseline"], r["perturbed"], r["fold_change"], r["direction"], r["layer"]


def test_baseline_matches_the_analytic_steady_state():
    pred = run(["TGFB1=1"])  # a no-op perturbation
    assert val(pred, ATP)[0] == pytest.approx(0.1, rel=1e-8)
    assert val(pred, PPI)[0] == pytest.approx(0.5, rel=1e-8)
    assert val(pred, PI)[0] == pytest.approx(1001.0, rel=1e-8)
    assert val(pred, HA)[0] == pytest.approx(R_BASE / (100 + R_BASE), rel=1e-8)
    assert val(pred, CPP)[0] == pytest.approx(3 / (3 + R_BASE), rel=1e-8)
    assert all(r["direction"] == "unchanged" for r in pred.readouts if r["layer"] != "input")


@pytest.mark.parametrize(("perts", "eid", "fold"), [
    (["ENPP1=ko"], PPI, 0.0),
    (["ENPP1=ko"], ATP, 2.0),
    (["ALPL=ko"], PPI, 2.0),
    (["ALPL=ko"], PI, 1000 / 1001),
    (["ANKH=up"], PPI, 4.0),  # effect.up = 4: added protein
    (["ANKH=0.5"], PPI, 0.5),
    (["ANKH=lof"], PPI, 0.5),
    (["TGFB1=up"], PPI, 2.6 / 2.0),  # hill 1 + 2r/(1+r), r 4 vs 1
    (["TGFB1=ko"], ANKH, 1.0 / 2.0),
    (["inhibitol"], PPI, 2.0 / 1.55),  # ALPL x (1 - 0.9/2)
    (["ANKH:G1X"], PPI, 2.0),  # activity increased, variant.increased = 2
    (["ANKH:D2X"], PPI, 0.0),  # activity lost
    (["ANKH:D2X=up"], PPI, 1.0),  # lost-activity protein added: nothing changes
    (["Ca2+=2"], HA, 2.0),
    (["ENPP1=ko", "ALPL=ko"], PPI, 0.0),
])
def test_perturbations_give_the_analytic_fold(perts, eid, fold):
    assert val(run(perts), eid)[2] == pytest.approx(fold, rel=1e-7, abs=1e-9)


def test_added_ppi_favours_cpp_over_ha_through_the_ratio():
    pred = run(["PPi=up"])
    assert val(pred, PPI)[1] == pytest.approx(2.0, rel=1e-8)  # clamped at effect.up x baseline
    assert val(pred, HA)[3] == "decrease" and val(pred, CPP)[3] == "increase"
    pi = val(pred, PI)[1]
    assert val(pred, CPP)[1] == pytest.approx(3 / (3 + pi / 2.0), rel=1e-8)


def test_variant_overexpressed_adds_on_top_of_the_endogenous_gene():
    assert val(run(["ANKH:G1X=up"]), PPI)[2] == pytest.approx(1 + 3 * 2.0, rel=1e-8)


def test_feedback_steady_state_agrees_with_scipy_integration():
    solve_ivp = pytest.importorskip("scipy.integrate").solve_ivp
    g = kinetic_graph(feedback=True)
    sim = Simulator(g, "ctx")
    kin = sim.network().kin
    ch = Changes(genes={ALPL: GeneChange(expression=0.0)})
    mine = kin.run(ch).x
    sol = solve_ivp(lambda _t, x: kin.net_rates(list(x), ch), (0, 5000), kin.base.x, method="LSODA", rtol=1e-10,
                    atol=1e-12)
    assert mine == pytest.approx(list(sol.y[:, -1]), rel=1e-6, abs=1e-9)
    ppi = kin.cm.state_index[kin.model.symbol(PPI, "ctx")]
    # the feedback damps the rise: PPi less than doubles
    assert 1.0 < mine[ppi] / kin.base.x[ppi] < 2.0
    rule = next(r for r in kin.model.rules if r.kind == "factor" and r.entity == ENPP1)
    assert kin.model.symbol(ENPP1, "ctx") in {s.name for s in kin.model.states}  # regulated: a state
    assert "PPi__ctx" in rule.expr


def test_steady_state_solver_on_a_linear_system():
    # du/dt = [2 - u0, u0 - 3 u1]  ->  (2, 2/3), with and without the sparsity pattern
    def f(u):
        return [2 - u[0], u[0] - 3 * u[1]]

    assert steady_state(f, [0.0, 0.0]) == pytest.approx([2.0, 2 / 3], rel=1e-9)
    assert steady_state(f, [0.0, 0.0], [frozenset({0}), frozenset({0, 1})]) == pytest.approx([2.0, 2 / 3], rel=1e-9)


def test_an_enzyme_acts_only_where_its_capacity_is_declared_and_a_stray_key_is_an_error():
    g = kinetic_graph()
    ctx = g.entity("KG:ctx")
    del ctx.parameters["ENPP1>ATP.k"]
    pred = predict(g, ["ANKH=up"], "ctx")
    assert pred.readout(PPI)["baseline"] == pytest.approx(0.0, abs=1e-12)  # no ENPP1 reaction: no PPi made
    ctx.parameters["ALPL>ATP.k"] = p(1.0)  # no kinetic edge links ALPL and ATP in this graph
    with pytest.raises(KgError, match="no kinetic edge links them"):
        predict(g, ["ANKH=up"], "ctx")


def test_kinetic_layer_decides_covered_entities_and_gives_units():
    pred = run(["ALPL=ko"])
    r = pred.readout(PPI)
    assert (r["layer"], r["unit"], r["direction"]) == ("kinetic", "uM", "increase")
    assert pred.readout(ALPL)["layer"] == "input" and pred.readout(ALPL)["unit"] == "relative"
    assert pred.readout(HA)["unit"] == "index"


# ---- a carrier gating a regulation edge's signal (`via:NAME`) ---------------------------------------------------
def _hill(r: float) -> float:
    return 1 + 2 * r / (1 + r)  # TGFB1 -> ANKH: max_fold 3, K 1, n 1


@pytest.mark.parametrize(("perts", "exponent", "r"), [
    (["TGFB1=up"], 1.0, 4.0),  # the gate at baseline: as without it
    (["TGFB1=up", "gate=ko"], 1.0, 0.0),  # no carrier, no signal
    (["gate=ko"], 1.0, 0.0),  # the basal signal needs the carrier too
    (["gate=up"], 1.0, 4.0),  # more carrier passes more of the basal signal
    (["TGFB1=up", "gate=0.5"], 1.0, 2.0),
    (["gate=0.5"], 2.0, 0.25),  # r = 1 x 0.5^2
])
def test_a_carrier_gates_the_signal_of_a_regulation_edge(perts, exponent, r):
    fold = _hill(r) / _hill(1.0)
    pred = run(perts, kinetic_graph(gate=exponent))
    assert val(pred, ANKH)[2] == pytest.approx(fold, rel=1e-8)
    assert val(pred, PPI)[2] == pytest.approx(fold, rel=1e-7)  # PPi follows ANKH linearly here


def test_the_gate_is_a_modelled_amount_and_the_ungated_graph_ignores_it():
    pred = run(["TGFB1=up", "gate=ko"], kinetic_graph(gate=1.0))
    assert pred.readout(GATE)["layer"] == "input" and pred.readout(GATE)["fold_change"] == 0.0
    sim = Simulator(kinetic_graph(gate=1.0), "ctx")
    model = sim.network().model
    factor = next(r for r in model.rules if r.kind == "factor" and r.entity == ANKH)
    assert "gate__ctx ^ 1.0" in factor.expr and (GATE, "ctx") in model.readouts
    assert val(run(["TGFB1=up"]), PPI)[2] == pytest.approx(_hill(4.0) / _hill(1.0), rel=1e-8)


def test_a_gate_on_a_non_hill_edge_or_an_unknown_carrier_is_an_error():
    g = kinetic_graph()
    edge = next(e for e in g.edges if e.predicate == "transports")
    edge.kinetics.parameters["via:ALPL"] = p(1.0)
    with pytest.raises(KgError, match="'via:' names a carrier of a hill edge"):
        predict(g, ["ANKH=up"], "ctx")
    g = kinetic_graph()
    edge = next(e for e in g.edges if e.subject == TGFB1)
    edge.kinetics.parameters["via:nosuchthing"] = p(1.0)
    with pytest.raises(KgError, match="unknown entity"):
        predict(g, ["ANKH=up"], "ctx")


def test_a_relay_gene_closes_a_loop_through_the_module_inside_the_steady_state():
    """ENPP1 -| R -| Pi: R lies outside the module but is regulated by a modelled enzyme and regulates a modelled
    species, so it gets an amount (default multipliers: down to 0.5, K 1) and ENPP1 loss reaches Pi through it."""
    from kg.graph import KnowledgeGraph
    from kg.models import Edge
    from tests.test_simulate_graphs import ev, gene

    g = kinetic_graph()
    relay = "KG:relay"
    extra = [Edge(subject=ENPP1, predicate="decreases_expression_of", object=relay, evidence=[ev("PMID:15039209")]),
             Edge(subject=relay, predicate="negatively_regulates", object=PI, evidence=[ev("PMID:15039209")])]
    g = KnowledgeGraph([*g.entities, gene(relay, "relay")], [*g.edges, *extra])
    assert (relay, "ctx") in Simulator(g, "ctx").network().model.readouts
    pred = run(["ENPP1=ko"], g)
    r = pred.readout(relay)
    assert (r["layer"], r["fold_change"]) == ("kinetic", pytest.approx(4 / 3, rel=1e-9))
    # Pi production x (1 - 0.5 (4/3)/(7/3)) / 0.75 = 20/21; without PPi hydrolysis Pi comes from its source only
    assert val(pred, PI)[2] == pytest.approx(1000 * (20 / 21) / 1001, rel=1e-8)
    assert val(run(["ENPP1=ko"]), PI)[2] == pytest.approx(1000 / 1001, rel=1e-8)  # no relay: only the hydrolysis


def test_a_run_without_kinetic_change_is_the_baseline_and_repeated_changes_share_one_solve():
    kin = Simulator(kinetic_graph(), "ctx").network().kin
    assert kin.run(Changes()) is kin.base
    ko = Changes(genes={ALPL: GeneChange(expression=0.0)})
    first = kin.run(ko)
    assert kin.run(Changes(genes={ALPL: GeneChange(expression=0.0)})) is first
    assert kin.run(Changes(genes={ALPL: GeneChange(expression=0.5)})) is not first
