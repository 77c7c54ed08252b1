"""Explanations put each path on the side it actually pushed, name the chemistry that decides a mineral readout,
and mark the steps on edges that are not established."""

from __future__ import annotations

import pytest

from kg.simulate.predict import predict

SIGN = {"+": 1, "-": -1}
WORD = {1: "increase", -1: "decrease"}


def _ratio_readouts(graph) -> set[str]:
    return {e.object for e in graph.edges if e.kinetics is not None and e.kinetics.rate_law == "pi_ppi_ratio"}


@pytest.fixture(scope="module")
def runs(curated_graph):
    genes = [e for e in curated_graph.by_category("gene_or_protein")
             if any(x.kinetics is not None for x in curated_graph.incident_edges(e.id))]
    assert genes
    return [predict(curated_graph, [f"{g.id}={effect}"], "plasma") for g in genes for effect in ("ko", "up")]


def test_every_kinetic_path_was_carried_by_how_its_steps_moved(runs):
    """A path listed for a kinetic readout passes only through kinetic readouts that moved the way it says."""
    checked = 0
    for pred in runs:
        moved = {r["id"]: r["direction"] for r in pred.readouts if r["layer"] in ("kinetic", "input")}
        for r in pred.readouts:
            if r["layer"] != "kinetic":
                continue
            for side in ("supporting", "opposing"):
                for path in r["explanation"][side]:
                    sign = SIGN[path["sign"]]
                    steps = path["steps"]
                    for st in steps:
                        sign *= SIGN[st["sign"]]  # back to the seed's own sign
                    for st in steps[:-1]:
                        sign *= SIGN[st["sign"]]
                        if st["object"] in moved and moved[st["object"]] != "unchanged" and \
                                moved[st["object"]] != WORD[sign] and st["object"] not in {
                                p["id"] for p in pred.to_json()["perturbations"]}:
                            pytest.fail(f"{r['label']}: {path['text']} passes {st['object_label']} "
                                        f"({moved[st['object']]}) as a {WORD[sign]}")
                    checked += 1
    assert checked


def test_a_mineral_readout_that_moved_names_its_ratio(runs, curated_graph):
    minerals = _ratio_readouts(curated_graph)
    assert minerals
    seen = 0
    for pred in runs:
        for r in pred.readouts:
            if r["id"] in minerals and r["layer"] == "kinetic" and r["direction"] in ("increase", "decrease"):
                assert "decided by the chemistry" in r["explanation"]["summary"] and "ratio" in r["explanation"][
                    "summary"], r["explanation"]["summary"]
                seen += 1
    assert seen


def test_slc20a1_loss_lowers_cpp_through_the_pi_ppi_ratio_and_pi_is_not_an_opposing_route(curated_graph):
    pred = predict(curated_graph, ["SLC20A1=ko"], "plasma", readouts=["CPP deposition", "Pi", "PPi"])
    cpp = pred.readout(curated_graph.resolve("CPP deposition").id)
    pi = pred.readout(curated_graph.resolve("Pi").id)
    assert pi["direction"] == "increase" and cpp["direction"] == "decrease"
    summary = cpp["explanation"]["summary"]
    assert "Pi/PPi ratio" in summary and "SLC20A1 -| Pi" in summary
    for path in cpp["explanation"]["opposing"]:
        assert pi["id"] not in [st["object"] for st in path["steps"]], path["text"]
    assert any(pi["id"] in [st["object"] for st in p["steps"]] for p in cpp["explanation"]["supporting"])


def test_steps_on_contested_edges_say_so(curated_graph):
    edge = next(e for e in curated_graph.edges if e.status != "established" and e.sign != "none"
                and curated_graph.entity(e.subject).category == "gene_or_protein")
    pred = predict(curated_graph, [f"{edge.subject}=up"], "plasma", hypotheses=[edge.id])
    steps = [(p, st) for r in pred.readouts for side in ("supporting", "opposing")
             for p in r["explanation"][side] for st in p["steps"] if st["edge"] == edge.id]
    assert steps
    for path, st in steps:
        assert st["status"] == edge.status and f"-({edge.status})" in path["text"]
