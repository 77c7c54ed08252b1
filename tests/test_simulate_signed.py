"""The signed reasoning layer on hand-built graphs with known answers, and batched == per-perturbation."""

from __future__ import annotations

import random

import numpy as np
import pytest

from kg.simulate.network import active_edges, adjacency, build_steps
from kg.simulate.signed import Step, batch_propagate, best_paths, nx_doubled, nx_propagate, propagate
from tests.test_simulate_graphs import ANKH, ATP, ENPP1, PPI, kinetic_graph, signed_graph


def _adj(graph, hypotheses=frozenset()):
    return adjacency(build_steps(active_edges(graph, None, hypotheses)))


def K(x):
    return f"KG:{x}"


def test_shortest_signed_paths_decide_and_feedback_does_not_flip_the_source_side():
    state = propagate(_adj(signed_graph()), {K("A"): {1}})
    assert state[K("B")].direction == "increase"  # the loop B -| C -> B would revisit B: ignored
    assert state[K("C")].direction == "decrease"
    assert state[K("D")].direction == "decrease"  # A -| D (1 step) beats A -> B -| C -> D (3 steps, also -)
    assert state[K("E")].direction == "increase"
    assert K("F") not in state and K("X") not in state  # binds carries no sign; nothing reaches F or X


def test_opposite_signs_at_the_same_distance_are_ambiguous_never_guessed():
    state = propagate(_adj(signed_graph()), {K("F"): {1}})
    assert state[K("E")].direction == "ambiguous"
    assert state[K("E")].signs == frozenset({1, -1})


def test_down_perturbation_flips_every_sign():
    up = propagate(_adj(signed_graph()), {K("A"): {1}})
    down = propagate(_adj(signed_graph()), {K("A"): {-1}})
    for ent, r in up.items():
        assert {-s for s in r.signs} == set(down[ent].signs)


def test_contested_edges_only_with_their_hypothesis_switched_on():
    g = signed_graph()
    assert K("D") not in propagate(_adj(g), {K("X"): {1}})
    contested = next(e.id for e in g.edges if e.status == "contested")
    state = propagate(_adj(g, frozenset({contested})), {K("X"): {1}})
    assert state[K("D")].direction == "decrease"


def test_blocked_entities_are_not_entered():
    state = propagate(_adj(signed_graph()), {K("A"): {1}}, blocked={K("B")})
    assert K("B") not in state and K("E") not in state
    assert state[K("D")].direction == "decrease"


def test_catalysis_gives_substrate_to_product_steps_citing_the_product_edge():
    g = kinetic_graph()
    steps = build_steps(active_edges(g, None))
    derived = [s for s in steps if s.derived]
    produces = next(e for e in g.edges if e.predicate == "produces" and e.object == PPI)
    assert any(s.source == ATP and s.target == PPI and s.sign == 1 and s.edge == produces.id for s in derived)
    state = propagate(adjacency(steps), {ANKH: {1}})
    assert state[PPI].direction == "increase"  # ANKH -> ATP -> PPi (through ENPP1's reaction)
    assert propagate(adjacency(steps), {ENPP1: {-1}})[ATP].direction == "increase"  # consumes: negative


def test_best_paths_are_simple_ranked_and_carry_evidence_ids():
    g = signed_graph()
    paths = best_paths(_adj(g), {K("A"): 1})
    down_d = paths[(K("D"), -1)]
    assert [p.entities for p in down_d][:2] == [[K("A"), K("B"), K("C"), K("D")], [K("A"), K("D")]]
    assert down_d[0].score > down_d[1].score  # the direct edge has low-confidence evidence
    for key, plist in paths.items():
        for path in plist:
            assert len(set(path.entities)) == len(path.entities)  # no entity revisited
            assert path.entities[-1] == key[0]
            assert path.sign == key[1]
            for st in path.steps:
                edge = g.edge(st.edge)
                assert set(st.evidence) == {e.id for e in edge.evidence}
    # B -> E is supported, no path reaches E down from A
    assert (K("E"), -1) not in paths


