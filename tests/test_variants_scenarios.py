"""kg.variants.scenarios: an unknown effect is simulated every way its rule allows, and readouts that differ are
reported as ambiguous with every outcome; decided alleles are not."""

from __future__ import annotations

from kg.simulate.check import check
from kg.simulate.predict import Simulator, predict
from kg.simulate.sample.ensemble import Spec


def by_label(pred):
    return {r["label"]: r for r in pred.readouts}


def test_an_unknown_missense_gives_ambiguous_readouts_with_both_outcomes(curated_graph):
    pred = predict(curated_graph, ["ENPP1:p.Tyr471Cys/+"], "plasma")
    ppi = by_label(pred)["PPi"]
    assert ppi["direction"] == "ambiguous" and ppi["fold_change"] is None and ppi["confidence"] == "low"
    outcomes = {o["scenario"]: o["direction"] for o in ppi["outcomes"]}
    assert outcomes == {"ENPP1 p.Tyr471Cys: loss": "decrease", "ENPP1 p.Tyr471Cys: gain": "increase"}
    assert "if ENPP1 p.Tyr471Cys: loss: decrease" in ppi["explanation"]["summary"]
    out = pred.to_json()
    assert [s["label"] for s in out["scenarios"]] == ["ENPP1 p.Tyr471Cys: loss", "ENPP1 p.Tyr471Cys: gain"]
    assert any("has an unknown effect" in n for n in out["notes"])
    assert out["perturbations"][0]["genotype"]["alleles"][0]["decided_by"] == "unknown"


def test_readouts_untouched_by_the_variant_stay_unambiguous(curated_graph):
    rows = by_label(predict(curated_graph, ["ENPP1:p.Tyr471Cys/+"], "plasma"))
    assert rows["hypoxia"]["direction"] == "unchanged" and "outcomes" not in rows["hypoxia"]


def test_a_region_decided_allele_is_not_ambiguous(curated_graph):
    pred = predict(curated_graph, ["ANKH:p.Arg350Trp/+"], "plasma")
    assert by_label(pred)["PPi"]["direction"] == "decrease"
    assert "scenarios" not in pred.to_json()


def test_a_splice_region_change_is_simulated_as_loss_or_nothing(curated_graph):
    ppi = by_label(predict(curated_graph, ["ENPP1:c.900+5G>A/c.900+5G>A"], "plasma"))["PPi"]
    assert {o["scenario"].split(": ")[-1]: o["direction"] for o in ppi["outcomes"]} == {
        "loss": "decrease", "none": "unchanged"}


def test_a_homozygote_shares_one_scenario_and_two_unknown_alleles_are_crossed(curated_graph):
    hom = predict(curated_graph, ["ENPP1:p.Tyr471Cys/p.Tyr471Cys"], "plasma").to_json()
    assert len(hom["scenarios"]) == 2
    compound = predict(curated_graph, ["ENPP1:p.Tyr471Cys/p.Arg774Cys"], "plasma").to_json()
    assert len(compound["scenarios"]) == 4


def test_many_unknown_alleles_run_each_scenario_together(curated_graph):
    perts = ["ENPP1:p.Tyr471Cys/p.Arg774Cys", "ALPL:p.Arg54Cys/p.Arg71Cys"]
    out = Simulator(curated_graph, "plasma").run(perts).to_json()
    assert len(out["scenarios"]) == 2
    assert any("each scenario is run for all of them together" in n for n in out["notes"])


def test_kg_check_counts_an_ambiguous_readout_as_a_miss(curated_graph):
    cases = {"readouts": {"PPi": ["PPi"]}, "cases": [
        {"id": "T1", "context": "plasma", "perturb": ["ENPP1:p.Tyr471Cys/p.Tyr471Cys"], "expect": {"PPi": "decrease"}}]}
    report = check(curated_graph, cases)
    assert report.rows and not report.rows[0]["ok"]


def test_an_ensemble_with_an_unknown_allele_says_the_scenarios_are_the_spread(curated_graph):
    pred = Simulator(curated_graph, "plasma").run(["ENPP1:p.Tyr471Cys/+"], ["PPi"], Spec(20, 1))
    out = pred.to_json()
    assert "ensemble" not in out and len(out["scenarios"]) == 2
    assert any("ensemble is not run for alleles of unknown effect" in n for n in out["notes"])
    plain = Simulator(curated_graph, "plasma").run(["ENPP1:p.Tyr471Cys/+"], ["PPi"]).to_json()
    assert not any("ensemble" in n for n in plain["notes"])
