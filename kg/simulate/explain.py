"""Explanations: the strongest supporting and opposing paths of a readout, with evidence ids on every step, the
confidence that follows from them, and the mechanism that decides the readout.

A path is put on the side it actually pushes: through the kinetic layer, a path whose intermediate moved the other
way than the path says (ATP fell, yet Pi rose) did not carry the change and is left out (`carried`). A mineral
readout is decided by its chemistry, which the explanation names (`chemistry`): the Pi/PPi ratio, its threshold
(Cheng & Pritzker 1983), the ions that scale it, and the route by which each moved. A step on an edge that is not
established says so in the path text (`-(contested)->`)."""

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
    node = path.seed
    for st in path.steps:
        steps.append({
            "subject": st.source, "subject_label": graph.entity(st.source).label,
            "predicate": st.predicate if not st.derived else f"{st.predicate} ({DERIVED_WORD[st.derived]})",
            "object": st.target, "object_label": graph.entity(st.target).label,
            "sign": "+" if st.sign > 0 else "-", "edge": st.edge, "status": graph.edge(st.edge).status,
            "evidence": list(st.evidence), "sources": sources.get(st.edge, []),
        })
        node = st.target
    del node
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
        status = graph.edge(st.edge).status
        if status != "established":
            arrow = f"-({status}){arrow[1]}"
        parts.append(f"{arrow} {graph.entity(st.target).label}")
    return " ".join(parts)


def carried(path: Path, moved: dict[str, str]) -> bool:
    """Whether every intermediate the kinetic layer decided moved the way the path says (`moved`: entity ->
    increase / decrease / unchanged). A path through an entity that went the other way, or did not move, did not
    carry the change to the readout."""
    sign = path.sign
    for st in path.steps:
        sign *= st.sign  # the seed's own sign: path.sign times every step's sign (each is +1 or -1)
    for st in path.steps[:-1]:
        sign *= st.sign
        if st.target in moved and moved[st.target] != SIGN_WORD[sign]:
            return False
    return True


def chemistry(graph: Any, entity_id: str, values: dict[str, tuple[float, float, str]], paths: dict,
              moved: dict[str, str]) -> str:
    """For a mineral readout with Pi/PPi-ratio edges (rate law pi_ppi_ratio): the ratio before and after, the
    threshold that selects the crystal and which way deposition follows it, the scaling ions (rate law
    proportional), and the strongest carried path that moved each; '' for other readouts."""
    ratio: dict[int, Any] = {}
    scale = []
    for e in graph.edges:
        if e.object != entity_id or e.kinetics is None:
            continue
        law = e.kinetics.rate_law
        exponent = e.kinetics.parameters["exponent"].value if "exponent" in e.kinetics.parameters else 1.0
        if law == "pi_ppi_ratio":
            ratio[1 if exponent > 0 else -1] = e
        elif law == "proportional" and e.subject in values:
            scale.append(e)
    if set(ratio) != {1, -1} or not all(ratio[k].subject in values for k in ratio):
        return ""
    num, den = ratio[1], ratio[-1]
    (n0, n1, _), (d0, d1, _) = values[num.subject], values[den.subject]
    before = n0 / d0 if d0 > 0 else float("inf")
    after = n1 / d1 if d1 > 0 else float("inf")
    threshold = num.kinetics.parameters["threshold"].value
    label = graph.entity(entity_id).label
    rises = num.sign == "positive"
    name = f"{graph.entity(num.subject).label}/{graph.entity(den.subject).label}"
    text = (f"; decided by the chemistry: the {name} ratio {before:.3g} -> {after:.3g}; {label} "
            f"{'follows' if rises else 'opposes'} the ratio (the crystal forms {'above' if rises else 'below'} about "
            f"{threshold:g}: {_reference(num)})")
    movers = [num.subject, den.subject, *(e.subject for e in scale)]
    changes = []
    for x in movers:
        b, p, _ = values[x]
        fold = p / b if b > 0 else None
        direction = moved.get(x, "unchanged")
        part = f"{graph.entity(x).label} x{fold:.3g}" if fold is not None else f"{graph.entity(x).label} {direction}"
        route = _route(graph, x, direction, paths, moved)
        changes.append(part + (f" ({route})" if route else ""))
    return text + "; " + ", ".join(changes)


def _reference(edge: Any) -> str:
    refs = sorted({ev.reference or ev.source for ev in edge.evidence})
    return "; ".join(refs)


def _route(graph: Any, entity_id: str, direction: str, paths: dict, moved: dict[str, str]) -> str:
    """The strongest carried path that moved `entity_id` the way it went ('' if none, or if it did not move)."""
    if direction not in ("increase", "decrease"):
        return ""
    sign = 1 if direction == "increase" else -1
    for path in paths.get((entity_id, sign), []):
        if carried(path, moved):
            return path_text(graph, path)
    return ""


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
