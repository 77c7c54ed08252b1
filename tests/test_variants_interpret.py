"""kg.variants.interpret: which rule decides an allele (catalogue, consequence, region, unknown), each rule shown with
a gene where it applies and one where it does not, with the sources behind it."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.graph import KnowledgeGraph
from kg.models import Entity, Evidence, Parameter
from kg.variants.interpret import interpret
from tests.test_simulate_graphs import ANKH, kinetic_graph

ENPP1, ALPL, ANKH_ID, GJA1 = "HGNC:3356", "HGNC:438", "HGNC:15492", "HGNC:4274"


def p(value: float, unit: str = "residue") -> Parameter:
    return Parameter(value=value, unit=unit, basis="assumed", note="test value")


def region(rid: str, start: int, end: int, variant_class: str, direction: str) -> Entity:
    return Entity(id=rid, category="protein_region", label=f"test region {rid}", gene=ANKH,
                  variant_class=variant_class, parameters={"start": p(start), "end": p(end)},
                  effects=[{"kind": "activity", "direction": direction}],
                  evidence=[Evidence(source="PMID:11326338", reference="Reichenberger 2001")])


def graph_with(*extra: Entity) -> KnowledgeGraph:
    g = kinetic_graph()
    return KnowledgeGraph([*g.entities, *extra], g.edges)


# ---- the catalogue ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", ["p.P5L", "p.Pro5Leu", "p.(Pro5Leu)", "P5L", "c.14C>T", "NP_473368.1:p.Pro5Leu",
                                      "KG:ANKH-p.P5L"])
def test_catalogued_variants_keep_their_curated_effects_in_any_spelling(curated_graph, spelling):
    a = interpret(curated_graph, ANKH_ID, spelling)
    assert a.decided_by == "catalogue" and a.entity == "KG:ANKH-p.P5L"
    assert {e["kind"] for e in a.effects} == {"activity", "expression"}
    assert "PMID:12297989" in {c.source for c in a.citations}


def test_a_catalogued_variant_with_no_curated_effect_is_unknown(curated_graph):
    a = interpret(curated_graph, GJA1, "p.Arg239Gln")
    assert a.entity == "KG:GJA1-p.R239Q" and a.decided_by == "unknown" and a.scenarios == ("loss", "gain")


def test_a_mouse_allele_matched_says_so(curated_graph):
    a = interpret(curated_graph, ANKH_ID, "p.Glu440*")
    assert a.entity == "KG:ANKH-mouse-p.E440X" and any("mouse allele" in n for n in a.notes)


# ---- the consequence rule --------------------------------------------------------------------------------------------
def test_truncating_is_loss_of_function_by_the_consequence_rule(curated_graph):
    a = interpret(curated_graph, ENPP1, "p.Trp23*")
    assert a.decided_by == "consequence" and a.consequence == "stop_gained"
    assert a.variant_class == "loss_of_function" and a.effects == ({"kind": "activity", "direction": "lost"},)
    assert "DOI:10.1038/gim.2015.30" in {c.source for c in a.citations}


def test_synonymous_changes_nothing(curated_graph):
    a = interpret(curated_graph, ENPP1, "p.Leu100=")
    assert a.decided_by == "consequence" and a.effects == () and not a.unknown


def test_the_nmd_rule_applies_only_where_a_gene_declares_it():
    tx = Entity(id="RefSeq:NM_000001", category="transcript", label="test transcript", gene=ANKH,
                parameters={"nmd.escape_from_residue": p(400)},
                evidence=[Evidence(source="DOI:10.1002/humu.23626", reference="Abou Tayoun 2018")])
    g = graph_with(tx)
    late, early = interpret(g, ANKH, "p.Trp450*"), interpret(g, ANKH, "p.Trp23*")
    assert late.decided_by == "unknown" and late.scenarios == ("loss", "none")
    assert "escape nonsense-mediated decay" in late.rule
    assert early.decided_by == "consequence" and early.variant_class == "loss_of_function"
    assert interpret(kinetic_graph(), ANKH, "p.Trp450*").variant_class == "loss_of_function"  # no NMD data


# ---- the region rule -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "region_id", "variant_class"), [
    ("p.Arg350Trp", "KG:ANKH-region-CMD-cytoplasmic", "loss_of_function"),
    ("p.Leu380del", "KG:ANKH-region-CMD-cytoplasmic", "loss_of_function"),
    ("p.Pro20Leu", "KG:ANKH-region-CCAL2-N-terminus", "gain_of_function"),
])
def test_a_missense_or_inframe_change_in_a_curated_region_takes_its_consequence(curated_graph, change, region_id,
                                                                                 variant_class):
    a = interpret(curated_graph, ANKH_ID, change)
    assert a.decided_by == "region" and a.region.id == region_id and a.variant_class == variant_class
    assert {"PMID:11326338", "PMID:12297989"} & {c.source for c in a.citations}


@pytest.mark.parametrize(("gene", "change"), [(ANKH_ID, "p.Arg187Gln"), (ENPP1, "p.Tyr471Cys"), (ALPL, "p.Arg54Cys")])
def test_a_missense_outside_every_region_is_unknown(curated_graph, gene, change):
    a = interpret(curated_graph, gene, change)
    assert a.decided_by == "unknown" and a.scenarios == ("loss", "gain") and a.effects == ()
    assert "outside every curated region" in a.rule


def test_regions_that_disagree_leave_the_effect_unknown():
    g = graph_with(region("KG:r1", 10, 20, "gain_of_function", "increased"),
                   region("KG:r2", 15, 30, "loss_of_function", "lost"))
    assert interpret(g, ANKH, "p.Gly12Arg").decided_by == "region"
    both = interpret(g, ANKH, "p.Gly17Arg")
    assert both.decided_by == "unknown" and "disagree" in both.rule


# ---- positions and accessions ----------------------------------------------------------------------------------------
def test_a_position_beyond_the_curated_protein_length_is_bad_input(curated_graph):
    with pytest.raises(InputError, match="residue 600 is beyond ALPL's 524 residues"):
        interpret(curated_graph, ALPL, "p.Arg600Gln")
    assert interpret(curated_graph, ANKH_ID, "p.Arg600Gln").unknown  # ANKH's length is not curated: no check


def test_a_foreign_refseq_accession_is_noted(curated_graph):
    other = interpret(curated_graph, ALPL, "NM_000999.1:p.Arg54Cys")
    same = interpret(curated_graph, ALPL, "NM_000478.6:p.Arg54Cys")
    ensembl = interpret(curated_graph, ALPL, "ENSP00000363973.3:p.Arg54Cys")
    assert any("NM_000999.1 is another sequence" in n for n in other.notes)
    assert not same.notes and not ensembl.notes


def test_malformed_hgvs_lists_the_catalogue(curated_graph):
    with pytest.raises(InputError, match=r"catalogued variants of ANKH: .*p\.Pro5Leu"):
        interpret(curated_graph, ANKH_ID, "p.99Q")
