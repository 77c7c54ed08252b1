"""kg neo4j export-csv: neo4j-admin import files whose headers are typed, whose quoting survives commas, quotes,
apostrophes and newlines, and which read back to the same graph, by our reader and by the real neo4j-admin
import (then a Neo4j server started on the imported database and `pull`)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence, Kinetics, Parameter
from kg.neo4j.csv_export import (
    ARRAY_DELIMITER,
    CONSTRAINTS_FILE,
    NODES_FILE,
    README_FILE,
    RELATIONSHIPS_FILE,
    import_command,
    node_header,
    parse_csv,
    read_import_files,
    relationship_header,
    write_import_files,
)
from kg.neo4j.push import constraint_statements
from tests.conftest import require

DEPLOY = Path(__file__).resolve().parent.parent / "deploy" / "neo4j"


def tricky_graph() -> KnowledgeGraph:
    """Values that break naive CSV and Cypher: commas, double quotes, apostrophes, newlines (LF and CRLF), tabs,
    semicolons, backslashes, empty strings, padding and non-ASCII text."""
    entities = [
        Entity(id="KG:crohns_disease", category="disease", label='Crohn\'s disease, "ileal"',
               synonyms=["Crohn's", "a,b", 'say "hi"', "line1\nline2", "semi;colon", "back\\slash", "tab\there", "",
                         "  padded  ", "β-catenin ∆"],
               description="multi\nline, with \"quotes\" and 'apostrophes'\r\nand CRLF", xrefs=["MONDO:0005011"]),
        Entity(id="KG:odd_process", category="process", label="", symbol="=1+1",
               evidence=[Evidence(source="PMID:1", statement="it's \"shown\", clearly\nnext line", system="a; b")],
               parameters={"k,1": Parameter(value=1.5e-3, unit="µM", basis="fitted", note="n\"o,t'e")}),
    ]
    edges = [Edge(subject="KG:odd_process", predicate="contributes_to", object="KG:crohns_disease",
                  claim='a "claim", with a comma\nand a newline', status="hypothesis",
                  evidence=[Evidence(source="DOI:10.1000/a,b\"c", statement="Crohn's, \"quoted\"\n2nd line",
                                     system="cells; line", status="hypothesis")],
                  kinetics=Kinetics(rate_law="v = k*[S]",
                                    parameters={"k": Parameter(value=2.0, unit="1/s", basis="assumed",
                                                               note='guess, "rough"')}))]
    return KnowledgeGraph(entities, edges)


def test_headers_are_typed_for_neo4j_admin():
    nodes = node_header()
    assert nodes[0] == "id:ID(KgEntity)" and nodes[-1] == ":LABEL"
    assert {"label:string", "synonyms:string[]", "xrefs:string[]", "compartments:string[]", "evidence_json:string",
            "evidence_sources:string[]"} <= set(nodes)
    rels = relationship_header()
    assert rels[:3] == [":START_ID(KgEntity)", ":END_ID(KgEntity)", ":TYPE"]
    assert {"id:string", "substrates:string[]", "evidence_count:long", "symmetric:boolean",
            "evidence_statuses:string[]", "kinetics_json:string"} <= set(rels)
    assert all(field.count(":") == 1 for field in nodes + rels)


def test_curated_graph_reads_back_identical(curated_graph, tmp_path):
    written = write_import_files(curated_graph, tmp_path)
    assert {p.name for p in written} == {NODES_FILE, RELATIONSHIPS_FILE, CONSTRAINTS_FILE, README_FILE}
    assert read_import_files(tmp_path) == curated_graph
    lines = (tmp_path / RELATIONSHIPS_FILE).read_text(encoding="utf-8").count("\n")
    assert lines >= len(curated_graph.edges) + 1


def test_tricky_values_survive_the_files(tmp_path):
    graph = tricky_graph()
    write_import_files(graph, tmp_path)
    assert read_import_files(tmp_path) == graph
    raw = (tmp_path / NODES_FILE).read_bytes().decode("utf-8")
    assert '"Crohn\'s disease, ""ileal"""' in raw  # quoted, inner quotes doubled, apostrophe left alone
    assert "\r\n" in raw  # the CRLF inside a value is kept as is, inside quotes
    records = list(parse_csv(raw))
    header, crohn = records[0], records[1]
    assert len(crohn) == len(header)
    synonyms = crohn[header.index("synonyms:string[]")].split(ARRAY_DELIMITER)
    assert synonyms == graph.entity("KG:crohns_disease").synonyms
    assert crohn[header.index("symbol:string")] is None  # absent: empty and unquoted
    odd = records[2]
    assert odd[header.index("label:string")] == ""  # an empty string: quoted


