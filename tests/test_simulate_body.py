"""The body model on a hand-built two-compartment graph with an analytic steady state: a tissue exchanging PPi
with plasma, filtration and outflow, enzymes acting only where a compartment declares their capacity; and the rules
a compartment's parameters must follow (transfers on the tissue side, keys naming entities and kinetic edges),
and `NAME@COMPARTMENT` in perturbations and readouts."""

from __future__ import annotations

import pytest

from kg.errors import InputError, KgError
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Kinetics
from kg.simulate import Simulator, predict
from tests.test_simulate_graphs import ATP, ENPP1, PPI, ev, gene, p, small

PLASMA, TISSUE, URINE = "KG:plasma-t", "KG:tissue-t", "KG:urine-t"
EFFECTS = {"effect.up": 4.0, "effect.down": 0.25, "effect.lof": 0.5, "effect.gof": 2.0}


def body_graph(plasma: dict[str, float] | None = None, tissue: dict[str, float] | None = None,
               urine: dict[str, float] | None = None) -> KnowledgeGraph:
    """Plasma (1 L, PPi clearance 1/h), a tissue (0.5 L) making PPi from ATP by ENPP1 (ATP source 2 uM/h,
    k 10/h, ATP clearance 10/h) and exchanging PPi with plasma (4/h), and urine (0.1 L) filtering plasma PPi at
    0.5 L/h and passing it out at 0.5 L/h.

    Tissue: ATP = 2/(10+10) = 0.1, ENPP1 makes 1 uM/h. Plasma balance: 0.5 L x 1 uM/h = (1 L x 1/h + 0.5 L/h) Pp
    -> Pp = 1/3; tissue: 4 (Pt - Pp) = 1 -> Pt = 7/12; urine: 0.5 Pp = 0.5 Pu -> Pu = Pp."""
    def ctx(cid: str, symbol: str, values: dict[str, float]) -> Entity:
        return Entity(id=cid, category="cell_system", label=f"{symbol} compartment", symbol=symbol,
                      parameters={k: p(v) for k, v in values.items()})

    ents = [
        gene(ENPP1, "ENPP1"), small(ATP, "ATP"), small(PPI, "PPi"),
        ctx(PLASMA, "plasma", {"compartment.volume": 1.0, "PPi.clearance": 1.0, **EFFECTS, **(plasma or {})}),
        ctx(TISSUE, "tissue", {"compartment.volume": 0.5, "ATP.source": 2.0, "ATP.clearance": 10.0,
                               "ENPP1>ATP.k": 10.0, "PPi.exchange": 4.0, **(tissue or {})}),
        ctx(URINE, "urine", {"compartment.volume": 0.1, "PPi.filtration": 0.5, "PPi.outflow": 0.5,
                             **(urine or {})}),
    ]
    cat = {"substrates": [ATP], "products": [PPI], "compartment": "extracellular"}
    edges = [
        Edge(subject=ENPP1, predicate="consumes", object=ATP, **cat, kinetics=Kinetics(rate_law="mass_action"),
             evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject=ENPP1, predicate="produces", object=PPI, **cat, evidence=[ev("DOI:10.1038/ng1221")]),
    ]
    return KnowledgeGraph(ents, edges)


def test_exchange_filtration_and_outflow_give_the_analytic_steady_state():
    sim = Simulator(body_graph(), "plasma")
    got = {r: sim.run(["ENPP1=1"], readouts=[r]).readouts[0]["baseline"]
           for r in ("PPi@plasma", "PPi@tissue", "PPi@urine", "ATP@tissue")}
    assert got["PPi@plasma"] == pytest.approx(1 / 3, rel=1e-8)
    assert got["PPi@tissue"] == pytest.approx(7 / 12, rel=1e-8)
    assert got["PPi@urine"] == pytest.approx(1 / 3, rel=1e-8)
    assert got["ATP@tissue"] == pytest.approx(0.1, rel=1e-8)


def test_an_enzyme_acts_only_where_a_compartment_declares_its_capacity():
    sim = Simulator(body_graph(), "tissue")
    assert set(sim.model().model.compartments) == {"plasma", "tissue", "urine"}
    assert ("HGNC:3356", "tissue") in sim.model().model.readouts
    assert ("HGNC:3356", "plasma") not in sim.model().model.readouts  # plasma declares no ENPP1 capacity
    ko = sim.run(["ENPP1=ko"], readouts=["PPi", "PPi@plasma"]).readouts
    assert [r["compartment"] for r in ko] == ["tissue", "plasma"]  # unqualified: the context's own compartment
    assert all(r["perturbed"] == pytest.approx(0.0, abs=1e-9) for r in ko)


def test_a_transfer_declared_on_plasma_is_an_error():
    with pytest.raises(KgError, match=r"'PPi.exchange' is declared on plasma; transfers are declared on the "
                                      r"compartment that exchanges with plasma"):
        predict(body_graph(plasma={"PPi.exchange": 1.0}), ["ENPP1=ko"])


def test_a_compartment_key_naming_an_unknown_entity_or_no_kinetic_edge_is_an_error():
    with pytest.raises(KgError, match=r"context 'tissue': parameter 'Nothing.exchange' names an unknown entity"):
        predict(body_graph(tissue={"Nothing.exchange": 1.0}), ["ENPP1=ko"])
    with pytest.raises(KgError, match=r"context 'tissue' declares parameters for ENPP1>PPi, but no kinetic edge "
                                      r"links them"):
        predict(body_graph(tissue={"ENPP1>PPi.k": 1.0}), ["ENPP1=ko"])


@pytest.mark.parametrize(("perts", "readouts", "message"), [
    (["PPi@liver=up"], None, "unknown compartment 'liver' in 'PPi@liver=up'; context 'plasma' has: plasma, tissue, "
                             "urine"),
    (["ENPP1=ko"], ["PPi@liver"], "unknown compartment 'liver' in 'PPi@liver'"),
    (["ATP@plasma=up"], None, "the model holds ATP in tissue, not in plasma"),
    (["ENPP1=ko"], ["ATP@urine"], "'ATP@urine': the model holds ATP in tissue, not in urine"),
])
def test_name_at_compartment_errors_name_the_known_places(perts, readouts, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Simulator(body_graph(), "plasma").run(perts, readouts=readouts)


def test_a_species_perturbed_in_one_compartment_is_clamped_there_only():
    pred = Simulator(body_graph(), "plasma").run(["PPi@tissue=2"], readouts=["PPi@tissue", "PPi@plasma"])
    tissue, plasma = pred.readouts
    assert tissue["fold_change"] == pytest.approx(2.0, rel=1e-8)
    # plasma balance with the tissue held at 7/6: 4 x 0.5 (7/6 - Pp) = 1.5 Pp -> Pp = (7/3) / 3.5 = 2/3
    assert plasma["perturbed"] == pytest.approx(2 / 3, rel=1e-7)
    assert (tissue["layer"], plasma["layer"]) == ("input", "kinetic")  # set in the tissue, a consequence in plasma
