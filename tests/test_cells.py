"""Spreadsheet-safe cells: formula triggers neutralised, numbers left alone, the reversible form exact."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.cells import decode_cell, encode_cell, safe_cell
from kg.cli.output import emit_rows
from tests.hostile import FORMULAS, LABELS, formula_cells


@pytest.mark.parametrize("text", FORMULAS)
def test_each_trigger_is_neutralised(text):
    assert safe_cell(text) == "'" + text
    assert formula_cells([safe_cell(text)]) == []


@pytest.mark.parametrize("text", ["-0.5", "+3", "1e-05", "-12", "2026-11-30", "ANKH", "", "'quoted", "a=b"])
def test_numbers_and_plain_text_are_unchanged(text):
    assert safe_cell(text) == text


@given(st.text())
def test_encoding_is_reversible_and_never_a_formula(text):
    encoded = encode_cell(text)
    assert decode_cell(encoded) == text
    assert formula_cells([encoded]) == []


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_cli_rows_are_safe_in_tsv_and_csv(capsys, fmt):
    rows = [{"label": label, "n": -2.5} for label in LABELS]
    emit_rows(rows, ["label", "n"], fmt)
    cells = [c for row in csv.reader(io.StringIO(capsys.readouterr().out), delimiter="\t" if fmt == "tsv" else ",")
             for c in row]
    assert formula_cells(cells) == []
    assert "'" + FORMULAS[0] in cells and "-2.5" in cells  # neutralised, and a number stays a number


def test_json_keeps_the_value(capsys):
    import json

    emit_rows([{"label": FORMULAS[0]}], ["label"], "json")
    assert json.loads(capsys.readouterr().out) == [{"label": FORMULAS[0]}]