def test_the_array_delimiter_in_a_value_is_refused(tmp_path):
    graph = KnowledgeGraph([Entity(id="KG:x", category="process", label="x", synonyms=[f"a{ARRAY_DELIMITER}b"])])
    with pytest.raises(KgError, match="U\\+001F"):
        write_import_files(graph, tmp_path)


def test_readme_gives_the_import_command_and_the_constraints(tmp_path):
    write_import_files(tricky_graph(), tmp_path, database="kgdb")
    command = import_command(tmp_path, "kgdb")
    args = shlex.split(command)
    assert args[:5] == ["neo4j-admin", "database", "import", "full", "kgdb"]
    assert f"--nodes={(tmp_path / NODES_FILE).resolve()}" in args
    assert f"--relationships={(tmp_path / RELATIONSHIPS_FILE).resolve()}" in args
    assert {"--array-delimiter=U+001F", "--multiline-fields=true", "--id-type=string"} <= set(args)
    assert command in (tmp_path / README_FILE).read_text(encoding="utf-8")
    assert (tmp_path / CONSTRAINTS_FILE).read_text(encoding="utf-8").splitlines() == [
        f"{s};" for s in constraint_statements()]


def _env_file(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        out[key] = value
    return out


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_admin_imports_the_files_and_pull_reads_the_same_graph(curated_graph, tmp_path):
    """The printed command, run with the neo4j-admin of the test server's Neo4j 5.26 jars, into a fresh database;
    a server started on it; `pull` gives back the curated graph plus the tricky one."""
    from kg.neo4j.connection import Settings, connect
    from kg.neo4j.pull import pull

    lib = DEPLOY / "target" / "lib"
    require(shutil.which("java") is not None and (DEPLOY / "target" / "kg-neo4j-server.jar").is_file()
            and lib.is_dir(), "no Java or no built Neo4j server (deploy/neo4j/neo4jctl.sh build; make test does it)")
    tricky = tricky_graph()
    graph = KnowledgeGraph([*curated_graph.entities, *tricky.entities], [*curated_graph.edges, *tricky.edges])
    files, run = tmp_path / "import", tmp_path / "run"
    write_import_files(graph, files)
    args = shlex.split(import_command(files))
    assert args[0] == "neo4j-admin"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_NEO4J_"))}
    env.update(NEO4J_HOME=str(run / "home"), NEO4J_CONF=str(run / "home" / "conf"))
    (run / "home").mkdir(parents=True)
    done = subprocess.run(["java", "-Xmx512m", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool", *args[1:],
                           "--max-off-heap-memory=256m"], env=env, cwd=run, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert f"{len(graph)} nodes" in done.stdout and f"{len(graph.edges)} relationships" in done.stdout
    ctl = str(DEPLOY / "neo4jctl.sh")
    started = subprocess.run([ctl, "start", str(run)], env=env, capture_output=True, text=True, timeout=300)
    try:
        assert started.returncode == 0, started.stderr[-2000:]
        settings = Settings.from_env(_env_file(run / "neo4j.env"))
        with connect(settings) as conn:
            assert pull(conn) == graph
    finally:
        subprocess.run([ctl, "stop", str(run)], env=env, capture_output=True, timeout=300, check=False)
