"""What a predicted profile resembles: the graph's diseases ranked by how well the predicted readouts match each
disease's signature, the readouts its causes produce in the same model and context.

A disease's causes are the `causes` / `contributes_to` edges into it: a gene is simulated lost (GENE=ko), a
catalogued variant with its curated effects (a variant with no curated effect gives no signature). Nothing is
written by hand: signatures come from the graph each time, once per simulator. A profile is log2 fold change for
readouts with a magnitude (clipped at +/-4) and +/-1 for the signed layer's calls; the score is the cosine of two
profiles. This is a model's resemblance, not a diagnosis.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import Any

DISCLAIMER = ("A model's resemblance, not a diagnosis: how the predicted readouts match the readouts each disease's "
              "causes in the graph (a gene lost, or a catalogued variant) produce in the same model and context.")
CAUSAL_PREDICATES = ("causes", "contributes_to")
GENE_CATEGORIES = ("gene_or_protein", "protein_complex")
NOT_READOUTS = ("sequence_variant", "transcript", "protein_region", "cell_system", "disease")
CLIP = 4.0
SIGNED_WEIGHT = 0.5  # a signed-layer call counts like a 1.4-fold change: it has a sign, not a size
SHOWN = 3

_SIGNATURES: weakref.WeakKeyDictionary[Any, list[Signature]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Signature:
    disease: str
    disease_label: str
    cause: str  # in words: "ENPP1 loss", "ANKH p.Pro5Leu"
    perturbation: str
    profile: dict[str, float]


def profile_of(readouts: list[dict[str, Any]]) -> dict[str, float]:
    out = {}
    for r in readouts:
        if r["category"] in NOT_READOUTS or r["direction"] not in ("increase", "decrease"):
            continue
        fold = r.get("fold_change")
        if fold is not None and fold > 0:
            value = max(-CLIP, min(CLIP, math.log2(fold)))
        elif fold == 0:
            value = -CLIP
        else:
            value = SIGNED_WEIGHT if r["direction"] == "increase" else -SIGNED_WEIGHT
        if value:
            out[r["id"]] = value
    return out


def signatures(sim: Any) -> list[Signature]:
    """Every disease's signatures under this simulator's context and hypotheses (computed once per simulator)."""
    if sim in _SIGNATURES:
        return _SIGNATURES[sim]
    from kg.variants.interpret import interpret

    graph = sim.graph
    out: list[Signature] = []
    diseases = {e.id: e for e in graph.entities if e.category == "disease"}
    for edge in graph.edges:
        if edge.predicate not in CAUSAL_PREDICATES or edge.object not in diseases:
            continue
        subject = graph.entity(edge.subject)
        if subject.category in GENE_CATEGORIES:
            perturbation, cause = f"{subject.id}=ko", f"{subject.label} loss"
        elif subject.category == "sequence_variant" and subject.gene in graph:
            allele = interpret(graph, subject.gene, subject.id)
            if allele.unknown or not allele.effects:
                continue
            perturbation, cause = subject.id, subject.label
        else:
            continue
        profile = profile_of(sim.run([perturbation]).readouts)
        if profile:
            disease = diseases[edge.object]
            out.append(Signature(disease.id, disease.label, cause, perturbation, profile))
    _SIGNATURES[sim] = out
    return out


def report(sim: Any, prediction: Any, perturbations: list[Any], top: int = 5) -> dict[str, Any]:
    """The resemblance of a prediction over every readout (re-run without a readout filter if it had one); for an
    unknown-effect variant, one ranking per scenario as well."""
    full = prediction if prediction.readouts and _complete(sim, prediction) else sim.run(perturbations)
    out: dict[str, Any] = {"note": DISCLAIMER, "diseases": rank(sim, full.readouts, top)}
    runs = getattr(full, "runs", None)
    if runs:
        out["by_scenario"] = [{"scenario": label, "diseases": rank(sim, pred.readouts, top)} for label, pred in runs]
    return out


def _complete(sim: Any, prediction: Any) -> bool:
    return len(prediction.readouts) == len(sim.graph.entities)


def rank(sim: Any, readouts: list[dict[str, Any]], top: int = 5) -> list[dict[str, Any]]:
    """The diseases whose best signature matches the readouts, best first (positive scores only)."""
    profile = profile_of(readouts)
    if not profile:
        return []
    labels = {r["id"]: r for r in readouts}
    best: dict[str, tuple[float, Signature]] = {}
    for sig in signatures(sim):
        score = _cosine(profile, sig.profile)
        if score > 0 and (sig.disease not in best or score > best[sig.disease][0]):
            best[sig.disease] = (score, sig)
    ranked = sorted(best.values(), key=lambda x: (-x[0], x[1].disease_label))[:top]
    return [_entry(score, sig, profile, labels) for score, sig in ranked]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _entry(score: float, sig: Signature, profile: dict[str, float], labels: dict[str, Any]) -> dict[str, Any]:
    shared = sorted((k for k in profile if k in sig.profile and profile[k] * sig.profile[k] > 0),
                    key=lambda k: (-abs(profile[k] * sig.profile[k]), k))[:SHOWN]
    readouts = [{"id": k, "label": labels[k]["label"], "change": arrow(profile[k], labels[k].get("fold_change")),
                 "fold_change": labels[k].get("fold_change")} for k in shared]
    said = ", ".join(f"{r['label']} {r['change']}" for r in readouts)
    return {"disease": {"id": sig.disease, "label": sig.disease_label}, "score": round(score, 3),
            "cause": sig.cause, "signature_of": sig.perturbation, "shared_readouts": readouts,
            "summary": f"resembles {sig.disease_label} ({sig.cause}): {said} (score {score:.2f})"}


def arrow(value: float, fold: float | None) -> str:
    """↑/↓ for a change, doubled beyond a two-fold change (a signed-layer call, with no size, gets one arrow)."""
    strong = fold is not None and abs(value) >= 1.0
    if value > 0:
        return "↑↑" if strong else "↑"
    return "↓↓" if strong else "↓"
