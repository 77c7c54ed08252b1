"""The focus selection (kg.export.select) leaves the variants near a focus out unless asked, and keeps a focused
variant itself."""

from __future__ import annotations

from kg.export.select import select


def categories(graph) -> set[str]:
    return {e.category for e in graph.entities}


def test_a_focus_neighbourhood_leaves_variants_out_by_default(curated_graph):
    plain = select(curated_graph, focus="ANKH", depth=1)
    shown = select(curated_graph, focus="ANKH", depth=1, show_variants=True)
    assert "sequence_variant" not in categories(plain) and "sequence_variant" in categories(shown)
    variants = {e.id for e in shown.entities if e.category == "sequence_variant"}
    assert {e.id for e in plain.entities} == {e.id for e in shown.entities} - variants
    assert "KG:ANKH-p.P5L" in variants


def test_a_focused_variant_is_kept(curated_graph):
    ids = {e.id for e in select(curated_graph, focus="KG:ANKH-p.P5L", depth=1).entities}
    assert "KG:ANKH-p.P5L" in ids and "HGNC:15492" in ids


def test_module_pictures_are_unchanged(curated_graph):
    assert {e.id for e in select(curated_graph, module="core").entities} == {
        e.id for e in select(curated_graph, module="core", show_variants=True).entities}
