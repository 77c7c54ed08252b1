"""The curated content of loaders/: the seed actors and edges, evidence on every edge, rival claims kept apart,
the variant catalogue and the disease-gene links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLICATION = re.compile(r"^(PMID:\d+|PMC:PMC\d+|DOI:10\.\d{4,9}/\S+)$")


@pytest.fixture
def g(curated_graph):
    return curated_graph  # loaded once per session (conftest)


def edges(g, subject, predicate, obj, **qualifiers):
    s, o = g.resolve(subject).id, g.resolve(obj).id
    found = [e for e in g.edges if e.predicate == predicate and {e.subject, e.object} == {s, o}
             and (e.subject == s or predicate in ("binds", "associated_with"))]
    for key, value in qualifiers.items():
        if key in ("substrates", "products"):
            value = [g.resolve(v).id for v in value]
        found = [e for e in found if getattr(e, key) == value]
    return found


@pytest.mark.parametrize(("name", "symbol"), [
    ("ANKH", "ANKH"), ("ENPP1", "ENPP1"), ("ALPL", "ALPL"), ("TNAP", "ALPL"), ("SLC20A1", "SLC20A1"),
    ("PiT-1", "SLC20A1"), ("SPHK1", "SPHK1"), ("MYBBP1A", "MYBBP1A"), ("MYBBP1a", "MYBBP1A"),
    ("TGFB1", "TGFB1"), ("TGF-β1", "TGFB1"), ("TGF-beta1", "TGFB1"), ("HIF1A", "HIF1A"), ("HIF-1α", "HIF1A"),
    ("HIF-1alpha", "HIF1A"),
])
def test_the_eight_seed_actors_resolve(g, name, symbol):
    entity = g.resolve(name)
    assert entity.symbol == symbol
    assert entity.category == "gene_or_protein"


@pytest.mark.parametrize("name", [
    "PPi", "pyrophosphate", "CHEBI:29888", "CHEBI:18361", "ATP", "AMP", "Pi", "citrate", "adenosine", "Ca2+",
    "Ca²⁺", "hydroxyapatite deposition", "HA deposition", "calcium pyrophosphate deposition", "CPP deposition",
    "CPPD", "hydroxyapatite", "calcium pyrophosphate", "hypoxia", "inflammation", "NF-κB", "NLRP3", "IL-1β",
])
def test_readout_and_pathway_names_resolve(g, name):
    assert g.resolve(name)


def test_ankh_transports_atp_out_of_the_cell(g):
    [edge] = edges(g, "ANKH", "transports", "ATP", from_compartment="intracellular", to_compartment="extracellular")
    assert edge.status == "established"


def test_ankh_transports_citrate(g):
    assert edges(g, "ANKH", "transports", "citrate", from_compartment="intracellular",
                 to_compartment="extracellular")


def test_enpp1_makes_ppi_and_amp_from_atp(g):
    reaction = {"substrates": ["ATP"], "products": ["AMP", "PPi"], "compartment": "extracellular"}
    assert edges(g, "ENPP1", "produces", "PPi", **reaction)
    assert edges(g, "ENPP1", "produces", "AMP", **reaction)
    assert edges(g, "ENPP1", "consumes", "ATP", **reaction)


def test_alpl_hydrolyses_ppi_to_pi(g):
    reaction = {"substrates": ["PPi"], "products": ["Pi"], "compartment": "extracellular"}
    assert edges(g, "ALPL", "consumes", "PPi", **reaction)
    assert edges(g, "ALPL", "produces", "Pi", **reaction)


def test_nt5e_makes_adenosine_from_amp(g):
    assert edges(g, "NT5E", "produces", "adenosine", substrates=["AMP"], products=["adenosine", "Pi"])


def test_tgfb1_increases_ankh_expression(g):
    [edge] = edges(g, "TGF-β1", "increases_expression_of", "ANKH")
    assert edge.status == "established"


def test_both_hif1a_claims_are_kept_with_different_statuses(g):
    [up] = edges(g, "HIF-1α", "increases_expression_of", "ANKH")
    [down] = edges(g, "HIF-1α", "decreases_expression_of", "ANKH")
    assert up.id != down.id
    assert up.status == "established"
    assert down.status == "contested" and down.claim
    assert any(ev.confidence == "low" for ev in down.evidence)
    [hypoxia] = edges(g, "hypoxia", "decreases_expression_of", "ANKH")
    assert hypoxia.status == "established"


@pytest.mark.parametrize("partner", ["SLC20A1", "SPHK1", "MYBBP1A"])
def test_ankh_binds_its_partners(g, partner):
    assert edges(g, "ANKH", "binds", partner)


def test_the_ankh_transport_rivals_are_separate_edges(g):
    [atp] = edges(g, "ANKH", "transports", "ATP")
    [ppi] = edges(g, "ANKH", "transports", "PPi")
    assert atp.id != ppi.id
    assert atp.status == "established"
    assert ppi.status == "contested" and ppi.claim
    sources = {ev.source for ev in ppi.evidence}
    assert {"PMID:10894769", "PMID:17186460", "PMID:35147247"} <= sources


def test_every_contested_edge_states_its_claim(g):
    contested = [e for e in g.edges if e.status == "contested"]
    assert len(contested) >= 2
    assert all(e.claim for e in contested)


def test_pi_ppi_balance_steers_the_crystal_phase(g):
    assert edges(g, "PPi", "inhibits_formation_of", "hydroxyapatite deposition")
    assert edges(g, "Pi", "promotes_formation_of", "hydroxyapatite deposition")
    assert edges(g, "PPi", "promotes_formation_of", "calcium pyrophosphate deposition")
    assert edges(g, "Pi", "inhibits_formation_of", "calcium pyrophosphate deposition")
    assert edges(g, "hydroxyapatite deposition", "promotes_formation_of", "hydroxyapatite")
    assert edges(g, "calcium pyrophosphate deposition", "promotes_formation_of", "calcium pyrophosphate")


def test_every_edge_has_publication_evidence(g):
    assert g.edges
    for edge in g.edges:
        assert edge.evidence, edge.id
        for ev in edge.evidence:
            assert PUBLICATION.match(ev.source), (edge.id, ev.source)
            assert ev.statement and ev.system, (edge.id, ev.source)


def test_every_variant_evidence_is_a_publication(g):
    for variant in g.by_category("sequence_variant"):
        assert variant.evidence, variant.id
        assert all(PUBLICATION.match(ev.source) for ev in variant.evidence), variant.id


VARIANTS = [
    ("ANKH", "p.P5L"), ("ANKH", "P5L"), ("ANKH", "p.Pro5Leu"), ("ANKH", "p.P5T"), ("ANKH", "p.M48T"),
    ("ANKH", "c.-11C>T"), ("ANKH", "-11C>T"), ("ANKH", "p.E490del"), ("ANKH", "c.-4G>A"), ("ANKH", "-4G>A"),
    ("ANKH", "p.F377del"), ("ANKH", "p.S375del"), ("ANKH", "p.G389R"), ("ANKH", "p.C339R"), ("ANKH", "p.L391P"),
    ("ANKH", "p.L334R"), ("ANKH", "p.L244S"), ("ANKH", "L244S"), ("ANKH", "E440X"), ("ANKH", "Ank null"),
    ("ENPP1", "ENPP1 biallelic loss of function"), ("ALPL", "ALPL loss of function"),
    ("ABCC6", "ABCC6 biallelic loss of function"), ("NT5E", "NT5E biallelic loss of function"),
    ("NT5E", "p.S221*"), ("NT5E", "p.C358Y"), ("NT5E", "p.V537fs"), ("SLC20A2", "SLC20A2 loss of function"),
    ("ENPP1", "ENPP1 chondrocalcinosis risk allele"), ("GJA1", "p.R239Q"),
]


@pytest.mark.parametrize(("gene", "name"), VARIANTS)
def test_variants_resolve_and_belong_to_their_gene(g, gene, name):
    variant = g.resolve(name)
    gene_id = g.resolve(gene).id
    assert variant.category == "sequence_variant"
    assert variant.gene == gene_id
    assert any(e.predicate == "is_variant_of" and e.object == gene_id for e in g.out_edges(variant.id))


def test_every_variant_has_an_is_variant_of_edge(g):
    for variant in g.by_category("sequence_variant"):
        assert any(e.predicate == "is_variant_of" and e.object == variant.gene for e in g.out_edges(variant.id)), \
            variant.id


def test_variant_effects(g):
    m48t = g.resolve("p.M48T")
    assert any(ef.kind == "interaction_loss" and ef.partner == g.resolve("SLC20A1").id for ef in m48t.effects)
    l244s = g.resolve("p.L244S")
    assert any(ef.kind == "activity" and ef.direction == "lost" for ef in l244s.effects)
    assert any(ef.kind == "localization" and ef.direction == "unchanged" for ef in l244s.effects)
    for variant in g.by_category("sequence_variant"):
        for ef in variant.effects:
            assert ef.factor is None, f"{variant.id}: no variant has a sourced numeric factor"


def test_every_disease_is_linked_to_a_gene(g):
    genes = {e.id for e in g.by_category("gene_or_protein")}
    for disease in g.by_category("disease"):
        others = [g.entity(e.subject if e.object == disease.id else e.object)
                  for e in g.incident_edges(disease.id)]
        assert any(o.id in genes or (o.category == "sequence_variant" and o.gene in genes) for o in others), \
            disease.id


def test_drugs_act_on_their_targets(g):
    assert edges(g, "probenecid", "inhibits", "ANKH")
    assert edges(g, "levamisole", "inhibits", "ALPL")
    assert edges(g, "SBI-425", "inhibits", "ALPL")
    assert edges(g, "ENPP1-Fc", "supplies", "ENPP1")
    assert edges(g, "oral PPi", "supplies", "PPi")
    assert "pannexin" in g.resolve("probenecid").description
