"""Small hand-built graphs with known answers for the simulator tests (not a test module itself)."""

from __future__ import annotations

from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence, Kinetics, Parameter


def ev(source: str = "PMID:32639996", confidence: str = "high", **kw: object) -> Evidence:
    return Evidence(source=source, confidence=confidence, **kw)


def p(value: float, unit: str = "1", basis: str = "assumed") -> Parameter:
    return Parameter(value=value, unit=unit, basis=basis, note="test value")


def gene(cid: str, label: str) -> Entity:
    return Entity(id=cid, category="gene_or_protein", label=label, symbol=label)


def small(cid: str, label: str, *syn: str) -> Entity:
    return Entity(id=cid, category="small_molecule", label=label, synonyms=list(syn))


ANKH, ENPP1, ALPL, TGFB1 = "HGNC:15492", "HGNC:3356", "HGNC:438", "HGNC:11766"
ATP, PPI, PI, CA = "CHEBI:15422", "CHEBI:18361", "CHEBI:18367", "CHEBI:29108"
HA, CPP, DRUG, CTX = "KG:ha", "KG:cpp", "KG:inhib", "KG:ctx"

# context values: ANKH releases 2 uM/h ATP; ENPP1 k=10/h; ATP clearance 10/h; PPi clearance 1/h, TNAP k=1/h
CTX_PARAMS = {
    "ANKH>ATP.vmax": 2.0, "ENPP1>ATP.k": 10.0, "ALPL>PPi.k": 1.0, "ATP.clearance": 10.0, "PPi.clearance": 1.0,
    "Pi.source": 1000.0, "Pi.clearance": 1.0, "Ca2+.concentration": 1000.0,
    "effect.up": 4.0, "effect.down": 0.25, "effect.lof": 0.5, "effect.gof": 2.0,
    "variant.increased": 2.0, "variant.decreased": 0.5,
}


GATE = "KG:gate"


