"""The mineralization area (loaders/mineralization_*.yaml): the names users type resolve to the standard ids,
the mineral-disease genes reach their diseases, the local inhibitors act on mineral by mechanism, and the
pending published cases say what they wait for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
AREA_FILES = sorted((ROOT / "loaders").glob("mineralization_*.yaml"))
PENDING = ROOT / "tests" / "validation" / "pending" / "mineralization.yaml"
PUBLISHED = ROOT / "tests" / "validation" / "published-cases.yaml"
STANDARD_ID = re.compile(r"^(HGNC|CHEBI|MONDO|GO|HP):\d+$")


@pytest.fixture
def g(curated_graph):
    return curated_graph  # loaded once per session (conftest)


def causes(g, gene: str, disease: str) -> bool:
    s, o = g.resolve(gene).id, g.resolve(disease).id
    return any(e.subject == s and e.object == o and e.predicate == "causes" for e in g.edges)


@pytest.mark.parametrize(("name", "expected"), [
    ("osteopontin", "HGNC:11255"), ("OPN", "HGNC:11255"), ("MGP", "HGNC:7060"), ("matrix Gla protein", "HGNC:7060"),
    ("fetuin-A", "HGNC:349"), ("AHSG", "HGNC:349"), ("magnesium", "CHEBI:18420"), ("Mg2+", "CHEBI:18420"),
    ("PHOSPHO1", "HGNC:16815"), ("XPR1", "HGNC:12827"), ("SLC53A1", "HGNC:12827"), ("PDGF-Rbeta", "HGNC:8804"),
    ("PDGFRβ", "HGNC:8804"), ("warfarin", "CHEBI:10033"), ("vitamin K", "CHEBI:28384"), ("BSP", "HGNC:5341"),
    ("osteocalcin", "HGNC:1043"), ("Cbfa1", "HGNC:10472"), ("annexin A5", "HGNC:543"), ("TRPM6", "HGNC:17995"),
    ("NCC", "HGNC:10912"), ("arterial calcification", "HP:0003207"), ("medial calcification", "HP:0004966"),
    ("basal ganglia calcification", "HP:0002135"), ("cementum mineralization", "GO:0071529"),
])
def test_what_users_type_resolves_to_the_standard_id(g, name, expected):
    assert g.resolve(name).id == expected


@pytest.mark.parametrize(("gene", "disease"), [
    ("MGP", "Keutel syndrome"), ("GGCX", "MONDO:0012570"), ("XPR1", "IBGC6"), ("SLC20A2", "PFBC"),
    ("PDGFB", "PFBC"), ("PDGFRB", "PFBC"), ("MYORG", "PFBC"), ("SLC12A3", "Gitelman syndrome"),
])
def test_mineral_disease_genes_reach_their_diseases(g, gene, disease):
    assert causes(g, gene, disease)


@pytest.mark.parametrize(("inhibitor", "mineral"), [
    ("SPP1", "hydroxyapatite deposition"), ("MGP", "hydroxyapatite deposition"),
    ("fetuin-A", "hydroxyapatite deposition"), ("Mg2+", "hydroxyapatite deposition"),
    ("Mg2+", "calcium pyrophosphate deposition"), ("MEPE", "bone mineralization"),
])
def test_local_inhibitors_act_on_mineral_formation(g, inhibitor, mineral):
    s, o = g.resolve(inhibitor).id, g.resolve(mineral).id
    found = [e for e in g.edges if e.subject == s and e.object == o]
    assert [e.predicate for e in found] == ["inhibits_formation_of"]
    assert all(ev.source for e in found for ev in e.evidence)


def test_the_area_uses_standard_ids_and_explains_every_kg_id():
    for path in AREA_FILES:
        for entity in yaml.safe_load(path.read_text(encoding="utf-8"))["entities"]:
            if entity["id"].startswith("KG:"):
                assert "KG: id" in entity["description"], (path, entity["id"])
            else:
                assert STANDARD_ID.match(entity["id"]), (path, entity["id"])


def test_pending_cases_say_what_they_need_and_do_not_repeat_published_ids():
    pending = yaml.safe_load(PENDING.read_text(encoding="utf-8"))["cases"]
    published = {str(c["id"]) for c in yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))["cases"]}
    ids = [str(c["id"]) for c in pending]
    assert len(ids) == len(set(ids)) and not set(ids) & published
    for case in pending:
        assert re.match(r"^M[12]\d\d$", str(case["id"])) and case["area"] == "mineralization"
        assert case["source"] and case["needs"].strip() and case["perturb"]
        assert {"expect", "fold", "compare"} & set(case), case["id"]
