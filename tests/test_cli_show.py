"""`kg show` shows every id kg prints (entities, variants, contexts, edges, evidence records, publications), with
labels, rival claims and evidence; empty results are said on stderr; piped output is TSV unless told otherwise."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.ids import evidence_id
from kg.snapshot import Snapshot


@pytest.fixture(scope="module")
def snapshot(curated_graph):
    from kg.cite.store import cited_sources

    pubs = {s: p.dump() for s, p in curated_graph.publications.items() if s in cited_sources(curated_graph)}
    return Snapshot(json.loads(json.dumps(curated_graph.to_dict())), pubs)


def test_every_id_in_the_graph_can_be_shown(curated_graph, snapshot):
    for entity in curated_graph.entities:
        kind, card = snapshot.find(entity.id)
        assert (kind, card["id"]) == ("entity", entity.id)
    for edge in curated_graph.edges:
        kind, card = snapshot.find(edge.id)
        assert (kind, card["id"]) == ("edge", edge.id)
        assert card["subject_label"] == curated_graph.entity(edge.subject).label
        for ev in edge.evidence:
            kind, ev_card = snapshot.find(ev.id)
            assert kind == "evidence" and ev_card["source"] == ev.source
            assert edge.id in [c["id"] for c in ev_card["cited_by"]]
            kind, pub = snapshot.find(ev.source)
            assert kind == "publication" and edge.id in [c["id"] for c in pub["cited_by"]]


def test_evidence_ids_agree_with_the_records(curated_graph):
    for edge in curated_graph.edges:
        for ev in edge.evidence:
            assert evidence_id(ev.dump()) == ev.id


def test_an_edge_card_names_its_rivals_with_their_status(curated_graph, snapshot):
    contested = [e for e in curated_graph.edges if e.status != "established"]
    assert contested
    for edge in contested:
        _, card = snapshot.find(edge.id)
        for rival in card["rivals"]:
            other = curated_graph.edge(rival["id"])
            assert other.subject == edge.subject and (other.object == edge.object or other.predicate == edge.predicate)
            assert rival["status"] == other.status and rival["object_label"] == curated_graph.entity(other.object).label


def test_show_edge_through_the_cli_prints_claim_rivals_and_evidence_statements(kg, curated_graph):
    edge = next(e for e in curated_graph.edges if e.status == "contested" and e.claim)
    result = kg("show", edge.id, "--format", "table")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert edge.claim in text and edge.status in text
    for ev in edge.evidence:
        assert ev.source in text and " ".join(ev.statement.split()[:4]) in text
    data = json.loads(kg("show", edge.id, "--format", "json").stdout)
    assert data["kind"] == "edge" and data["id"] == edge.id and "rivals" in data


def test_show_evidence_prints_statement_assay_and_reference(kg, curated_graph):
    ankh = curated_graph.resolve("ANKH")
    result = kg("show", "ANKH", "--evidence", "--format", "tsv")
    rows = list(csv.DictReader(io.StringIO(result.stdout), delimiter="\t"))
    expected = sum(len(e.evidence) for e in curated_graph.incident_edges(ankh.id))
    assert len(rows) == expected
    assert {"statement", "assay", "reference"} <= set(rows[0])
    assert all(r["statement"] for r in rows if r["source"])


def test_unknown_edge_id_is_an_input_error(kg):
    result = kg("show", "KG:edge.0000000000000000")
    assert result.exit_code == 2 and "unknown entity 'KG:edge.0000000000000000'" in result.stderr


def test_piped_output_defaults_to_tsv_and_table_can_be_forced(kg, monkeypatch):
    from kg.query import INTERACTION_COLUMNS

    piped = kg("query", "interactions", "--of", "ANKH")  # click's runner is not a terminal
    assert piped.stdout.splitlines()[0].split("\t") == list(INTERACTION_COLUMNS)
    monkeypatch.setenv("COLUMNS", "100")
    table = kg("query", "interactions", "--of", "ANKH", "--format", "table")
    assert "\t" not in table.stdout and max(len(line) for line in table.stdout.splitlines()) <= 100


@pytest.mark.parametrize("args", [
    ["query", "run", "citing", "--param", "source=PMID:1"],
    ["query", "paths", "PPi", "TGFB1", "--max-length", "1"],
    ["query", "interactions", "--of", "ANKH", "--predicate", "inhibits_formation_of"],
])
def test_empty_results_are_said_on_stderr(kg, args):
    for fmt in ("tsv", "table", "json"):
        result = kg(*args, "--format", fmt)
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith("note: ") and ("no " in result.stderr), result.stderr


def test_paths_mark_steps_that_are_not_established(kg, curated_graph):
    from kg.query import paths

    edge = next(e for e in curated_graph.edges if e.status != "established" and e.sign != "none")
    rows = paths(curated_graph, edge.subject, edge.object, max_length=1)
    assert any(r["statuses"] == [edge.status] for r in rows)
    result = kg("query", "paths", edge.subject, edge.object, "--max-length", "1", "--format", "table")
    assert f"-({edge.status})" in result.stdout and edge.id in result.stdout
