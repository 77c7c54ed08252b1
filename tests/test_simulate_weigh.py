"""The weighed signed layer (signed.weigh): seeds enter at their distance from the perturbation and carry the size
of their change; opposite signs at the same distance are decided only by a DECISIVE_RATIO difference in strength.
Hand-built step lists with known answers, then the curated graph."""

from __future__ import annotations

import math
import random

import pytest

from kg.simulate.network import Step, adjacency
from kg.simulate.signed import DECISIVE_RATIO, Seed, magnitude, propagate, weigh


def step(a: str, b: str, sign: int = 1, weight: float = 1.0) -> Step:
    return Step(a, b, sign, f"e:{a}>{b}", "positively_regulates" if sign > 0 else "negatively_regulates", weight,
                ("ev",))


def up(distance: int = 0, size: float | None = None) -> Seed:
    return Seed(frozenset({1}), distance, size)


def down(distance: int = 0, size: float | None = None) -> Seed:
    return Seed(frozenset({-1}), distance, size)


TWO_ROUTES = adjacency([step("P", "T"), step("Q", "T")])  # P and Q each one step from T


@pytest.mark.parametrize(("p", "q", "direction", "outweighed"), [
    (0.2, 0.001, "increase", True),      # a 22% rise against a 0.1% fall: the rise decides
    (0.001, 0.2, "decrease", True),
    (0.2, 0.05, "ambiguous", False),     # four times stronger is not clearly stronger
    (0.2, 0.2 / DECISIVE_RATIO, "increase", True),  # exactly the ratio decides
    (math.inf, 0.5, "increase", True),   # a knockout outweighs any finite change
    (math.inf, math.inf, "ambiguous", False),  # two knockouts cannot be weighed
    (None, 0.001, "ambiguous", False),   # an unknown size cannot be weighed
    (None, None, "ambiguous", False),
])
def test_opposite_signs_at_one_distance_are_weighed_by_their_seeds(p, q, direction, outweighed):
    state = weigh(TWO_ROUTES, {"P": up(0, p), "Q": down(0, q)})
    assert state["T"].direction == direction and state["T"].outweighed is outweighed
    assert state["T"].distance == 1 and dict(state["T"].strengths) == {1: p, -1: q}


def test_evidence_weights_count_in_a_paths_strength():
    """Same seed sizes; the falling route runs over two low-confidence steps (0.5 x 0.5 = 0.25) against one of
    weight 1 after a weight-0.02 step on the rising route: 0.02 against 0.25 is more than tenfold."""
    adj = adjacency([step("P", "A", 1, 0.02), step("A", "T"), step("Q", "B", 1, 0.5), step("B", "T", -1, 0.5)])
    state = weigh(adj, {"P": up(0, 1.0), "Q": up(0, 1.0)})
    assert state["T"].direction == "decrease" and state["T"].strength(-1) == pytest.approx(0.25)
    assert state["T"].strength(1) == pytest.approx(0.02)


def test_seeds_enter_at_their_distance_from_the_perturbation():
    """A kinetic readout K two steps downstream of the perturbation P reaches T one step later than P's own
    one-step route, however large its change: distances count from the perturbation, not from the readout."""
    adj = adjacency([step("P", "T"), step("K", "T")])
    state = weigh(adj, {"P": up(0, 0.01), "K": down(2, math.inf)})
    assert state["T"].direction == "increase" and state["T"].distance == 1
    assert state["K"].distance == 2
    restarted = weigh(adj, {"P": up(0, 0.01), "K": down(0, math.inf)})  # the old count would tie them
    assert restarted["T"].direction == "decrease" and restarted["T"].outweighed


def test_a_decided_entity_passes_on_only_its_winning_sign_with_its_strength():
    adj = adjacency([step("P", "T"), step("Q", "T", -1), step("T", "U", 1, 0.5)])
    state = weigh(adj, {"P": up(0, 2.0), "Q": up(0, 0.1)})
    assert state["U"].signs == frozenset({1}) and state["U"].strength(1) == pytest.approx(1.0)
    tied = weigh(adj, {"P": up(0, 2.0), "Q": up(0, 1.0)})  # ambiguous T passes on both signs
    assert tied["U"].direction == "ambiguous"


def test_seeds_are_never_entered_and_blocked_entities_never_reached():
    adj = adjacency([step("P", "K"), step("P", "B"), step("B", "T")])
    state = weigh(adj, {"P": up(0, 1.0), "K": down(3, 0.5)}, blocked={"B"})
    assert state["K"].direction == "decrease" and state["K"].distance == 3  # P -> K does not re-decide it
    assert "B" not in state and "T" not in state


