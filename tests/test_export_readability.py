"""What a reader sees, measured on the rendered SVG: no overlapping labels, no edge through a label or a node it
does not connect, every edge's arrowhead and number drawn, a bounded aspect ratio -- for the core module and for
every core actor's neighbourhood at depth 1 and 2 -- and the paper options (width, legible text, vector PDF,
caption)."""

from __future__ import annotations

import re
import shutil

import pytest

from kg.export.diagram import parse_width, render
from kg.export.dot import dot_source
from kg.export.figure import LEGIBLE_PT, MAX_ASPECT, compose
from kg.export.readability import expectations, parse_svg, problems
from kg.export.select import module_members, select
from tests.conftest import require
from tests.test_export_fixtures import core_graph

HAS_TOOLS = shutil.which("dot") is not None and shutil.which("node") is not None


@pytest.fixture(autouse=True)
def _tools():
    require(HAS_TOOLS, "Graphviz and node (with `npm ci` in kg/export/web) are needed for diagrams")


def svg_problems(graph, **options):
    fig = compose(graph, title="test", numbers=True, **options)
    drawing = parse_svg(render(dot_source(fig), "svg"))
    return fig, drawing, problems(drawing, max_aspect=MAX_ASPECT, expected=expectations(fig))


def test_the_check_finds_overlaps_crossings_missing_arrowheads_and_labels():
    svg = b"""<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="100pt"
    viewBox="0.00 0.00 400.00 100.00"><g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(0 100)">
    <g id="a" class="node"><title>a</title><polygon points="0,-100 60,-100 60,-70 0,-70"/>
      <text text-anchor="middle" x="30" y="-80" font-size="12">alpha</text></g>
    <g id="b" class="node"><title>b</title><polygon points="40,-100 100,-100 100,-70 40,-70"/>
      <text text-anchor="middle" x="45" y="-80" font-size="12">beta</text></g>
    <g id="c" class="node"><title>c</title><polygon points="200,-60 260,-60 260,-30 200,-30"/>
      <text text-anchor="middle" x="230" y="-40" font-size="12">gamma</text></g>
    <g id="e1" class="edge"><title>a&#45;&gt;b</title><path d="M150,-45C180,-45 280,-45 300,-45"/></g>
    </g></svg>"""
    found = problems(parse_svg(svg), max_aspect=3.0, expected={"e1": (True, "7"), "e2": (False, None)})
    text = "\n".join(found)
    assert "aspect ratio 4.00:1 is above 3:1" in text
    assert "labels overlap: 'alpha' (a) and 'beta' (b)" in text
    assert "edge e1 crosses the label 'gamma' (c)" in text
    assert "edge e1 crosses node c" in text
    assert "edge e1 has no arrowhead" in text
    assert "edge e1 lacks its label '7'" in text
    assert "edge e2 is not drawn" in text


def test_hand_built_core_reads_cleanly():
    fig, drawing, found = svg_problems(core_graph())
    assert found == []
    assert len(drawing.edges) == len(fig.scene.links)
    assert sum(1 for lk in fig.scene.links if lk.number) == len(drawing.edge_labels)


@pytest.fixture(scope="module")
def focus_cases(curated_graph):
    return [("module core", select(curated_graph, module="core"))] + [
        (f"{curated_graph.entity(a).label} depth {d}", select(curated_graph, focus=a, depth=d))
        for a in module_members(curated_graph, "core") for d in (1, 2)]


def test_core_module_and_every_core_actor_at_depth_1_and_2_read_cleanly(focus_cases):
    report = {}
    for name, graph in focus_cases:
        _fig, drawing, found = svg_problems(graph)
        if found or drawing.aspect > MAX_ASPECT:
            report[name] = found
    assert report == {}


def test_width_scales_to_the_printed_size_with_legible_text(curated_graph, tmp_path):
    from kg.export.base import export

    assert parse_width("89mm") == pytest.approx(252.28, abs=0.01)
    assert parse_width("3.5in") == parse_width("3.5") == 252.0
    assert parse_width("18 cm") == pytest.approx(510.24, abs=0.01)
    out = tmp_path / "core.svg"
    export(select(curated_graph, module="core"), "diagram", out, format="svg", width="180mm")
    text = out.read_text(encoding="utf-8")
    assert re.search(r'<svg width="510pt"', text), text[:600]
    drawn = float(re.search(r'font-size="([\d.]+)"[^>]*>ANKH</text>', text).group(1))
    fig = compose(select(curated_graph, module="core"), width_pt=parse_width("180mm"))
    assert drawn == pytest.approx(fig.font_at(parse_width("180mm")), rel=0.02)
    assert drawn >= LEGIBLE_PT


def test_too_narrow_a_width_warns(curated_graph, caplog):
    import logging

    with caplog.at_level(logging.WARNING):
        fig = compose(select(curated_graph, focus="ANKH", depth=2), width_pt=parse_width("40mm"))
    assert fig.font_at(parse_width("40mm")) < LEGIBLE_PT
    assert "give a larger --width" in caplog.text


@pytest.mark.parametrize("bad", ["wide", "89 furlongs", "0.1in", "100in"])
def test_bad_widths_are_input_errors(bad):
    from kg.errors import InputError

    with pytest.raises(InputError, match="--width"):
        parse_width(bad)


def test_pdf_is_vector_with_real_text(tmp_path):
    from kg.export.base import export

    out = tmp_path / "core.pdf"
    export(core_graph(), "diagram", out, format="pdf", width="89mm")
    data = out.read_bytes()
    assert b"/FontFile" in data and b"/ToUnicode" in data  # embedded fonts, text that can be copied
    assert b"/Image" not in data  # no raster anywhere


def test_the_caption_cites_every_edge_and_the_numbers_match_the_picture(curated_graph, tmp_path):
    from kg.export.base import export
    from kg.export.summary import summarize

    graph = select(curated_graph, focus="ANKH", depth=1)
    out = tmp_path / "ankh.svg"
    written = export(graph, "diagram", out, format="svg", caption=True, title="ANKH")
    assert [p.name for p in written] == ["ankh.svg", "ankh.caption.md"]
    caption = (tmp_path / "ankh.caption.md").read_text(encoding="utf-8")
    fig = compose(graph, title="ANKH", numbers=True)
    numbered = {n: [e.id for e in edges] for n, edges in fig.scene.statements.items()}
    items = dict(re.findall(r"^(\d+)\. (.*)$", caption, re.M))
    assert sorted(map(int, items)) == sorted(numbered)
    _drawn, members = summarize(graph)
    inside = {e.id for e in graph.edges if e.subject in members and members[e.subject] is members.get(e.object)}
    assert {e for ids in numbered.values() for e in ids} == {e.id for e in graph.edges} - inside
    for number, ids in numbered.items():
        for eid in ids:
            for ev in graph.edge(eid).evidence:
                assert ev.source in items[str(number)], (number, eid, ev.source)
    labels = parse_svg(out.read_bytes()).edge_labels
    assert sorted(int(v) for v in labels.values()) == sorted(numbered)
