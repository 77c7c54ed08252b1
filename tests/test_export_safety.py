"""Outputs that are safe to open: hostile labels (formulas, script and comment openers, line breaks) in every
text format kg writes come out neutralised or escaped, and still read back as the same graph."""

from __future__ import annotations

import csv

from kg.export.base import export, get_exporter
from kg.export.mermaid import read_triples as mermaid_triples
from kg.export.sif import read_extended
from tests.conftest import require
from tests.hostile import FORMULAS, formula_cells, hostile_graph


def _cells(path, delimiter="\t"):
    with path.open(encoding="utf-8", newline="") as fh:
        return [c for row in csv.reader(fh, delimiter=delimiter) for c in row]


def test_kgx_tsv_has_no_formula_cell_and_reads_back(tmp_path):
    graph = hostile_graph()
    nodes, edges = export(graph, "kgx", tmp_path / "h", format="tsv")
    cells = _cells(nodes) + _cells(edges)
    assert formula_cells(cells) == []
    assert "'" + FORMULAS[0] in cells
    assert get_exporter("kgx").read(nodes) == graph


def test_extended_sif_has_no_formula_cell_and_keeps_labels(tmp_path):
    graph = hostile_graph()
    export(graph, "sif-extended", tmp_path / "h.txt")
    assert formula_cells(_cells(tmp_path / "h.txt")) == []
    _, nodes = read_extended(tmp_path / "h.txt")
    assert {r["PARTICIPANT"]: r["PARTICIPANT_NAME"] for r in nodes} == {e.id: e.label for e in graph.entities}


def test_mermaid_with_hostile_labels_parses_in_real_mermaid_and_draws_them_as_text(tmp_path):
    """Mermaid 11 itself (mermaidx runs mermaid.js offline in QuickJS) parses the file and draws each hostile
    label as text: a raw line break would end the statement, a quote the string, and `<script>` would be markup."""
    import html
    import re

    try:
        import mermaidx
    except ImportError:
        mermaidx = None
    require(mermaidx is not None, "mermaidx is not installed (a dev dependency: pip install -e '.[dev]')")
    graph = hostile_graph()
    export(graph, "mermaid", tmp_path / "h.mmd")
    svg = mermaidx.render((tmp_path / "h.mmd").read_text(encoding="utf-8")).svg()
    assert "<script" not in svg and "<img" not in svg and "<!--" not in svg
    drawn = [" ".join(html.unescape(re.sub(r"<[^>]+>", "", m)).split())
             for m in re.findall(r'class="nodeLabel"[^>]*>(.*?)</span>', svg, re.S)]
    assert sorted(drawn) == sorted(" ".join(e.label.split()) for e in graph.entities)
    assert sorted(mermaid_triples(tmp_path / "h.mmd")) == sorted((e.subject, e.predicate, e.object)
                                                                  for e in graph.edges)
