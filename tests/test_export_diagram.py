"""Diagrams: the visual grammar from the schema, bands, summaries, clones and reactions, real ELK + Graphviz
rendering, determinism, overlay."""

from __future__ import annotations

import re
import shutil

import pytest

from kg.export.base import export
from kg.export.diagram import diagram_source
from kg.export.overlay import Overlay
from kg.export.select import module_members, neighbourhood, select
from kg.export.style import BAND_ORDER, DIRECTION_COLOURS, STATUS_STYLES, band_rank, glyph_for
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Parameter
from kg.schema import load_schema
from tests.conftest import require
from tests.test_export_fixtures import core_graph, ev

HAS_TOOLS = shutil.which("dot") is not None and shutil.which("node") is not None


@pytest.fixture(autouse=True)
def _tools():
    require(HAS_TOOLS, "Graphviz and node (with `npm ci` in kg/export/web) are needed for diagrams")


def node_attrs(source: str, node_id: str) -> str:
    m = re.search(rf'^\s*"{re.escape(node_id)}" \[(.*)\]$', source, re.M)
    assert m, f"no node line for {node_id}"
    return m.group(1)


def edge_attrs(source: str, edge_id: str) -> str:
    m = re.search(rf'-> "[^"]+" \[(id="{re.escape(edge_id)}".*)\]$', source, re.M)
    assert m, f"no edge line for {edge_id}"
    return m.group(1)


def centre_y(source: str, node_id: str) -> float:
    """The node's y (Graphviz's, pointing up) from its pinned position."""
    return float(re.search(r'pos="[-\d.]+,([-\d.]+)"', node_attrs(source, node_id)).group(1))


def box(source: str, node_id: str) -> tuple[float, float, float, float]:
    attrs = node_attrs(source, node_id)
    x, y = (float(v) for v in re.search(r'pos="([-\d.]+),([-\d.]+)"', attrs).groups())
    w = float(re.search(r'width="([\d.]+)"', attrs).group(1)) * 72
    h = float(re.search(r'height="([\d.]+)"', attrs).group(1)) * 72
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def test_glyph_shapes_come_from_the_schema_glyphs():
    g = core_graph()
    src = diagram_source(g, show=("disease",))
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


def test_every_edge_has_a_pinned_spline_ending_at_its_arrow_tip():
    src = diagram_source(core_graph())
    for line in re.findall(r"^\s*\"[^\"]+\" -> .*$", src, re.M):
        pos = re.search(r'pos="([^"]+)"', line).group(1)
        points = [p for p in pos.split() if not p.startswith("e,")]
        assert (len(points) - 1) % 3 == 0, f"not a cubic B-spline: {line}"
        if 'dir="none"' not in line and 'arrowhead="none"' not in line:
            assert pos.startswith("e,"), f"arrowhead without a tip: {line}"


def test_catalysis_is_drawn_as_a_reaction_with_an_enzyme_circle():
    src = diagram_source(core_graph())
    rxn = re.findall(r'"(rxn\.[0-9a-f]+)" -> "CHEBI:29888"', src)
    assert rxn, "no reaction produces PPi"
    assert re.search(rf'"HGNC:3356" -> "{rxn[0]}" \[[^]]*arrowhead="odot"', src)
    assert f'"CHEBI:15422" -> "{rxn[0]}"' in src


def test_a_transport_is_drawn_through_its_transporter_from_a_clone_where_it_starts():
    g = core_graph()
    src = diagram_source(g)
    atp = next(e for e in g.edges if e.predicate == "transports" and e.object == "CHEBI:15422")
    clone = "clone.CHEBI:15422@intracellular"
    assert f'"{clone}" -> "HGNC:15492" [id="{atp.id}.from"' in src
    assert f'"HGNC:15492" -> "CHEBI:15422" [id="{atp.id}"' in src
    # top to bottom: ATP inside, the transporter on the membrane, ATP outside
    assert centre_y(src, clone) > centre_y(src, "HGNC:15492") > centre_y(src, "CHEBI:15422")


