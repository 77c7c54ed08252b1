"""KGX files through the real kgx (validator and transform, offline on the packaged Biolink Model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.cells import is_formula_like
from kg.export.base import export, get_exporter
from kg.export.kgx import decode_text, edge_row, encode_text, shared_keys
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence, Kinetics, Parameter
from tests.hostile import FORMULAS, hostile_graph
from tests.standards import kgx_transform, kgx_validate

pytestmark = pytest.mark.slow


def awkward_graph() -> KnowledgeGraph:
    """Values kgx would change: `|`, tabs, line breaks, quotes, backslashes, empty text, unsorted lists, and two
    edges with the same subject, Biolink predicate and object."""
    nasty = 'a|b\tc\nd "quoted" back\\slash \\" end\\'
    ents = [
        Entity(id="HGNC:15492", category="gene_or_protein", label="ANKH", symbol="ANKH", taxon="human",
               synonyms=["zeta", "ANK", "ANK", nasty, '"starts quoted'], xrefs=["NCBIGene:56172", "OMIM:605145"],
               description=nasty, compartments=["plasma_membrane", "intracellular"]),
        Entity(id="CHEBI:29888", category="small_molecule", label="PPi", taxon="in_vitro",
               parameters={"p|q": Parameter(value=1.5, unit="u|M", basis="assumed", note=nasty)}),
        Entity(id="HGNC:3356", category="gene_or_protein", label="ENPP1"),
    ]
    ev = [Evidence(source="PMID:32639996", statement=nasty, species="human", reference="a|b")]
    edges = [
        Edge(subject="HGNC:3356", predicate="increases_expression_of", object="HGNC:15492", evidence=ev,
             claim=nasty, status="contested"),
        Edge(subject="HGNC:3356", predicate="decreases_expression_of", object="HGNC:15492", evidence=ev),
        Edge(subject="HGNC:15492", predicate="transports", object="CHEBI:29888", evidence=ev,
             from_compartment="intracellular", to_compartment="extracellular",
             kinetics=Kinetics(rate_law="hill", parameters={"K": Parameter(value=2.0, unit="uM", basis="assumed",
                                                                           note="x|y")})),
    ]
    return KnowledgeGraph(ents, edges)


@pytest.fixture(params=["curated", "awkward", "hostile"])
def graph(request, curated_graph):
    return {"curated": curated_graph, "awkward": awkward_graph(), "hostile": hostile_graph()}[request.param]


def test_text_encoding_survives_what_kgx_does_and_is_spreadsheet_safe():
    for text in ["plain", "", 'a|b', "tab\there", "line\nbreak", '"quoted"', "back\\slash", 'x\\"y', "end\\",
                 "'apostrophe", "-11C>T", "=1+1\nmore", *FORMULAS]:
        cell = encode_text(text)
        assert "|" not in cell and "\t" not in cell and "\n" not in cell and '\\"' not in cell and cell
        shown = cell[1:-1] if cell.startswith('"') else cell  # what a spreadsheet shows of a quoted cell
        assert not is_formula_like(cell) and not is_formula_like(shown), cell
        assert decode_text(cell) == text
    assert encode_text("ordinary words, 50% (w/v)") == "ordinary words, 50% (w/v)"


@pytest.mark.parametrize("fmt", ["tsv", "jsonl"])
def test_kgx_validator_reports_no_errors(fmt, graph, tmp_path):
    files = export(graph, "kgx", tmp_path / "kg", format=fmt)
    report = kgx_validate(files, fmt, tmp_path)
    assert report.get("ERROR", {}) == {}


@pytest.mark.parametrize(("fmt", "out_fmt"), [("tsv", "jsonl"), ("jsonl", "jsonl")])
def test_kgx_stream_transform_keeps_every_edge_and_field(fmt, out_fmt, graph, tmp_path):
    files = export(graph, "kgx", tmp_path / "kg", format=fmt)
    kgx_transform(files, fmt, tmp_path / "out", out_fmt, stream=True)
    assert get_exporter("kgx").read(tmp_path / f"out_nodes.{out_fmt}") == graph


@pytest.mark.parametrize(("fmt", "out_fmt"), [("tsv", "tsv"), ("tsv", "jsonl"), ("jsonl", "tsv")])
def test_kgx_default_transform_keeps_every_field_and_merges_only_shared_keys(fmt, out_fmt, graph, tmp_path):
    """kgx's in-memory graph keys edges by subject, predicate and object: it keeps one (merged) edge per shared key
    (kgx issue 413). Every other edge and every entity comes back whole, and the merged ones are exactly those the
    export names."""
    files = export(graph, "kgx", tmp_path / "kg", format=fmt)
    kgx_transform(files, fmt, tmp_path / "out", out_fmt)
    back = get_exporter("kgx").read(tmp_path / f"out_nodes.{out_fmt}")
    assert back.entities == graph.entities
    category = {e.id: e.category for e in graph.entities}
    merged = shared_keys([edge_row(e, category[e.subject], category[e.object]) for e in graph.edges])
    kept = {e.id: e for e in back.edges}
    for edge in graph.edges:
        key_ids = next((ids for ids in merged.values() if edge.id in ids), None)
        if key_ids is None:
            assert kept[edge.id] == edge
        else:
            assert sum(i in kept for i in key_ids) == 1  # kgx updates one record with the other's attributes
    assert len(back.edges) == len(graph.edges) - sum(len(ids) - 1 for ids in merged.values())


def test_export_names_the_edges_kgx_would_merge(tmp_path, caplog):
    export(awkward_graph(), "kgx", tmp_path / "kg", format="tsv")
    assert "share subject, predicate and object" in caplog.text and "--stream" in caplog.text


def test_kgx_rows_speak_biolink(curated_graph, tmp_path):
    files = export(curated_graph, "kgx", tmp_path / "kg", format="jsonl")
    nodes = [json.loads(x) for x in Path(files[0]).read_text(encoding="utf-8").splitlines()]
    edges = [json.loads(x) for x in Path(files[1]).read_text(encoding="utf-8").splitlines()]
    assert all(e["primary_knowledge_source"] == "infores:kg-mineralization" for e in edges)
    assert all(e["original_predicate"].startswith("kgv:") and "relation" not in e and "sources" not in e
               for e in edges)
    assert all(n["taxon"].startswith("NCBITaxon:") for n in nodes if "taxon" in n)
    assert any(n.get("taxon") == "NCBITaxon:9606" for n in nodes)
    assert all(n["provided_by"] == ["infores:kg-mineralization"] for n in nodes)
    assert all(e["kg_sources"] and all(s.startswith("loaders/") for s in e["kg_sources"]) for e in edges)