@pytest.mark.parametrize("seed", range(5))
def test_without_sizes_weigh_is_the_shortest_signed_path_search(seed):
    """With no magnitudes and every seed at distance 0, weigh decides exactly as propagate always has."""
    rng = random.Random(seed)
    nodes = [f"n{i}" for i in range(40)]
    adj = adjacency([step(rng.choice(nodes), rng.choice(nodes), rng.choice((1, -1)), rng.choice((1.0, 0.5)))
                     for _ in range(90)])
    seeds = {n: {rng.choice((1, -1))} for n in rng.sample(nodes, 3)}
    plain = weigh(adj, {n: Seed(frozenset(s)) for n, s in seeds.items()})
    assert {k: (v.distance, v.signs) for k, v in plain.items()} == {
        k: (v.distance, v.signs) for k, v in propagate(adj, seeds).items()}
    assert not any(v.outweighed for v in plain.values())


def test_magnitude_is_the_size_of_a_fold_either_way():
    assert magnitude(1.0, 2.0) == pytest.approx(magnitude(2.0, 1.0)) == pytest.approx(math.log(2))
    assert magnitude(1.0, 0.0) == math.inf and magnitude(0.0, 1.0) == math.inf  # a knockout, an agent given
    assert magnitude(0.0, 0.0) == 0.0 and magnitude(None, 1.0) is None


# ---- the curated graph ------------------------------------------------------------------------------------------
def test_a_large_ppi_rise_outweighs_a_small_phosphate_fall_at_mmp13(curated_graph):
    """Without TNAP in chondrocytes PPi doubles while Pi falls by about 1%; both reach MMP-13 in one step, of
    opposite signs (PPi and Pi each induce it). The PPi rise is more than ten times stronger: MMP-13 rises, and the
    explanation names both sides with their strengths and their distance from the perturbation."""
    from kg.simulate import predict

    pred = predict(curated_graph, ["ALPL=ko"], "chondrocyte", readouts=["MMP13", "PPi", "Pi"])
    row, ppi, pi = pred.readouts
    assert (ppi["direction"], pi["direction"]) == ("increase", "decrease")
    assert (row["layer"], row["direction"]) == ("signed", "increase")
    summary = row["explanation"]["summary"]
    assert f"at least {DECISIVE_RATIO:g}x stronger" in summary and "steps from the perturbation" in summary
    [sup], [opp] = row["explanation"]["supporting"][:1], row["explanation"]["opposing"][:1]
    assert sup["origin"]["label"] == "PPi" and opp["origin"]["label"] == "Pi"
    assert sup["origin"]["distance"] == opp["origin"]["distance"] >= 1


def test_the_deciding_distance_counts_from_the_perturbation_on_the_curated_graph(curated_graph):
    """IL-1β up in chondrocytes (Mengshol 2000, PMID 10765924: IL-1 induces MMP-13) raises MMP-13 through its
    receptor (IL-1β -> IL1R1 -> MYD88 -> MMP-13, distance 3 from the perturbation). The fall in CPP deposition,
    a kinetic readout, opposes it from where the perturbation reaches it: IL-1β -| ENPP1 -> PPi -> CPP deposition,
    three steps, not zero; with the two steps on to MMP-13 it is further than the receptor route."""
    from kg.simulate import predict

    row = predict(curated_graph, ["IL1B=up"], "chondrocyte", readouts=["MMP13"]).readouts[0]
    assert (row["layer"], row["direction"]) == ("signed", "increase")
    sup = row["explanation"]["supporting"][0]
    assert sup["origin"]["label"] == "IL-1β" and sup["origin"]["distance"] == 0
    kinetic = [p for p in row["explanation"]["opposing"] if p["origin"]["change"] == "kinetic"]
    assert kinetic, row["explanation"]["opposing"]
    cppd = next(p for p in kinetic if p["origin"]["label"] == "calcium pyrophosphate deposition")
    assert cppd["origin"]["direction"] == "decrease" and cppd["origin"]["distance"] == 3
    assert cppd["origin"]["distance"] + cppd["length"] > sup["origin"]["distance"] + sup["length"]


def test_a_direct_knockout_is_nearer_than_the_kinetic_change_it_causes(curated_graph):
    """Galnt3 knockout (Ichikawa 2009, PMID 19213845): GALNT3 -| C-terminal FGF23 is one step from the
    perturbation; FGF23 -> cFGF23 starts at FGF23, itself a step away. cFGF23 rises."""
    from kg.simulate import predict

    row = predict(curated_graph, ["GALNT3=ko"], None, readouts=["C-terminal FGF23"]).readouts[0]
    assert row["direction"] == "increase", row["explanation"]["summary"]