def kinetic_graph(extra_params: dict[str, float] | None = None, *, feedback: bool = False,
                  gate: float | None = None) -> KnowledgeGraph:
    """ANKH -> ATP -(ENPP1)-> PPi -(ALPL)-> 2 Pi; Pi/PPi ratio sets HA and CPP; TGFB1 -> ANKH; a drug on ALPL.

    Steady state (no feedback): ATP = 2/(10+10) = 0.1; ENPP1 flux = 1; PPi = 1/(1+1) = 0.5; Pi = 1000 + 2*0.5.
    With `gate` (an exponent), TGFB1's signal to ANKH passes through a carrier GATE (`via:GATE`), a gene with no
    edge of its own: r = TGFB1 level x GATE activity^gate.
    """
    params = {**CTX_PARAMS, **(extra_params or {})}
    ents = [
        gene(ANKH, "ANKH"), gene(ENPP1, "ENPP1"), gene(ALPL, "ALPL"), gene(TGFB1, "TGFB1"),
        small(ATP, "ATP"), small(PPI, "PPi", "pyrophosphate"), small(PI, "Pi"), small(CA, "Ca2+"),
        Entity(id=HA, category="process", label="hydroxyapatite deposition", synonyms=["HA deposition"]),
        Entity(id=CPP, category="process", label="calcium pyrophosphate deposition", synonyms=["CPP deposition"]),
        Entity(id=DRUG, category="drug", label="inhibitol"),
        Entity(id=CTX, category="cell_system", label="test context", parameters={k: p(v) for k, v in params.items()}),
        Entity(id="KG:ANKH-gof", category="sequence_variant", label="ANKH p.G1X", gene=ANKH, hgvs="p.G1X",
               synonyms=["G1X"], effects=[{"kind": "activity", "direction": "increased"}]),
        Entity(id="KG:ANKH-dead", category="sequence_variant", label="ANKH p.D2X", gene=ANKH, hgvs="p.D2X",
               synonyms=["D2X"], effects=[{"kind": "activity", "direction": "lost"}]),
    ]
    cat = {"substrates": [ATP], "products": [PPI], "compartment": "extracellular"}
    tnap = {"substrates": [PPI], "products": [PI], "compartment": "extracellular"}
    ratio = {"threshold": p(100.0, "Pi/PPi")}
    edges = [
        Edge(subject=ANKH, predicate="transports", object=ATP, from_compartment="intracellular",
             to_compartment="extracellular", kinetics=Kinetics(rate_law="zero_order"), evidence=[ev()]),
        Edge(subject=ENPP1, predicate="consumes", object=ATP, **cat, kinetics=Kinetics(rate_law="mass_action"),
             evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject=ENPP1, predicate="produces", object=PPI, **cat, evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject=ALPL, predicate="consumes", object=PPI, **tnap,
             kinetics=Kinetics(rate_law="mass_action", parameters={"stoichiometry:Pi": p(2.0)}),
             evidence=[ev("PMID:20392236")]),
        Edge(subject=ALPL, predicate="produces", object=PI, **tnap, evidence=[ev("PMID:20392236")]),
        Edge(subject=PPI, predicate="inhibits_formation_of", object=HA, evidence=[ev("PMID:6315937")],
             kinetics=Kinetics(rate_law="pi_ppi_ratio", parameters={**ratio, "exponent": p(-1.0)})),
        Edge(subject=PI, predicate="promotes_formation_of", object=HA, evidence=[ev("PMID:6315937")],
             kinetics=Kinetics(rate_law="pi_ppi_ratio", parameters={**ratio, "exponent": p(1.0)})),
        Edge(subject=PPI, predicate="promotes_formation_of", object=CPP, evidence=[ev("PMID:6315937")],
             kinetics=Kinetics(rate_law="pi_ppi_ratio", parameters={"threshold": p(3.0), "exponent": p(-1.0)})),
        Edge(subject=PI, predicate="inhibits_formation_of", object=CPP, evidence=[ev("PMID:6315937")],
             kinetics=Kinetics(rate_law="pi_ppi_ratio", parameters={"threshold": p(3.0), "exponent": p(1.0)})),
        Edge(subject=CA, predicate="promotes_formation_of", object=HA, evidence=[ev("PMID:6315937")],
             kinetics=Kinetics(rate_law="proportional", parameters={"exponent": p(1.0)})),
        Edge(subject=TGFB1, predicate="increases_expression_of", object=ANKH, evidence=[ev("DOI:10.1186/ar2330")],
             kinetics=Kinetics(rate_law="hill", parameters={
                 "max_fold": p(3.0), "K": p(1.0), "n": p(1.0), **({"via:gate": p(gate)} if gate else {})})),
        Edge(subject=DRUG, predicate="inhibits", object=ALPL, evidence=[ev("PMID:6449630")],
             kinetics=Kinetics(rate_law="hill", parameters={"max_fold": p(0.1), "K": p(1.0), "n": p(1.0)})),
        Edge(subject="KG:ANKH-gof", predicate="is_variant_of", object=ANKH, evidence=[ev()]),
        Edge(subject="KG:ANKH-dead", predicate="is_variant_of", object=ANKH, evidence=[ev()]),
    ]
    if gate:
        ents.append(gene(GATE, "gate"))
    if feedback:
        edges.append(Edge(subject=PPI, predicate="decreases_expression_of", object=ENPP1,
                          evidence=[ev("PMID:15039209")],
                          kinetics=Kinetics(rate_law="hill",
                                            parameters={"max_fold": p(0.5), "K": p(1.0), "n": p(1.0)})))
    return KnowledgeGraph(ents, edges)


def signed_graph() -> KnowledgeGraph:
    """A -> B -| C -> D, A -| D (both reach D in 2 vs 3 steps), B -> E, F -| E, F -> E (ambiguous from F),
    C -> B (a feedback loop that must not make B ambiguous from A), X contested -| D."""
    names = "ABCDEFX"
    ents = [gene(f"KG:{n}", n) for n in names]

    def e(s: str, pred: str, o: str, status: str = "established", conf: str = "high") -> Edge:
        return Edge(subject=f"KG:{s}", predicate=pred, object=f"KG:{o}", status=status,
                    evidence=[ev(f"PMID:{1000 + ord(s) * 10 + ord(o)}", confidence=conf, status=status)])

    edges = [
        e("A", "positively_regulates", "B"), e("B", "negatively_regulates", "C"), e("C", "positively_regulates", "D"),
        e("A", "negatively_regulates", "D", conf="low"), e("B", "positively_regulates", "E"),
        e("F", "negatively_regulates", "E"), e("F", "increases_expression_of", "E"),
        e("C", "positively_regulates", "B"), e("X", "negatively_regulates", "D", status="contested"),
        Edge(subject="KG:A", predicate="binds", object="KG:F", evidence=[ev()]),
    ]
    return KnowledgeGraph(ents, edges)


def test_hand_built_graphs_are_valid_and_resolvable():
    g = kinetic_graph()
    assert g.resolve("pyrophosphate").id == PPI
    assert g.resolve("HA deposition").id == HA
    assert [v.id for v in g.variants_of(ANKH)] == ["KG:ANKH-dead", "KG:ANKH-gof"]
    s = signed_graph()
    assert len(s.edges) == 10
