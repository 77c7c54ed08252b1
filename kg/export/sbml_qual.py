"""`kg export sbml-qual`: the signed layer as an SBML-qual logical model (GINsim, MaBoSS, CellCollective,
CoLoMoTo tools), SBML Level 3 Version 1 with the qual package, checked by libsbml.

One Boolean qualitative species (max level 1) per entity of the signed network (the steps `kg predict`'s signed
layer walks in the context: sign-carrying edges, substrate -> product steps through enzymes, carriers of a
signal), initial level 1 for what is present at baseline and 0 for agents (drugs, conditions, variants). One
transition per entity with inputs: it is on when any activator is on and no inhibitor is (a regulator with
both signs counts as an activator, its input marked `dual`); an entity without activators is on when no
inhibitor is. Inputs carry their edges' publications (`bqbiol:isDescribedBy`), species their identifiers.org
URIs. This is the usual default logic for a signed graph; it is a starting point for a logical model, not a
claim about how the regulators combine.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import libsbml

from kg.errors import KgError
from kg.export.base import check_writable
from kg.export.sbml_terms import annotate, check
from kg.simulate.network import ABSENT_AT_BASELINE

LEVEL, VERSION, QUAL_VERSION = 3, 1, 1


def document(graph: Any, steps: list[Any], title: str) -> libsbml.SBMLDocument:
    """The SBML-qual document of a list of signed steps."""
    ns = libsbml.SBMLNamespaces(LEVEL, VERSION, "qual", QUAL_VERSION)
    doc = libsbml.SBMLDocument(ns)
    doc.setPackageRequired("qual", True)
    m = doc.createModel()
    m.setId("kg_signed")
    m.setName(title)
    comp = m.createCompartment()
    comp.setId("default")
    comp.setConstant(True)
    qual = m.getPlugin("qual")
    ids: dict[str, str] = {}
    taken: set[str] = set()
    entities = sorted({s.source for s in steps} | {s.target for s in steps})
    for entity in entities:
        ent = graph.entity(entity)
        sid = _sid(entity, taken)
        ids[entity] = sid
        qs = qual.createQualitativeSpecies()
        qs.setId(sid)
        qs.setName(ent.label)
        qs.setCompartment("default")
        qs.setConstant(False)
        qs.setMaxLevel(1)
        qs.setInitialLevel(0 if ent.category in ABSENT_AT_BASELINE else 1)
        annotate(qs, libsbml.BQB_IS, [ent.id, *ent.xrefs])
    incoming: dict[str, dict[str, list[Any]]] = {}
    for s in steps:
        incoming.setdefault(s.target, {}).setdefault(s.source, []).append(s)
    for target in sorted(incoming):
        _transition(qual, graph, ids, target, incoming[target])
    return doc


def _transition(qual: Any, graph: Any, ids: dict[str, str], target: str, sources: dict[str, list[Any]]) -> None:
    t = qual.createTransition()
    t.setId(f"tr_{ids[target]}")
    t.setName(f"regulation of {graph.entity(target).label}")
    activators, inhibitors = [], []
    for source in sorted(sources):
        signs = {s.sign for s in sources[source]}
        i = t.createInput()
        i.setId(f"in_{ids[source]}_{ids[target]}")
        i.setQualitativeSpecies(ids[source])
        i.setTransitionEffect(libsbml.INPUT_TRANSITION_EFFECT_NONE)
        i.setThresholdLevel(1)
        if signs == {1}:
            i.setSign(libsbml.INPUT_SIGN_POSITIVE)
            activators.append(ids[source])
        elif signs == {-1}:
            i.setSign(libsbml.INPUT_SIGN_NEGATIVE)
            inhibitors.append(ids[source])
        else:
            i.setSign(libsbml.INPUT_SIGN_DUAL)
            activators.append(ids[source])
        publications = sorted({p for s in sources[source] for p in getattr(s, "sources", ()) or ()})
        annotate(i, libsbml.BQB_IS_DESCRIBED_BY, publications)
    o = t.createOutput()
    o.setId(f"out_{ids[target]}")
    o.setQualitativeSpecies(ids[target])
    o.setTransitionEffect(libsbml.OUTPUT_TRANSITION_EFFECT_ASSIGNMENT_LEVEL)
    t.createDefaultTerm().setResultLevel(0)
    term = t.createFunctionTerm()
    term.setResultLevel(1)
    on = " || ".join(f"{a} >= 1" for a in activators)
    off = " || ".join(f"{b} >= 1" for b in inhibitors)
    formula = f"({on}) && !({off})" if on and off else (on or f"!({off})")
    ast = libsbml.parseL3Formula(formula)
    if ast is None:
        raise KgError(f"SBML-qual: the rule of {graph.entity(target).label} did not parse: {formula}")
    check(term.setMath(ast), f"rule of {target}")


def _sid(entity: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", entity)
    base = base if base[0].isalpha() else f"x_{base}"
    sid, k = base, 2
    while sid in taken:
        sid, k = f"{base}_{k}", k + 1
    taken.add(sid)
    return sid


def steps_of(sim: Any) -> list[Any]:
    """The signed steps of a Simulator's context, each with its edge's publications (`sources`)."""
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Cited:
        source: str
        target: str
        sign: int
        sources: tuple[str, ...]

    pubs = {e.id: tuple(sorted({ev.source for ev in e.evidence})) for e in sim.graph.edges}
    net = sim.network()
    return [Cited(s.source, s.target, s.sign, pubs.get(s.edge, ())) for steps in net.adj.values() for s in steps]


def write(graph: Any, path: Path, *, context: str | None = None, hypotheses: tuple[str, ...] = ()) -> int:
    """`kg export sbml-qual`: checked by libsbml (KgError on an error), written atomically; the warnings count."""
    from kg.export.sbml import save
    from kg.simulate.predict import Simulator

    check_writable(Path(path))
    sim = Simulator(graph, context, list(hypotheses))
    return save(document(graph, steps_of(sim), f"kg signed network ({sim.ctx.label})"), path, "SBML-qual")
