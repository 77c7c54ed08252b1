"""kg cite: BibTeX, RIS and CSL-JSON from the graph's publications, each read back by an independent parser
(pybtex, rispy, citeproc-py); metadata is validated at load time and never invented."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import yaml
from click.testing import CliRunner

from kg.cite.formats import NO_METADATA, bibtex, csl_json, entry_key, ris
from kg.cite.records import disagreements, publication
from kg.cite.select import coverage_note
from kg.cite.store import cited_sources
from kg.load.pipeline import load_paths
from kg.paths import loaders_dir


@pytest.fixture(scope="module")
def pubs(curated_graph):
    known = curated_graph.publications
    return [known[s].dump() if s in known else {"id": s} for s in sorted(cited_sources(curated_graph))]


WELL_FORMED = re.compile(r"^(PMID:[1-9][0-9]*|DOI:10\.[0-9]{4,9}/\S+|PMC:PMC[0-9]+)$")
# CSL-JSON item variables (the CSL 1.0.2 csl-data schema) that kg writes or could write
CSL_VARIABLES = {"id", "type", "title", "author", "container-title", "container-title-short", "issued", "volume",
                 "issue", "page", "DOI", "PMID", "PMCID", "URL", "note", "language", "abstract"}


def _latex_to_text(text: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text().latex_to_text(text)


def _reference_keys() -> Counter[str]:
    """How often each key appears under some loader's `references:` block (composed, so that a key written twice in
    one file, which a YAML load would silently merge, still counts twice)."""
    keys: Counter[str] = Counter()
    for path in sorted(loaders_dir().rglob("*.yaml")):
        root = yaml.compose(path.read_text(encoding="utf-8"))
        if not isinstance(root, yaml.MappingNode):
            continue
        for key, value in root.value:
            if key.value == "references" and isinstance(value, yaml.MappingNode):
                keys.update(k.value for k, _ in value.value)
    return keys


def test_every_cited_publication_is_in_the_bibliography(curated_graph):
    assert cited_sources(curated_graph) <= set(curated_graph.publications) | cited_sources(curated_graph)
    for source, pub in curated_graph.publications.items():
        assert pub.id == source


def test_records_are_cited_well_formed_and_keyed_once(curated_graph):
    twice = sorted(k for k, n in _reference_keys().items() if n > 1)
    assert twice == [], f"reference keys defined more than once: {twice}"
    cited = cited_sources(curated_graph)
    for source in cited:
        assert WELL_FORMED.match(source), f"malformed publication CURIE {source}"
    for source, pub in curated_graph.publications.items():
        assert WELL_FORMED.match(source), f"malformed publication CURIE {source}"
        if pub.title or pub.authors:
            assert source in cited, f"{pub.key} ({source}) carries a record but nothing in loaders/ cites it"
            assert pub.checked, f"{pub.key} ({source}): a record says which page it was copied from (checked:)"
        assert disagreements(pub) == []
        assert len(pub.authors) == len(set(pub.authors)), f"{pub.key}: an author listed twice"


def test_a_record_must_agree_with_its_source():
    with pytest.raises(ValueError, match="pmid '2' is not the source's '1'"):
        publication("k", {"source": "PMID:1", "reference": "X 2020", "title": "T", "pmid": "2"})
    with pytest.raises(ValueError, match="PMC followed by digits"):
        publication("k", {"source": "PMID:1", "pmcid": "123"})
    pub = publication("k", {"source": "DOI:10.1/AbC", "doi": "10.1/abc", "pmid": "7", "et_al": True,
                            "authors": ["Doe, J."], "checked": "https://example.org/x"})
    assert pub.pmid == "7" and pub.et_al and pub.checked == "https://example.org/x"


def test_bibtex_parses_back_with_pybtex(pubs):
    from pybtex.database import parse_string

    data = parse_string(bibtex(pubs), "bibtex")
    assert len(data.entries) == len(pubs)
    for pub in pubs:
        from kg.cite.formats import entry_key

        entry = data.entries[entry_key(pub)]
        if pub.get("title"):
            assert " ".join(entry.fields["title"].split()) == pub["title"] or "\\" in entry.fields["title"]
            assert entry.fields.get("year") == (str(pub["year"]) if pub.get("year") else None)
        if pub.get("authors"):
            persons = entry.persons["author"]
            assert len(persons) == len(pub["authors"]) + bool(pub.get("et_al"))  # 'and others' for et al.
            assert (str(persons[-1]) == "others") == bool(pub.get("et_al"))
            first = persons[0]
            family = _latex_to_text(" ".join(first.prelast_names + first.last_names))
            assert family == pub["authors"][0].split(",")[0].strip()
        if not pub.get("title"):
            assert NO_METADATA in " ".join(entry.fields["note"].split())


def test_bibtex_parses_back_with_bibtexparser(pubs):
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    library = bibtexparser.parse_string(bibtex(pubs), append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    entries = {e.key: e for e in library.entries}
    assert sorted(entries) == sorted(entry_key(p) for p in pubs)
    for pub in pubs:
        entry = entries[entry_key(pub)]
        if pub.get("title"):
            assert entry["title"] == pub["title"].replace("\u2212", "-")  # LaTeX writes a minus sign as $-$
            assert entry["journal"] == pub["journal"] if pub.get("journal") else "journal" not in entry
        if pub.get("doi"):
            assert entry["doi"] == pub["doi"]
        if pub.get("authors"):
            names = [_latex_to_text(n.strip()) for n in re.split(r"\s+and\s+", " ".join(entry["author"].split()))]
            assert names[:len(pub["authors"])] == [" ".join(a.split()) for a in pub["authors"]]
            assert names[len(pub["authors"]):] == (["others"] if pub.get("et_al") else [])


def test_ris_parses_back_with_rispy(pubs):
    import rispy

    entries = rispy.loads(ris(pubs))
    assert len(entries) == len(pubs)
    for pub, entry in zip(pubs, entries, strict=True):
        assert entry["type_of_reference"] == "JOUR"
        if pub.get("title"):
            assert entry["title"] == pub["title"]
            assert entry.get("year") == (str(pub["year"]) if pub.get("year") else None)
        if pub.get("authors"):
            assert entry["authors"] == pub["authors"]
        if pub.get("doi"):
            assert entry["doi"] == pub["doi"]


def test_csl_json_renders_with_citeproc(pubs):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads(csl_json(pubs))
    for item in items:
        assert set(item) <= CSL_VARIABLES, sorted(set(item) - CSL_VARIABLES)
        assert all(set(name) <= {"family", "given", "literal"} for name in item.get("author", []))
        if "issued" in item:
            assert all(isinstance(part, int) for part in item["issued"]["date-parts"][0])
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
    known = curated_graph.publications
    cited = sorted(cited_sources(curated_graph))
    stubs = [s for s in cited if s not in known or not known[s].title]
    assert f"bibliographic records: {len(cited) - len(stubs)} of {len(cited)} publications" in every.stderr
    assert all(s in every.stderr for s in stubs[:5]) and every.stderr.count("\n") == 1  # one note line, no more
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


def test_a_publication_without_title_is_reported_as_a_stub():
    pubs = [{"id": "PMID:1", "title": "A paper", "reference": "A 2001"}, {"id": "PMID:2", "reference": "B 2002"}]
    note = coverage_note(pubs)
    assert note.startswith("bibliographic records: 1 of 2 publications; 1 without one") and "PMID:2" in note
    assert "PMID:1" not in note
    assert coverage_note(pubs[:1]) == "bibliographic records: 1 of 1 publications"
    assert NO_METADATA in csl_json(pubs) and "B 2002" in ris(pubs)


def test_a_group_author_stays_one_name_and_et_al_is_others_in_bibtex():
    from pybtex.database import parse_string

    pub = {"id": "PMID:7550339", "title": "A gene (PEX)", "year": 1995, "et_al": True,
           "authors": ["The HYP Consortium", "Nürnberg, P."]}
    persons = parse_string(bibtex([pub]), "bibtex").entries["PMID_7550339"].persons["author"]
    assert [_latex_to_text(" ".join(p.last_names)) for p in persons] == ["The HYP Consortium", "Nürnberg", "others"]
