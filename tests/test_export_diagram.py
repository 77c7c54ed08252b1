"""Diagrams: the visual grammar from the schema, real Graphviz rendering, determinism, readability, overlay."""

from __future__ import annotations

import re
import shutil

import pytest

from kg.export.base import export
from kg.export.diagram import diagram_source
from kg.export.layout import dot_layout, problems
from kg.export.overlay import Overlay
from kg.export.select import module_members, neighbourhood, select
from kg.export.style import DIRECTION_COLOURS, STATUS_STYLES, glyph_for
from kg.schema import load_schema
from tests.conftest import require
from tests.test_export_fixtures import core_graph

HAS_DOT = shutil.which("dot") is not None


def node_attrs(source: str, node_id: str) -> str:
    m = re.search(rf'^\s*"{re.escape(node_id)}" \[(.*)\]$', source, re.M)
    assert m, f"no node line for {node_id}"
    return m.group(1)


def edge_attrs(source: str, edge_id: str) -> str:
    m = re.search(rf'-> "[^"]+" \[(id="{re.escape(edge_id)}".*)\]$', source, re.M)
    assert m, f"no edge line for {edge_id}"
    return m.group(1)


def test_glyph_shapes_come_from_the_schema_glyphs():
    g = core_graph()
    src = diagram_source(g)
    for ent in g.entities:
        glyph = glyph_for(ent.category)
        assert glyph.title != "entity", f"no drawing for glyph {load_schema().categories[ent.category].glyph}"
        assert f'shape="{glyph.shape}"' in node_attrs(src, ent.id)
    shapes = {glyph_for(c).shape + str(glyph_for(c).peripheries) for c in
              ("gene_or_protein", "small_molecule", "mineral", "process", "disease", "drug", "condition")}
    assert len(shapes) == 7  # each category of the list is told apart


def test_arrowheads_by_sign_and_mechanism_and_status_styles():
    g = core_graph()
    src = diagram_source(g)
    by_pred = {e.predicate: e for e in g.edges if not e.substrates}
    assert 'arrowhead="tee"' in edge_attrs(src, by_pred["inhibits"].id)
    assert 'arrowhead="teetee"' in edge_attrs(src, by_pred["decreases_expression_of"].id)
    assert 'arrowhead="vee"' in edge_attrs(src, by_pred["increases_expression_of"].id)
    assert 'arrowhead="normal"' in edge_attrs(src, by_pred["positively_regulates"].id)
    assert 'dir="none"' in edge_attrs(src, by_pred["binds"].id)
    transports = [e for e in g.edges if e.predicate == "transports"]
    for e in transports:
        attrs = edge_attrs(src, e.id)
        assert 'arrowhead="onormal"' in attrs
        assert f'style="{STATUS_STYLES[e.status]}"' in attrs
    assert any(e.status == "contested" for e in transports)
    assert 'style="dashed"' in edge_attrs(src, next(e for e in transports if e.status == "contested").id)
    assert 'style="dotted"' in edge_attrs(src, by_pred["positively_regulates"].id)  # a hypothesis


def test_catalysis_is_drawn_as_a_reaction_with_an_enzyme_circle():
    src = diagram_source(core_graph())
    rxn = re.findall(r'"(rxn\.[0-9a-f]+)" -> "CHEBI:29888"', src)
    assert rxn, "no reaction produces PPi"
    assert re.search(rf'"HGNC:3356" -> "{rxn[0]}" \[[^]]*arrowhead="odot"', src)
    assert f'"CHEBI:15422" -> "{rxn[0]}"' in src


def test_compartments_are_clusters_derived_from_qualifiers():
    from kg.export.style import entity_compartments

    places = entity_compartments(core_graph())
    assert places["HGNC:15492"] == "plasma_membrane"      # its own single compartment
    assert places["CHEBI:15422"] == "extracellular"        # transported there
    assert places["HGNC:3356"] == "extracellular"          # its reactions' compartment
    assert places["HGNC:11766"] is None                    # nothing says where
    src = diagram_source(core_graph())
    assert 'subgraph "cluster_plasma_membrane"' in src and 'subgraph "cluster_extracellular"' in src


def test_an_entity_whose_own_compartments_no_edge_names_sits_in_the_first_of_them(curated_graph):
    from kg.export.style import entity_compartments

    enpp1 = curated_graph.entity("HGNC:3356")
    assert set(enpp1.compartments) == {"plasma_membrane", "matrix_vesicle"}  # its reactions are extracellular
    assert entity_compartments(curated_graph)["HGNC:3356"] == "plasma_membrane"


def test_legend_lists_what_is_drawn():
    src = diagram_source(core_graph())
    assert "subgraph cluster_legend" in src
    for title in ("inhibition", "transport across a membrane", "catalysis", "contested", "hypothesis"):
        assert title in src
    assert "subgraph cluster_legend" not in diagram_source(core_graph(), legend=False)


