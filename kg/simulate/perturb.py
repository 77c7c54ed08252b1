"""Perturbations as users write them: `NAME=EFFECT`, bare `NAME` (= up), `GENE:VARIANT`, `GENE:VARIANT=up`.

EFFECT is ko, lof, gof, up, down or a number from 0 to MAX_LEVEL (1000; activity or amount relative to
baseline). NAME is anything the graph resolves (name, symbol, synonym, CURIE). A variant is looked up among its
gene's catalogued variants (label, synonyms, HGVS, id); an unknown one is an InputError listing the gene's known
variants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError, ResolveError
from kg.names import normalize

EFFECTS = ("ko", "lof", "gof", "up", "down")
# A number is a level relative to baseline (or a dose relative to one unit of an agent): 0 is none, 1 is
# baseline. 1000x is three orders of magnitude past the strongest overexpression or dose the curated sources
# report, and the solver stays finite across the range (every entity, every context; tests/test_numbers.py).
MAX_LEVEL = 1000.0
MAX_NUMBER_CHARS = 32
VARIANT_CATEGORY = "sequence_variant"


class UnknownVariant(InputError):
    """A GENE:VARIANT the graph does not catalogue (exit 2)."""


@dataclass(frozen=True)
class Perturbation:
    """One parsed perturbation: the entity, the effect, and for variants the gene it acts on."""

    text: str
    entity: str
    effect: str  # ko | lof | gof | up | down | number | variant
    value: float | None = None
    gene: str | None = None  # for variants: the gene the variant belongs to
    overexpressed: bool = False  # GENE:VARIANT=up

    def to_json(self, graph: Any) -> dict[str, Any]:
        ent = graph.entity(self.entity)
        out: dict[str, Any] = {"input": self.text, "id": ent.id, "label": ent.label, "effect": self.effect,
                               "value": self.value}
        if self.gene:
            gene = graph.entity(self.gene)
            out["gene"] = {"id": gene.id, "label": gene.label}
            out["overexpressed"] = self.overexpressed
            out["variant_effects"] = [_effect_json(x) for x in ent.effects]
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
        raise InputError("empty perturbation: expected NAME=EFFECT, NAME, GENE:VARIANT or GENE:VARIANT=up")
    name, eq, raw_effect = spec.rpartition("=") if "=" in spec else (spec, "", "up")
    name = name.strip()
    if eq and not name:
        raise InputError(f"malformed perturbation '{text}': nothing before '='")
    effect, value = parse_effect(text, raw_effect)
    try:
        ent = graph.resolve(name)
    except ResolveError:
        if ":" not in name:
            raise
        return _gene_variant(graph, text, name, effect, explicit=bool(eq))
    if ent.category == VARIANT_CATEGORY:
        return _variant(graph, text, ent, effect, explicit=bool(eq))
    return Perturbation(text, ent.id, effect, value)


def _gene_variant(graph: Any, text: str, name: str, effect: str, *, explicit: bool) -> Perturbation:
    gene_name, _, variant_name = name.partition(":")
    gene = graph.resolve(gene_name.strip())  # an unknown gene raises ResolveError with suggestions
    variants = graph.variants_of(gene.id)
    wanted = normalize(variant_name)
    matches = [v for v in variants
               if wanted in {normalize(x) for x in (v.id, v.label, v.hgvs, *v.synonyms) if x}]
    if not matches:
        known = "; ".join(f"{v.hgvs or v.label}" for v in variants) or "none catalogued"
        raise UnknownVariant(f"unknown variant '{variant_name}' of {gene.label}; known variants of {gene.label}: "
                             f"{known}")
    if len(matches) > 1:
        raise InputError(f"variant '{variant_name}' of {gene.label} is ambiguous: "
                         f"{', '.join(v.id for v in matches)}; use an identifier")
    return _variant(graph, text, matches[0], effect, explicit=explicit)


def _variant(graph: Any, text: str, variant: Any, effect: str, *, explicit: bool) -> Perturbation:
    if explicit and effect != "up":
        raise InputError(f"'{text}': a variant takes no effect, or '=up' to overexpress the variant protein on top "
                         f"of the endogenous gene (got '{effect}')")
    if variant.gene not in graph:
        raise InputError(f"variant {variant.id} names gene {variant.gene}, which is not in the graph")
    return Perturbation(text, variant.id, "variant", None, gene=variant.gene, overexpressed=explicit)


def parse_all(graph: Any, texts: list[str]) -> list[Perturbation]:
    """Parse every perturbation; one entity may be perturbed only once per run."""
    out = [parse(graph, t) for t in texts]
    seen: dict[str, str] = {}
    for p in out:
        key = p.entity
        if key in seen:
            raise InputError(f"'{p.text}' and '{seen[key]}' perturb the same entity; give it once")
        seen[key] = p.text
    return out
