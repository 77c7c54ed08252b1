"""The offline page: self-contained, and checked in a real headless Chromium (skips locally without one)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from kg.export.base import export
from kg.export.html import LIBRARY, WEB_DIR, render
from kg.export.overlay import Overlay
from tests.conftest import require
from tests.hostile import LABELS, hostile_graph
from tests.test_export_fixtures import core_graph

CHROMIUM = "/usr/bin/chromium"
PLAYWRIGHT = WEB_DIR / "node_modules" / "playwright-core"


def need_library():
    require(LIBRARY.is_file(), f"Cytoscape.js is not installed: run `npm ci` in {WEB_DIR} (make install)")


def test_page_is_self_contained(tmp_path):
    need_library()
    export(core_graph(), "html", tmp_path / "p.html", layout="grid", title="core")
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text)
    assert not re.search(r"<link[^>]+href=", text)
    assert "cytoscape" in text and text.count("</script>") == 3
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text,
                                re.S).group(1))
    assert {n["data"]["id"] for n in data["elements"]["nodes"] if n["data"]["kind"] == "entity"} == \
        {e.id for e in core_graph().entities}


def test_missing_library_is_a_clear_error(monkeypatch, tmp_path):
    from kg.errors import KgError

    monkeypatch.setenv("KG_CYTOSCAPE_JS", str(tmp_path / "nothing.js"))
    with pytest.raises(KgError, match="npm ci"):
        render(core_graph())


def test_script_text_cannot_close_or_hide_the_script_element():
    need_library()
    graph = hostile_graph()
    text = render(graph, layout="grid", title="</title><script>window.kgPwned = 4</script>")
    data_block = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S).group(1)
    for opener in ("<", ">", "&", "\u2028", "\u2029"):
        assert opener not in data_block
    labels = {n["data"]["id"]: n["data"]["name"] for n in json.loads(data_block)["elements"]["nodes"]
              if n["data"]["kind"] == "entity"}
    assert labels == {e.id: e.label for e in graph.entities}  # the same strings, once parsed
    assert text.count("<script") == 3  # the page's own three: nothing a label or the title holds


def test_inlined_code_that_could_end_its_element_is_refused(monkeypatch, tmp_path):
    from kg.errors import KgError

    library = tmp_path / "cytoscape.min.js"
    library.write_text("var s = '<!--<script>';", encoding="utf-8")
    monkeypatch.setenv("KG_CYTOSCAPE_JS", str(library))
    with pytest.raises(KgError, match="would end or hide"):
        render(core_graph())


def run_browser(page, tmp_path, query="ANKH"):
    require(shutil.which("chromium") is not None or shutil.which(CHROMIUM) is not None,
            "Debian's chromium is not installed (apt-get install chromium; make install does)")
    require(shutil.which("node") is not None, "node is not installed")
    require(PLAYWRIGHT.is_dir(), f"playwright-core is not installed: run `npm ci` in {WEB_DIR}")
    proc = subprocess.run(["node", str(WEB_DIR / "check_page.mjs"), str(page), str(tmp_path / "shot.png"),
                           str(tmp_path / "profile"), query], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().split("\n")[-1])  # not splitlines(): labels may hold U+2028


@pytest.mark.browser
def test_page_in_headless_chromium(curated_graph, tmp_path):
    need_library()
    page = tmp_path / "ankh.html"
    export(curated_graph, "html", page, title="kg")
    result = run_browser(page, tmp_path)
    assert result["console_errors"] == [] and result["page_errors"] == []
    assert result["external_requests"] == []          # offline: nothing but the file itself
    assert result["nodes"] == len(curated_graph) and result["edges"] == len(curated_graph.edges)
    assert result["ink_pixels"] > 0.01 * result["pixels"]  # the graph is drawn, not a blank canvas
    assert result["card_title"] == "ANKH"
    assert curated_graph.resolve("ANKH").id in result["selected"]
    assert any(link.startswith("https://pubmed.ncbi.nlm.nih.gov/") for link in result["card_links"])
    negative = sum(1 for e in curated_graph.edges if e.sign == "negative")
    assert result["negative_edges"] == negative
    assert result["visible_edges_without_negative"] == len(curated_graph.edges) - negative


@pytest.mark.browser
def test_overlay_in_headless_chromium(tmp_path):
    need_library()
    from kg.export.style import DIRECTION_COLOURS

    readouts = {"CHEBI:29888": ("increase", 2.0), "KG:HA_deposition": ("decrease", 0.5)}
    page = tmp_path / "core.html"
    export(core_graph(), "html", page, overlay=Overlay(("ANKH:p.P5L",), readouts), title="core")
    result = run_browser(page, tmp_path, query="pyrophosphate")
    assert result["console_errors"] == [] and result["page_errors"] == []
    assert result["card_title"] == "PPi"
    assert "ANKH:p.P5L" in result["overlay_title"]

    def rgb(hex_colour):
        return "rgb({},{},{})".format(*(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)))

    assert result["overlay_fills"] == {k: rgb(DIRECTION_COLOURS[d]) for k, (d, _) in readouts.items()}


@pytest.mark.browser
def test_page_with_hostile_labels_draws_and_runs_no_script(tmp_path):
    """Labels that end or comment out a script block, open tags and break lines: the page draws every entity
    with its label as text, the card shows hostile text as text, and none of the labels' scripts ran."""
    need_library()
    graph = hostile_graph()
    page = tmp_path / "hostile.html"
    export(graph, "html", page, layout="grid", title="<!--<script>window.kgPwned = 5</script>")
    result = run_browser(page, tmp_path, query="ANKH")
    assert result["page_errors"] == [] and result["console_errors"] == [] and result["dialogs"] == []
    assert result["pwned"] is None and result["pwned_after_card"] is None
    assert result["scripts"] == 3 and result["images"] == 0
    assert result["nodes"] == len(graph) and result["edges"] == len(graph.edges)
    assert result["ink_pixels"] > 0.01 * result["pixels"]
    assert sorted(result["labels"]) == sorted(e.label for e in graph.entities)
    assert set(LABELS) <= set(result["labels"])
    assert result["card_title"] == "ANKH" and "</script>" in result["card_text"]