@pytest.mark.parametrize("seed", range(12))
def test_paths_to_chosen_targets_are_the_same_as_in_the_full_enumeration(seed):
    rnd = random.Random(seed)
    n = rnd.randint(3, 30)
    adj: dict[str, list[Step]] = {}
    for k in range(rnd.randint(0, 3 * n)):
        u, v = str(rnd.randrange(n)), str(rnd.randrange(n))
        adj.setdefault(u, []).append(Step(u, v, rnd.choice([1, -1]), f"e{k}", "p", rnd.choice([1.0, 0.8, 0.5]), ()))
    seeds = {str(i): rnd.choice([1, -1]) for i in rnd.sample(range(n), 2)}
    targets = {str(i) for i in rnd.sample(range(n), 3)}
    full = best_paths(adj, seeds, max_length=5)
    some = best_paths(adj, seeds, max_length=5, targets=targets)
    assert some == {k: v for k, v in full.items() if k[0] in targets}


@pytest.mark.parametrize("seed", range(12))
def test_kept_paths_are_the_best_of_those_accepted_not_the_accepted_among_the_best(seed):
    """With `keep`, the ranking runs over the accepted paths only: a strong rejected path never takes the place of
    a weaker accepted one (per_sign=1 makes the difference visible)."""
    rnd = random.Random(seed)
    n = rnd.randint(3, 20)
    adj: dict[str, list[Step]] = {}
    for k in range(rnd.randint(0, 3 * n)):
        u, v = str(rnd.randrange(n)), str(rnd.randrange(n))
        adj.setdefault(u, []).append(Step(u, v, rnd.choice([1, -1]), f"e{k}", "p", rnd.choice([1.0, 0.8, 0.5]), ()))
    seeds = {"0": 1}
    banned = str(rnd.randrange(1, n))

    def keep(path) -> bool:
        return banned not in path.entities[1:-1]

    everything = best_paths(adj, seeds, max_length=4, per_sign=100_000)
    kept = best_paths(adj, seeds, max_length=4, per_sign=1, keep=keep)
    for key, paths in everything.items():
        accepted = [p for p in paths if keep(p)]
        assert kept.get(key, []) == accepted[:1], key


def _random_case(seed: int):
    rnd = random.Random(seed)
    n = rnd.randint(2, 40)
    m = rnd.randint(0, 3 * n)
    src = np.array([rnd.randrange(n) for _ in range(m)], dtype=np.int64)
    dst = np.array([rnd.randrange(n) for _ in range(m)], dtype=np.int64)
    sign = np.array([rnd.choice([1, -1]) for _ in range(m)], dtype=np.int64)
    signs = np.array([rnd.choice([1, -1]) for _ in range(n)], dtype=np.int64)
    return n, src, dst, sign, signs


@pytest.mark.parametrize("seed", range(25))
def test_batched_screen_equals_networkx_and_python_per_perturbation(seed):
    n, src, dst, sign, signs = _random_case(seed)
    code, dist = batch_propagate(n, src, dst, sign, np.arange(n), signs, chunk=64)
    g2 = nx_doubled(n, src.tolist(), dst.tolist(), sign.tolist())
    adj: dict[str, list[Step]] = {}
    for u, v, s in zip(src.tolist(), dst.tolist(), sign.tolist(), strict=True):
        adj.setdefault(str(u), []).append(Step(str(u), str(v), s, "e", "p", 1.0, ()))
    for i in range(n):
        ref = nx_propagate(g2, i, int(signs[i]))
        mine = propagate(adj, {str(i): {int(signs[i])}})
        for v in range(n):
            want = (1 if 1 in ref[v].signs else 0) | (2 if -1 in ref[v].signs else 0) if v in ref else 0
            assert code[i, v] == want
            assert dist[i, v] == (ref[v].distance if v in ref else -1)
            got = mine.get(str(v))
            assert ((1 if got and 1 in got.signs else 0) | (2 if got and -1 in got.signs else 0)) == want


