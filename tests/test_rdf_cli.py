"""The RDF commands, run through click: kg sparql, kg export rdf, kg query run, and the build/validate helpers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.cli.rdf import export_rdf, graph_from_rdf_file, query_run, validate_rdf
from kg.errors import InputError
from tests.test_rdf_server import built  # noqa: F401 - a fixture: a real build with the RDF store


def _kg(*args: str):
    return CliRunner().invoke(main, list(args))


def test_sparql_select_in_each_format(built):  # noqa: F811
    q = "SELECT ?g ?label WHERE { ?g a biolink:Gene ; rdfs:label ?label } ORDER BY ?g"
    rows = json.loads(_kg("sparql", q, "--build-dir", str(built), "--format", "json").output)
    assert {"g": "HGNC:15492", "label": "ANKH"} in rows
    tsv = _kg("sparql", q, "--build-dir", str(built), "--format", "tsv").output.splitlines()
    assert tsv[0] == "g\tlabel" and "HGNC:15492\tANKH" in tsv
    parsed = list(csv.reader(io.StringIO(_kg("sparql", q, "--build-dir", str(built), "--format", "csv").output)))
    assert parsed[0] == ["g", "label"] and len(parsed) == len(rows) + 1
    assert "ANKH" in _kg("sparql", q, "--build-dir", str(built)).output


def test_sparql_from_a_file_and_ask(built, tmp_path):  # noqa: F811
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a biolink:Association }", encoding="utf-8")
    rows = json.loads(_kg("sparql", str(path), "--build-dir", str(built), "--format", "json").output)
    assert rows[0]["n"] > 0
    assert _kg("sparql", "ASK { ?s rdfs:label \"ANKH\" }", "--build-dir", str(built)).output.strip() == "true"


def test_sparql_refuses_updates_without_write(built):  # noqa: F811
    result = _kg("sparql", "DELETE WHERE { ?s ?p ?o }", "--build-dir", str(built))
    assert result.exit_code == 2
    assert "--write" in result.output
    assert _kg("sparql", "ASK { ?s ?p ?o }", "--build-dir", str(built)).output.strip() == "true"


def test_sparql_syntax_error_is_exit_2(built):  # noqa: F811
    result = _kg("sparql", "SELEC ?x", "--build-dir", str(built))
    assert result.exit_code == 2 and "syntax error" in result.output


def test_query_run_both_engines_agree(built):  # noqa: F811
    runner = CliRunner()
    args = ["interactions", "--param", "of=ANKH", "--build-dir", str(built), "--format", "json"]
    nx_rows = json.loads(runner.invoke(query_run, args).output)
    sparql_rows = json.loads(runner.invoke(query_run, [*args, "--engine", "sparql"]).output)
    assert nx_rows == sparql_rows and nx_rows
    listing = runner.invoke(query_run, ["list", "--format", "tsv"]).output
    assert "paths\t" in listing


def test_query_run_rejects_bad_parameters(built):  # noqa: F811
    result = CliRunner().invoke(query_run, ["neighbors", "--param", "centre=ANKH", "--build-dir", str(built)])
    assert isinstance(result.exception, InputError)


@pytest.mark.parametrize("fmt,suffix", [("turtle", ".ttl"), ("ntriples", ".nt"), ("jsonld", ".jsonld"),
                                        ("rdfxml", ".rdf")])
def test_export_rdf_and_read_it_back(built, tmp_path, fmt, suffix):  # noqa: F811
    from kg.build import load_graph

    out = tmp_path / f"graph{suffix}"
    result = CliRunner().invoke(export_rdf, ["--format", fmt, "-o", str(out), "--build-dir", str(built)])
    assert result.exit_code == 0, result.output
    assert graph_from_rdf_file(out) == load_graph(built, rebuild=False)


def test_validate_rdf_reports_conformance(curated_graph, capsys):
    assert validate_rdf(curated_graph) is True
    assert "conforms" in capsys.readouterr().out


def test_the_kg_command_reaches_the_rdf_commands(built, tmp_path):  # noqa: F811
    """Wiring: `kg query run`, `kg export rdf`, `kg build --from` and `kg validate --rdf` through the top group."""
    listing = _kg("query", "run", "list", "--format", "tsv")
    assert listing.exit_code == 0 and "regulators\t" in listing.output
    rows = json.loads(_kg("query", "run", "regulators", "--param", "target=ANKH", "--engine", "sparql",
                          "--build-dir", str(built), "--format", "json").output)
    assert {"regulator": "HGNC:11766", "sign": "positive"}.items() <= next(
        r for r in rows if r["regulator"] == "HGNC:11766").items()
    ttl = tmp_path / "graph.ttl"
    assert _kg("export", "rdf", "-o", str(ttl), "--build-dir", str(built)).exit_code == 0
    again = tmp_path / "from-rdf"
    result = _kg("build", "--from", str(ttl), "--build-dir", str(again), "-q", "--format", "json")
    assert result.exit_code == 0, result.output
    assert (again / "graph.json").read_bytes() == (built / "graph.json").read_bytes()


def test_build_from_rdf_refuses_other_sources(built, tmp_path):  # noqa: F811
    ttl = tmp_path / "graph.ttl"
    _kg("export", "rdf", "-o", str(ttl), "--build-dir", str(built))
    result = _kg("build", "--from", str(ttl), "--add", str(ttl), "--build-dir", str(tmp_path / "x"))
    assert result.exit_code == 2 and "--from" in result.output
    assert not (tmp_path / "x").exists()


def test_validate_rdf_on_sources_and_on_files(built, tmp_path):  # noqa: F811
    ok = _kg("validate", "--rdf", "--format", "json")
    assert ok.exit_code == 0 and json.loads(ok.output)["shacl_conforms"] is True
    ttl = tmp_path / "graph.ttl"
    _kg("export", "rdf", "-o", str(ttl), "--build-dir", str(built))
    assert _kg("validate", "--rdf", str(ttl)).exit_code == 0
    broken = tmp_path / "broken.ttl"
    text = ttl.read_text(encoding="utf-8")
    assert 'rdfs:label "ANKH"' in text
    broken.write_text(text.replace('rdfs:label "ANKH"', 'rdfs:comment "ANKH"'), encoding="utf-8")
    result = _kg("validate", "--rdf", str(broken), "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert report["valid"] is False and "HGNC:15492: rdfs:label" in report["shacl_report"]
    # read back as a graph (without --rdf), the same file fails with the file named
    plain = _kg("validate", str(broken))
    assert plain.exit_code == 2 and str(broken) in plain.output and "label" in plain.output
