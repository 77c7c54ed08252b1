"""SBML export: valid under libsbml, annotated from the graph, and the independent proof that kg's solver is right:
libRoadRunner (and COPASI through basico) reach the same steady states from the exported document, and
libRoadRunner's time course matches kg's."""

from __future__ import annotations

import json

import pytest

from kg.export.sbml import document, problems, state_of, to_text
from kg.simulate.dynamics.timecourse import integrate
from kg.simulate.lite import load_lite
from kg.simulate.predict import Simulator
from tests.roadrunner_helpers import rr_settle

libsbml = pytest.importorskip("libsbml")

CULTURES = ("hek293", "chondrocyte", "osteoblast", "vsmc")
BODY = ("plasma", "bone", "artery", "joint", "skin")
STEADY_RTOL = 1e-6
COURSE_RTOL = 1e-4
# perturbations per context: genes, variants, drugs on a knockout, a clamped species, an agent
# (libRoadRunner's steady state of the body model takes seconds: the representative set is kept small; the body
# contexts are one model, test_the_body_contexts_are_one_model)
CASES = {
    "plasma": [[], ["ENPP1=ko", "ENPP1-Fc=2"], ["Pi@gut=2"]],
    "bone": [["ALPL=0.5"]], "artery": [["ABCC6=ko"]], "joint": [["ANKH:p.P5L"]], "skin": [["NT5E=ko"]],
    "hek293": [[], ["ENPP1=ko", "probenecid"]],
    "chondrocyte": [[], ["hypoxia"]],
    "osteoblast": [[], ["ANKH:p.F377del"]],
    "vsmc": [[], ["SBI-425"]],
}


@pytest.fixture(scope="module")
def graph(kg):
    return load_lite(kg.build_dir)


def kg_steady(graph, context, perts):
    sim = Simulator(graph, context)
    pred = sim.run(perts, readouts=[])
    return sim, pred, pred.kinetic.run(pred.changes).x


def rr_value(rr, state):
    return rr[f"[{state.name}]"] if state.kind == "species" else rr[state.name]


def close(a, b, rtol, scale):
    """Relative agreement; states at (or within round-off of) zero compare against a floor of their scale."""
    return abs(a - b) <= rtol * max(abs(a), abs(b)) + 1e-12 * scale


@pytest.mark.parametrize("context", [*BODY, *CULTURES])
def test_every_context_exports_valid_sbml_with_zero_errors(graph, context):
    doc = document(state_of(Simulator(graph, context), []), graph)
    errors, _warnings = problems(doc)
    assert errors == []
    m = doc.getModel()
    assert (m.getLevel(), m.getVersion()) == (3, 2)
    assert m.getNumSpecies() > 0 and m.getNumReactions() > 0


def test_annotations_come_from_the_graph(graph):
    doc = document(state_of(Simulator(graph, "plasma"), []), graph)
    m = doc.getModel()
    ppi = m.getSpecies("PPi__plasma")
    assert ppi.getSBOTermID() == "SBO:0000247"
    resources = {ppi.getCVTerm(i).getResourceURI(j) for i in range(ppi.getNumCVTerms())
                 for j in range(ppi.getCVTerm(i).getNumResources())}
    assert "https://identifiers.org/CHEBI:18361" in resources or "https://identifiers.org/CHEBI:29888" in resources
    plasma = m.getCompartment("V__plasma")
    assert plasma.getCVTerm(0).getResourceURI(0) == "https://identifiers.org/UBERON:0001969"
    sourced = [p for p in m.getListOfParameters() if "isDescribedBy" in (p.getAnnotationString() or "")]
    assert sourced, "parameters with a source carry it as a MIRIAM isDescribedBy"
    assert any("identifiers.org/pubmed:" in p.getAnnotationString() for p in sourced)
    basis = {p.getId(): p.getAnnotationString() for p in m.getListOfParameters()}
    assert all('basis="' in text for pid, text in basis.items() if not m.getAssignmentRuleByVariable(pid))
    enpp1 = m.getSpecies("ENPP1__plasma")
    assert enpp1.getHasOnlySubstanceUnits() and enpp1.getSBOTermID() == "SBO:0000252"


def test_a_perturbation_sets_parameters_and_holds_clamped_species(graph):
    base = document(state_of(Simulator(graph, "plasma"), []), graph).getModel()
    ko = document(state_of(Simulator(graph, "plasma"), ["ENPP1=ko", "Pi@gut=2"]), graph).getModel()
    assert base.getParameter("expr__ENPP1").getValue() == 1.0
    assert ko.getParameter("expr__ENPP1").getValue() == 0.0
    assert ko.getSpecies("Pi__gut").getBoundaryCondition() and not base.getSpecies("Pi__gut").getBoundaryCondition()
    assert ko.getSpecies("Pi__gut").getInitialConcentration() == pytest.approx(
        2 * base.getSpecies("Pi__gut").getInitialConcentration())


