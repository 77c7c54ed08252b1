"""A focus selection (kg.export.select) keeps the gene features near a focus, which the drawing collapses into
one summary node per gene unless shown (kg.export.summary), and keeps a focused variant itself."""

from __future__ import annotations

from kg.export.select import select
from kg.export.summary import COLLAPSED_BY_DEFAULT, category_names


def test_a_focus_neighbourhood_keeps_the_variants_for_the_summary(curated_graph):
    ids = {e.id for e in select(curated_graph, focus="ANKH", depth=1).entities}
    assert "KG:ANKH-p.P5L" in ids


def test_gene_features_collapse_by_default_and_show_as_variants():
    features = {"sequence_variant", "transcript", "protein_region"}
    assert features <= set(COLLAPSED_BY_DEFAULT)
    assert category_names(["variants"]) == features  # `--show variants` draws all of a gene's features


def test_a_focused_variant_is_kept(curated_graph):
    ids = {e.id for e in select(curated_graph, focus="KG:ANKH-p.P5L", depth=1).entities}
    assert "KG:ANKH-p.P5L" in ids and "HGNC:15492" in ids
