"""The curated variant data in loaders/variants/: one file per gene, every region placed and cited, every transcript
with its dosage data stated with a basis, and the resemblance signatures computed from the graph."""

from __future__ import annotations

import pytest
import yaml

from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence
from kg.paths import loaders_dir
from kg.simulate.predict import Simulator
from kg.variants.genemodel import gene_model
from kg.variants.resemblance import rank, signatures
from tests.test_simulate_graphs import ANKH, CTX, kinetic_graph


def test_variants_are_split_by_gene():
    folder = loaders_dir() / "variants"
    files = sorted(p.stem for p in folder.glob("*.yaml"))
    assert {"ANKH", "ENPP1", "ALPL", "ABCC6", "NT5E", "SLC20A2"} <= set(files)
    assert not (loaders_dir() / "variants.yaml").exists()
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        genes = {e["gene"] for e in data["entities"] if "gene" in e}
        assert genes == {path.stem}, f"{path.name} holds only {path.stem}'s variants"


def test_every_region_is_placed_and_cited(curated_graph):
    regions = curated_graph.by_category("protein_region")
    assert len(regions) >= 2
    for r in regions:
        assert r.gene and r.variant_class and r.effects and r.evidence, r.id
        for key in ("start", "end"):
            param = r.parameters[key]
            assert param.unit == "residue" and param.source and param.note, (r.id, key)
        assert r.parameters["start"].value <= r.parameters["end"].value


def test_every_transcript_carries_dosage_data_with_its_basis(curated_graph):
    transcripts = curated_graph.by_category("transcript")
    assert {t.gene for t in transcripts} >= {curated_graph.resolve(g).id for g in
                                             ("ANKH", "ENPP1", "ALPL", "ABCC6", "NT5E", "SLC20A2")}
    for t in transcripts:
        het = t.parameters["dosage.heterozygous_null"]
        assert 0 < het.value <= 1 and het.basis in ("measured", "derived", "assumed")
        assert het.source or het.note, t.id
    alpl = gene_model(curated_graph, curated_graph.resolve("ALPL").id)
    assert alpl.protein_length == 524 and alpl.dominant_negative.value == 0.25


def test_signatures_are_computed_from_the_graphs_causes():
    """A disease enters the ranking only through a causal edge in the graph, and its signature is the simulated loss."""
    g = kinetic_graph()
    disease = Entity(id="MONDO:0000001", category="disease", label="test calcinosis")
    cause = Edge(subject=ANKH, predicate="causes", object="MONDO:0000001", evidence=[Evidence(source="PMID:1")])
    before = signatures(Simulator(g, CTX))
    with_cause = KnowledgeGraph([*g.entities, disease], [*g.edges, cause])
    sim = Simulator(with_cause, CTX)
    sigs = signatures(sim)
    assert not before and [(s.disease, s.cause, s.perturbation) for s in sigs] == [
        ("MONDO:0000001", "ANKH loss", f"{ANKH}=ko")]
    ranked = rank(sim, sim.run(["ANKH:p.D2X/p.D2X"]).readouts)
    assert ranked[0]["disease"]["id"] == "MONDO:0000001" and ranked[0]["score"] == pytest.approx(1.0)
    opposite = rank(sim, sim.run(["ANKH=up"]).readouts)
    assert opposite == []  # an opposite profile resembles nothing (no positive score)
