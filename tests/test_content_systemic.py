"""The systemic phosphate/calcium content (loaders/phosphate_*.yaml): disease genes, FGF23 processing and its
regulators, and the files that wait for sim-core's endocrine loop (pending edges and pending cases)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kg.errors import ResolveError
from kg.load.pipeline import load_paths
from kg.simulate.check import load_cases

ROOT = Path(__file__).resolve().parents[1]
PENDING = ROOT / "tests" / "validation" / "pending"
# The core-loop entities that sim-core defines (loaders/endocrine.yaml); the pending edges name them by label.
LOOP_ENTITIES = {"KL": "gene_or_protein", "SLC34A1": "gene_or_protein", "SLC34A3": "gene_or_protein",
                 "CYP24A1": "gene_or_protein", "CYP27B1": "gene_or_protein", "VDR": "gene_or_protein",
                 "CASR": "gene_or_protein", "calcitriol": "small_molecule", "calcidiol": "small_molecule"}


@pytest.fixture(scope="module")
def g():
    return load_paths([ROOT / "loaders"], root=ROOT)


def edges(g, subject, predicate, obj):
    s, o = g.resolve(subject).id, g.resolve(obj).id
    return [e for e in g.edges if e.subject == s and e.predicate == predicate and e.object == o]


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


def _stub_loop(path: Path) -> None:
    entities = [{"id": f"KG:stub-{name}", "category": cat, "label": name} for name, cat in LOOP_ENTITIES.items()]
    path.write_text(yaml.safe_dump({"source": {"name": "stub_endocrine", "description": "sim-core stand-in",
                                               "licence": "CC-BY-4.0"}, "entities": entities}), encoding="utf-8")


def test_pending_loop_edges_load_once_the_loop_entities_exist(tmp_path):
    for src in (ROOT / "loaders").glob("*.yaml"):
        shutil.copy(src, tmp_path / src.name)
    shutil.copy(PENDING / "systemic-edges.yaml", tmp_path / "phosphate_loop_links.yaml")
    _stub_loop(tmp_path / "zz_stub_endocrine.yaml")
    graph = load_paths([tmp_path], root=tmp_path)
    for gene, disease in (("KL", "HFTC3"), ("SLC34A3", "HHRH"), ("CYP24A1", "HCINF1"), ("CYP27B1", "VDDR1A"),
                          ("VDR", "VDDR2A"), ("CASR", "ADH1"), ("CASR", "FHH1")):
        assert edges(graph, gene, "causes", disease), (gene, disease)
    assert edges(graph, "CYP2R1", "produces", "calcidiol")


def test_pending_loop_edges_are_not_yet_in_loaders(g):
    pending = yaml.safe_load((PENDING / "systemic-edges.yaml").read_text(encoding="utf-8"))
    for entity in pending["entities"]:
        with pytest.raises(ResolveError):
            g.resolve(entity["id"])


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
