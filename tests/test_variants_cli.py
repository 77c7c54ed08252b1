"""The variant paths of the CLI on a real build: `kg predict` with any HGVS and zygosity, `kg predict --genotype`
(VCF and TSV, one result per sample, json and tsv), `kg show GENE:VARIANT`, the resemblance ranking, and bad input
exiting 2 with the place that is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "variants"


def readouts(result) -> dict:
    assert result.exit_code == 0, result.output
    return {r["label"]: r for r in json.loads(result.stdout)["readouts"]}


@pytest.mark.parametrize(("variant", "ppi"), [
    ("ANKH:c.1015delC", "decrease"),          # frameshift: loss of function
    ("ANKH:p.Ser375fs", "decrease"),          # a frameshift (the catalogued S375del is in frame)
    ("ANKH:p.Trp23*/+", "decrease"),
    ("ANKH:c.1234+1G>A/+", "decrease"),       # canonical splice
    ("ANKH:p.Phe377del", "decrease"),         # catalogued CMD allele
    ("ANKH:c.-11C>T", "increase"),            # catalogued 5'UTR CCAL2 allele
    ("ANKH:p.Met1?/+", "decrease"),           # start loss
    ("ANKH:p.Pro20Leu/+", "increase"),        # CCAL2 region
    ("ANKH:p.R187Q", "ambiguous"),            # unknown: loss and gain differ
    ("ANKH:p.Leu100=", "unchanged"),          # synonymous
    ("ENPP1:p.0/p.0", "decrease"),            # whole-gene deletion
])
def test_any_variant_of_a_network_gene(kg, variant, ppi):
    assert readouts(kg("predict", variant, "-r", "PPi", "--format", "json"))["PPi"]["direction"] == ppi


def test_the_perturbation_json_says_what_decided(kg):
    out = json.loads(kg("predict", "ANKH:p.Arg350Trp/+", "-r", "PPi", "--format", "json").stdout)
    genotype = out["perturbations"][0]["genotype"]
    assert genotype["zygosity"] == "heterozygous" and genotype["label"] == "ANKH p.Arg350Trp/+"
    allele = genotype["alleles"][0]
    assert allele["decided_by"] == "region" and allele["region"]["id"] == "KG:ANKH-region-CMD-cytoplasmic"
    assert {c["source"] for c in allele["citations"]} >= {"PMID:11326272", "DOI:10.1038/gim.2015.30"}
    assert any("ANKH product 0.75 of wild type" in n for n in out["notes"])


def test_the_table_says_what_decided_each_allele(kg):
    result = kg("predict", "ENPP1:p.Trp23*/+", "-r", "PPi")
    assert result.exit_code == 0, result.output
    assert "variant: ENPP1 p.Trp23Ter: decided by consequence: nonsense" in result.stderr
    assert "DOI:10.1038/gim.2015.30" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["predict", "ENPP1:p.Tyr471"], "malformed HGVS 'p.Tyr471' for ENPP1"),
    (["predict", "ENPP1:p.Tyr471Cys/+/+"], "a genotype is one allele (A) or two"),
    (["predict", "ENPP1:p.Tyr471Cys/+=up"], "only one variant allele can be overexpressed"),
    (["predict", "ALPL:p.Arg600Gln"], "residue 600 is beyond ALPL's 524 residues"),
    (["predict", "PPi:p.Arg1Gln"], "PPi is a small_molecule; variants belong to genes"),
    (["predict", "--sample", "S1", "ENPP1=ko"], "--sample needs --genotype FILE"),
    (["predict", "--genotype", str(FIXTURES / "vep.vcf"), "--sample", "S9"], "sample 'S9' is not in"),
    (["predict", "--genotype", str(FIXTURES / "bad_record.vcf")], "bad_record.vcf:12: not a valid VCF record"),
    (["predict", "--genotype", str(FIXTURES / "bad_zygosity.tsv")], "bad_zygosity.tsv:3: zygosity 'twice'"),
    (["predict", "--genotype", str(FIXTURES / "bad_hgvs.tsv")], "bad_hgvs.tsv:2: malformed HGVS 'p.Tyr471'"),
    (["show", "ENPP1:p.Tyr471"], "malformed HGVS 'p.Tyr471' for ENPP1"),
    (["show", "NOPE:p.Arg1Gln"], "unknown entity 'NOPE'"),
])
def test_bad_variant_input_exits_2_saying_where(kg, args, message):
    result = kg(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_genotype_vcf_gives_one_result_per_sample(kg):
    result = kg("predict", "--genotype", str(FIXTURES / "vep.vcf"), "-r", "PPi", "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["format"] == "vcf" and "not a diagnosis" in out["note"]
    samples = {s["sample"]: s for s in out["samples"]}
    assert list(samples) == ["S1", "S2", "S3"]
    assert samples["S1"]["not_modelled"][0]["gene"] == "BRCA1"
    assert samples["S2"]["not_modelled"][0]["reason"] == "no CSQ annotation"
    assert samples["S3"]["prediction"]["readouts"][0]["direction"] == "decrease"
    assert samples["S2"]["prediction"]["readouts"][0]["direction"] == "ambiguous"
    s3 = samples["S3"]["resemblance"]
    assert "not a diagnosis" in s3["note"]
    assert s3["diseases"][0]["cause"].startswith("ENPP1") and "PPi" in json.dumps(s3["diseases"])


def test_genotype_sample_filter_and_tsv(kg):
    result = kg("predict", "--genotype", str(FIXTURES / "snpeff.vcf"), "--sample", "P2", "-r", "PPi", "--format",
                "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["sample", "id", "label"] and len(lines) == 2
    assert lines[1].startswith("P2\t")
    both = kg("predict", "--genotype", str(FIXTURES / "snpeff.vcf"), "-r", "PPi", "--format", "tsv").stdout
    assert [line.split("\t")[0] for line in both.splitlines()] == ["sample", "P1", "P2"]


def test_genotype_tsv_and_perturbations_on_top(kg):
    result = kg("predict", "--genotype", str(FIXTURES / "genotypes.tsv"), "SBI-425", "-r", "PPi", "--format", "json")
    assert result.exit_code == 0, result.output
    samples = {s["sample"]: s for s in json.loads(result.stdout)["samples"]}
    assert samples["patient-3"]["prediction"]["perturbations"][0]["label"] == "SBI-425"
    assert samples["patient-1"]["not_modelled"][0]["gene"] == "DMD"
    assert {p["input"] for p in samples["patient-2"]["prediction"]["perturbations"]} == {
        "ALPL:p.Ala116Thr/+", "ABCC6:p.Arg1141Ter/c.3421C>T", "SBI-425"}


def test_genotype_table_names_each_sample(kg):
    result = kg("predict", "--genotype", str(FIXTURES / "vep.vcf"), "--sample", "S1", "-r", "PPi", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "sample S1: ALPL p.Pro110=/+; ANKH p.Pro5Leu/+" in result.stdout
    assert "not a diagnosis" in result.stdout and "chondrocalcinosis" in result.stdout
    assert "not modelled: line 18" in result.stderr


def test_resemblance_for_a_genotype(kg):
    out = json.loads(kg("predict", "ENPP1:p.0/p.0", "--resemblance", "-r", "PPi", "--format", "json").stdout)
    top = out["resemblance"]["diseases"][0]
    assert top["cause"].startswith("ENPP1") and top["score"] > 0.9
    assert {"PPi", "ENPP1"} & {r["label"] for r in top["shared_readouts"]}
    unknown = json.loads(kg("predict", "ENPP1:p.Tyr471Cys/p.Tyr471Cys", "--resemblance", "--format", "json").stdout)
    by = {g["scenario"]: g["diseases"] for g in unknown["resemblance"]["by_scenario"]}
    assert by["ENPP1 p.Tyr471Cys: loss"][0]["cause"].startswith("ENPP1")


def test_show_a_catalogued_variant(kg):
    result = kg("show", "ANKH:p.P5L", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "decided by catalogue" in result.stdout and "PMID:12297989" in result.stdout
    assert "ANKH p.P5L  (KG:ANKH-p.P5L, sequence_variant)" in result.stdout  # the entity card follows
    card = json.loads(kg("show", "ANKH:p.P5L", "--format", "json").stdout)
    assert card["catalogued"] == "KG:ANKH-p.P5L" and card["entity"]["edges"]


def test_show_an_uncatalogued_variant_with_its_rule(kg):
    result = kg("show", "ENPP1:p.Tyr471Cys", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "not catalogued" in result.stdout and "decided by unknown" in result.stdout
    assert "DOI:10.1038/gim.2015.30" in result.stdout
    card = json.loads(kg("show", "ANKH:p.Leu380del/+", "--format", "json").stdout)
    allele = card["genotype"]["alleles"][0]
    assert allele["decided_by"] == "region" and card["dosage"]["activity"] == pytest.approx(0.75)
    assert card["catalogued"] is None and "entity" not in card


def test_show_an_unknown_genotype_gives_the_dosage_of_each_scenario(kg):
    card = json.loads(kg("show", "ENPP1:p.Tyr471Cys/+", "--format", "json").stdout)
    by = {s["scenario"]: s["activity"] for s in card["dosage"]["scenarios"]}
    assert by == {"loss": pytest.approx(0.5), "gain": pytest.approx(1.5)}
    assert "if loss: expression 1, activity 0.5" in kg("show", "ENPP1:p.Tyr471Cys/+", "--format", "table").stdout


def test_show_still_shows_entities(kg):
    result = kg("show", "ANKH", "--format", "table")
    assert result.exit_code == 0 and "ANKH  (HGNC:15492, gene_or_protein)" in result.stdout