def test_module_core_resolves_names(curated_graph):
    ids = module_members(curated_graph, "core")
    labels = {curated_graph.entity(i).label for i in ids}
    assert {"ANKH", "ATP", "ENPP1", "PPi", "Pi", "MYBBP1A"} <= labels
    assert curated_graph.resolve("TNAP").id in ids


def test_focus_depth_selects_a_neighbourhood():
    g = core_graph()
    assert neighbourhood(g, "ANKH", 0) == ["HGNC:15492"]
    one = set(neighbourhood(g, "ANKH", 1))
    assert {"HGNC:11766", "KG:hypoxia", "CHEBI:15422", "HGNC:20474"} <= one
    assert "KG:levamisole" not in one
    assert "KG:levamisole" in set(neighbourhood(g, "ANKH", 3))
    sub = select(g, focus="ANKH", depth=1)
    assert {e.id for e in sub.entities} == one


def test_unknown_focus_and_module_are_input_errors():
    from kg.errors import InputError, ResolveError

    with pytest.raises(ResolveError):
        select(core_graph(), focus="NOSUCHGENE")
    with pytest.raises(InputError, match="unknown module"):
        select(core_graph(), module="nosuch")


def test_overlay_colours_match_directions_and_title_names_the_perturbation():
    g = core_graph()
    readouts = {"CHEBI:29888": ("increase", 2.5), "KG:HA_deposition": ("decrease", 0.4),
                "CHEBI:18367": ("unchanged", 1.0), "HGNC:3356": ("ambiguous", None)}
    overlay = Overlay(("ANKH:p.P5L",), readouts)
    src = diagram_source(g, title="core", overlay=overlay)
    assert "Predicted response to ANKH:p.P5L" in src
    for eid, (direction, fold) in readouts.items():
        attrs = node_attrs(src, eid)
        assert f'fillcolor="{DIRECTION_COLOURS[direction]}"' in attrs
        assert direction in attrs
        if fold is not None:
            assert f"×{fold:.3g}" in attrs
    assert 'fillcolor="#ffffff"' in node_attrs(src, "HGNC:15492")  # not predicted: left white
    with pytest.raises(ValueError, match="direction"):
        Overlay(("x",), {"CHEBI:29888": ("up", None)})


def test_overlay_from_the_simulator(curated_graph):
    from kg.export.overlay import from_prediction

    overlay = from_prediction(curated_graph, ["ANKH:p.P5L"])
    src = diagram_source(curated_graph, overlay=overlay)
    for eid, (direction, _fold) in overlay.readouts.items():
        if eid in curated_graph:
            assert f'fillcolor="{DIRECTION_COLOURS[direction]}"' in node_attrs(src, eid)


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "dot"])
def test_rendering_is_deterministic(fmt, tmp_path):
    if fmt != "dot":
        require(HAS_DOT, "Graphviz 'dot' is not installed (Debian package graphviz)")
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export(core_graph(), "diagram", a, format=fmt, title="core")
    export(core_graph(), "diagram", b, format=fmt, title="core")
    assert a.read_bytes() == b.read_bytes()
    data = a.read_bytes()
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF", "dot": b"digraph"}[fmt]
    assert data.startswith(magic)
    if fmt == "svg":
        assert b"Generated by graphviz" not in data
        assert b'id="HGNC:15492"' in data


def _readability(graph, tmp_path):
    require(HAS_DOT, "Graphviz 'dot' is not installed (Debian package graphviz)")
    src = diagram_source(graph, title="core")
    lay = dot_layout(src)
    return lay, problems(lay)


def test_hand_built_core_diagram_is_readable(tmp_path):
    lay, found = _readability(core_graph(), tmp_path)
    assert found == []
    assert len([n for n in lay.nodes if not n.startswith(("legend.", "rxn.", "compartment."))]) == 15


def test_curated_core_diagram_is_readable(curated_graph, tmp_path):
    _lay, found = _readability(select(curated_graph, module="core"), tmp_path)
    assert found == []


def test_readability_check_can_fail():
    from kg.export.layout import Box, Layout

    lay = Layout(100, 100, nodes={"a": Box(0, 0, 20, 20), "b": Box(10, 10, 30, 30), "c": Box(50, 50, 70, 70)},
                 edges=[("a", "b", [(5.0, 5.0), (60.0, 60.0), (90.0, 90.0)])])
    found = problems(lay)
    assert "nodes overlap: a and b" in found
    assert "edge a -> b crosses node c" in found


def test_fold_labels_never_round_a_change_away():
    from kg.export.overlay import format_fold

    assert format_fold(3.034) == "3.03" and format_fold(0.5191) == "0.519"
    assert format_fold(1.0012) == "1.001" and format_fold(0.9996) == "0.9996" and format_fold(1.0) == "1"
