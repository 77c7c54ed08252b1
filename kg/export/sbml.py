"""The kinetic model as SBML Level 3 Version 2 (python-libsbml), written from the simulator's IR.

One to one with the IR (`kg/simulate/model/ir.py`): each compartment is an SBML compartment whose id is its volume
parameter (so rate laws that read `V__plasma` read its size); each species state a species in concentration (uM);
each regulated gene product's relative amount a dimensionless species driven by a rate rule (its turnover); a
fixed concentration a constant boundary species; each parameter a constant parameter with its unit, its SBO term
and its provenance (basis, source as a MIRIAM `isDescribedBy`, note, plausible range); each assignment rule an
assignment rule; each flux a reaction (umol/h) with its kinetic law, reactants, products and modifiers. Species and
compartments carry `bqbiol:is` identifiers.org URIs from the graph's CURIEs (the id and its xrefs).

The document starts at the baseline steady state; the perturbation's parameters are set and clamped species are
boundary species held at their level, so a simulator's steady state is the perturbed one and its time course is
the response from baseline (`kg timecourse`). The calibrated constants (reference levels, baseline productions)
are numbers here: they are what makes the baseline a steady state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import libsbml

from kg.errors import KgError
from kg.export.base import check_writable, write_atomically
from kg.export.sbml_terms import (
    SBO_CATEGORY,
    SBO_COMPARTMENT,
    SBO_FLUX,
    SBO_MACROMOLECULE,
    add_units,
    annotate,
    check,
    sbo_for_param,
    unit_id,
)
from kg.simulate.model.expr import symbols
from kg.simulate.model.ir import SPECIES, Model

LEVEL, VERSION = 3, 2
KG_NS = "https://w3id.org/kg/sbml/"
XHTML = "http://www.w3.org/1999/xhtml"


class ModelState:
    """A model with one parameter vector and a start: what one SBML document holds."""

    def __init__(self, model: Model, p: list[float], x0: list[float], held: set[int], title: str) -> None:
        self.model, self.p, self.x0, self.held, self.title = model, p, x0, held, title
        self.pi = {name: i for i, name in enumerate(model.params)}

    def value(self, name: str) -> float:
        return float(self.p[self.pi[name]])


def state_of(sim: Any, perturbations: list[str]) -> ModelState:
    """The model state a perturbation means in a Simulator's context (its own edge set: a variant that removes an
    interaction exports the model without it)."""
    pred = sim.run(list(perturbations), readouts=[])
    p, x0, held = pred.kinetic.start(pred.changes)
    what = " ".join(perturbations) if perturbations else "baseline"
    return ModelState(pred.kinetic.model, p, x0, set(held), f"kg model of {sim.ctx.label}: {what}")


def document(state: ModelState, graph: Any) -> libsbml.SBMLDocument:
    """The SBML document of a model state (raises KgError if libsbml rejects an expression)."""
    model = state.model
    doc = libsbml.SBMLDocument(LEVEL, VERSION)
    m = doc.createModel()
    m.setId(f"kg_{_sid(model.context)}")
    m.setName(state.title)
    add_units(m)
    for attr, unit in (("SubstanceUnits", "umol"), ("TimeUnits", "hour"), ("VolumeUnits", "litre"),
                       ("ExtentUnits", "umol")):
        check(getattr(m, f"set{attr}")(unit), attr)
    volumes = {c.volume for c in model.compartments.values()}
    for c in model.compartments.values():
        comp = m.createCompartment()
        comp.setId(c.volume)
        comp.setName(c.label)
        comp.setSize(state.value(c.volume))
        comp.setConstant(True)
        comp.setSpatialDimensions(3)
        comp.setUnits("litre")
        comp.setSBOTerm(SBO_COMPARTMENT)
        if c.entity:
            annotate(comp, libsbml.BQB_IS, [c.entity])
    comp_of = {c.name: c.volume for c in model.compartments.values()}
    for prm in model.params.values():
        if prm.role == "fixed":
            _species(m, graph, prm.name, prm.entity, comp_of[prm.compartment], state.value(prm.name), True, True)
        elif prm.name not in volumes:
            _parameter(m, prm, state.value(prm.name))
    for i, s in enumerate(model.states):
        if s.kind == SPECIES:
            _species(m, graph, s.name, s.entity, comp_of[s.compartment], state.x0[i], i in state.held, False)
        else:
            _species(m, graph, s.name, s.entity, comp_of[s.compartment], state.x0[i], False, False, amount=True)
    for r in model.rules:
        p = m.createParameter()
        p.setId(r.name)
        p.setConstant(False)
        p.setUnits(unit_id(r.unit))
        rule = m.createAssignmentRule()
        rule.setVariable(r.name)
        _math(rule, r.expr, r.name)
    _fluxes(m, model)
    return doc


def _species(m: Any, graph: Any, sid: str, entity: str | None, compartment: str, value: float, boundary: bool,
             constant: bool, *, amount: bool = False) -> Any:
    sp = m.createSpecies()
    sp.setId(sid)
    sp.setCompartment(compartment)
    sp.setBoundaryCondition(boundary)
    sp.setConstant(constant)
    sp.setHasOnlySubstanceUnits(amount)
    if amount:
        sp.setInitialAmount(value)
        sp.setSubstanceUnits("dimensionless")
    else:
        sp.setInitialConcentration(value)
        sp.setSubstanceUnits("umol")
    if entity:
        ent = graph.entity(entity)
        sp.setName(f"{ent.label} ({compartment.removeprefix('V__')})")
        sp.setSBOTerm(SBO_CATEGORY.get(ent.category, SBO_MACROMOLECULE))
        annotate(sp, libsbml.BQB_IS, [ent.id, *ent.xrefs])
    return sp


def _parameter(m: Any, prm: Any, value: float) -> None:
    p = m.createParameter()
    p.setId(prm.name)
    p.setValue(value)
    p.setConstant(True)
    p.setUnits(unit_id(prm.unit if prm.unit != "as the level" else "1"))
    p.setSBOTerm(sbo_for_param(prm.name))
    if prm.source:
        annotate(p, libsbml.BQB_IS_DESCRIBED_BY, [prm.source])
    if not p.isSetMetaId():
        p.setMetaId(f"meta_{prm.name}")
    attrs = {"basis": prm.basis, "unit": prm.unit, "role": prm.role or None,
             "low": None if prm.low is None else repr(prm.low), "high": None if prm.high is None else repr(prm.high),
             "source": prm.source, "group": prm.group}
    text = " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items() if v)
    check(p.appendAnnotation(f'<kg:parameter xmlns:kg="{KG_NS}" {text}/>'), f"annotation of {prm.name}")
    words = [f"basis: {prm.basis}"] + ([prm.note] if prm.note else []) + (
        [f"plausible range {prm.low:g} to {prm.high:g} {prm.unit}"] if prm.low is not None else [])
    check(p.setNotes(f'<body xmlns="{XHTML}"><p>{escape(". ".join(words))}</p></body>'), f"notes of {prm.name}")


def _fluxes(m: Any, model: Model) -> None:
    """Reactions for the fluxes that move species; rate rules for the gene products' amounts."""
    kinds = {s.name: s.kind for s in model.states}
    species = {s.name for s in model.states} | {p.name for p in model.params.values() if p.role == "fixed"}
    rates: dict[str, list[str]] = {}
    for f in model.fluxes:
        if f.stoich and all(kinds[s] != SPECIES for s, _k in f.stoich):
            for s, k in f.stoich:
                rates.setdefault(s, []).append(f"{k!r} * ({f.rate})")
            continue
        if not f.stoich:
            continue
        r = m.createReaction()
        r.setId(f.name)
        r.setReversible(False)
        r.setSBOTerm(SBO_FLUX.get(f.kind, 176))
        moved = set()
        for s, k in f.stoich:
            ref = r.createReactant() if k < 0 else r.createProduct()
            ref.setSpecies(s)
            ref.setStoichiometry(abs(k))
            ref.setConstant(True)
            moved.add(s)
        for s in sorted((symbols(f.rate) & species) - moved):
            r.createModifier().setSpecies(s)
        law = r.createKineticLaw()
        _math(law, f.rate, f.name)
    for s, terms in rates.items():
        rule = m.createRateRule()
        rule.setVariable(s)
        _math(rule, " + ".join(terms), s)


