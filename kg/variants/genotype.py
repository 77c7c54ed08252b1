"""A gene's genotype in the usual genetics notation, with each allele interpreted.

    ENPP1:p.Tyr471Cys            one allele, applied to the gene product as a whole (the catalogue's meaning)
    ENPP1:p.Tyr471Cys/+          heterozygous (also +/p.Tyr471Cys)
    ENPP1:p.Tyr471Cys/p.Tyr471Cys   homozygous
    ENPP1:p.Tyr471Cys/p.Arg774Cys   compound heterozygous (the two alleles taken to be in trans)

`/` separates the two alleles of a diploid genotype (HGVS's mosaic and chimera notations are not read). A
hemizygous call (one allele on a haploid chromosome, from a VCF) acts like the one-allele form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kg.errors import InputError
from kg.variants.interpret import Interpretation, interpret

FORMS = ("allele", "hemizygous", "heterozygous", "homozygous", "compound_heterozygous", "wild_type")
ONE_ALLELE_FORMS = ("allele", "hemizygous")


@dataclass(frozen=True)
class Genotype:
    text: str
    gene: str
    gene_label: str
    alleles: tuple[Interpretation, ...]
    form: str
    overexpressed: bool = False
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        names = "/".join("+" if a.decided_by == "wild_type" else a.label for a in self.alleles)
        return f"{self.gene_label} {names}"

    @property
    def unknown_alleles(self) -> list[int]:
        return [i for i, a in enumerate(self.alleles) if a.unknown]

    def with_scenarios(self, assignment: dict[int, str]) -> Genotype:
        """The genotype with each unknown-effect allele (by index) simulated under the given scenario."""
        alleles = tuple(a.with_scenario(assignment[i]) if i in assignment else a for i, a in enumerate(self.alleles))
        return replace(self, alleles=alleles)

    def copies(self) -> float:
        """The share of the gene's copies each mutant allele stands for."""
        return 1.0 if self.form in ONE_ALLELE_FORMS else 0.5

    def to_json(self) -> dict[str, Any]:
        return {"input": self.text, "gene": self.gene, "zygosity": self.form, "label": self.label,
                "overexpressed": self.overexpressed, "alleles": [a.to_json() for a in self.alleles],
                **({"notes": list(self.notes)} if self.notes else {})}


def parse_genotype(graph: Any, gene_id: str, spec: str, *, overexpressed: bool = False) -> Genotype:
    """`A`, `A/+`, `+/A`, `A/A` or `A/B` for one gene; each allele a catalogued name or an HGVS change."""
    parts = [p.strip() for p in spec.split("/")]
    label = graph.entity(gene_id).label
    if len(parts) > 2 or any(not p for p in parts):
        raise InputError(f"'{label}:{spec}': a genotype is one allele (A) or two separated by '/' "
                         f"(A/+, A/A, A/B); '+' is the wild-type allele")
    alleles = tuple(interpret(graph, gene_id, p) for p in parts)
    return from_alleles(gene_id, label, spec, alleles, overexpressed=overexpressed)


def from_alleles(gene_id: str, gene_label: str, text: str, alleles: tuple[Interpretation, ...], *,
                 overexpressed: bool = False, hemizygous: bool = False, notes: tuple[str, ...] = ()) -> Genotype:
    """A genotype from interpreted alleles (1 or 2), its form read from them."""
    if len(alleles) == 1:
        form = "hemizygous" if hemizygous else "allele"
        if alleles[0].decided_by == "wild_type":
            form = "wild_type"
    else:
        wild = [a.decided_by == "wild_type" for a in alleles]
        if all(wild):
            form = "wild_type"
        elif any(wild):
            form = "heterozygous"
        elif _same(alleles[0], alleles[1]):
            form = "homozygous"
        else:
            form = "compound_heterozygous"
    if overexpressed and (len(alleles) != 1 or form == "wild_type"):
        raise InputError(f"'{gene_label}:{text}=up': only one variant allele can be overexpressed (GENE:VARIANT=up)")
    return Genotype(text=text, gene=gene_id, gene_label=gene_label, alleles=alleles, form=form,
                    overexpressed=overexpressed, notes=notes)


def _same(a: Interpretation, b: Interpretation) -> bool:
    if a.entity or b.entity:
        return a.entity == b.entity
    return a.key is not None and a.key == b.key
