"""The CLI's row renderer: values reach the terminal as data, whatever characters they hold."""

from __future__ import annotations

import json

import pytest

from kg.cli.output import emit_rows

AWKWARD = "[bold]x[/bold] [ca] Crohn's, \"quoted\"\ttab"


def test_table_prints_brackets_literally_not_as_rich_markup(capsys: pytest.CaptureFixture[str]) -> None:
    emit_rows([{"label": AWKWARD}], ["label"], "table", title="[b]ANKH[/b] [p.P5L]")
    out = capsys.readouterr().out
    assert "[bold]x[/bold] [ca]" in out
    assert "[b]ANKH[/b] [p.P5L]" in out  # the title too


def test_json_and_tsv_keep_the_value(capsys: pytest.CaptureFixture[str]) -> None:
    emit_rows([{"label": AWKWARD}], ["label"], "json")
    assert json.loads(capsys.readouterr().out) == [{"label": AWKWARD}]
    emit_rows([{"label": "[ca]"}], ["label"], "tsv")
    assert capsys.readouterr().out == "label\n[ca]\n"
