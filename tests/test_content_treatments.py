"""The treatment area (loaders/treatments_*.yaml): brand names and codes resolve to their drug, every drug acts
through a mechanism edge on a molecular target (never on a disease), every drug states its dose, the pending
edges into the endocrine loop build once calcitriol and CASR exist, and the pending cases are well formed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.errors import LoadErrors, ResolveError
from kg.load.pipeline import load_paths
from kg.simulate.check import load_cases

ROOT = Path(__file__).resolve().parents[1]
TREATMENT_FILES = sorted((ROOT / "loaders").glob("treatments_*.yaml"))
PENDING = ROOT / "tests" / "validation" / "pending"
PUBLISHED = ROOT / "tests" / "validation" / "published-cases.yaml"
# How a drug may act: on its target (inhibit, activate, supply, regulate its amount) or, for crystal-growth
# inhibitors and PPi analogues, on the mineral process itself. Never `causes`/`contributes_to`/`associated_with`.
MECHANISM_PREDICATES = {"inhibits", "activates", "supplies", "inhibits_formation_of", "negatively_regulates",
                        "increases_expression_of"}
# Entities the pending edges need from the endocrine loop (branch sim-core): calcitriol, the CaSR and PTH.
AWAITED = {"CHEBI:17823": ("small_molecule", "calcitriol"), "HGNC:1514": ("gene_or_protein", "CASR"),
           "HGNC:9606": ("gene_or_protein", "PTH")}


@pytest.fixture(scope="module")
def g():
    return load_paths([ROOT / "loaders"], root=ROOT)


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


def _pending_subjects(g) -> set[str]:
    """Drugs whose mechanism edges wait in the pending file for the endocrine loop's entities."""
    data = yaml.safe_load((PENDING / "treatment-edges.yaml").read_text(encoding="utf-8"))
    return {g.resolve(e["subject"]).id for e in data["edges"] if _resolves(g, e["subject"])}


@pytest.mark.parametrize("drug", _treatment_drugs())
def test_every_drug_acts_through_a_cited_mechanism_on_a_target(g, drug):
    own = [e for e in g.edges if e.subject == drug]
    if not own:
        assert drug in _pending_subjects(g), f"{drug} has no mechanism edge, here or pending"
        return
    for edge in own:
        assert edge.predicate in MECHANISM_PREDICATES, f"{drug} {edge.predicate} {edge.object}"
        assert g.entity(edge.object).category != "disease", f"{drug} -> disease {edge.object}"
        assert edge.evidence and all(ev.source for ev in edge.evidence)


@pytest.mark.parametrize("drug", _treatment_drugs())
def test_every_drug_states_its_dose(g, drug):
    entity = g.entity(drug)
    assert entity.description and "dose 1" in entity.description.lower(), f"{drug}: no 'dose 1' in description"


def test_pending_edges_wait_only_for_the_endocrine_loop(tmp_path):
    pending_edges = PENDING / "treatment-edges.yaml"
    with pytest.raises(LoadErrors) as caught:
        load_paths([ROOT / "loaders", pending_edges], root=ROOT)
    messages = [str(err) for err in caught.value.errors]
    assert messages and all("dangling reference" in m and any(a in m for a in AWAITED) for m in messages), messages


def test_pending_edges_build_once_calcitriol_and_casr_exist(tmp_path):
    g0 = load_paths([ROOT / "loaders"], root=ROOT)
    missing = {cid: spec for cid, spec in AWAITED.items() if not _resolves(g0, cid)}
    stub = tmp_path / "endocrine_stub.yaml"
    stub.write_text(yaml.safe_dump({
        "source": {"name": "endocrine_stub", "description": "test stub for the awaited loop entities",
                   "licence": "CC-BY-4.0"},
        "entities": [{"id": cid, "category": cat, "label": label} for cid, (cat, label) in missing.items()],
    }), encoding="utf-8")
    g = load_paths([ROOT / "loaders", PENDING / "treatment-edges.yaml", stub], root=ROOT)
    casr = g.resolve("HGNC:1514").id
    assert {g.resolve("cinacalcet").id, g.resolve("etelcalcetide").id} <= {
        e.subject for e in g.edges if e.object == casr and e.predicate == "activates"}


def _resolves(g, name: str) -> bool:
    try:
        g.resolve(name)
    except ResolveError:
        return False
    return True


def test_pending_cases_say_what_they_need_and_do_not_reuse_ids():
    pending = load_cases(PENDING / "treatment.yaml")
    published = load_cases(PUBLISHED)
    published_ids = {str(c["id"]) for c in [*published["cases"], *(published.get("known_gaps") or [])]}
    for case in pending["cases"]:
        assert case.get("area") == "treatment" and case.get("source") and str(case.get("needs") or "").strip()
        assert str(case["id"]).startswith("T1") and str(case["id"]) not in published_ids
    ids = [str(c["id"]) for c in pending["cases"]]
    assert len(ids) == len(set(ids))


def test_published_treatment_cases_carry_their_area_and_a_quarter_of_all_are_quantitative():
    published = [c for c in load_cases(PUBLISHED)["cases"] if c.get("area") == "treatment"]
    pending = load_cases(PENDING / "treatment.yaml")["cases"]
    assert len(published) >= 30 and all(str(c["id"]).startswith("T1") for c in published)
    everything = [*published, *pending]
    quantitative = [c for c in everything if c.get("fold")]
    assert len(quantitative) * 4 >= len(everything)
