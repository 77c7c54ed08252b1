"""Explanations: the strongest supporting and opposing paths of a readout, with evidence ids on every step, and
the confidence that follows from them."""

from __future__ import annotations

from typing import Any

from kg.simulate.signed import Path

SIGN_WORD = {1: "increase", -1: "decrease"}


DERIVED_WORD = {"substrate": "substrate to product", "carrier": "carrier of the signal"}


def path_json(graph: Any, path: Path, sources: dict[str, list[str]],
              origin: dict[str, Any] | None = None) -> dict[str, Any]:
    """One path as JSON. `origin` (signed readouts) says how the path's first entity changed: perturbed directly
    or a kinetic readout that moved (with its direction and fold)."""
    steps = []
    for st in path.steps:
        steps.append({
            "subject": st.source, "subject_label": graph.entity(st.source).label,
            "predicate": st.predicate if not st.derived else f"{st.predicate} ({DERIVED_WORD[st.derived]})",
            "object": st.target, "object_label": graph.entity(st.target).label,
            "sign": "+" if st.sign > 0 else "-", "edge": st.edge,
            "evidence": list(st.evidence), "sources": sources.get(st.edge, []),
        })
    out = {"sign": "+" if path.sign > 0 else "-", "effect": SIGN_WORD[path.sign], "score": round(path.score, 4),
           "length": len(path.steps), "text": path_text(graph, path, origin), "steps": steps}
    if origin is not None:
        out["origin"] = origin
    return out


def path_text(graph: Any, path: Path, origin: dict[str, Any] | None = None) -> str:
    """`A -> B -| C`; a path starting at a kinetic readout that moved says so: `B (increase, fold 1.02, kinetic
    layer) -| C`."""
    parts = [graph.entity(path.seed).label]
    if origin is not None and origin["change"] == "kinetic":
        fold = f", fold {origin['fold_change']:.3g}" if origin.get("fold_change") is not None else ""
        parts[0] += f" ({origin['direction']}{fold}, kinetic layer)"
    for st in path.steps:
        arrow = "->" if st.sign > 0 else "-|"
        parts.append(f"{arrow} {graph.entity(st.target).label}")
    return " ".join(parts)


def confidence(direction: str, supporting: list[Path], opposing: list[Path], *, layer: str) -> str:
    """high/medium/low from the strength of the best supporting path and whether an opposing path rivals it."""
    if layer == "input":
        return "high"
    if direction == "ambiguous":
        return "low"
    if direction == "unchanged":
        return "medium" if (supporting or opposing) else "high"
    if not supporting:
        return "low"
    best = supporting[0].score
    level = 2 if best >= 0.5 else (1 if best >= 0.25 else 0)
    if opposing and opposing[0].score >= best:
        level -= 1
    return ("low", "medium", "high")[max(level, 0)]


def edge_sources(graph: Any) -> dict[str, list[str]]:
    """edge id -> sorted publication CURIEs of its evidence (for compact citations in paths)."""
    return {e.id: sorted({ev.source for ev in e.evidence}) for e in graph.edges}


def chemistry(graph: Any, model: Any, every: dict, entity_id: str, comp: str) -> str:
    """For a deposition index: the chemistry that decides it in its compartment (the Pi/PPi ratio of Cheng &
    Pritzker 1983 and the ion product), as a clause for the summary; '' for other readouts."""
    sym = model.symbol(entity_id, comp)
    rules = {r.name: r for r in model.rules}
    chem = rules.get(f"chem__{sym}")
    if chem is None:
        return ""
    parts = []
    frac = rules.get(f"frac__{sym}")
    if frac is not None:
        num = den = None
        for eid in frac.edges:
            e = graph.edge(eid)
            expo = e.kinetics.parameters["exponent"].value if "exponent" in e.kinetics.parameters else 1.0
            if expo > 0:
                num = e.subject
            else:
                den = e.subject
        if num and den and (num, comp) in every and (den, comp) in every:
            (n0, n1, _u), (d0, d1, _v) = every[(num, comp)], every[(den, comp)]
            r0 = n0 / d0 if d0 > 0 else float("inf")
            r1 = n1 / d1 if d1 > 0 else float("inf")
            parts.append(f"{graph.entity(num).label}/{graph.entity(den).label} {r0:.3g} -> {r1:.3g} "
                         f"(hydroxyapatite above ~100, calcium pyrophosphate below ~3; Cheng & Pritzker 1983)")
    inputs = sorted({graph.edge(eid).subject for eid in chem.edges})
    for x in inputs:
        if (x, comp) in every:
            b, p, _u = every[(x, comp)]
            if b > 0:
                parts.append(f"{graph.entity(x).label} x{p / b:.3g}")
    return f"; chemistry in {comp}: " + ", ".join(parts) if parts else ""