def test_compartments_are_bands_in_a_fixed_order_and_membrane_proteins_sit_on_the_membrane(curated_graph):
    from kg.export.style import entity_compartments

    places = entity_compartments(core_graph())
    assert places["HGNC:15492"] == "plasma_membrane"      # its own single compartment
    assert places["CHEBI:15422"] == "extracellular"        # transported there
    assert places["HGNC:3356"] == "extracellular"          # its reactions' compartment
    assert places["HGNC:11766"] is None                    # nothing says where
    sub = select(curated_graph, module="core")
    src = diagram_source(sub)
    bands = re.findall(r'^\s*"band\.([a-z_]+)" \[', src, re.M)
    assert bands == sorted(bands, key=band_rank) and {"intracellular", "plasma_membrane", "extracellular"} <= set(bands)
    tops = [box(src, f"band.{b}")[3] for b in bands]
    assert tops == sorted(tops, reverse=True)  # stacked downwards in that order, without overlapping
    membrane = box(src, "band.plasma_membrane")
    for ent in sub.entities:
        if ent.compartments == ["plasma_membrane"]:
            _x0, y0, _x1, y1 = box(src, ent.id)
            assert membrane[1] <= y0 and y1 <= membrane[3], f"{ent.label} is not on the membrane"


def test_the_band_order_puts_the_cell_above_the_tissues_and_plasma():
    ranks = [band_rank(b) for b in BAND_ORDER]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert band_rank("upstream") < band_rank("nucleus") and band_rank("urine") < band_rank("outcomes")
    assert band_rank("bone") < band_rank("some_new_tissue") < band_rank("plasma")


def test_tissue_compartments_of_the_body_model_become_bands():
    g = core_graph()
    bone = Entity(id="KG:bone", category="cell_system", label="bone", symbol="bone",
                  parameters={"compartment.volume": Parameter(value=1.0, unit="L", basis="assumed", note="test")})
    mineral = Entity(id="KG:bone_min", category="process", label="bone mineralization")
    edges = [*g.edges, Edge(subject="CHEBI:18367", predicate="promotes_formation_of", object="KG:bone_min",
                            context="KG:bone", evidence=[ev()])]
    graph = KnowledgeGraph([*g.entities, bone, mineral], edges)
    src = diagram_source(graph)
    assert '"band.bone"' in src
    lo_bone, hi_bone = box(src, "band.bone")[1], box(src, "band.bone")[3]
    assert lo_bone <= centre_y(src, "KG:bone_min") <= hi_bone
    assert centre_y(src, "band.extracellular") > centre_y(src, "band.bone")  # the tissue lies below the cell


def test_unplaced_regulators_go_above_and_outcomes_below_every_band():
    src = diagram_source(core_graph())
    top = max(box(src, n)[3] for n in re.findall(r'^\s*"(band\.[a-z_]+)" \[', src, re.M))
    bottom = min(box(src, n)[1] for n in re.findall(r'^\s*"(band\.[a-z_]+)" \[', src, re.M))
    for regulator in ("HGNC:11766", "KG:hypoxia", "KG:levamisole"):
        assert box(src, regulator)[1] >= top
    for outcome in ("KG:HA_deposition", "KG:hydroxyapatite"):
        assert box(src, outcome)[3] <= bottom


def test_legend_lists_only_what_is_drawn():
    src = diagram_source(core_graph())
    for title in ("inhibition", "transport across a membrane", "catalysis", "contested", "hypothesis",
                  "gene / protein", "small molecule", "drug", "condition", "mineral", "disease"):
        assert f'label="{title}"' in src, title
    assert 'label="sequence variant"' not in src  # none drawn
    assert "legend." not in diagram_source(core_graph(), legend=False)