def test_batched_readout_columns_match_the_full_result():
    n, src, dst, sign, signs = _random_case(99)
    full, fdist = batch_propagate(n, src, dst, sign, np.arange(n), signs)
    cols = np.array([0, n // 2, n - 1])
    part, pdist = batch_propagate(n, src, dst, sign, np.arange(n), signs, readouts=cols)
    assert (part == full[:, cols]).all() and (pdist == fdist[:, cols]).all()


# ---- explanations of signed readouts reached from kinetic seeds ---------------------------------------------------
def _periphery_graph():
    """kinetic_graph with PPi -| ENPP1 feedback, plus two signed-only readouts:
    Y: PPi -> Y and ENPP1 -> Y (added PPi raises Y directly and lowers it through the ENPP1 fall: ambiguous);
    Z: ENPP1 -> Z only (Z follows the kinetic ENPP1 fall)."""
    from kg.graph import KnowledgeGraph
    from kg.models import Edge
    from tests.test_simulate_graphs import ev, gene

    g = kinetic_graph(feedback=True)
    extra = [
        Edge(subject=PPI, predicate="increases_expression_of", object="KG:Y", evidence=[ev("PMID:15039209")]),
        Edge(subject=ENPP1, predicate="positively_regulates", object="KG:Y", evidence=[ev("PMID:15039209")]),
        Edge(subject=ENPP1, predicate="positively_regulates", object="KG:Z", evidence=[ev("PMID:15039209")]),
    ]
    return KnowledgeGraph([*g.entities, gene("KG:Y", "Y"), gene("KG:Z", "Z")], [*g.edges, *extra])


def test_an_ambiguous_signed_readout_shows_the_influence_of_each_sign_from_the_seeds_that_decide_it():
    from kg.simulate import predict

    pred = predict(_periphery_graph(), ["PPi=up"], "ctx")
    assert pred.readout(ENPP1)["direction"] == "decrease"  # the kinetic layer: PPi feedback on ENPP1
    y = pred.readout("KG:Y")
    assert (y["layer"], y["direction"], y["confidence"]) == ("signed", "ambiguous", "low")
    sup = y["explanation"]["supporting"]
    assert {(p["effect"], p["text"]) for p in sup} == {
        ("increase", "PPi -> Y"), ("decrease", f"ENPP1 (decrease, fold {sup[-1]['origin']['fold_change']:.3g}, "
                                               "kinetic layer) -> Y")}
    assert {p["origin"]["change"] for p in sup} == {"perturbed", "kinetic"}
    assert y["explanation"]["opposing"] == []
    assert "PPi -> Y" in y["explanation"]["summary"] and "ENPP1" in y["explanation"]["summary"]


def test_a_signed_readout_is_explained_by_the_paths_that_decided_it():
    from kg.simulate import Simulator

    sim = Simulator(_periphery_graph(), "ctx")
    covered = sim.network().model.entities
    pred = sim.run(["PPi=up"])
    for r in pred.readouts:
        if r["layer"] != "signed" or r["direction"] in ("unchanged", "ambiguous"):
            continue
        for kind in ("supporting", "opposing"):
            for path in r["explanation"][kind]:
                assert (path["effect"] == r["direction"]) == (kind == "supporting")
                assert not {st["object"] for st in path["steps"]} & covered  # never through a kinetic readout
    z = pred.readout("KG:Z")
    assert z["direction"] == "decrease"
    assert [p["text"].split(" (")[0] for p in z["explanation"]["supporting"]] == ["ENPP1"]
    assert z["explanation"]["supporting"][0]["origin"]["change"] == "kinetic"


def test_a_carrier_gives_a_signed_step_citing_the_gated_edge():
    from tests.test_simulate_graphs import GATE, TGFB1

    g = kinetic_graph(gate=1.0)
    steps = build_steps(active_edges(g, None), lambda name: g.resolve(name).id)
    gated = next(e for e in g.edges if e.subject == TGFB1)
    carrier = [s for s in steps if s.derived == "carrier"]
    assert [(s.source, s.target, s.sign, s.edge) for s in carrier] == [(GATE, ANKH, 1, gated.id)]
    assert set(carrier[0].evidence) == {x.id for x in gated.evidence}
    assert propagate(adjacency(steps), {GATE: {-1}})[PPI].direction == "decrease"
