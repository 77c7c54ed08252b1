"""The declarative loaders: every bad-input case names file, line, field and what was expected; merging keeps
all evidence and reports conflicts; imports of users' TSV and SIF networks."""

import textwrap

import pytest

from kg.errors import LoadError, LoadErrors
from kg.load.pipeline import LoadReport, load_paths

ENTITIES = """\
source: {name: entities}
references:
  szeri2020: {source: "PMID:32639996", reference: "Szeri 2020 PLoS Genet"}
entities:
  - id: HGNC:15492
    category: gene_or_protein
    label: ANKH
    symbol: ANKH
  - id: CHEBI:15422
    category: small_molecule
    label: ATP
  - id: HGNC:11766
    category: gene_or_protein
    label: TGF-β1
    symbol: TGFB1
"""

EDGE = """\
source: {{name: {name}}}
edges:
  - subject: ANKH
    predicate: transports
    object: ATP
    from_compartment: intracellular
    to_compartment: extracellular
    {extra}
    evidence:
      - {{ref: szeri2020, species: human, system: HEK293, confidence: {confidence}}}
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(tmp_path, *files):
    for name, text in files:
        write(tmp_path, name, text)
    return load_paths([tmp_path], root=tmp_path)


def errors_of(tmp_path, *files) -> list[LoadError]:
    with pytest.raises(LoadErrors) as info:
        load(tmp_path, *files)
    assert info.value.exit_code == 2
    return info.value.errors


def test_a_valid_source_loads(tmp_path):
    g = load(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", EDGE.format(name="b", extra="", confidence="high")))
    assert len(g) == 3 and len(g.edges) == 1
    assert g.edges[0].evidence[0].reference == "Szeri 2020 PLoS Genet"


def test_dangling_reference_names_file_line_field_and_suggests(tmp_path):
    bad = EDGE.format(name="b", extra="", confidence="high").replace("subject: ANKH", "subject: ANHK")
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", bad))
    assert (err.file, err.line, err.field) == ("b.yaml", 3, "subject")
    assert "dangling reference 'ANHK'" in str(err) and "did you mean ANKH" in str(err)


def test_malformed_curie(tmp_path):
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES.replace("id: CHEBI:15422", "id: CHEBI:ATP")))
    assert (err.file, err.line, err.field) == ("a.yaml", 9, "id")
    assert "'CHEBI:ATP': local id 'ATP' does not match the CHEBI pattern" in str(err)


def test_unknown_predicate(tmp_path):
    bad = EDGE.format(name="b", extra="", confidence="high").replace("transports", "exports")
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", bad))
    assert (err.line, err.field) == (4, "predicate")
    assert "unknown predicate 'exports'" in str(err)


def test_missing_evidence(tmp_path):
    bad = "edges:\n  - {subject: ANKH, predicate: transports, object: ATP, evidence: []}\n"
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", bad))
    assert err.field == "evidence" and "needs at least one evidence record" in str(err)
    bad = "edges:\n  - {subject: ANKH, predicate: transports, object: ATP}\n"
    [err] = errors_of(tmp_path, ("b.yaml", bad))
    assert err.field == "evidence" and "required field is missing" in str(err)


def test_duplicate_id_with_different_content(tmp_path):
    dup = "entities:\n  - {id: HGNC:15492, category: gene_or_protein, label: ANK}\n"
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", dup))
    assert "duplicate id HGNC:15492 with different label" in str(err) and "a.yaml:5" in str(err)


def test_identical_entity_definitions_merge(tmp_path):
    same = "entities:\n  - {id: CHEBI:15422, category: small_molecule, label: ATP}\n"
    g = load(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", same))
    assert g.entity("CHEBI:15422").sources == ["a.yaml", "b.yaml"]


def test_yaml_syntax_error_reports_its_line(tmp_path):
    [err] = errors_of(tmp_path, ("a.yaml", "entities:\n  - id: HGNC:1\n    label: [unclosed\n"))
    assert err.file == "a.yaml" and err.line == 4 and "YAML syntax error" in str(err)


def test_unknown_field_lists_the_allowed_ones(tmp_path):
    bad = EDGE.format(name="b", extra="strength: 3", confidence="high")
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", bad))
    assert err.field == "strength" and err.line == 8 and "unknown field (allowed:" in str(err)


def test_unknown_reference_key(tmp_path):
    bad = EDGE.format(name="b", extra="", confidence="high").replace("ref: szeri2020", "ref: szeri2021")
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", bad))
    assert "unknown reference key 'szeri2021'" in str(err)


def test_all_errors_of_all_files_are_reported_together(tmp_path):
    bad1 = ENTITIES.replace("id: CHEBI:15422", "id: CHEBI:ATP")
    bad2 = EDGE.format(name="b", extra="", confidence="high").replace("transports", "exports")
    errs = errors_of(tmp_path, ("a.yaml", bad1), ("b.yaml", bad2))
    assert {e.file for e in errs} == {"a.yaml", "b.yaml"}


def test_the_same_edge_from_two_sources_merges_evidence_without_duplicates(tmp_path):
    second = EDGE.format(name="c", extra="", confidence="high") + \
        "      - {source: \"DOI:10.1002/jbmr.4528\", species: human, system: HEK293}\n"
    report = LoadReport()
    write(tmp_path, "a.yaml", ENTITIES)
    write(tmp_path, "b.yaml", EDGE.format(name="b", extra="", confidence="high"))
    write(tmp_path, "c.yaml", second)
    g = load_paths([tmp_path], root=tmp_path, report=report)
    [edge] = g.edges
    assert sorted(ev.source for ev in edge.evidence) == ["DOI:10.1002/jbmr.4528", "PMID:32639996"]
    assert edge.sources == ["b.yaml", "c.yaml"] and report.merged_edges == 1


def test_conflicting_attributes_are_reported_with_both_places(tmp_path):
    errs = errors_of(tmp_path, ("a.yaml", ENTITIES),
                     ("b.yaml", EDGE.format(name="b", extra="status: established", confidence="high")),
                     ("c.yaml", EDGE.format(name="c", extra="status: contested", confidence="high")))
    [err] = errs
    assert "conflicting 'status'" in str(err) and "b.yaml:3" in str(err) and err.file == "c.yaml"


def test_the_same_evidence_with_a_different_confidence_is_a_conflict(tmp_path):
    errs = errors_of(tmp_path, ("a.yaml", ENTITIES),
                     ("b.yaml", EDGE.format(name="b", extra="", confidence="high")),
                     ("c.yaml", EDGE.format(name="c", extra="", confidence="low")))
    assert "different confidence" in str(errs[0])


def test_an_annotation_must_match_a_stated_edge(tmp_path):
    note = EDGE.format(name="b", extra="annotates: true", confidence="high").replace(
        "intracellular", "plasma")
    [err] = errors_of(tmp_path, ("a.yaml", ENTITIES), ("b.yaml", EDGE.format(name="b", extra="",
                                                                              confidence="high")),
                      ("c.yaml", note))
    assert "annotates an edge no source states" in str(err) and err.file == "c.yaml"


def test_loading_twice_gives_the_same_graph(tmp_path):
    files = (("a.yaml", ENTITIES), ("b.yaml", EDGE.format(name="b", extra="", confidence="high")))
    assert load(tmp_path, *files) == load(tmp_path, *files)


def test_tsv_import_maps_sign_and_mechanism_and_creates_entities(tmp_path):
    write(tmp_path, "a.yaml", ENTITIES)
    write(tmp_path, "net.tsv", "source\ttarget\tsign\tmechanism\tpmid\tstatus\tnew\n"
                               "TGFB1\tANKH\t+\texpression_regulation\t17977041\testablished\t\n"
                               "GeneX\tANKH\t-\tactivity_regulation\tDOI:10.1000/xyz\thypothesis\tsource\n"
                               "GeneX\tGene Y\tnone\tprotein_binding\t123\thypothesis\ttarget\n")
    g = load_paths([tmp_path], root=tmp_path)
    preds = {(e.subject, e.predicate, e.object) for e in g.edges}
    assert ("HGNC:11766", "increases_expression_of", "HGNC:15492") in preds
    assert ("KG:GeneX", "negatively_regulates", "HGNC:15492") in preds
    assert g.resolve("Gene Y").id.startswith("KG:Gene_Y-")
    assert g.edge(next(e.id for e in g.edges if e.subject == "HGNC:11766")).evidence[0].source == "PMID:17977041"


def test_tsv_errors_name_the_line(tmp_path):
    write(tmp_path, "net.tsv", "source\ttarget\tsign\tmechanism\tpmid\tstatus\nA\tB\tmaybe\tbinding\t1\thypothesis\n")
    with pytest.raises(LoadErrors, match=r"net.tsv:2: unknown sign 'maybe'"):
        load_paths([tmp_path], root=tmp_path)
    write(tmp_path, "net.tsv", "source\ttarget\tsign\n")
    with pytest.raises(LoadErrors, match="missing column"):
        load_paths([tmp_path], root=tmp_path)


def test_sif_import_needs_a_citation(tmp_path):
    write(tmp_path, "a.sif", "A\tactivates\tB\tC\n")
    with pytest.raises(LoadErrors, match="no citation for this SIF file"):
        load_paths([tmp_path], root=tmp_path)
    write(tmp_path, "a.sif", "# source: PMID:1\n# status: hypothesis\n# new: A, B, C\n"
                             "A\tactivates\tB\tC\nB\tbinds\tC\n")
    g = load_paths([tmp_path], root=tmp_path)
    assert sorted((e.subject, e.predicate, e.object) for e in g.edges) == [
        ("KG:A", "positively_regulates", "KG:B"), ("KG:A", "positively_regulates", "KG:C"),
        ("KG:B", "binds", "KG:C")]


def test_entity_evidence_may_use_shared_references(tmp_path):
    variant = ("entities:\n  - {id: KG:ANKH-p.P5L, category: sequence_variant, label: ANKH p.P5L, gene: ANKH,\n"
               "     evidence: [{ref: szeri2020, species: human}]}\n")
    g = load(tmp_path, ("a.yaml", ENTITIES), ("v.yaml", variant))
    ev = g.entity("KG:ANKH-p.P5L").evidence[0]
    assert (ev.source, ev.reference, ev.species) == ("PMID:32639996", "Szeri 2020 PLoS Genet", "human")
    assert g.entity("KG:ANKH-p.P5L").gene == "HGNC:15492"
