"""The joint inflammation and nucleotide content (loaders/joint_*.yaml, loaders/nucleotide_*.yaml): the names users
type resolve to the right standard ids, the crystal and nucleotide mechanisms are stated as their sources say, the
disputed BCP route stays contested, and the pending cases of both areas are well formed and distinct from the
published ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.simulate.check import load_cases
from tests.conftest import edges_between as edges

ROOT = Path(__file__).resolve().parents[1]
VALIDATION = ROOT / "tests" / "validation"
PENDING = [VALIDATION / "pending" / "inflammation.yaml", VALIDATION / "pending" / "nucleotide.yaml"]


@pytest.fixture
def g(curated_graph):
    return curated_graph  # loaded once per session (conftest)



@pytest.mark.parametrize(("name", "curie"), [
    ("TNF-α", "HGNC:11892"), ("TNFalpha", "HGNC:11892"), ("IL-6", "HGNC:6018"), ("IL-8", "HGNC:6025"),
    ("IL-1Ra", "HGNC:6000"), ("IL-1R1", "HGNC:5993"), ("caspase-1", "HGNC:1499"), ("ASC", "HGNC:16608"),
    ("MMP-13", "HGNC:7159"), ("collagenase-3", "HGNC:7159"), ("aggrecanase-1", "HGNC:220"),
    ("type X collagen", "HGNC:2185"), ("CD39", "HGNC:3363"), ("NTPDase1", "HGNC:3363"), ("ENT1", "HGNC:11003"),
    ("A2A receptor", "HGNC:263"), ("A2BR", "HGNC:264"), ("pannexin-1", "HGNC:8599"), ("VNUT", "HGNC:16192"),
    ("P2X7", "HGNC:8537"), ("adenosine deaminase", "HGNC:186"), ("pseudogout", "MONDO:0001314"),
    ("OA", "MONDO:0005178"), ("DISH", "MONDO:0007127"), ("cartilage degradation", "GO:0022617"),
    ("neutrophil recruitment", "GO:1990266"), ("cyclic AMP", "CHEBI:17489"),
])
def test_joint_and_nucleotide_names_resolve(g, name, curie):
    assert g.resolve(name).id == curie


def test_crystals_are_sensed_as_minerals(g):
    assert edges(g, "calcium pyrophosphate", "positively_regulates", "NLRP3")
    assert edges(g, "hydroxyapatite", "positively_regulates", "NLRP3")
    assert g.resolve("calcium pyrophosphate").category == "mineral"


def test_nlrp3_independent_bcp_inflammation_is_a_contested_rival(g):
    [rival] = edges(g, "hydroxyapatite", "positively_regulates", "inflammation")
    assert rival.status == "contested" and rival.claim
    assert all(e.status == "established" for e in edges(g, "hydroxyapatite", "positively_regulates", "NLRP3"))


def test_cd39_makes_amp_from_atp_without_ppi(g):
    [consume] = edges(g, "CD39", "consumes", "ATP")
    assert [g.entity(p).label for p in consume.products] == ["AMP", "Pi"]
    assert not edges(g, "CD39", "produces", "PPi")


def test_il1b_lowers_the_chondrocyte_ppi_machinery_only_in_chondrocytes(g):
    for obj in ("ENPP1", "ATP"):
        [edge] = [e for e in g.edges if e.subject == g.resolve("IL1B").id and e.object == g.resolve(obj).id
                  and e.sign_value < 0]
        assert edge.context == "KG:chondrocyte"


@pytest.mark.parametrize("path", PENDING, ids=[p.stem for p in PENDING])
def test_pending_cases_say_what_they_need(path):
    data = load_cases(path)
    assert data["cases"]
    for case in data["cases"]:
        assert case.get("source") and str(case.get("needs") or "").strip(), case["id"]
        assert case.get("area") == path.stem


def test_case_ids_are_unique_across_published_and_pending():
    ids = [str(c["id"]) for p in [VALIDATION / "published-cases.yaml", *PENDING]
           for c in [*load_cases(p)["cases"], *(load_cases(p).get("known_gaps") or [])]]
    assert len(ids) == len(set(ids))
