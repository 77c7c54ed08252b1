"""Parallel-edge notes: edges from different sources that state one influence and act in one place are noted;
edges of different body compartments (or from one source) are not."""

from __future__ import annotations

from kg.graph import KnowledgeGraph
from kg.models import Edge
from kg.simulate.parallel import parallel_edge_notes
from tests.test_simulate_graphs import ANKH, ENPP1, ev, gene

BONE, ARTERY = "UBERON:0002481", "UBERON:0000415"


def edge(source: str, context: str | None = None) -> Edge:
    """ANKH -> ENPP1 stated by one loader file (the edges differ in context, so the loader keeps each)."""
    return Edge(subject=ANKH, predicate="increases_expression_of", object=ENPP1, context=context,
                evidence=[ev(source)], sources=[f"loaders/{source.replace(':', '_')}.yaml"])


def notes(*edges: Edge) -> list[str]:
    graph = KnowledgeGraph([gene(ANKH, "ANKH"), gene(ENPP1, "ENPP1")], [])
    return parallel_edge_notes(graph, list(edges))


def test_a_general_edge_and_a_compartment_edge_from_two_sources_act_together_and_are_noted():
    (note,) = notes(edge("PMID:1"), edge("PMID:2", BONE))
    assert "2 parallel 'increases_expression_of' edges from ANKH" in note and "UBERON:0002481, general" in note


def test_edges_of_two_compartments_never_act_together():
    assert notes(edge("PMID:1", BONE), edge("PMID:2", ARTERY)) == []


def test_the_largest_group_acting_in_one_place_is_counted():
    (note,) = notes(edge("PMID:1"), edge("PMID:2", BONE), edge("PMID:3", BONE), edge("PMID:4", ARTERY))
    assert "reached by 3 parallel" in note and "counts 3 times" in note