def _math(element: Any, text: str, where: str) -> None:
    ast = libsbml.parseL3Formula(text.replace("**", "^"))
    if ast is None:
        raise KgError(f"SBML export: the expression of '{where}' did not parse: {libsbml.getLastParseL3Error()}")
    check(element.setMath(ast), f"math of {where}")


def _sid(text: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def problems(doc: libsbml.SBMLDocument) -> tuple[list[str], int]:
    """libsbml's consistency checks: (error messages, number of warnings)."""
    doc.checkConsistency()
    errors, warnings = [], 0
    for i in range(doc.getNumErrors()):
        e = doc.getError(i)
        if e.getSeverity() >= libsbml.LIBSBML_SEV_ERROR:
            errors.append(f"{e.getCategoryAsString()} {e.getErrorId()}: {e.getMessage().strip()}")
        else:
            warnings += 1
    return errors, warnings


def to_text(doc: libsbml.SBMLDocument) -> str:
    return libsbml.writeSBMLToString(doc)


def write(graph: Any, path: Path, *, context: str | None = None, perturbations: tuple[str, ...] = (),
          hypotheses: tuple[str, ...] = ()) -> int:
    """`kg export sbml`: the context's model under the perturbations, checked by libsbml (KgError on an error),
    written atomically; returns the number of libsbml warnings (units of literal numbers, mostly)."""
    from kg.simulate.predict import Simulator

    check_writable(Path(path))
    return save(document(state_of(Simulator(graph, context, list(hypotheses)), list(perturbations)), graph), path,
                "SBML")


def save(doc: libsbml.SBMLDocument, path: Path, what: str) -> int:
    """Write a document that passes libsbml's consistency checks, atomically (KgError naming the first errors
    otherwise); returns the number of warnings."""
    errors, warnings = problems(doc)
    if errors:
        raise KgError(f"the {what} document fails libsbml's consistency checks: " + "; ".join(errors[:5]))
    text = to_text(doc)
    write_atomically(Path(path), lambda staged: staged.write_text(text, encoding="utf-8"))
    return warnings
