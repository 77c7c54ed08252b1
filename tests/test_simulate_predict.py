"""Predictions on the curated graph: the hek293 calibration, every public validation case (through the same code
path as `kg check`), the three contexts, hypotheses, the JSON contract, and determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.simulate import Simulator, predict
from kg.simulate.check import check, load_cases
from kg.simulate.lite import LiteGraph, Rec
from tests.conftest import require

PUBLIC_CASES = Path(__file__).resolve().parents[2] / "shared/validation/public-cases.yaml"
READOUT_KEYS = {"compartment", "id", "label", "category", "synonyms", "direction", "fold_change", "baseline",
                "perturbed", "unit", "confidence", "layer", "explanation"}


@pytest.fixture(scope="module")
def sims(curated_graph):
    return {c: Simulator(curated_graph, c) for c in ("hek293", "chondrocyte", "plasma")}


def fold(sim, perts, name):
    return sim.run(perts, readouts=[name]).readouts[0]


def test_hek293_calibration_against_the_seed_table(sims):
    ppi, amp = fold(sims["hek293"], ["ANKH=up"], "PPi"), fold(sims["hek293"], ["ANKH=up"], "AMP")
    assert 3.0 <= ppi["fold_change"] <= 8.0
    assert 4.0 <= amp["fold_change"] <= 12.0
    assert ppi["baseline"] == pytest.approx(0.5, rel=0.1)  # parental ~0.5 uM
    assert amp["baseline"] == pytest.approx(0.2, rel=0.1)  # parental ~0.2 uM
    for name in ("PPi", "AMP"):
        r = fold(sims["hek293"], ["ANKH:p.L244S=up"], name)
        assert r["direction"] == "unchanged" and r["fold_change"] == pytest.approx(1.0, abs=1e-9)


def test_every_public_case_passes_through_the_check_path(curated_graph):
    require(PUBLIC_CASES.exists(), f"public validation cases not found at {PUBLIC_CASES}")
    report = check(curated_graph, load_cases(PUBLIC_CASES))
    assert report.rows, "no expectations were read"
    failing = [f"{r['case']} {r['readout']} {r['check']}: {r['explanation']}" for r in report.rows if not r["ok"]]
    assert not failing, "\n".join(failing)
    assert report.coverage == 1.0 and report.accuracy == 1.0


def test_baselines_sit_near_the_measured_references(sims):
    # plasma PPi 2.2-3.5 uM (Ryan 1979; Russell 1971), synovial PPi ~10 uM (Doherty 1991)
    assert 2.0 <= fold(sims["plasma"], ["TGFB1=1"], "PPi")["baseline"] <= 3.6
    assert 7.5 <= fold(sims["chondrocyte"], ["TGFB1=1"], "PPi")["baseline"] <= 12.5


@pytest.mark.parametrize(("ctx", "perts", "name", "direction"), [
    ("plasma", ["ENPP1=ko"], "HA deposition", "increase"),
    ("plasma", ["ALPL=ko"], "Pi", "decrease"),
    ("plasma", ["ALPL=ko"], "HA deposition", "decrease"),
    ("plasma", ["ALPL=ko"], "CPP deposition", "increase"),
    ("plasma", ["NT5E=ko"], "adenosine", "decrease"),
    ("plasma", ["NT5E=ko"], "ALPL", "increase"),
    ("plasma", ["NT5E=ko"], "PPi", "decrease"),
    ("chondrocyte", ["hypoxia"], "ANKH", "decrease"),
    ("chondrocyte", ["probenecid"], "PPi", "decrease"),
    ("plasma", ["levamisole"], "PPi", "increase"),
    ("plasma", ["SBI-425"], "PPi", "increase"),
    ("chondrocyte", ["ANKH:p.P5L"], "CPP deposition", "increase"),
    ("plasma", ["ANKH:p.F377del"], "PPi", "decrease"),
])
def test_mechanisms_give_the_published_directions(sims, ctx, perts, name, direction):
    assert fold(sims[ctx], perts, name)["direction"] == direction


def test_plasma_source_shares_emerge_from_the_model(sims):
    s = sims["plasma"]
    assert fold(s, ["ENPP1=ko"], "PPi")["fold_change"] < 0.15  # ~10% left in patients
    assert 0.25 <= fold(s, ["ABCC6=ko"], "PPi")["fold_change"] <= 0.45  # ~30-40%
    assert 0.65 <= fold(s, ["ANKH=ko"], "PPi")["fold_change"] <= 0.85  # ANKH about a quarter
    joint = fold(sims["chondrocyte"], ["ANKH=ko"], "PPi")["fold_change"]
    assert joint < fold(s, ["ANKH=ko"], "PPi")["fold_change"]  # more in the joint


def test_enpp1_fc_rescues_and_enpp1_dominates_the_double_knockout(sims):
    s = sims["plasma"]
    ko = fold(s, ["ENPP1=ko"], "PPi")["perturbed"]
    rescued = fold(s, ["ENPP1=ko", "ENPP1-Fc"], "PPi")["perturbed"]
    assert rescued > 5 * ko
    double = fold(s, ["ENPP1=ko", "ALPL=ko"], "PPi")
    assert double["direction"] == "decrease"
    assert double["perturbed"] < fold(s, ["ALPL=ko"], "PPi")["perturbed"]


def test_the_ankh_ppi_export_hypothesis_changes_the_enpp1_knockout(curated_graph):
    base = predict(curated_graph, ["ENPP1=ko"], "plasma", readouts=["PPi"]).readouts[0]
    hyp = predict(curated_graph, ["ENPP1=ko"], "plasma", hypotheses=["ANKH transports PPi"],
                  readouts=["PPi"]).readouts[0]
    assert hyp["perturbed"] > base["perturbed"]
    assert predict(curated_graph, ["ENPP1=ko"], "plasma", hypotheses=["ANKH transports PPi"]).hypotheses


def test_unknown_hypothesis_and_context_are_input_errors(curated_graph):
    with pytest.raises(InputError, match="no contested or hypothetical claim matches"):
        predict(curated_graph, ["ANKH=up"], "plasma", hypotheses=["ANKH eats PPi"])
    known = "artery, bone, chondrocyte, gut, hek293, joint, osteoblast, plasma, skin, urine, vsmc"
    with pytest.raises(InputError, match=f"unknown context 'liver'; known contexts: {known}"):
        predict(curated_graph, ["ANKH=up"], "liver")


@pytest.mark.parametrize(("name", "context", "compartments"), [
    ("MC3T3-E1", "osteoblast", {"osteoblast"}),
    ("calvarial osteoblasts", "osteoblast", {"osteoblast"}),
    ("Aortic smooth muscle cells", "vsmc", {"vsmc"}),
    ("VSMC", "vsmc", {"vsmc"}),
    ("vessel wall", "artery", {"plasma", "bone", "artery", "joint", "skin", "urine", "gut"}),
    ("serum", "plasma", {"plasma", "bone", "artery", "joint", "skin", "urine", "gut"}),
])
def test_contexts_resolve_by_synonym_and_cultures_are_one_compartment(curated_graph, name, context, compartments):
    sim = Simulator(curated_graph, name)
    assert sim.ctx.name == context
    assert set(sim.model().model.compartments) == compartments


def test_json_has_one_readout_per_entity_with_the_documented_keys(curated_graph):
    out = predict(curated_graph, ["ANKH:p.P5L"]).to_json()
    assert set(out) >= {"context", "perturbations", "readouts"}
    assert out["context"]["name"] == "plasma"
    assert len(out["readouts"]) == len(curated_graph.entities)
    for r in out["readouts"]:
        assert set(r) == READOUT_KEYS
        assert r["direction"] in ("increase", "decrease", "unchanged", "ambiguous")
        assert r["layer"] in ("input", "kinetic", "signed")
        assert set(r["explanation"]) == {"summary", "supporting", "opposing"}
        for path in r["explanation"]["supporting"]:
            assert all(step["evidence"] and step["edge"].startswith("KG:edge.") for step in path["steps"])
    p = out["perturbations"][0]
    assert p["gene"]["label"] == "ANKH" and p["effect"] == "variant"
    json.dumps(out)  # serialisable


def test_predictions_are_deterministic(curated_graph):
    a = predict(curated_graph, ["ENPP1=ko", "hypoxia"], "chondrocyte").to_json()
    b = predict(curated_graph, ["hypoxia", "ENPP1=ko"], "chondrocyte").to_json()
    a.pop("perturbations"), b.pop("perturbations")
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def test_the_fast_json_view_predicts_exactly_like_the_validated_graph(curated_graph):
    lite = LiteGraph(json.loads(json.dumps(curated_graph.to_dict())))
    for perts in (["ANKH:p.P5L"], ["ENPP1=ko", "ENPP1-Fc"], ["TGFB1=up"]):
        a = predict(curated_graph, perts, "chondrocyte").to_json()
        b = predict(lite, perts, "chondrocyte").to_json()
        assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    ev = curated_graph.edges[0].evidence[0]
    assert Rec(ev.dump()).id == ev.id


def test_pi_raises_ank_through_pit1_on_the_curated_graph(sims):
    s = sims["chondrocyte"]
    pi_up = fold(s, ["Pi=up"], "ANKH")
    gated = fold(s, ["Pi=up", "SLC20A1=ko"], "ANKH")
    assert pi_up["direction"] == "increase" and gated["perturbed"] < pi_up["perturbed"]
    assert gated["perturbed"] < 1.0  # without PiT-1 the (basal) Pi signal to ANK is gone as well
    # the explanation names PiT-1 on a step attributed to the Pi -> ANKH edge and its evidence (Kim 2010)
    steps = [st for path in gated["explanation"]["supporting"] for st in path["steps"]]
    carrier = [st for st in steps if st["subject_label"] == "SLC20A1" and st["object_label"] == "ANKH"]
    assert carrier and carrier[0]["predicate"] == "increases_expression_of (carrier of the signal)"
    assert "PMID:20601283" in carrier[0]["sources"]


def test_added_ppi_raises_osteopontin_and_the_tnap_route_is_a_hypothesis(curated_graph, sims):
    # SPP1 is a relay of the kinetic layer: it regulates ENPP1, ANKH and ALPL (Harmey 2006)
    spp1 = fold(sims["chondrocyte"], ["PPi=up"], "SPP1")
    assert (spp1["layer"], spp1["direction"]) == ("kinetic", "increase")
    assert spp1["explanation"]["supporting"][0]["text"] == "PPi -> SPP1"
    assert all(p["effect"] == "decrease" for p in spp1["explanation"]["opposing"])
    hyp = predict(curated_graph, ["PPi=up"], "chondrocyte",
                  hypotheses=["TNAP limits osteopontin other than through PPi (e.g. by dephosphorylating it)"],
                  readouts=["SPP1"]).readouts[0]
    # PPi -> SPP1 against ALPL (up in the kinetic layer) -| SPP1: the rise is smaller with the hypothesis on
    assert hyp["direction"] == "increase" and hyp["perturbed"] < spp1["perturbed"]
    opposing = [p["text"] for p in hyp["explanation"]["opposing"]]
    assert opposing and all(t.endswith("ALPL -(hypothesis)| SPP1") for t in opposing)  # the step says its status


def test_a_genotype_is_germline_in_every_compartment_and_scenarios_keep_a_named_compartment(curated_graph):
    """kg.variants' gene factors reach the body model through one GeneChange: the gene's product falls in every
    compartment that holds it; a run split into scenarios (an allele of unknown effect) keeps NAME@COMPARTMENT."""
    sim = Simulator(curated_graph, "plasma")
    places = sim.network().model.compartments_of(curated_graph.resolve("ENPP1").id)
    assert {"plasma", "bone", "artery", "joint"} <= set(places)
    pred = sim.run(["ENPP1:LOF/LOF"], readouts=[f"ENPP1@{c}" for c in places])
    assert [r["compartment"] for r in pred.readouts] == places
    assert all(r["direction"] == "decrease" and r["fold_change"] < 1e-6 for r in pred.readouts), pred.readouts
    split = sim.run(["ENPP1:p.Arg774Cys/+", "Pi@gut=2"], readouts=["serum phosphate"])
    assert [s["label"] for s in split.scenarios] == ["ENPP1 p.Arg774Cys: loss", "ENPP1 p.Arg774Cys: gain"]
    assert [p.compartment for p in split.perturbations] == [None, "gut"]
    assert all(r.readouts[0]["direction"] == "increase" for _label, r in split.runs)  # the gut load in each run


def test_a_deposition_index_takes_no_second_term_from_what_its_chemistry_reads(curated_graph):
    """Bone mineralization is bone's hydroxyapatite deposition: Pi, PPi and calcium (its chemistry) and osteopontin
    (a regulator of that deposition) act on it once, through it, although signed edges also name them; other
    regulators (DMP1) still act on it directly."""
    sim = Simulator(curated_graph, "bone")
    model = sim.network().model
    bone_min = model.symbol(curated_graph.resolve("bone mineralization").id, "bone")
    factors = {curated_graph.edge(eid).subject for r in model.rules
               if r.kind == "factor" and r.name.endswith(f"__{bone_min}") for eid in r.edges}
    carried = {curated_graph.resolve(n).id for n in ("Pi", "PPi", "Ca2+", "SPP1", "hydroxyapatite deposition")}
    assert curated_graph.resolve("DMP1").id in factors and not factors & carried, factors & carried
    assert any(e.object == curated_graph.resolve("bone mineralization").id and e.subject in carried
               and e.kinetics is None for e in curated_graph.edges)  # the signed edges exist
    pred = sim.run(["ENPP1=ko"], readouts=["bone mineralization", "arterial calcification"])
    assert [r["direction"] for r in pred.readouts] == ["decrease", "increase"]  # the ENPP1 paradox (S03)
