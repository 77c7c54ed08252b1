"""SBML-qual export of the signed layer: valid under libsbml, one species per entity of the signed network, one
transition per regulated entity whose inputs carry the graph's signs and publications."""

from __future__ import annotations

import pytest

from kg.export.sbml import problems
from kg.export.sbml_qual import document, steps_of
from kg.simulate.lite import load_lite
from kg.simulate.predict import Simulator

libsbml = pytest.importorskip("libsbml")


@pytest.fixture(scope="module")
def graph(kg):
    return load_lite(kg.build_dir)


def test_the_signed_layer_as_a_valid_logical_model(graph):
    steps = steps_of(Simulator(graph, "plasma"))
    doc = document(graph, steps, "test")
    errors, _warnings = problems(doc)
    assert errors == []
    qual = doc.getModel().getPlugin("qual")
    species = {qual.getQualitativeSpecies(i).getId() for i in range(qual.getNumQualitativeSpecies())}
    assert len(species) == len({s.source for s in steps} | {s.target for s in steps})
    targets = {s.target for s in steps}
    assert qual.getNumTransitions() == len(targets)
    signs = {}
    for i in range(qual.getNumTransitions()):
        t = qual.getTransition(i)
        out = t.getOutput(0).getQualitativeSpecies()
        for j in range(t.getNumInputs()):
            signs[(t.getInput(j).getQualitativeSpecies(), out)] = t.getInput(j).getSign()
        assert t.getNumFunctionTerms() == 1 and t.getDefaultTerm().getResultLevel() == 0
    # ENPP1 makes PPi (+), PPi inhibits hydroxyapatite deposition (-): as the graph says
    enpp1, ppi = "HGNC_3356", "CHEBI_18361"
    assert signs[(enpp1, ppi)] == libsbml.INPUT_SIGN_POSITIVE
    ha = next(s.target for s in steps if s.source == "CHEBI:18361" and s.sign < 0)
    assert signs[(ppi, ha.replace(":", "_"))] == libsbml.INPUT_SIGN_NEGATIVE
    text = libsbml.writeSBMLToString(doc)
    assert "https://identifiers.org/hgnc:3356" in text and "https://identifiers.org/pubmed:" in text


def test_the_command(kg, tmp_path):
    out = tmp_path / "q.sbml"
    r = kg("export", "sbml-qual", "-o", str(out), "-c", "chondrocyte")
    assert r.exit_code == 0, r.output
    doc = libsbml.readSBMLFromFile(str(out))
    assert doc.getPackageRequired("qual") and doc.getModel().getPlugin("qual").getNumTransitions() > 10