def test_the_body_contexts_are_one_model(graph):
    """bone, artery, joint and skin are views of the plasma model: the same IR apart from which compartment an
    unqualified name means, so the cross-checks of one hold for all."""
    def ir(context):
        data = Simulator(graph, context).model().model.to_json()
        return {k: v for k, v in data.items() if k not in ("context", "primary")}

    reference = json.dumps(ir("plasma"), sort_keys=True)
    for context in BODY[1:]:
        assert json.dumps(ir(context), sort_keys=True) == reference


@pytest.mark.slow
@pytest.mark.parametrize("context", list(CASES))
def test_libroadrunner_reaches_kg_steady_states(graph, context):
    roadrunner = pytest.importorskip("roadrunner")
    for perts in CASES[context]:
        sim, pred, x = kg_steady(graph, context, perts)
        rr = roadrunner.RoadRunner(to_text(document(state_of(sim, perts), graph)))
        residual = rr_settle(rr)
        states = pred.kinetic.model.states
        scale = [max(abs(v), 1e-3) for v in pred.kinetic.base.x]
        assert residual < 1e-9, f"{context} {perts}: libRoadRunner still moving ({residual:.2e} per hour)"
        bad = [(s.name, x[i], rr_value(rr, s)) for i, s in enumerate(states)
               if not close(x[i], rr_value(rr, s), STEADY_RTOL, scale[i])]
        assert not bad, f"{context} {perts}: {bad[:5]}"


@pytest.mark.slow
@pytest.mark.parametrize(("context", "perts", "hours"), [("plasma", ["ENPP1=ko"], 240.0),
                                                        ("plasma", ["ENPP1=ko", "ENPP1-Fc"], 72.0),
                                                        ("hek293", ["ANKH=up"], 48.0),
                                                        ("chondrocyte", ["ANKH=ko"], 24.0)])
def test_libroadrunner_time_course_matches_kg(graph, context, perts, hours):
    roadrunner = pytest.importorskip("roadrunner")
    sim = Simulator(graph, context)
    pred = sim.run(perts, readouts=[])
    times = [hours * k / 12 for k in range(13)]
    ours = integrate(pred.kinetic, pred.changes, times)
    rr = roadrunner.RoadRunner(to_text(document(state_of(sim, perts), graph)))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    states = pred.kinetic.model.states
    rr.timeCourseSelections = ["time"] + [f"[{s.name}]" if s.kind == "species" else s.name for s in states]
    theirs = rr.simulate(0.0, hours, len(times))
    for k, t in enumerate(times):
        assert theirs[k][0] == pytest.approx(t)
        for i, s in enumerate(states):
            scale = max(abs(v[i]) for v in ours) or 1.0
            assert abs(ours[k][i] - theirs[k][i + 1]) <= COURSE_RTOL * scale, (s.name, t, ours[k][i], theirs[k][i + 1])


@pytest.mark.slow
@pytest.mark.parametrize(("context", "perts"), [("plasma", []), ("plasma", ["ENPP1=ko"]), ("hek293", ["ANKH=up"])])
def test_copasi_reaches_kg_steady_states(graph, context, perts, tmp_path):
    basico = pytest.importorskip("basico")
    sim, pred, x = kg_steady(graph, context, perts)
    path = tmp_path / "model.xml"
    path.write_text(to_text(document(state_of(sim, perts), graph)), encoding="utf-8")
    dm = basico.load_model(str(path))
    try:
        assert basico.run_steadystate(model=dm) == 1  # 1: a steady state was found
        table = basico.get_species(model=dm).set_index("sbml_id")
        volumes = {c.volume: c for c in pred.kinetic.model.compartments.values()}
        assert volumes
        for i, s in enumerate(pred.kinetic.model.states):
            theirs = float(table.loc[s.name, "concentration"])
            if s.kind != "species":  # COPASI reports amount / volume for an amount species
                comp = pred.kinetic.model.compartments[s.compartment].volume
                theirs *= pred.kinetic.model.params[comp].value
            assert close(x[i], theirs, STEADY_RTOL, max(abs(pred.kinetic.base.x[i]), 1e-3)), (s.name, x[i], theirs)
    finally:
        basico.remove_datamodel(dm)


def test_kg_export_sbml_cli(kg, tmp_path):
    out = tmp_path / "m.xml"
    r = kg("export", "sbml", "ENPP1=ko", "-c", "hek293", "-o", str(out))
    assert r.exit_code == 0, r.output
    doc = libsbml.readSBMLFromString(out.read_text(encoding="utf-8"))
    assert doc.getModel().getParameter("expr__ENPP1").getValue() == 0.0
    r = kg("export", "sbml", "NOPE=ko", "-o", str(tmp_path / "x.xml"))
    assert r.exit_code == 2 and "unknown entity" in r.output
    assert not (tmp_path / "x.xml").exists()
