"""Explanations: the strongest supporting and opposing paths of a readout, with evidence ids on every step, and
the confidence that follows from them."""

from __future__ import annotations

from typing import Any

from kg.simulate.signed import Path

SIGN_WORD = {1: "increase", -1: "decrease"}


def path_json(graph: Any, path: Path, sources: dict[str, list[str]]) -> dict[str, Any]:
    steps = []
    node = path.seed
    for st in path.steps:
        steps.append({
            "subject": st.source, "subject_label": graph.entity(st.source).label,
            "predicate": st.predicate if not st.derived else f"{st.predicate} (substrate to product)",
            "object": st.target, "object_label": graph.entity(st.target).label,
            "sign": "+" if st.sign > 0 else "-", "edge": st.edge,
            "evidence": list(st.evidence), "sources": sources.get(st.edge, []),
        })
        node = st.target
    del node
    return {"sign": "+" if path.sign > 0 else "-", "effect": SIGN_WORD[path.sign], "score": round(path.score, 4),
            "length": len(path.steps), "text": path_text(graph, path), "steps": steps}


def path_text(graph: Any, path: Path) -> str:
    parts = [graph.entity(path.seed).label]
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
