"""Gene dosage: from a genotype's interpreted alleles to what the simulator changes on the gene.

This is the one entry point the simulator uses for variants (`gene_factors`): the gene's expression and activity
relative to wild type, the transgene amount for an overexpressed variant (`GENE:VARIANT=up`), the interactions the
variant removes, and the catalogued variant entities present as agents (their own edges act, at their dose).

Per allele, expression and activity multiply the allele's effects (lost 0, unchanged 1, increased/decreased the
curated factor or the context's `variant.increased` / `variant.decreased`). Then:
- one-allele form (`GENE:VARIANT`, or a hemizygous call): the allele's product is the gene's (the catalogue's
  meaning: its effect on the endogenous gene);
- two alleles: the product is the mean of the two alleles' products (two loss-of-function alleles: none; one:
  half), unless the gene's curated data say otherwise:
  * `dosage.heterozygous_null` replaces the half of a wild-type/null heterozygote (haploinsufficiency data);
  * `dosage.dominant_negative` is the product of a heterozygote carrying an allele of class dominant_negative
    with a wild-type allele; such an allele lowers its partner allele's product by the factor that reproduces it;
- an interaction is removed only when no allele keeps it (a heterozygote keeps half its protein binding).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.variants.genemodel import GeneModel, gene_model
from kg.variants.genotype import ONE_ALLELE_FORMS, Genotype
from kg.variants.interpret import Interpretation

ACTIVITY_KINDS = ("activity", "localization")


@dataclass
class GeneFactors:
    expression: float = 1.0
    activity: float = 1.0
    transgene: float = 0.0  # added amount, relative to the endogenous wild-type gene
    removed_partners: frozenset[str] = frozenset()
    agents: dict[str, float] = field(default_factory=dict)  # catalogued variant id -> dose (1 = as catalogued)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        """The gene's amount x activity relative to wild type (endogenous plus transgene)."""
        return self.expression * self.activity + self.transgene


def allele_factors(allele: Interpretation, level: Callable[[str], float]) -> tuple[float, float]:
    """(expression, activity) of one allele's product relative to a wild-type allele."""
    expr = act = 1.0
    for eff in allele.effects:
        direction = eff.get("direction")
        if direction == "lost":
            f = 0.0
        elif direction == "unchanged" or direction is None:
            f = 1.0
        else:
            f = eff["factor"] if eff.get("factor") is not None else level(f"variant.{direction}")
        if eff.get("kind") == "expression":
            expr *= f
        elif eff.get("kind") in ACTIVITY_KINDS:
            act *= f
    return expr, act


def gene_factors(graph: Any, genotype: Genotype, level: Callable[[str], float], up: float) -> GeneFactors:
    """What the genotype changes on its gene. `level` reads context parameters (variant.increased, ...), `up` is the
    gene's overexpression level (for GENE:VARIANT=up)."""
    model = gene_model(graph, genotype.gene)
    out = GeneFactors(removed_partners=removed_partners(genotype))
    copies = 1.0 if genotype.form in ONE_ALLELE_FORMS or genotype.overexpressed else 0.5
    for a in genotype.alleles:
        if a.entity:
            out.agents[a.entity] = min(1.0, out.agents.get(a.entity, 0.0) + copies)
    levels = [allele_factors(a, level) for a in genotype.alleles]
    if genotype.overexpressed:
        e, act = levels[0]
        out.transgene = (up - 1.0) * e * act
        return out
    if len(levels) == 1:
        out.expression, out.activity = levels[0]
        return out
    total, why = _two_alleles(genotype, levels, model)
    expression = (levels[0][0] + levels[1][0]) / 2
    out.expression = expression
    out.activity = total / expression if expression > 0 else 1.0
    if genotype.form != "wild_type":
        out.notes.append(f"{genotype.label}: {genotype.gene_label} product {total:.3g} of wild type ({why})")
    return out


def _two_alleles(genotype: Genotype, levels: list[tuple[float, float]], model: GeneModel) -> tuple[float, str]:
    products = [e * a for e, a in levels]
    dn = [i for i, a in enumerate(genotype.alleles) if a.variant_class == "dominant_negative"]
    if len(dn) == 1 and model.dominant_negative is not None:
        j, k = dn[0], 1 - dn[0]
        poison = min(1.0, max(0.0, 2 * model.dominant_negative.value - products[j]))
        total = 0.5 * products[j] + 0.5 * products[k] * poison
        return total, (f"{genotype.alleles[j].label} is dominant-negative: a heterozygote with wild type keeps "
                       f"{model.dominant_negative.value:g} ({_basis(model.dominant_negative)})")
    if dn and model.dominant_negative is None:
        why = f"dominant-negative allele, but no dominant-negative factor is curated for {model.label}: "
    else:
        why = ""
    wild = [a.decided_by == "wild_type" for a in genotype.alleles]
    if any(wild) and min(products) == 0.0 and model.heterozygous_null is not None:
        return model.heterozygous_null.value, (f"{why}wild-type/null heterozygote: curated "
                                               f"{model.heterozygous_null.value:g} "
                                               f"({_basis(model.heterozygous_null)})")
    return sum(products) / 2, f"{why}gene dosage: the mean of the two alleles' products"


def _basis(factor: Any) -> str:
    """Where a curated factor comes from, in a few words: its source, or its basis and the note's first sentence."""
    if factor.source:
        return factor.source
    first = (factor.note or "").split(". ")[0].split(": ")[0].rstrip(".")
    return f"{factor.basis}: {first}" if first else factor.basis


def removed_partners(genotype: Genotype) -> frozenset[str]:
    """Partners whose interaction no allele keeps (one-allele forms: the allele's own losses)."""
    if genotype.overexpressed:
        return frozenset()
    lost = [{e["partner"] for e in a.effects if e.get("kind") == "interaction_loss" and e.get("partner")}
            for a in genotype.alleles]
    return frozenset(set.intersection(*lost)) if lost else frozenset()


def describe(factors: GeneFactors) -> dict[str, Any]:
    return {"expression": factors.expression, "activity": factors.activity, "transgene": factors.transgene,
            "removed_interactions_with": sorted(factors.removed_partners), "agents": dict(sorted(
                factors.agents.items()))}