def test_variants_and_diseases_collapse_into_summaries_unless_shown(curated_graph):
    sub = select(curated_graph, focus="ANKH", depth=1)
    variants = [e for e in sub.entities if e.category == "sequence_variant" and e.gene == "HGNC:15492"]
    assert len(variants) >= 2
    src = diagram_source(sub)
    summary = "summary.sequence_variant.HGNC:15492"
    assert f"{len(variants)} variants of ANKH" in node_attrs(src, summary)
    assert 'penwidth="2.4"' in node_attrs(src, summary)
    for v in variants:
        assert not re.search(rf'^\s*"{re.escape(v.id)}" \[', src, re.M)
    shown = diagram_source(sub, show=("variants",))
    for v in variants:
        assert f'id="{v.id}"' in node_attrs(shown, v.id)
    hidden = diagram_source(sub, hide=("disease",))
    assert "summary.disease" not in hidden
    assert not any(f'id="{e.id}"' in hidden for e in sub.entities if e.category == "disease")


def test_unknown_categories_are_input_errors():
    from kg.errors import InputError
    from kg.export.summary import category_names

    assert category_names(["Diseases", "sequence_variant"]) == {"sequence_variant", "disease"}
    assert category_names(["variant"]) == {"sequence_variant", "transcript", "protein_region"}  # one glyph
    with pytest.raises(InputError, match="unknown category 'genez'"):
        category_names(["genez"])


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
    assert 'label="▲ predicted increase"' in src  # the legend shows the directions
    for eid, (direction, fold) in readouts.items():
        attrs = node_attrs(src, eid)
        assert f'fillcolor="{DIRECTION_COLOURS[direction]}"' in attrs
        assert direction in attrs
        if fold is not None:
            assert f"×{fold:.3g}" in attrs
    assert 'fillcolor="#ffffff"' in node_attrs(src, "HGNC:15492")  # not predicted: left white
    # PPi drawn again where ANKH takes it from: the prediction is of one pool, so the clone stays white
    assert 'fillcolor="#ffffff"' in node_attrs(src, "clone.CHEBI:29888@intracellular")
    assert "? predicted ambiguous" in src and "= predicted unchanged" in src
    only_up = diagram_source(g, overlay=Overlay(("x",), {"CHEBI:29888": ("increase", 2.0)}))
    assert "▲ predicted increase" in only_up and "predicted decrease" not in only_up  # the legend: what is drawn
    with pytest.raises(ValueError, match="direction"):
        Overlay(("x",), {"CHEBI:29888": ("up", None)})


def test_overlay_from_the_simulator(curated_graph):
    from kg.export.overlay import from_prediction

    overlay = from_prediction(curated_graph, ["ANKH:p.P5L"])
    sub = select(curated_graph, module="core")
    src = diagram_source(sub, overlay=overlay)
    for eid, (direction, _fold) in overlay.readouts.items():
        if eid in sub:
            assert f'fillcolor="{DIRECTION_COLOURS[direction]}"' in node_attrs(src, eid)


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf", "dot"])
def test_rendering_is_deterministic(fmt, tmp_path):
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


def test_fold_labels_never_round_a_change_away():
    from kg.export.overlay import format_fold

    assert format_fold(3.034) == "3.03" and format_fold(0.5191) == "0.519"
    assert format_fold(1.0012) == "1.001" and format_fold(0.9996) == "0.9996" and format_fold(1.0) == "1"


def test_hostile_labels_stay_text_in_the_svg(tmp_path):
    from lxml import etree

    from tests.hostile import LABELS, hostile_graph

    out = tmp_path / "hostile.svg"
    export(hostile_graph(), "diagram", out, format="svg", title="<script>window.kgPwned = 9</script>",
           show=("disease",))
    root = etree.fromstring(out.read_bytes())
    assert not root.xpath("//*[local-name()='script' or local-name()='foreignObject']")
    assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for label in LABELS:
        first = label.split("\n")[0].split("\r")[0].split("\u2028")[0][:12]
        assert first.strip() in texts, label
