"""Shared fixtures: the curated graph from loaders/, and small hand-built graphs with known answers."""

from __future__ import annotations

import locale
import os
import warnings
from pathlib import Path

import pytest

from kg.graph import KnowledgeGraph
from kg.load.pipeline import load_paths
from kg.models import Edge, Entity, Evidence
from kg.paths import loaders_dir


@pytest.fixture(autouse=True)
def _process_locale_kept(request: pytest.FixtureRequest):
    """COPASI (through basico, in the SBML cross-check) sets the process locale to "C", which leaves Python's
    default text encoding ASCII for every later test (subprocess output, read_text): the locale is put back after
    each test, and a warning names the test that changed it."""
    before = locale.setlocale(locale.LC_ALL)
    yield
    after = locale.setlocale(locale.LC_ALL)
    if after != before:
        locale.setlocale(locale.LC_ALL, before)
        warnings.warn(f"{request.node.nodeid} changed the process locale from {before!r} to {after!r}", stacklevel=1)


IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip locally when a real component is missing; in CI (CI=true) the missing component is a failure."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def curated_graph() -> KnowledgeGraph:
    """The real curated graph, loaded from loaders/ (the same sources `kg build` reads)."""
    return load_paths([loaders_dir()], root=loaders_dir().parent)


def ev(source: str = "PMID:32639996", **kw: object) -> Evidence:
    return Evidence(source=source, **kw)


@pytest.fixture()
def tiny_graph() -> KnowledgeGraph:
    """A 6-entity core pathway: ANKH -> ATP -> (ENPP1) -> PPi -| HA deposition, TGFB1 -> ANKH."""
    ents = [
        Entity(id="HGNC:15492", category="gene_or_protein", label="ANKH", symbol="ANKH", synonyms=["ANK"]),
        Entity(id="HGNC:3356", category="gene_or_protein", label="ENPP1", symbol="ENPP1"),
        Entity(id="HGNC:11766", category="gene_or_protein", label="TGF-β1", symbol="TGFB1"),
        Entity(id="CHEBI:15422", category="small_molecule", label="ATP"),
        Entity(id="CHEBI:29888", category="small_molecule", label="PPi", synonyms=["pyrophosphate"]),
        Entity(id="KG:HA_deposition", category="process", label="hydroxyapatite deposition",
               synonyms=["HA deposition"]),
    ]
    edges = [
        Edge(subject="HGNC:15492", predicate="transports", object="CHEBI:15422", from_compartment="intracellular",
             to_compartment="extracellular", evidence=[ev(species="human", system="HEK293")]),
        Edge(subject="HGNC:3356", predicate="consumes", object="CHEBI:15422", substrates=["CHEBI:15422"],
             products=["CHEBI:29888"], evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject="HGNC:3356", predicate="produces", object="CHEBI:29888", substrates=["CHEBI:15422"],
             products=["CHEBI:29888"], evidence=[ev("DOI:10.1038/ng1221")]),
        Edge(subject="CHEBI:29888", predicate="inhibits_formation_of", object="KG:HA_deposition",
             evidence=[ev("PMID:6315937")]),
        Edge(subject="HGNC:11766", predicate="increases_expression_of", object="HGNC:15492",
             evidence=[ev("DOI:10.1186/ar2330", species="rat")]),
    ]
    return KnowledgeGraph(ents, edges)


@pytest.fixture()
def loaders_path() -> Path:
    return loaders_dir()


@pytest.fixture(scope="module")
def kg(tmp_path_factory):
    """The CLI on a real build of the curated loaders (one build per test module): kg("predict", ...) -> Result."""
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path_factory.mktemp("build")
    runner = CliRunner()
    result = runner.invoke(main, ["build", "-q", "-s", str(loaders_dir()), "--build-dir", str(out)])
    assert result.exit_code == 0, result.output

    def invoke(*args: str):
        return runner.invoke(main, [*args, "--build-dir", str(out)])

    invoke.build_dir = out
    return invoke


@pytest.fixture(scope="session")
def curated_build(tmp_path_factory) -> Path:
    """One build of the curated loaders for the tests that only read it (the web app's: the server never writes)."""
    from kg.build import build

    out = tmp_path_factory.mktemp("curated-build")
    build([loaders_dir()], out)
    return out


def edges_between(graph: KnowledgeGraph, subject: str, predicate: str, obj: str) -> list[Edge]:
    """The edges `subject -predicate-> obj`, each end named as a user would type it."""
    s, o = graph.resolve(subject).id, graph.resolve(obj).id
    return [e for e in graph.edges if e.subject == s and e.predicate == predicate and e.object == o]
