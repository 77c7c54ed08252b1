"""Content of the second curation round of the joint, nucleotide and treatment areas (branch cur2-joint): the names a
researcher types resolve to the standard ids, the mechanisms are routed the way their sources say (IL-1 reaches the
transglutaminases through nitric oxide, methotrexate acts through ATIC, colchicine through its targets), a speculative
step stays a hypothesis, and every file of the round declares its area and cites each edge."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import edges_between as edges

ROOT = Path(__file__).resolve().parents[1]
ROUND_FILES = {"joint_cartilage_2.yaml": "inflammation", "nucleotide_cartilage_2.yaml": "nucleotide",
               "treatments_joint_2.yaml": "treatment"}


@pytest.fixture
def g(curated_graph):
    return curated_graph  # loaded once per session (conftest)



@pytest.mark.parametrize(("name", "curie"), [
    ("TG2", "HGNC:11778"), ("tissue transglutaminase", "HGNC:11778"), ("factor XIIIa", "HGNC:3531"),
    ("p38 MAPK", "HGNC:6876"), ("ERK1/2", "HGNC:6877"), ("JNK", "HGNC:6881"), ("Syk", "HGNC:11491"),
    ("MRP8", "HGNC:10498"), ("E-selectin", "HGNC:10718"), ("L-selectin", "HGNC:10720"), ("P2Y2", "HGNC:8541"),
    ("P2Y11", "HGNC:8540"), ("NTPDase3", "HGNC:3365"), ("A3 receptor", "HGNC:268"), ("Gαs", "HGNC:4392"),
    ("hedgehog signaling pathway", "GO:0007224"), ("mechanical loading", "GO:0071260"), ("MTX", "CHEBI:44185"),
    ("HCQ", "CHEBI:5801"), ("calcific uremic arteriolopathy", "MONDO:0017215"), ("AICAR transformylase", "HGNC:794"),
])
def test_second_round_names_resolve(g, name, curie):
    assert g.resolve(name).id == curie


def test_il1_reaches_the_transglutaminases_through_nitric_oxide(g):
    """Johnson 2001: an iNOS inhibitor blocked IL-1's induction of TG activity, so the edges start from NO."""
    for tg in ("TGM2", "F13A1"):
        [edge] = edges(g, "nitric oxide", "positively_regulates", tg)
        assert edge.context == "KG:chondrocyte"
        assert not edges(g, "IL1B", "positively_regulates", tg)


def test_transglutaminase_crosslinking_promotes_both_crystals(g):
    for crystal in ("calcium pyrophosphate deposition", "hydroxyapatite deposition"):
        assert edges(g, "peptide cross-linking", "promotes_formation_of", crystal)


def test_methotrexate_raises_adenosine_only_through_its_target(g):
    assert edges(g, "methotrexate", "inhibits", "ATIC")
    assert edges(g, "ATIC", "negatively_regulates", "adenosine")
    assert not [e for e in g.edges if e.subject == g.resolve("methotrexate").id and e.predicate != "inhibits"]


def test_apoptotic_bodies_as_mineralizing_vesicles_stay_a_hypothesis(g):
    [edge] = edges(g, "apoptotic process", "positively_regulates", "matrix vesicle mineralization")
    assert edge.status == "hypothesis"


@pytest.mark.parametrize("name", sorted(ROUND_FILES))
def test_round_files_declare_their_area_and_cite_every_edge(name):
    data = yaml.safe_load((ROOT / "loaders" / name).read_text(encoding="utf-8"))
    assert data["source"]["area"] == ROUND_FILES[name]
    assert all(key.startswith("j2_") for key in data["references"])
    for edge in data["edges"]:
        assert edge["evidence"] and all(ev.get("ref") or ev.get("source") for ev in edge["evidence"]), edge
