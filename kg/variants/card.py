"""A variant's card for `kg show GENE:VARIANT` (or a genotype, GENE:A/B): how kg reads it, which rule decided it
and the sources behind the rule, and what it does to the gene in a context (default plasma). A catalogued variant
also gets its entity card (every edge with its evidence) from the caller.
"""

from __future__ import annotations

from typing import Any

from kg.errors import InputError

GENE_CATEGORIES = ("gene_or_protein", "protein_complex")
SCENARIO_ORDER = ["loss", "gain", "none"]


def variant_card(graph: Any, text: str, context: str | None = None) -> dict[str, Any]:
    from kg.simulate.predict import Simulator
    from kg.variants.dosage import describe, gene_factors
    from kg.variants.genotype import parse_genotype

    gene_name, sep, spec = text.partition(":")
    if not sep or not spec.strip():
        raise InputError(f"'{text}': expected GENE:VARIANT (e.g. ENPP1:p.Tyr471Cys, ANKH:p.P5L/+)")
    gene = graph.resolve(gene_name.strip())
    if gene.category not in GENE_CATEGORIES:
        raise InputError(f"'{text}': {gene.label} is a {gene.category}; variants belong to genes")
    genotype = parse_genotype(graph, gene.id, spec.strip())
    sim = Simulator(graph, context)
    level, up = sim.effects.param, sim.effects.factor(gene.id, "up")  # the context's effect sizes
    single = genotype.alleles[0] if genotype.form == "allele" else None
    card = {"input": text, "gene": {"id": gene.id, "label": gene.label}, "genotype": genotype.to_json(),
            "catalogued": single.entity if single is not None and single.entity else None}
    unknown = genotype.unknown_alleles
    if not unknown:
        factors = gene_factors(graph, genotype, level, up)
        card["dosage"] = {"context": sim.ctx.name, **describe(factors), "notes": factors.notes}
        return card
    names = sorted({s for i in unknown for s in genotype.alleles[i].scenarios}, key=SCENARIO_ORDER.index)
    card["dosage"] = {"context": sim.ctx.name, "scenarios": []}
    for name in names:  # every unknown allele under the same scenario (allowed for it, else its first)
        chosen = {i: name if name in genotype.alleles[i].scenarios else genotype.alleles[i].scenarios[0]
                  for i in unknown}
        factors = gene_factors(graph, genotype.with_scenarios(chosen), level, up)
        card["dosage"]["scenarios"].append({"scenario": name, **describe(factors), "notes": factors.notes})
    return card


def card_lines(card: dict[str, Any]) -> list[str]:
    """The card's header, in words, for the table format."""
    g = card["genotype"]
    lines = [f"{g['label']}  ({g['zygosity']}; gene {card['gene']['label']} {card['gene']['id']}"
             f"{'; catalogued ' + card['catalogued'] if card['catalogued'] else '; not catalogued'})"]
    for allele in g["alleles"]:
        if allele["decided_by"] == "wild_type":
            continue
        lines.append(f"  allele {allele['hgvs'] or allele['input']}: decided by {allele['decided_by']}: "
                     f"{allele['rule']}")
        effects = ", ".join(f"{e['kind']} {e['direction']}" for e in allele["effects"]) or "none"
        lines.append(f"    consequence: {allele['consequence'] or '-'}; class: {allele['variant_class'] or '-'}; "
                     f"effects: {effects}")
        if allele.get("scenarios"):
            lines.append(f"    unknown effect: kg simulates {' and '.join(allele['scenarios'])} and reports "
                         f"readouts that differ as ambiguous")
        for note in allele.get("notes", []):
            lines.append(f"    note: {note}")
    d = card["dosage"]
    for part in d.get("scenarios") or [d]:
        where = f"in {d['context']}" + (f", if {part['scenario']}" if "scenario" in part else "")
        lines.append(f"  {where}: expression {part['expression']:.3g}, activity {part['activity']:.3g}"
                     + (f", transgene {part['transgene']:.3g}" if part["transgene"] else "")
                     + (f"; interactions removed with {', '.join(part['removed_interactions_with'])}"
                        if part["removed_interactions_with"] else ""))
        lines.extend(f"    {n}" for n in part["notes"])
    return lines


def citation_rows(card: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for allele in card["genotype"]["alleles"]:
        for c in allele["citations"]:
            rows.append({"allele": allele["hgvs"] or allele["input"], "decided_by": allele["decided_by"],
                         "source": c["source"], "reference": c["reference"]})
    return rows
