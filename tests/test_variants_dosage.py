"""kg.variants.genotype and dosage: every zygosity form, gene dosage (two loss-of-function alleles: none; one: half),
the curated heterozygous and dominant-negative factors where a gene declares them (and not where it does not), and
what reaches the simulator through its one entry point."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.graph import KnowledgeGraph
from kg.models import Entity, Parameter
from kg.simulate.changes import DEFAULTS
from kg.simulate.predict import predict
from kg.variants.dosage import gene_factors
from kg.variants.genotype import parse_genotype
from tests.test_simulate_graphs import ANKH, kinetic_graph

ENPP1, ALPL, ANKH_ID, SLC20A1 = "HGNC:3356", "HGNC:438", "HGNC:15492", "HGNC:10946"


def level(key: str) -> float:
    return DEFAULTS[key]


def factors(graph, gene, spec, up=5.0):
    over = spec.endswith("=up")
    return gene_factors(graph, parse_genotype(graph, gene, spec.removesuffix("=up"), overexpressed=over), level, up)


@pytest.mark.parametrize(("spec", "form"), [
    ("p.G1X", "allele"), ("p.G1X/+", "heterozygous"), ("+/p.G1X", "heterozygous"), ("p.G1X/p.G1X", "homozygous"),
    ("p.G1X/G1X", "homozygous"), ("p.G1X/p.D2X", "compound_heterozygous"), ("+/+", "wild_type"),
    ("p.Arg7Gln/p.Arg7Gln", "homozygous"), ("p.Arg7Gln/p.Arg8Gln", "compound_heterozygous"),
])
def test_zygosity_forms(spec, form):
    assert parse_genotype(kinetic_graph(), ANKH, spec).form == form


@pytest.mark.parametrize(("spec", "message"), [
    ("p.G1X/+/+", "a genotype is one allele \\(A\\) or two separated by '/'"),
    ("p.G1X/", "a genotype is one allele"),
    ("/+", "a genotype is one allele"),
])
def test_malformed_genotypes_are_bad_input(spec, message):
    with pytest.raises(InputError, match=message):
        parse_genotype(kinetic_graph(), ANKH, spec)


def test_only_one_allele_can_be_overexpressed():
    with pytest.raises(InputError, match="only one variant allele can be overexpressed"):
        parse_genotype(kinetic_graph(), ANKH, "p.G1X/+", overexpressed=True)


def test_gene_dosage_two_losses_none_one_half(curated_graph):
    assert factors(curated_graph, ENPP1, "LOF/LOF").activity == 0.0
    het = factors(curated_graph, ENPP1, "LOF/+")
    assert het.expression * het.activity == pytest.approx(0.5)
    assert factors(curated_graph, ENPP1, "p.Trp23*/p.Arg300fs").total == 0.0
    assert factors(curated_graph, ENPP1, "+/+").total == 1.0


def test_the_single_allele_form_keeps_the_catalogue_meaning(curated_graph):
    single = factors(curated_graph, ANKH_ID, "p.P5L")  # activity and expression increased, each variant.increased
    assert (single.expression, single.activity) == (2.0, 2.0)
    het = factors(curated_graph, ANKH_ID, "p.P5L/+")
    assert het.total == pytest.approx((4.0 + 1.0) / 2)
    assert single.agents == {"KG:ANKH-p.P5L": 1.0} and het.agents == {"KG:ANKH-p.P5L": 0.5}


def test_a_curated_heterozygous_factor_replaces_the_half_only_where_declared():
    tx = Entity(id="RefSeq:NM_000001", category="transcript", label="test transcript", gene=ANKH, parameters={
        "dosage.heterozygous_null": Parameter(value=0.7, unit="relative", basis="assumed", note="test value")})
    g = kinetic_graph()
    with_data = KnowledgeGraph([*g.entities, tx], g.edges)
    assert factors(with_data, ANKH, "p.D2X/+").total == pytest.approx(0.7)
    assert factors(g, ANKH, "p.D2X/+").total == pytest.approx(0.5)
    assert factors(with_data, ANKH, "p.D2X/p.D2X").total == 0.0  # the factor is for +/null only


def test_a_dominant_negative_allele_uses_the_genes_factor(curated_graph):
    het = factors(curated_graph, ALPL, "p.Ala116Thr/+")
    assert het.total == pytest.approx(0.25)  # ALPL's curated dosage.dominant_negative
    assert any("dominant-negative" in n for n in het.notes)
    null_het = factors(curated_graph, ALPL, "p.Trp23*/+")
    assert null_het.total == pytest.approx(0.5)  # a null allele does not poison the wild type
    assert factors(curated_graph, ALPL, "p.Ala116Thr/p.Trp23*").total == 0.0


def test_a_dominant_negative_allele_without_a_curated_factor_counts_as_its_own_product():
    g = kinetic_graph()
    dn = Entity(id="KG:ANKH-dn", category="sequence_variant", label="ANKH p.D3X", gene=ANKH, hgvs="p.D3X",
                variant_class="dominant_negative", effects=[{"kind": "activity", "direction": "lost"}])
    g2 = KnowledgeGraph([*g.entities, dn], g.edges)
    f = factors(g2, ANKH, "p.D3X/+")
    assert f.total == pytest.approx(0.5) and any("no dominant-negative factor is curated" in n for n in f.notes)


def test_an_interaction_is_removed_only_when_no_allele_keeps_it(curated_graph):
    assert factors(curated_graph, ANKH_ID, "p.M48T").removed_partners == {SLC20A1}
    assert factors(curated_graph, ANKH_ID, "p.M48T/p.M48T").removed_partners == {SLC20A1}
    assert factors(curated_graph, ANKH_ID, "p.M48T/+").removed_partners == set()
    assert factors(curated_graph, ANKH_ID, "p.M48T=up").removed_partners == set()


def test_overexpression_adds_a_transgene_scaled_by_the_variant():
    g = kinetic_graph()
    f = factors(g, ANKH, "p.G1X=up", up=4.0)
    assert (f.expression, f.activity) == (1.0, 1.0) and f.transgene == pytest.approx(3.0 * 2.0)
    assert factors(g, ANKH, "p.D2X=up", up=4.0).transgene == 0.0


def test_predictions_follow_gene_dosage(curated_graph):
    """Each ENPP1 allele counts (Hessle 2002): the heterozygote's PPi lies between wild type and the null."""
    def ppi(*perts):
        return predict(curated_graph, list(perts), "plasma", readouts=["PPi"]).readouts[0]
    het, null = ppi("ENPP1:LOF/+"), ppi("ENPP1:LOF/LOF")
    assert null["fold_change"] < het["fold_change"] < 1.0
    assert ppi("ENPP1:LOF/LOF")["fold_change"] == pytest.approx(ppi("ENPP1=ko")["fold_change"])
    dominant = ppi("ALPL:p.Ala116Thr/+")
    assert dominant["fold_change"] > ppi("ALPL:p.Trp23*/+")["fold_change"] > 1.0


def test_two_genotypes_of_one_gene_are_refused(curated_graph):
    with pytest.raises(InputError, match="two genotypes of one gene"):
        predict(curated_graph, ["ENPP1:LOF/+", "ENPP1:p.Trp23*/+"], "plasma")
