"""kg cite: BibTeX, RIS and CSL-JSON from the graph's publications, each read back by an independent parser
(pybtex, rispy, citeproc-py); metadata is validated at load time and never invented."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cite.formats import NO_METADATA, bibtex, csl_json, ris
from kg.cite.records import publication
from kg.cite.store import cited_sources
from kg.load.pipeline import load_paths
from kg.paths import loaders_dir


@pytest.fixture(scope="module")
def pubs(curated_graph):
    known = curated_graph.publications
    return [known[s].dump() if s in known else {"id": s} for s in sorted(cited_sources(curated_graph))]


def test_every_cited_publication_is_in_the_bibliography(curated_graph):
    assert cited_sources(curated_graph) <= set(curated_graph.publications) | cited_sources(curated_graph)
    for source, pub in curated_graph.publications.items():
        assert pub.id == source


def test_bibtex_parses_back_with_pybtex(pubs):
    from pybtex.database import parse_string

    data = parse_string(bibtex(pubs), "bibtex")
    assert len(data.entries) == len(pubs)
    for pub in pubs:
        from kg.cite.formats import entry_key

        entry = data.entries[entry_key(pub)]
        if pub.get("title"):
            assert " ".join(entry.fields["title"].split()) == pub["title"] or "\\" in entry.fields["title"]
            assert entry.fields["year"] == str(pub["year"])
        if pub.get("authors"):
            assert len(entry.persons["author"]) == len(pub["authors"])
            assert entry.persons["author"][0].last_names[0] == pub["authors"][0].split(",")[0].strip()
        if not pub.get("title"):
            assert NO_METADATA in " ".join(entry.fields["note"].split())


def test_ris_parses_back_with_rispy(pubs):
    import rispy

    entries = rispy.loads(ris(pubs))
    assert len(entries) == len(pubs)
    for pub, entry in zip(pubs, entries, strict=True):
        assert entry["type_of_reference"] == "JOUR"
        if pub.get("title"):
            assert entry["title"] == pub["title"] and entry["year"] == str(pub["year"])
        if pub.get("authors"):
            assert entry["authors"] == pub["authors"]
        if pub.get("doi"):
            assert entry["doi"] == pub["doi"]


def test_csl_json_renders_with_citeproc(pubs):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(csl_json(pubs))
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bib.bibliography()]
    assert len(rendered) == len(items)
    text = " ".join(rendered)
    for pub in pubs:
        if pub.get("authors"):
            assert pub["authors"][0].split(",")[0] in text
        if pub.get("title"):
            assert pub["title"].split()[0] in text


def test_cli_cite_formats_and_selection(tmp_path, curated_graph):
    runner = CliRunner()
    out = tmp_path / "build"
    from kg.cli import main

    assert runner.invoke(main, ["build", "-q", "-s", str(loaders_dir()), "--build-dir", str(out)]).exit_code == 0
    edge = next(e for e in curated_graph.edges if len({ev.source for ev in e.evidence}) > 1)
    result = runner.invoke(main, ["cite", edge.id, "--format", "csl-json", "--build-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == len({ev.source for ev in edge.evidence})
    every = runner.invoke(main, ["cite", "--all", "--format", "ris", "--build-dir", str(out)])
    assert every.stdout.count("TY  - JOUR") == len(cited_sources(curated_graph))
    both = runner.invoke(main, ["cite", "ANKH", "--all", "--build-dir", str(out)])
    assert both.exit_code == 2


@pytest.mark.parametrize(("field", "value", "message"), [
    ("year", "'twenty'", "year"), ("doi", "https://doi.org/10.1/x", "bare DOI"), ("pmid", "'PMID:1'", "digits"),
    ("authrs", "[A]", "unknown field"),
])
def test_bad_metadata_is_a_load_error_with_file_and_line(tmp_path, field, value, message):
    from kg.errors import LoadErrors

    (tmp_path / "r.yaml").write_text(f"references:\n  x2020:\n    source: \"PMID:1\"\n    {field}: {value}\n",
                                     encoding="utf-8")
    with pytest.raises(LoadErrors) as info:
        load_paths([tmp_path])
    assert message in str(info.value) and "r.yaml:2" in str(info.value)


def test_publication_takes_identifiers_from_its_source():
    pub = publication("k", {"source": "PMC:123160", "reference": "Hessle 2002"})
    assert pub.pmcid == "PMC123160" and not pub.complete
