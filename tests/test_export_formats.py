"""Every exchange format written and read back (or validated), deterministic, on hand-built and curated graphs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.export.base import FORMATS, export, get_exporter
from kg.export.mermaid import read_triples as mermaid_triples
from kg.export.sif import read_extended, read_sif
from tests.test_export_fixtures import core_graph

READABLE = ["graphml", "gexf", "cytoscape", "cx2"]


def triples(graph):
    return sorted((e.subject, e.predicate, e.object) for e in graph.edges)


@pytest.fixture(params=["core", "curated"])
def graph(request, curated_graph):
    return core_graph() if request.param == "core" else curated_graph


@pytest.mark.parametrize("fmt", READABLE)
def test_round_trip_equal(fmt, graph, tmp_path):
    path = tmp_path / f"g{get_exporter(fmt).suffix}"
    export(graph, fmt, path, layout="grid")
    assert get_exporter(fmt).read(path) == graph


@pytest.mark.parametrize("kgx_format", ["tsv", "jsonl"])
def test_kgx_round_trip_and_biolink_columns(kgx_format, graph, tmp_path):
    written = export(graph, "kgx", tmp_path / "ankh", format=kgx_format)
    assert [p.name for p in written] == [f"ankh_nodes.{kgx_format}", f"ankh_edges.{kgx_format}"]
    assert get_exporter("kgx").read(written[0]) == graph
    if kgx_format == "jsonl":
        edges = [json.loads(line) for line in written[1].read_text(encoding="utf-8").splitlines()]
        transport = next(e for e in edges if e["original_predicate"] == "kgv:transports")
        assert transport["predicate"] == "biolink:affects"
        assert transport["object_aspect_qualifier"] == "transport"
        assert transport["publications"]


def test_sif_keeps_identifiers_and_predicates(graph, tmp_path):
    export(graph, "sif", tmp_path / "g.sif")
    assert sorted(read_sif(tmp_path / "g.sif")) == sorted(set(triples(graph)))


def test_extended_sif_keeps_sign_mechanism_status_and_evidence(graph, tmp_path):
    export(graph, "sif-extended", tmp_path / "g.txt")
    edges, nodes = read_extended(tmp_path / "g.txt")
    assert sorted(r["EDGE_ID"] for r in edges) == sorted(e.id for e in graph.edges)
    by_id = {r["EDGE_ID"]: r for r in edges}
    for e in graph.edges:
        row = by_id[e.id]
        assert (row["PARTICIPANT_A"], row["INTERACTION_TYPE"], row["PARTICIPANT_B"]) == (e.subject, e.predicate,
                                                                                          e.object)
        assert (row["SIGN"], row["MECHANISM"], row["STATUS"]) == (e.sign, e.mechanism, e.status)
        sources = {s for col in ("INTERACTION_PUBMED_ID", "INTERACTION_DATA_SOURCE")
                   for s in row[col].split(";") if s}
        assert sources == {ev.source for ev in e.evidence}
    assert {r["PARTICIPANT"] for r in nodes} == {e.id for e in graph.entities}


def test_mermaid_reads_back_as_the_same_triples(graph, tmp_path):
    export(graph, "mermaid", tmp_path / "g.mmd")
    text = (tmp_path / "g.mmd").read_text(encoding="utf-8")
    assert text.startswith("flowchart LR\n")
    assert sorted(mermaid_triples(tmp_path / "g.mmd")) == triples(graph)


def test_sbgn_validates_against_xsd_and_af_rules(graph, tmp_path):
    import libsbgnpy

    path = tmp_path / "g.sbgn"
    export(graph, "sbgn", path, layout="grid")
    assert libsbgnpy.validate_xsd(path) == []
    assert libsbgnpy.validate(path) == []
    assert libsbgnpy.validate_schematron(path) == []
    sbgn = libsbgnpy.read_sbgn_from_file(path)
    arcs = sbgn.map[0].arc
    assert len(arcs) == len(graph.edges)
    labels = {g.label.text for g in sbgn.map[0].glyph if g.label is not None}
    assert {e.label for e in graph.entities} <= labels


def test_sbgn_arcs_follow_signs_and_keep_identifiers(tmp_path):
    from lxml import etree

    g = core_graph()
    path = tmp_path / "g.sbgn"
    export(g, "sbgn", path, layout="grid")
    doc = etree.parse(str(path))
    ns = {"s": "http://sbgn.org/libsbgn/0.3", "kg": "https://w3id.org/kg-mineralization/sbgn",
          "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    for arc in doc.iterfind(".//s:arc", ns):
        meta = arc.find("s:extension/kg:edge", ns)
        expected = {"positive": "positive influence", "negative": "negative influence"}.get(
            meta.get("sign"), "unknown influence")
        if meta.get("mechanism") == "catalysis":
            assert arc.get("class") in ("positive influence", "negative influence")
        else:
            assert arc.get("class") == expected, meta.attrib
        assert g.has_edge(meta.get("id"))
    iris = {li.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}resource")
            for li in doc.iterfind(".//rdf:li", ns)}
    assert "https://identifiers.org/hgnc:15492" in iris
    assert "http://purl.uniprot.org/uniprot/Q9HCJ1" in iris


@pytest.mark.parametrize("fmt", sorted(set(FORMATS) - {"diagram", "html", "kgx"}))
def test_same_graph_same_bytes(fmt, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    export(core_graph(), fmt, a / "out", layout="grid")
    export(core_graph(), fmt, b / "out", layout="grid")
    assert (a / "out").read_bytes() == (b / "out").read_bytes()


def test_cytoscape_elements_carry_glyph_arrow_and_compartment():
    from kg.export.cytoscape import elements

    els = elements(core_graph(), layout="grid")
    nodes = {n["data"]["id"]: n["data"] for n in els["nodes"]}
    assert nodes["HGNC:15492"]["parent"] == "compartment.plasma_membrane"
    assert nodes["compartment.plasma_membrane"]["kind"] == "compartment"
    assert nodes["CHEBI:29888"]["shape"] == "ellipse"
    arrows = {e["data"]["predicate"]: e["data"]["arrow"] for e in els["edges"]}
    assert arrows["inhibits"] == "tee"
    assert arrows["transports"] == "triangle-backcurve"
    assert arrows["binds"] == "none"


def test_unknown_format_is_input_error(tmp_path):
    from kg.errors import InputError

    with pytest.raises(InputError, match="unknown export format 'png'"):
        export(core_graph(), "png", tmp_path / "x.png")
    assert list(tmp_path.iterdir()) == []


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    import kg.export.graphml as graphml

    def boom(graph, path, **_):
        Path(path).write_text("half a file", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(graphml, "EXPORTER", graphml.EXPORTER.__class__(
        "graphml", ".graphml", "", boom, None))
    with pytest.raises(RuntimeError):
        export(core_graph(), "graphml", tmp_path / "g.graphml")
    assert list(tmp_path.iterdir()) == []


def test_graphml_declares_each_key_once_and_igraph_reads_it_without_warnings(graph, tmp_path):
    import warnings

    import igraph
    from lxml import etree

    path = tmp_path / "g.graphml"
    export(graph, "graphml", path)
    keys = etree.parse(str(path)).getroot().findall("{http://graphml.graphdrawing.org/xmlns}key")
    assert len({k.get("id") for k in keys}) == len(keys)
    assert len({(k.get("for"), k.get("attr.name")) for k in keys}) == len(keys)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = igraph.Graph.Read_GraphML(str(path))
    assert [str(w.message) for w in caught] == []
    assert (g.vcount(), g.ecount()) == (len(graph.entities), len(graph.edges))
    assert sorted(g.vs["id"]) == sorted(e.id for e in graph.entities)
    assert sorted(g.vs["name"]) == sorted(e.label for e in graph.entities)


def test_cytoscape_json_carries_a_preset_layout_cytoscape_js_honours(tmp_path):
    import shutil
    import subprocess

    import kg
    from tests.conftest import require

    path = tmp_path / "g.cyjs"
    export(core_graph(), "cytoscape", path, layout="grid")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["layout"]["name"] == "preset"
    placed = {n["data"]["id"]: n["position"] for n in doc["elements"]["nodes"] if "position" in n}
    assert {e.id for e in core_graph().entities} <= set(placed)
    modules = Path(kg.__file__).parent / "export" / "web" / "node_modules"
    require(shutil.which("node") is not None and (modules / "cytoscape").is_dir(), "node and cytoscape (npm)")
    script = ("const cytoscape = require('cytoscape');"
              "const doc = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
              "const cy = cytoscape({headless: true, elements: doc.elements, layout: doc.layout});"
              "console.log(JSON.stringify(cy.nodes().map(n => [n.id(), n.position()])));")
    out = subprocess.run(["node", "-e", script, str(path)], capture_output=True, text=True, check=True,
                         env={"NODE_PATH": str(modules), "PATH": "/usr/bin:/bin"})
    drawn = dict(json.loads(out.stdout))
    for node_id, pos in placed.items():
        assert drawn[node_id] == pytest.approx(pos)


def test_cx2_has_visual_properties_for_every_category_sign_and_status(graph, tmp_path):
    path = tmp_path / "g.cx2"
    export(graph, "cx2", path, layout="grid")
    aspects = {k: v for aspect in json.loads(path.read_text(encoding="utf-8")) for k, v in aspect.items()}
    assert "visualProperties" in {m["name"] for m in aspects["metaData"]}
    (visual,) = aspects["visualProperties"]
    declared = aspects["attributeDeclarations"][0]
    for kind, mappings in (("nodes", visual["nodeMapping"]), ("edges", visual["edgeMapping"])):
        rows = [x["v"] for x in aspects[kind]]
        for mapping in mappings.values():
            attribute = mapping["definition"]["attribute"]
            assert attribute in declared[kind], attribute
            if mapping["type"] == "DISCRETE":
                mapped = {m["v"] for m in mapping["definition"]["map"]}
                assert {row[attribute] for row in rows} <= mapped, attribute
    assert set(visual["default"]) == {"network", "node", "edge"}
