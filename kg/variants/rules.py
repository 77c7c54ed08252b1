"""The declared consequence rules (schema/variants.yaml): what each consequence class does to a gene's product.

Nothing here decides an outcome by itself: each class names its effect, its rule in words and the sources behind
it, so that every interpretation can show the rule that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.errors import KgError
from kg.paths import schema_dir

EFFECT_KINDS = ("loss_of_function", "no_change", "by_region", "unknown")
SCENARIO_NAMES = ("loss", "gain", "none")


@dataclass(frozen=True)
class Citation:
    source: str  # PMID / DOI
    reference: str  # "Author Year Journal"

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "reference": self.reference}


@dataclass(frozen=True)
class ConsequenceRule:
    term: str  # Sequence Ontology term, as VEP and SnpEff write it
    label: str
    effect: str  # one of EFFECT_KINDS
    rule: str
    citations: tuple[Citation, ...]
    effects: tuple[dict[str, Any], ...] = ()
    scenarios: tuple[str, ...] = ()
    truncating: bool = False


@dataclass(frozen=True)
class Rules:
    consequences: dict[str, ConsequenceRule]
    scenarios: dict[str, tuple[dict[str, Any], ...]]

    def get(self, term: str) -> ConsequenceRule:
        try:
            return self.consequences[term]
        except KeyError:
            raise KgError(f"schema/variants.yaml declares no consequence '{term}'") from None


@cache
def rules() -> Rules:
    """The consequence rules, read once and checked (a malformed rule is a KgError naming it)."""
    import yaml

    raw = yaml.safe_load((schema_dir() / "variants.yaml").read_text(encoding="utf-8"))
    refs = {k: Citation(v["source"], v["reference"]) for k, v in raw["references"].items()}
    out: dict[str, ConsequenceRule] = {}
    for term, spec in raw["consequences"].items():
        if spec["effect"] not in EFFECT_KINDS:
            raise KgError(f"schema/variants.yaml: consequence {term}: effect must be one of {', '.join(EFFECT_KINDS)}")
        scenarios = tuple(spec.get("scenarios") or ())
        if (spec["effect"] == "unknown") != bool(scenarios) or set(scenarios) - set(SCENARIO_NAMES):
            raise KgError(f"schema/variants.yaml: consequence {term}: an unknown effect lists its scenarios "
                          f"(of {', '.join(SCENARIO_NAMES)}), and only an unknown effect does")
        missing = [r for r in spec.get("refs") or () if r not in refs]
        if missing or not spec.get("refs"):
            raise KgError(f"schema/variants.yaml: consequence {term}: cite at least one declared reference "
                          f"(unknown: {', '.join(missing) or 'none given'})")
        out[term] = ConsequenceRule(term=term, label=spec["label"], effect=spec["effect"], rule=" ".join(
            spec["rule"].split()), citations=tuple(refs[r] for r in spec["refs"]),
            effects=tuple(spec.get("effects") or ()), scenarios=scenarios, truncating=bool(spec.get("truncating")))
    scen = {k: tuple(v or ()) for k, v in raw["scenarios"].items()}
    if set(scen) != set(SCENARIO_NAMES):
        raise KgError(f"schema/variants.yaml: scenarios must define exactly {', '.join(SCENARIO_NAMES)}")
    return Rules(out, scen)
