"""kg.variants.vcf, tsv and calls: annotated VCFs from VEP (CSQ) and SnpEff (ANN) and the simple TSV, read into
per-sample genotypes: columns from the header, multi-sample, multi-allelic sites, missing annotations and genes
outside the graph listed with their line, bad input naming the record's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.variants.calls import Call, assemble
from kg.variants.samples import file_format, read_samples
from kg.variants.vcf import read_calls

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "variants"


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line)


def calls_by(calls, sample):
    return {(c.gene, c.hgvs or c.consequence): c for c in calls if c.sample == sample}


def test_vep_csq_columns_come_from_the_header():
    info, calls, _ = read_calls(FIXTURES / "vep.vcf")
    assert info.layout.tag == "CSQ" and info.samples == ["S1", "S2", "S3"]
    s1 = calls_by(calls, "S1")
    # the canonical transcript with a protein change is chosen over the other ANKH transcript
    p5l = s1[("ANKH", "ENSP00000284268.6:p.Pro5Leu")]
    assert p5l.copies == 1 and p5l.line == line_of(FIXTURES / "vep.vcf", "rs_p5l")
    assert ("ALPL", "ENSP00000363973.3:p.Pro110=") in s1  # VEP's %3D decoded


def test_multi_allelic_sites_give_each_sample_its_own_alleles():
    _, calls, _ = read_calls(FIXTURES / "vep.vcf")
    s2, s3 = calls_by(calls, "S2"), calls_by(calls, "S3")
    assert s2[("ENPP1", "ENSP00000498074.1:p.Trp100Ter")].copies == 1
    assert s2[("ENPP1", "ENSP00000498074.1:p.Trp100Cys")].copies == 1
    assert s3[("ENPP1", "ENSP00000498074.1:p.Trp100Ter")].copies == 2
    assert ("ENPP1", "ENSP00000498074.1:p.Trp100Cys") not in s3
    assert s3[("SLC20A2", "ENSP00000340465.3:p.Arg334GlyfsTer10")].copies == 2  # VEP's '-' allele matched


def test_missing_annotations_and_missing_calls():
    _, calls, unannotated = read_calls(FIXTURES / "vep.vcf")
    assert [(u["sample"], u["line"]) for u in unannotated] == [("S2", line_of(FIXTURES / "vep.vcf", "14880000"))]
    assert not [c for c in calls if c.sample == "S3" and c.gene == "ANKH"]  # ./. carries nothing


def test_snpeff_ann_with_multi_allelic_sites_and_joined_consequences():
    info, calls, _ = read_calls(FIXTURES / "snpeff.vcf")
    assert info.layout.tag == "ANN" and info.samples == ["P1", "P2"]
    p1 = calls_by(calls, "P1")
    assert p1[("ANKH", "p.Arg350Trp")].consequence == "missense_variant&splice_region_variant"
    assert ("ENPP1", "p.Tyr471Cys") in p1 and ("ENPP1", "c.1500+1G>T") in p1  # 1/2 at one site
    assert ("ALPL", "c.1A>G") in calls_by(calls, "P2")  # no HGVS.p: the coding change is used


def test_genotypes_per_sample_with_not_modelled_calls_listed(curated_graph):
    _, calls, _ = read_calls(FIXTURES / "vep.vcf")
    s1 = assemble(curated_graph, "S1", [c for c in calls if c.sample == "S1"])
    assert [g.label for g in s1.genotypes] == ["ALPL p.Pro110=/+", "ANKH p.Pro5Leu/+"]
    assert [(n["gene"], n["reason"]) for n in s1.not_modelled] == [("BRCA1", "gene not in the graph")]
    s3 = assemble(curated_graph, "S3", [c for c in calls if c.sample == "S3"])
    forms = {g.gene_label: (g.form, g.alleles[0].decided_by) for g in s3.genotypes}
    assert forms["ENPP1"] == ("homozygous", "consequence")
    assert forms["ABCC6"] == ("heterozygous", "consequence")  # transcript_ablation, no HGVS
    assert forms["SLC20A2"] == ("homozygous", "consequence")


def test_two_variants_in_one_gene_are_taken_in_trans_and_said_so(curated_graph):
    _, calls, _ = read_calls(FIXTURES / "vep.vcf")
    s2 = assemble(curated_graph, "S2", [c for c in calls if c.sample == "S2"])
    assert [g.form for g in s2.genotypes] == ["compound_heterozygous"]
    assert any("taken to be in trans" in n for n in s2.notes)


def test_more_than_two_copies_keep_the_two_most_severe(curated_graph):
    calls = [Call(1, "x", "ENPP1", "p.Tyr471Cys", None, 1), Call(2, "x", "ENPP1", "p.Trp23*", None, 1),
             Call(3, "x", "ENPP1", "p.Leu100=", None, 1)]
    g = assemble(curated_graph, "x", calls).genotypes[0]
    assert [a.label for a in g.alleles] == ["p.Trp23Ter", "p.Tyr471Cys"] and "leaves out p.Leu100=" in g.notes[0]


def test_a_hemizygous_call_acts_like_the_one_allele_form(curated_graph):
    g = assemble(curated_graph, "x", [Call(1, "x", "ENPP1", "p.Trp23*", None, 1, hemizygous=True)]).genotypes[0]
    assert g.form == "hemizygous" and len(g.alleles) == 1


def test_an_annotation_kg_cannot_read_is_listed_not_fatal_in_a_vcf(curated_graph):
    calls = [Call(7, "x", "ENPP1", "p.Tyr471", None, 1), Call(8, "x", "ENPP1", None, "upstream_gene_variant", 1)]
    out = assemble(curated_graph, "x", calls)
    assert [n["line"] for n in out.not_modelled] == [7, 8] and not out.genotypes
    assert "malformed HGVS" in out.not_modelled[0]["reason"]
    with pytest.raises(InputError, match=r"table\.tsv:7: malformed HGVS 'p\.Tyr471'"):
        assemble(curated_graph, "x", calls[:1], strict=True, source="table.tsv")


def test_the_tsv_table():
    fmt, samples, calls, _ = read_samples(FIXTURES / "genotypes.tsv")
    assert fmt == "tsv" and samples == ["patient-1", "patient-2", "patient-3"]
    first = calls[0]
    assert (first.sample, first.gene, first.hgvs, first.copies, first.line) == ("patient-1", "ENPP1", "p.Tyr471Cys",
                                                                                2, 3)
    assert calls[1].hemizygous


@pytest.mark.parametrize(("name", "message"), [
    ("bad_record.vcf", "bad_record.vcf:12: not a valid VCF record"),
    ("bad_zygosity.tsv", "bad_zygosity.tsv:3: zygosity 'twice'"),
])
def test_bad_records_name_their_line(name, message):
    with pytest.raises(InputError, match=message):
        read_samples(FIXTURES / name)


def test_unknown_file_types_and_missing_files_are_bad_input(tmp_path):
    with pytest.raises(InputError, match="unknown genotype file type"):
        file_format(tmp_path / "x.json")
    with pytest.raises(InputError, match="genotype file not found"):
        read_samples(tmp_path / "missing.vcf")
    headless = tmp_path / "t.tsv"
    headless.write_text("gene\thgvs\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing zygosity"):
        read_samples(headless)
