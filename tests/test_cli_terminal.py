"""Every command's table at 80 and 120 columns: lines fit, and no token of the data is split.

Each command runs twice on a real build of the curated loaders, with `--format table` and `--format tsv`; every
token (a run of characters without spaces or ';') of every TSV cell in a column the table shows must appear
whole in the table. The table's columns are read back from its header and the rule under it.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

CASES = Path(__file__).resolve().parent / "validation" / "published-cases.yaml"
COMMANDS = [
    ["info"],
    ["validate"],
    ["show", "ANKH"],
    ["show", "ANKH", "--evidence"],
    ["show", "PPi"],
    ["show", "ANKH:p.P5L"],
    ["show", "KG:edge.0ea6135256dc7505"],
    ["show", "hek293"],
    ["query", "interactions", "--of", "ANKH"],
    ["query", "interactions", "--status", "contested"],
    ["query", "neighbors", "PPi", "--depth", "2"],
    ["query", "paths", "TGFB1", "CPP deposition", "--signed", "--max-length", "4"],
    ["query", "regulators", "ANKH"],
    ["query", "run", "list"],
    ["query", "run", "contested"],
    ["query", "run", "citing", "--param", "source=PMID:32639996"],
    ["query", "run", "disease_genes", "--param", "disease=chondrocalcinosis 2"],
    ["query", "run", "paths", "--param", "source=TGFB1", "--param", "target=PPi"],
    ["sparql", "SELECT ?g ?label WHERE { ?g a biolink:Gene ; rdfs:label ?label }"],
    ["predict", "ANKH:p.P5L"],
    ["predict", "SLC20A1=ko"],
    ["predict", "ENPP1=ko", "ENPP1-Fc", "--context", "chondrocyte"],
    ["screen", "--top", "10"],
    ["check", str(CASES)],
]
BLOCKS = ("source", "reference", "system", "assay", "statement", "edge_id")  # what evidence blocks print in full
# columns a table composes from the TSV's (kg predict: fold to two significant figures with its interval,
# baseline -> perturbed with the unit, the ensemble's probabilities)
TABLE_ONLY = ("interaction", "route", "not_established", "fold", "level", "probability")
RULE = re.compile(r"^─+(  ─+)*$")


@pytest.fixture(scope="module")
def render(kg):
    """`render(args, width, fmt)`: a command on the module's real build, in a terminal COLUMNS wide."""
    runner = CliRunner()

    def invoke(args: list[str], width: int, fmt: str):
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("COLUMNS", str(width))
            if args[0] == "validate":  # reads sources, not a build
                return runner.invoke(main, [*args, "--format", fmt])
            return kg(*args, "--format", fmt)

    return invoke


def shown_columns(table: str, names: list[str]) -> list[list[str]]:
    """The columns of each data table in the text (those whose header names are all in `names`), read from the
    header lines above each rule line; other tables (kg check's summaries by area) are recognised and skipped."""
    lines = table.splitlines()
    tables = []
    for i, line in enumerate(lines):
        if not RULE.match(line):
            continue
        spans = [(m.start(), m.end()) for m in re.finditer(r"─+", line)]
        headers = [["".join(h[a:b].strip() for h in lines[i - height:i]) for a, b in spans] for height in (1, 2, 3, 4)]
        data = [cols for cols in headers if all(c in names for c in cols)]
        if data:
            tables.append(data[0])
            continue
        assert any(all(re.fullmatch(r"[a-z_]+", c) for c in cols) for cols in headers), (
            f"unreadable header above line {i}: {lines[max(i - 4, 0):i + 1]}")
    return tables


def _tokens(cell: str) -> list[str]:
    return re.findall(r"[^\s;]+", cell)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a)[:40])
def test_every_command_fits_the_width_without_splitting_a_token(render, args, width):
    table = render(args, width, "table")
    tsv = render(args, width, "tsv")
    assert table.exit_code in (0, 1) and tsv.exit_code == table.exit_code, table.output
    text = table.stdout
    words = set(text.split())
    for line in text.splitlines():
        assert len(line) <= width, f"{' '.join(args)} at {width}: {line}"
    rows = list(csv.reader(io.StringIO(tsv.stdout), delimiter="\t"))
    header, body = rows[0], rows[1:]
    tables = shown_columns(text, [*header, *TABLE_ONLY])
    if not body:
        return
    # the data table (show prints a card above it); `show --evidence` prints blocks of the evidence in full
    shown = tables[-1] if tables else [c for c in BLOCKS if c in header]
    assert shown, f"no table in:\n{text}"
    for row in body:
        for name, cell in zip(header, row, strict=False):
            if name not in shown:
                continue
            for token in _tokens(cell):
                assert token in words or any(token in w for w in words if len(w) >= len(token)), (
                    f"{' '.join(args)} at {width}: '{token}' of column {name} is split or missing")
