"""Explanations: the strongest supporting and opposing paths of a readout, with evidence ids on every step, the
confidence that follows from them, and the mechanism that decides the readout.

A path is put on the side it actually pushes: through the kinetic layer, a path whose intermediate moved the other
way than the path says (ATP fell, yet Pi rose) did not carry the change and is left out (`carried`). A mineral
readout is decided by its chemistry, which the explanation names (`chemistry`): the Pi/PPi ratio, its threshold
(Cheng & Pritzker 1983), the ions that scale it, and the route by which each moved. A step on an edge that is not
established says so in the path text (`-(contested)->`)."""

from __future__ import annotations

from typing import Any

from kg.simulate.model.expr import symbols
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
            "sign": "+" if st.sign > 0 else "-", "edge": st.edge, "status": graph.edge(st.edge).status,
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


def chemistry(graph: Any, run: Any, entity_id: str, comp: str) -> str:
    """For a deposition index in its compartment, the chemistry that decides it there, as a clause for the summary:
    the Pi/PPi ratio before and after, which way the crystal follows it and its threshold with the source (Cheng &
    Pritzker 1983), then each ion or input that sets the index there (the ratio's ions, calcium and the ion product,
    a deposition feeding another) with its fold in that compartment and the strongest carried path that moved it.
    '' for other readouts. `run` holds the model, its values per (entity, compartment) and the paths from the
    perturbations (readouts.Run)."""
    sym = run.model.symbol(entity_id, comp)
    chem = run.rules.get(f"chem__{sym}") if sym is not None else None
    if chem is None:
        return ""
    text = f"; decided by the chemistry in {comp}"
    movers: list[str] = []
    frac = run.rules.get(f"frac__{sym}")
    ratio = _ratio_edges(graph, frac.edges) if frac is not None else {}
    if set(ratio) != {1, -1} or not all((ratio[k].subject, comp) in run.every for k in ratio):
        ratio = {}
    if ratio:
        num, den = ratio[1], ratio[-1]
        before, after = (_quotient(run.every[(num.subject, comp)][i], run.every[(den.subject, comp)][i])
                         for i in (0, 1))
        rises = num.sign == "positive"
        threshold = next((run.model.params[x].value for x in sorted(symbols(frac.expr))
                          if x.startswith("threshold__")), None)
        where = f"about {threshold:g}" if threshold is not None else "a threshold"
        text += (f": the {graph.entity(num.subject).label}/{graph.entity(den.subject).label} ratio {before:.3g} -> "
                 f"{after:.3g}; {graph.entity(entity_id).label} {'follows' if rises else 'opposes'} the ratio (the "
                 f"crystal forms {'above' if rises else 'below'} {where}: {_reference(num)})")
        movers += [num.subject, den.subject]
    for eid in chem.edges:
        x = graph.edge(eid).subject
        if x not in movers and (x, comp) in run.every:
            movers.append(x)
    changes = []
    for x in movers:
        b, p, _u = run.every[(x, comp)]
        direction = run.direction(x, comp)
        part = f"{graph.entity(x).label} x{p / b:.3g}" if b > 0 else f"{graph.entity(x).label} {direction}"
        route = _route(graph, x, direction, run.paths)
        changes.append(part + (f" ({route})" if route else ""))
    if not changes:
        return text
    return text + ("; " if ratio else ": ") + ", ".join(changes)


def chemistry_inputs(graph: Any, model: Any, keys: list[tuple[str, str | None]]) -> set[str]:
    """The ions and inputs whose routes `chemistry` names for these readouts (so that a run that explains only the
    readouts asked for still finds the paths that moved them)."""
    rules = {r.name: r for r in model.rules if r.kind == "chemistry"}
    out: set[str] = set()
    for entity_id, comp in keys:
        chem = rules.get(f"chem__{model.symbol(entity_id, comp)}") if comp is not None else None
        out.update(graph.edge(eid).subject for eid in (chem.edges if chem is not None else ()))
    return out


def _ratio_edges(graph: Any, edge_ids: tuple[str, ...]) -> dict[int, Any]:
    """The Pi/PPi-ratio edges of a deposition: +1 the numerator's (exponent > 0), -1 the denominator's."""
    out = {}
    for eid in edge_ids:
        e = graph.edge(eid)
        expo = e.kinetics.parameters["exponent"].value if "exponent" in e.kinetics.parameters else 1.0
        out[1 if expo > 0 else -1] = e
    return out


def _quotient(n: float, d: float) -> float:
    return n / d if d > 0 else float("inf")


def _reference(edge: Any) -> str:
    refs = sorted({ev.reference or ev.source for ev in edge.evidence})
    return "; ".join(refs)


def _route(graph: Any, entity_id: str, direction: str, paths: dict) -> str:
    """The strongest path that moved `entity_id` the way it went ('' if none, or if it did not move); the kinetic
    layer's paths are those its steps carried (`carried`)."""
    if direction not in ("increase", "decrease"):
        return ""
    found = paths.get((entity_id, 1 if direction == "increase" else -1), [])
    return path_text(graph, found[0]) if found else ""


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
