"""kg.cli.table: tables fit the width, wrap at spaces, never split a token, and leave out low-value columns first."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli.table import layout, render, wrap

COLUMNS = ("edge_id", "label", "status", "citations")
ROWS = [["KG:edge.0ea6135256dc7505", "calcium pyrophosphate deposition", "contested",
         "DOI:10.3109/03008207.2010.491928; PMID:33925341; PMID:6315937"],
        ["KG:edge.049b0a17bb79f72a", "ATP", "established", "PMID:32639996"]]


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[^\s;]+", text))


def test_natural_widths_when_they_fit():
    text, plan = render(COLUMNS, ROWS, 200)
    assert plan.dropped == () and all(len(line) <= 200 for line in text.splitlines())
    assert "calcium pyrophosphate deposition" in text  # nothing wrapped


def test_narrow_tables_wrap_at_spaces_and_keep_every_token_whole():
    for width in (80, 60, 56):
        text, plan = render(COLUMNS, ROWS, width, droppable=("citations",))
        assert all(len(line) <= width for line in text.splitlines()), width
        shown = [c for c in COLUMNS if c in plan.columns]
        for row in ROWS:
            for col, cell in zip(COLUMNS, row, strict=True):
                if col in shown:
                    assert _tokens(cell) <= _tokens(text), (width, cell)


def test_low_value_columns_are_left_out_in_the_callers_order_before_any_token_breaks():
    _, plan = render(COLUMNS, ROWS, 75, droppable=("citations", "status"))
    assert plan.dropped == ("citations",) and "status" in plan.columns
    _, plan = render(COLUMNS, ROWS, 40, droppable=("citations", "status"))
    assert plan.dropped == ("status", "citations")  # reported in column order
    assert min(plan.widths) >= 1


def test_a_column_that_cannot_be_dropped_keeps_its_tokens_whole_even_past_the_width():
    _, plan = render(("edge_id",), [["KG:edge.0ea6135256dc7505"]], 10)
    assert plan.widths == (len("KG:edge.0ea6135256dc7505"),)


def test_headers_may_break_after_underscores_only():
    text, _ = render(("fold_change", "x"), [["0.5", "a b c d e f"]], 12)
    assert "fold_" in text.splitlines()[0] and "change" in text.splitlines()[1]


def test_numbers_are_right_aligned():
    text, _ = render(("n", "name"), [["5", "a"], ["123", "b"]], 40)
    lines = text.splitlines()
    assert lines[2].startswith("  5") and lines[3].startswith("123")


def test_wrap_never_breaks_a_long_token():
    assert wrap("a DOI:10.3109/03008207.2010.491928 b", 10) == ["a", "DOI:10.3109/03008207.2010.491928", "b"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.text(alphabet="abcdefghij:._ ", min_size=0, max_size=30), min_size=3, max_size=3),
                min_size=1, max_size=5), st.integers(min_value=20, max_value=140))
def test_any_table_keeps_tokens_whole_and_fits_when_the_tokens_do(rows, width):
    cols = ("a", "b", "c")
    text, plan = render(cols, rows, width, droppable=("c", "b"))
    for row in rows:
        for col, cell in zip(cols, row, strict=True):
            if col in plan.columns:
                assert set(cell.split()) <= set(text.split())
    longest = layout(cols, rows, width, ("c", "b"))
    if sum(longest.widths) + 2 * (len(longest.widths) - 1) <= width:
        assert all(len(line) <= width for line in text.splitlines())
