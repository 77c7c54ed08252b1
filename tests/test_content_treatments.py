"""The treatment area (loaders/treatments_*.yaml): brand names and codes resolve to their drug, every drug acts
through a mechanism edge on a molecular target (never on a disease), every drug states its dose, the drugs of the
endocrine loop act on its calcitriol and CASR (endocrine.yaml), and the pending cases are well formed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.simulate.check import load_cases

ROOT = Path(__file__).resolve().parents[1]
TREATMENT_FILES = sorted((ROOT / "loaders").glob("treatments_*.yaml"))
PENDING = ROOT / "tests" / "validation" / "pending"
PUBLISHED = ROOT / "tests" / "validation" / "published-cases.yaml"
# How a drug may act: on its target (inhibit, activate, supply, regulate its amount) or, for crystal-growth
# inhibitors and PPi analogues, on the mineral process itself. Never `causes`/`contributes_to`/`associated_with`.
MECHANISM_PREDICATES = {"inhibits", "activates", "supplies", "inhibits_formation_of", "negatively_regulates",
                        "increases_expression_of"}


@pytest.fixture
def g(curated_graph):
    return curated_graph  # loaded once per session (conftest)


def _treatment_drugs() -> list[str]:
    ids = []
    for path in TREATMENT_FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids += [e["id"] for e in data.get("entities") or [] if e.get("category") == "drug"]
    return ids


def test_the_treatment_files_define_drugs():
    assert len(TREATMENT_FILES) >= 4
    assert len(_treatment_drugs()) >= 30


@pytest.mark.parametrize(("name", "label"), [
    ("Strensiq", "asfotase alfa"), ("ENB-0040", "asfotase alfa"), ("INZ-701", "ENPP1-Fc"),
    ("Crysvita", "burosumab"), ("KRN23", "burosumab"), ("hexasodium fytate", "SNF472"),
    ("Kineret", "anakinra"), ("Ilaris", "canakinumab"), ("Arcalyst", "rilonacept"), ("Actemra", "tocilizumab"),
    ("Didronel", "etidronate"), ("Fosamax", "alendronate"), ("Sensipar", "cinacalcet"), ("Parsabiv", "etelcalcetide"),
    ("Renvela", "sevelamer"), ("Fosrenol", "lanthanum carbonate"), ("vitamin K1", "phylloquinone"),
    ("MK-7", "menaquinone-7"), ("Coumadin", "warfarin"), ("PTH 1-34", "teriparatide"), ("STS", "sodium thiosulfate"),
    ("COX-2", "PTGS2"), ("glucocorticoid receptor", "NR3C1"), ("FPPS", "FDPS"), ("PLP", "pyridoxal 5'-phosphate"),
])
def test_brand_names_and_codes_resolve(g, name, label):
    assert g.resolve(name).label == label


@pytest.mark.parametrize("drug", _treatment_drugs())
def test_every_drug_acts_through_a_cited_mechanism_on_a_target(g, drug):
    own = [e for e in g.edges if e.subject == drug]
    assert own, f"{drug} has no mechanism edge"
    for edge in own:
        assert edge.predicate in MECHANISM_PREDICATES, f"{drug} {edge.predicate} {edge.object}"
        assert g.entity(edge.object).category != "disease", f"{drug} -> disease {edge.object}"
        assert edge.evidence and all(ev.source for ev in edge.evidence)


@pytest.mark.parametrize("drug", _treatment_drugs())
def test_every_drug_states_its_dose(g, drug):
    entity = g.entity(drug)
    assert entity.description and "dose 1" in entity.description.lower(), f"{drug}: no 'dose 1' in description"


def test_active_vitamin_d_and_calcimimetics_act_on_the_loop_entities(g):
    """The drugs' edges into the endocrine loop name its own calcitriol and CASR (endocrine.yaml), which the
    loop's model carries on to PTH (Ca2+ -| PTH via CASR) and to FGF23."""
    calcitriol, casr = g.resolve("calcitriol").id, g.resolve("CASR").id
    assert (calcitriol, casr) == ("CHEBI:17823", "HGNC:1514")
    assert {g.resolve("cinacalcet").id, g.resolve("etelcalcetide").id} <= {
        e.subject for e in g.edges if e.object == casr and e.predicate == "activates"}
    assert {g.resolve("calcitriol therapy").id, g.resolve("alfacalcidol").id} <= {
        e.subject for e in g.edges if e.object == calcitriol and e.predicate == "supplies"}


def test_pending_cases_say_what_they_need_and_do_not_reuse_ids():
    pending = load_cases(PENDING / "treatment.yaml")
    published = load_cases(PUBLISHED)
    published_ids = {str(c["id"]) for c in [*published["cases"], *(published.get("known_gaps") or [])]}
    for case in pending["cases"]:
        assert case.get("area") == "treatment" and case.get("source") and str(case.get("needs") or "").strip()
        assert str(case["id"]).startswith(("T1", "T2")) and str(case["id"]) not in published_ids
    ids = [str(c["id"]) for c in pending["cases"]]
    assert len(ids) == len(set(ids))


def test_published_treatment_cases_carry_their_area_and_a_quarter_of_all_are_quantitative():
    published = [c for c in load_cases(PUBLISHED)["cases"] if c.get("area") == "treatment"]
    pending = load_cases(PENDING / "treatment.yaml")["cases"]
    assert len(published) >= 30 and all(str(c["id"]).startswith(("T1", "T2")) for c in published)
    everything = [*published, *pending]
    quantitative = [c for c in everything if c.get("fold")]
    assert len(quantitative) * 4 >= len(everything)
