"""Perturbations as users write them: `NAME=EFFECT`, bare `NAME` (= up), `GENE:VARIANT`, `GENE:VARIANT=up`, and
genotypes `GENE:A/+`, `GENE:A/A`, `GENE:A/B`.

EFFECT is ko, lof, gof, up, down or a number from 0 to MAX_LEVEL (1000; activity or amount relative to
baseline). NAME is anything the graph resolves (name, symbol, synonym, CURIE). A variant is a catalogued one
(label, synonyms, HGVS, id) or any HGVS change of the gene; kg/variants interprets it
(kg.variants.genotype.parse_genotype) and the simulator applies it through kg.variants.dosage.gene_factors. An
'=' that is not followed by an effect belongs to the HGVS (p.Pro5=).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError, ResolveError, UnknownVariant  # noqa: F401 - UnknownVariant re-exported
from kg.simulate.network import GENE_CATEGORIES

EFFECTS = ("ko", "lof", "gof", "up", "down")
# A number is a level relative to baseline (or a dose relative to one unit of an agent): 0 is none, 1 is
# baseline. 1000x is three orders of magnitude past the strongest overexpression or dose the curated sources
# report, and the solver stays finite across the range (every entity, every context; tests/test_numbers.py).
MAX_LEVEL = 1000.0
MAX_NUMBER_CHARS = 32
VARIANT_CATEGORY = "sequence_variant"


@dataclass(frozen=True)
class Perturbation:
    """One parsed perturbation: the entity, the effect, and for variants the gene it acts on."""

    text: str
    entity: str
    effect: str  # ko | lof | gof | up | down | number | variant
    value: float | None = None
    gene: str | None = None  # for variants: the gene the variant belongs to
    overexpressed: bool = False  # GENE:VARIANT=up
    genotype: Any = None  # for variants: a kg.variants.genotype.Genotype (its alleles, interpreted)
    compartment: str | None = None  # NAME@COMPARTMENT: where in the body model it is set (kg.simulate.where)

    def to_json(self, graph: Any) -> dict[str, Any]:
        ent = graph.entity(self.entity)
        out: dict[str, Any] = {"input": self.text, "id": ent.id, "label": ent.label, "effect": self.effect,
                               "value": self.value}
        if self.compartment is not None:
            out["compartment"] = self.compartment
        if self.gene:
            gene = graph.entity(self.gene)
            out["gene"] = {"id": gene.id, "label": gene.label}
            out["overexpressed"] = self.overexpressed
            if ent.category == VARIANT_CATEGORY:
                out["variant_effects"] = [_effect_json(x) for x in ent.effects]
            elif self.genotype is not None:
                out["label"] = self.genotype.label
                if len(self.genotype.alleles) == 1:
                    out["variant_effects"] = list(self.genotype.alleles[0].effects)
            if self.genotype is not None:
                out["genotype"] = self.genotype.to_json()
        return out


def _effect_json(effect: Any) -> dict[str, Any]:
    keys = ("kind", "direction", "factor", "partner", "basis", "note")
    return {k: getattr(effect, k) for k in keys if getattr(effect, k) is not None}


def parse_effect(text: str, raw: str) -> tuple[str, float | None]:
    """An effect word, or a number in [0, MAX_LEVEL]; InputError (exit 2) saying the range otherwise."""
    word = raw.strip().lower()
    if word in EFFECTS:
        return word, None
    try:
        value = float(word) if len(word) <= MAX_NUMBER_CHARS else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= MAX_LEVEL:
        raise InputError(f"malformed effect '{raw}' in '{text}': expected one of {', '.join(EFFECTS)} or a number "
                         f"from 0 to {MAX_LEVEL:g} (activity, amount or dose relative to baseline, e.g. ENPP1=0.5)")
    return "number", value


def parse(graph: Any, text: str) -> Perturbation:
    """Parse one perturbation string against the graph."""
    spec = text.strip()
    if not spec:
        raise InputError("empty perturbation: expected NAME=EFFECT, NAME, GENE:VARIANT, GENE:VARIANT=up or GENE:A/B")
    name, explicit, raw_effect = _split_effect(graph, spec)
    if explicit and not name:
        raise InputError(f"malformed perturbation '{text}': nothing before '='")
    effect, value = parse_effect(text, raw_effect)
    try:
        ent = graph.resolve(name)
    except ResolveError:
        if ":" not in name:
            raise
        return _gene_variant(graph, text, name, effect, explicit=explicit)
    if ent.category == VARIANT_CATEGORY:
        return _variant(graph, text, ent, effect, explicit=explicit)
    return Perturbation(text, ent.id, effect, value)


def _split_effect(graph: Any, spec: str) -> tuple[str, bool, str]:
    """(name, whether an effect was written, effect). An '=' not followed by an effect belongs to a variant's HGVS
    (`ANKH:p.Pro5=`, `GENE:p.(=)/+`) unless what precedes it resolves as an entity (then the effect is malformed)."""
    if "=" not in spec:
        return spec, False, "up"
    name, _, raw = spec.rpartition("=")
    if ":" in name and not _is_effect(raw):
        try:
            graph.resolve(name.strip())
        except ResolveError:
            return spec, False, "up"
    return name.strip(), True, raw


def _is_effect(raw: str) -> bool:
    try:
        parse_effect(raw, raw)
    except InputError:
        return False
    return True


def _gene_variant(graph: Any, text: str, name: str, effect: str, *, explicit: bool) -> Perturbation:
    from kg.variants.genotype import parse_genotype

    gene_name, _, variant_spec = name.partition(":")
    gene = graph.resolve(gene_name.strip())  # an unknown gene raises ResolveError with suggestions
    if gene.category not in GENE_CATEGORIES:
        raise InputError(f"'{text}': {gene.label} is a {gene.category}; variants belong to genes")
    _check_variant_effect(text, effect, explicit)
    genotype = parse_genotype(graph, gene.id, variant_spec, overexpressed=explicit)
    single = genotype.alleles[0] if genotype.form == "allele" else None
    entity = single.entity if single is not None and single.entity else gene.id
    return Perturbation(text, entity, "variant", None, gene=gene.id, overexpressed=explicit, genotype=genotype)


def _variant(graph: Any, text: str, variant: Any, effect: str, *, explicit: bool) -> Perturbation:
    from kg.variants.genotype import parse_genotype

    _check_variant_effect(text, effect, explicit)
    if variant.gene not in graph:
        raise InputError(f"variant {variant.id} names gene {variant.gene}, which is not in the graph")
    genotype = parse_genotype(graph, variant.gene, variant.id, overexpressed=explicit)
    return Perturbation(text, variant.id, "variant", None, gene=variant.gene, overexpressed=explicit,
                        genotype=genotype)


def _check_variant_effect(text: str, effect: str, explicit: bool) -> None:
    if explicit and effect != "up":
        raise InputError(f"'{text}': a variant takes no effect, or '=up' to overexpress the variant protein on top "
                         f"of the endogenous gene (got '{effect}')")


def parse_all(graph: Any, texts: list[str]) -> list[Perturbation]:
    """Parse every perturbation; one entity may be perturbed only once per run."""
    return distinct([parse(graph, t) for t in texts])


def distinct(perts: list[Perturbation]) -> list[Perturbation]:
    """The perturbations, unless two act on one entity or give two genotypes of one gene (InputError)."""
    seen: dict[str, str] = {}
    genotypes: dict[str, str] = {}
    for p in perts:
        if p.genotype is not None:
            if p.gene in genotypes:
                raise InputError(f"'{p.text}' and '{genotypes[p.gene]}' are two genotypes of one gene; write it as "
                                 f"one genotype (GENE:A/B)")
            genotypes[p.gene] = p.text
        key = p.entity
        if key in seen:
            raise InputError(f"'{p.text}' and '{seen[key]}' perturb the same entity; give it once")
        seen[key] = p.text
    return perts
