"""A user's TSV or SIF never corrupts the curated graph: unknown names are errors with suggestions unless declared
new (and every new entity is listed), status is required, near-duplicates of curated edges need an explicit
choice, bad bytes and columns are exit 2 with file:line:field, and sizes are bounded. Fuzzed imports end in
success or a located exit 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.errors import LoadErrors
from kg.load.imports import ImportOptions
from kg.load.pipeline import LoadReport, load_paths
from kg.paths import loaders_dir

from .limits import no_traceback, run_limited

HEADER = "source\ttarget\tsign\tmechanism\tpmid\tstatus\n"


def tsv(tmp_path, *rows: str, header: str = HEADER, name: str = "net.tsv"):
    path = tmp_path / name
    path.write_text(header + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def load(path, **options):
    report = LoadReport()
    graph = load_paths([loaders_dir(), path], report=report, options=ImportOptions(**options))
    return graph, report


def errors(path, **options) -> list[str]:
    with pytest.raises(LoadErrors) as info:
        load(path, **options)
    assert info.value.exit_code == 2
    return [str(e) for e in info.value.errors]


# ---- unknown names --------------------------------------------------------------------------------------------
def test_a_typo_is_an_error_with_a_suggestion_not_a_new_gene(tmp_path):
    path = tsv(tmp_path, "TGFB1\tANHK\t+\texpression_regulation\t17977041\testablished")
    (message,) = errors(path)
    assert "net.tsv:2" in message and "unknown name 'ANHK'" in message and "ANKH" in message
    assert "field 'target'" in message and "--new-entities" in message


def test_declared_new_entities_are_created_and_listed(tmp_path):
    path = tsv(tmp_path, "GeneX\tANKH\t-\tactivity_regulation\t123\thypothesis\tsource",
               "GeneX\tGene Y\tnone\tprotein_binding\t123\thypothesis\tboth",
               header=HEADER.rstrip("\n") + "\tnew\n")
    graph, report = load(path)
    assert {e["id"]: (e["label"], e["line"]) for e in report.imports.new_entities} == {
        "KG:GeneX": ("GeneX", 2), graph.resolve("Gene Y").id: ("Gene Y", 3)}
    assert graph.resolve("GeneX").sources == ["net.tsv"] or graph.resolve("GeneX").sources[0].endswith("net.tsv")


def test_the_new_entities_flag_declares_every_unknown_name(tmp_path):
    path = tsv(tmp_path, "GeneX\tANKH\t-\tactivity_regulation\t123\thypothesis")
    assert errors(path)
    _, report = load(path, new_entities=True)
    assert [e["id"] for e in report.imports.new_entities] == ["KG:GeneX"]


def test_kg_build_lists_every_new_entity(tmp_path):
    path = tsv(tmp_path, "GeneX\tANKH\t-\tactivity_regulation\t123\thypothesis",
               "GeneZ\tANKH\t-\tactivity_regulation\t123\thypothesis")
    result = CliRunner().invoke(main, ["build", "-q", "--build-dir", str(tmp_path / "b"), "--add", str(path),
                                       "--new-entities", "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert [e["label"] for e in out["new_entities"]] == ["GeneX", "GeneZ"]
    assert out["imported"] == {"new_entities": 2, "near_duplicates": 0}
    table = CliRunner().invoke(main, ["validate", str(loaders_dir()), str(path), "--new-entities", "--format", "table"])
    assert table.exit_code == 0 and "2 new entities from imports" in table.output and "KG:GeneZ" in table.output


def test_a_sif_line_with_two_targets_in_one_cell_is_caught(tmp_path):
    path = tmp_path / "a.sif"
    path.write_text("# source: PMID:1\n# status: hypothesis\nENPP1\tinhibits\tALPL SLC20A1\n", encoding="utf-8")
    (message,) = errors(path, new_entities=True)
    assert "a.sif:3" in message and "looks like 2 names (ALPL, SLC20A1)" in message
    path.write_text("# source: PMID:1\n# status: hypothesis\nENPP1\tinhibits\tALPL\tSLC20A1\n", encoding="utf-8")
    graph, _ = load(path)
    targets = {graph.entity(e.object).label for e in graph.edges if "a.sif" in " ".join(e.sources)}
    assert {"TNAP", "PiT-1"} <= targets or len(targets) == 2


def test_sif_needs_a_status_and_declares_new_names_by_comment(tmp_path):
    path = tmp_path / "a.sif"
    path.write_text("# source: PMID:1\nA\tactivates\tANKH\n", encoding="utf-8")
    assert "no status for this SIF file" in errors(path)[0]
    path.write_text("# source: PMID:1\n# status: contested\n# new: A\nA\tactivates\tANKH\n", encoding="utf-8")
    graph, report = load(path)
    assert [e["id"] for e in report.imports.new_entities] == ["KG:A"]
    assert next(e for e in graph.edges if e.subject == "KG:A").status == "contested"


# ---- status and columns -----------------------------------------------------------------------------------------
def test_status_is_required_never_a_silent_established(tmp_path):
    path = tsv(tmp_path, "TGFB1\tALPL\t+\texpression_regulation\t17977041",
               header="source\ttarget\tsign\tmechanism\tpmid\n")
    (message,) = errors(path)
    assert "net.tsv:1" in message and "no status" in message and "--status" in message
    graph, _ = load(path, status="hypothesis")
    edge = next(e for e in graph.edges if "net.tsv" in " ".join(e.sources))
    assert edge.status == "hypothesis" and edge.evidence[0].status == "hypothesis"


def test_the_new_optional_columns_reach_the_edge_and_its_evidence(tmp_path):
    path = tsv(tmp_path, "TGFB1\tALPL\t+\texpression_regulation\t17977041\thypothesis\tchondrocyte\trat\t"
                         "primary chondrocytes\tTGF-b1 raised ALPL mRNA",
               header=HEADER.rstrip("\n") + "\tcontext\tspecies\tsystem\tstatement\n")
    graph, _ = load(path)
    edge = next(e for e in graph.edges if "net.tsv" in " ".join(e.sources))
    ev = edge.evidence[0]
    assert graph.entity(edge.context).category == "cell_system" and edge.status == "hypothesis"
    assert (ev.species, ev.system, ev.statement) == ("rat", "primary chondrocytes", "TGF-b1 raised ALPL mRNA")


@pytest.mark.parametrize(("header", "rows", "where", "what"), [
    (HEADER.rstrip("\n") + "\tcomment\n", ["TGFB1\tALPL\t+\texpression_regulation\t1\thypothesis\tx"], "net.tsv:1",
     "unknown column(s) 'comment'"),
    (HEADER.rstrip("\n") + "\tsatus\n", ["TGFB1\tALPL\t+\texpression_regulation\t1\thypothesis\tx"], "net.tsv:1",
     "did you mean 'status'"),
    (HEADER, ["TGFB1\tALPL\t+\texpression_regulation\t1\thypothesis\textra"], "net.tsv:2", "7 cells"),
    (HEADER.rstrip("\n") + "\tsource_category\n", ["GeneQ\tALPL\t+\texpression_regulation\t1\thypothesis\tgene"],
     "net.tsv:2", "unknown category 'gene'"),
    (HEADER, ["TGFB1\tALPL\t+\texpression_regulation\t0\thypothesis"], "net.tsv:2", "PMID:0"),
    (HEADER, ["TGFB1\tALPL\t+\texpression_regulation\t1\tmaybe"], "net.tsv:2", "unknown status 'maybe'"),
    (HEADER, ["\tALPL\t+\texpression_regulation\t1\thypothesis"], "net.tsv:2", "empty cell"),
    ("source\ttarget\tpmid\tstatus\tstatus\n", [], "net.tsv:1", "given twice"),
])
def test_bad_columns_and_cells_are_exit_2_with_file_line_field(tmp_path, header, rows, where, what):
    messages = errors(tsv(tmp_path, *rows, header=header))
    assert any(where in m and what in m for m in messages), messages


def test_a_bom_is_accepted_and_bad_bytes_name_their_line(tmp_path):
    path = tmp_path / "net.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"TGFB1\tALPL\t+\texpression_regulation\t1\thypothesis\n")
    load(path)  # "missing column source" before: the BOM stuck to the first column's name
    path.write_bytes(HEADER.encode() + b"TGFB1\tALPL\t+\texpression_regulation\t1\thypothesis\n"
                     + b"TGFB1\tALP\xe9\t+\texpression_regulation\t1\thypothesis\n")
    (message,) = errors(path)
    assert "net.tsv:3" in message and "not valid UTF-8" in message


def test_ids_with_a_trailing_newline_are_refused(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text('source: {name: a}\nentities:\n  - {id: "HGNC:15492\\n", category: gene_or_protein, label: X}\n',
                    encoding="utf-8")
    with pytest.raises(LoadErrors, match=r"a.yaml:3: .*does not match the HGNC pattern"):
        load_paths([path], root=tmp_path)


def test_every_row_error_is_reported_at_once_up_to_a_bound(tmp_path):
    path = tsv(tmp_path, *[f"NoSuch{i}\tALPL\t+\texpression_regulation\t1\thypothesis" for i in range(300)])
    messages = errors(path)
    assert len(messages) == 201 and "and 100 more errors" in messages[-1]
    assert "net.tsv:2" in messages[0] and "net.tsv:201" in messages[199]


# ---- near-duplicates of curated edges ---------------------------------------------------------------------------
# the curated TGF-β1 -> ENPP1 edge is specific to chondrocytes (loaders/regulation.yaml); a user states it generally
RESTATED = "TGFB1\tENPP1\t+\texpression_regulation\t17977041\testablished\t"


def _curated_tgfb1_enpp1(graph):
    return [e for e in graph.edges if graph.entity(e.subject).symbol == "TGFB1"
            and graph.entity(e.object).symbol == "ENPP1" and e.predicate == "increases_expression_of"]


def test_restating_a_curated_edge_in_another_context_needs_a_choice(tmp_path):
    path = tsv(tmp_path, RESTATED, header=HEADER.rstrip("\n") + "\tcontext\n")
    (message,) = errors(path)
    assert "net.tsv:2" in message and "restates the curated edge" in message and "--near-duplicates" in message
    merged, report = load(path, near_duplicates="merge")
    (edge,) = _curated_tgfb1_enpp1(merged)
    assert any(s.endswith("net.tsv") for s in edge.sources) and edge.context == "KG:chondrocyte"
    assert report.imports.near_duplicates[0]["choice"] == "merge"
    kept, report = load(path, near_duplicates="keep")
    assert len(_curated_tgfb1_enpp1(kept)) == 2 and report.imports.near_duplicates[0]["choice"] == "keep"


def _enpp1_fold(build_dir, *extra):
    result = CliRunner().invoke(main, ["predict", "TGFB1", "--context", "chondrocyte", "--readout", "ENPP1",
                                       "--build-dir", str(build_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return data["readouts"][0]["fold_change"], data["notes"]


@pytest.mark.slow
def test_a_merged_restatement_is_not_counted_twice_and_a_kept_one_is_noted(tmp_path):
    path = tsv(tmp_path, RESTATED, header=HEADER.rstrip("\n") + "\tcontext\n")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "-q", "--build-dir", str(tmp_path / "curated")]).exit_code == 0
    base, base_notes = _enpp1_fold(tmp_path / "curated")
    for choice in ("merge", "keep"):
        out = tmp_path / choice
        result = runner.invoke(main, ["build", "-q", "--build-dir", str(out), "--add", str(path),
                                      "--near-duplicates", choice])
        assert result.exit_code == 0, result.output
        fold, notes = _enpp1_fold(out)
        if choice == "merge":
            assert fold == base and notes == base_notes  # one edge, one influence
        else:
            assert fold > base and any("parallel 'increases_expression_of' edges" in n for n in notes)


# ---- size bounds ------------------------------------------------------------------------------------------------
def test_the_row_budget_is_checked_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_MAX_IMPORT_ROWS", "5")
    path = tsv(tmp_path, *["TGFB1\tALPL\t+\texpression_regulation\t1\thypothesis"] * 6)
    (message,) = errors(path)
    assert "more than the limit of 5 rows" in message and "KG_MAX_IMPORT_ROWS" in message


@pytest.mark.slow
def test_a_four_million_row_tsv_is_refused_up_front_within_a_memory_limit(tmp_path):
    path = tmp_path / "big.tsv"
    block = "".join(f"G{i}\tG{i + 1}\t+\texpression_regulation\t{i + 1}\thypothesis\n" for i in range(1000))
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for _ in range(4000):
            fh.write(block)
    result = run_limited(["validate", str(path)], timeout=120)
    assert result.returncode == 2 and no_traceback(result), result.stderr[-500:]
    assert "more than the limit of 1,000,000 rows" in result.stderr


# ---- fuzzing ------------------------------------------------------------------------------------------------------
_CELLS = st.one_of(st.text(max_size=10), st.sampled_from(
    ["ANKH", "ANHK", "TGFB1", "PPi", "+", "-", "0", "expression_regulation", "protein_binding", "17977041", "PMID:0",
     "DOI:10.1/x", "established", "hypothesis", "maybe", "source", "both", "chondrocyte", "gene_or_protein", ""]))
_COLUMNS = st.lists(st.sampled_from(["source", "target", "sign", "mechanism", "pmid", "status", "predicate",
                                     "context", "new", "species", "source_category", "bogus"]),
                    min_size=1, max_size=8)


def _run_validate(tmp_path, name: str, data: bytes, *flags: str):
    (tmp_path / name).write_bytes(data)
    return CliRunner().invoke(main, ["validate", str(loaders_dir()), str(tmp_path / name), *flags])


def _ok_or_located(result, name: str) -> None:
    assert result.exit_code in (0, 2), (result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 2:
        errors_ = [ln for ln in result.output.splitlines() if ln.startswith("error: ")]
        assert errors_ and all(name in ln or "more errors" in ln for ln in errors_), result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=_COLUMNS, rows=st.lists(st.lists(_CELLS, min_size=1, max_size=9), max_size=5),
       flags=st.sampled_from([(), ("--new-entities",), ("--status", "hypothesis"), ("--near-duplicates", "keep")]))
def test_fuzzed_tsv_gives_success_or_a_located_exit_2(tmp_path, columns, rows, flags):
    text = "\t".join(columns) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    _ok_or_located(_run_validate(tmp_path, "f.tsv", text.encode("utf-8", "surrogatepass"), *flags), "f.tsv")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.sampled_from(["# source: PMID:1", "# source: PMID:0", "# status: hypothesis", "# status: nope",
                     "# new: GeneX, ANHK"]),
    st.lists(_CELLS | st.sampled_from(["activates", "inhibits", "binds"]), min_size=1, max_size=4).map("\t".join),
    st.binary(max_size=20).map(lambda b: b.decode("latin-1"))), max_size=6),
    flags=st.sampled_from([(), ("--new-entities",), ("--status", "contested")]))
def test_fuzzed_sif_gives_success_or_a_located_exit_2(tmp_path, lines, flags):
    _ok_or_located(_run_validate(tmp_path, "f.sif", "\n".join(lines).encode("utf-8", "surrogatepass"), *flags),
                   "f.sif")
