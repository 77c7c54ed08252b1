"""The systemic phosphate/calcium content (loaders/phosphate_*.yaml): disease genes, FGF23 processing and its
regulators, the edges into the endocrine loop's entities (phosphate_loop_links.yaml), and the pending cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.simulate.check import load_cases
from tests.conftest import edges_between as edges

ROOT = Path(__file__).resolve().parents[1]
PENDING = ROOT / "tests" / "validation" / "pending"


@pytest.fixture
def g(curated_graph):
    return curated_graph  # loaded once per session (conftest)



@pytest.mark.parametrize(("gene", "disease", "mondo"), [
    ("PHEX", "XLH", "MONDO:0010619"),
    ("DMP1", "ARHR1", "MONDO:0009430"),
    ("FAM20C", "Raine syndrome", "MONDO:0009821"),
    ("GALNT3", "HFTC1", "MONDO:0100252"),
    ("FGF23", "HFTC2", "MONDO:0060714"),
    ("FGF23", "ADHR", "MONDO:0008660"),
    ("FGF23", "TIO", "MONDO:0018124"),
    ("CYP2R1", "VDDR1B", "MONDO:0010810"),
])
def test_phosphate_diseases_resolve_to_mondo_and_their_gene(g, gene, disease, mondo):
    assert g.resolve(disease).id == mondo
    [edge] = edges(g, gene, "causes", disease)
    assert edge.status == "established" and edge.evidence


def test_furin_cleaves_intact_fgf23_into_its_c_terminal_fragment(g):
    fgf23, cter = g.resolve("FGF23").id, g.resolve("cFGF23").id
    for predicate, obj in (("consumes", "FGF23"), ("produces", "C-terminal FGF23")):
        [edge] = edges(g, "FURIN", predicate, obj)
        assert edge.substrates == [fgf23] and edge.products == [cter]


def test_processing_enzymes_act_in_opposite_directions_on_intact_fgf23(g):
    assert edges(g, "FAM20C", "negatively_regulates", "FGF23")   # phosphorylation promotes furin cleavage
    assert edges(g, "GALNT3", "positively_regulates", "FGF23")   # O-glycosylation protects it
    assert edges(g, "GALNT3", "negatively_regulates", "cFGF23")


def test_bone_side_and_systemic_regulators_raise_fgf23_transcription(g):
    for regulator in ("FGFR1", "EPO", "TNF", "hypoxia", "LPS"):
        assert edges(g, regulator, "increases_expression_of", "FGF23"), regulator
    for repressor in ("PHEX", "DMP1", "iron"):
        assert edges(g, repressor, "decreases_expression_of", "FGF23"), repressor


def test_direct_hif1a_action_on_fgf23_is_contested_beside_the_epo_route(g):
    [direct] = edges(g, "HIF1A", "increases_expression_of", "FGF23")
    assert direct.status == "contested" and direct.claim
    assert {ev.status for ev in direct.evidence} == {"established", "contested"}
    assert edges(g, "EGLN1", "decreases_expression_of", "EPO")
    assert edges(g, "EGLN1", "negatively_regulates", "HIF1A")


@pytest.mark.parametrize(("gene", "gene_id", "disease", "mondo"), [
    ("KL", "HGNC:6344", "HFTC3", "MONDO:0060715"),
    ("SLC34A3", "HGNC:20305", "HHRH", "MONDO:0009431"),
    ("SLC34A1", "HGNC:11019", "HCINF2", "MONDO:0014851"),
    ("CYP24A1", "HGNC:2602", "HCINF1", "MONDO:0020739"),
    ("CYP27B1", "HGNC:2606", "VDDR1A", "MONDO:0020723"),
    ("VDR", "HGNC:12679", "VDDR2A", "MONDO:0010186"),
    ("CASR", "HGNC:1514", "ADH1", "MONDO:0011013"),
    ("CASR", "HGNC:1514", "FHH1", "MONDO:0007791"),
    ("CASR", "HGNC:1514", "NSHPT", "MONDO:0009397"),
])
def test_loop_diseases_link_to_the_loop_genes_of_endocrine_yaml(g, gene, gene_id, disease, mondo):
    """phosphate_loop_links.yaml names the loop's genes; they resolve to the entities endocrine.yaml defines."""
    assert g.resolve(gene).id == gene_id and g.resolve(disease).id == mondo
    [edge] = edges(g, gene, "causes", disease)
    assert edge.status == "established" and edge.evidence


def test_cyp2r1_makes_the_loop_calcidiol_from_vitamin_d3(g):
    assert g.resolve("calcidiol").id == "CHEBI:17933" and g.resolve("calcitriol").id == "CHEBI:17823"
    assert edges(g, "CYP2R1", "consumes", "cholecalciferol") and edges(g, "CYP2R1", "produces", "calcidiol")
    assert edges(g, "calcitriol", "positively_regulates", "intestinal calcium absorption")
    assert edges(g, "CASR", "negatively_regulates", "intestinal calcium absorption")


def test_pending_cases_are_well_formed_and_say_what_they_need():
    published = load_cases(ROOT / "tests" / "validation" / "published-cases.yaml")
    pending = load_cases(PENDING / "systemic.yaml")
    ids = [str(c["id"]) for c in [*published["cases"], *(published.get("known_gaps") or []), *pending["cases"]]]
    assert len(ids) == len(set(ids))
    for case in pending["cases"]:
        assert case["area"] == "systemic" and case.get("source") and str(case.get("needs") or "").strip(), case["id"]
    systemic = [c for c in published["cases"] if c.get("area") == "systemic"]
    assert len(systemic) + len(pending["cases"]) >= 30
    quantitative = [c for c in [*systemic, *pending["cases"]] if c.get("fold")]
    assert len(quantitative) >= 10
