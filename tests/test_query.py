"""networkx query functions on a hand-built graph with known answers."""

from kg.query import citing, contested, disease_genes, interactions, neighbors, paths, regulators


def test_interactions_filtered(tiny_graph):
    ankh = tiny_graph.resolve("ANKH").id
    rows = interactions(tiny_graph, ankh)
    assert {(r["subject_label"], r["predicate"], r["object_label"]) for r in rows} == {
        ("ANKH", "transports", "ATP"), ("TGF-β1", "increases_expression_of", "ANKH")}
    assert sorted(r["predicate"] for r in interactions(tiny_graph, sign="negative")) == [
        "consumes", "inhibits_formation_of"]
    assert interactions(tiny_graph, species="rat")[0]["subject_label"] == "TGF-β1"
    assert interactions(tiny_graph, mechanism="catalysis", predicate="produces")[0]["object_label"] == "PPi"


def test_regulators_are_signed_edges_into_the_target(tiny_graph):
    rows = regulators(tiny_graph, tiny_graph.resolve("PPi").id)
    assert [(r["regulator_label"], r["sign"]) for r in rows] == [("ENPP1", "positive")]


def test_neighbors_by_depth_ignore_direction(tiny_graph):
    ankh = tiny_graph.resolve("ANKH").id
    assert {r["label"] for r in neighbors(tiny_graph, ankh, 1)} == {"ATP", "TGF-β1"}
    two = neighbors(tiny_graph, ankh, 2)
    assert {r["label"]: r["distance"] for r in two}["ENPP1"] == 2


def test_signed_paths_multiply_signs_and_never_revisit(tiny_graph):
    g = tiny_graph
    rows = paths(g, g.resolve("TGFB1").id, g.resolve("ATP").id, max_length=3, signed=True)
    assert [(r["labels"], r["sign"]) for r in rows] == [(["TGF-β1", "ANKH", "ATP"], "positive")]
    rows = paths(g, g.resolve("ENPP1").id, g.resolve("HA deposition").id, signed=True)
    assert [(r["labels"], r["sign"]) for r in rows] == [(["ENPP1", "PPi", "hydroxyapatite deposition"],
                                                         "negative")]
    assert paths(g, g.resolve("TGFB1").id, g.resolve("PPi").id, max_length=2) == []


def test_contested_citing_and_disease_genes(tiny_graph):
    assert contested(tiny_graph) == []
    assert {r["kind"] for r in citing(tiny_graph, "DOI:10.1038/ng1221")} == {"edge"}
    assert len(citing(tiny_graph, "DOI:10.1038/ng1221")) == 2
    assert disease_genes(tiny_graph, tiny_graph.resolve("ANKH").id) == []


def test_graph_typed_queries(tiny_graph):
    g = tiny_graph
    ankh, ppi, tgfb1 = (g.resolve(n).id for n in ("ANKH", "PPi", "TGFB1"))
    assert [e.predicate for e in g.targets(ankh)] == ["transports"]
    assert [g.entity(e.subject).label for e in g.regulators(ankh)] == ["TGF-β1"]
    assert g.neighbors(ankh) == {"CHEBI:15422": 1, "HGNC:11766": 1}
    assert g.shortest_path(tgfb1, g.resolve("ATP").id) == [tgfb1, ankh, "CHEBI:15422"]
    assert g.shortest_path(tgfb1, ppi, directed=False)[-1] == ppi
    [(sign, edges)] = g.signed_paths(g.resolve("ENPP1").id, g.resolve("HA deposition").id)
    assert sign == -1 and [e.predicate for e in edges] == ["produces", "inhibits_formation_of"]
    sub = g.subgraph([ankh, tgfb1])
    assert len(sub) == 2 and len(sub.edges) == 1
