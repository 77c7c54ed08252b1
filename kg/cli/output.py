"""Rendering rows for the CLI: `--format table|json|tsv` (and csv where offered), data on stdout only.

The default format follows where stdout goes, as gh and kubectl do: a table on a terminal, TSV into a pipe or a
file (so `kg ... | cut -f2` works). `--format table` forces a table, laid out for `$COLUMNS` (kg.cli.table: it
fits the width, wraps at word boundaries, and leaves out low-value columns rather than split a token).

TSV and CSV cells are spreadsheet-safe (kg.cells): a value that a spreadsheet would run as a formula gets a
leading apostrophe. JSON and the table keep every value as it is.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Sequence
from typing import Any

import click

from kg.cells import CellWriter

FORMATS = ("table", "json", "tsv")
AUTO_HELP = "Output format (default: table on a terminal, tsv when piped)."


def default_format() -> str:
    """`table` when stdout is a terminal, `tsv` otherwise."""
    return "table" if sys.stdout.isatty() else "tsv"


def _resolve_format(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    return value or default_format()


def format_option(choices: Sequence[str] = FORMATS):  # noqa: ANN201 - click decorator
    """`--format`, resolved to table or tsv by where stdout goes when not given."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=None, callback=_resolve_format,
                        help=AUTO_HELP)


def terminal_width() -> int:
    """The width to lay tables out for: $COLUMNS, else the terminal's, else 80."""
    import shutil

    return max(shutil.get_terminal_size((80, 24)).columns, 20)


def _cell(value: Any, list_separator: str = ";") -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return list_separator.join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def label_beside(columns: Sequence[str]) -> tuple[str, ...]:
    """Columns a narrow table may leave out first: ids whose label is printed beside them (`X` with `X_label`)."""
    return tuple(c for c in columns if f"{c}_label" in columns)


def lines(text: str, fmt: str) -> None:
    """Prose beside a table: wrapped to the width on stdout under a table, on stderr otherwise (TSV stays rows)."""
    if fmt != "table":
        click.echo(text, err=True)
        return
    from kg.cli.table import wrap

    click.echo("\n".join(wrap(text, terminal_width())))


def claim_text(edge: dict[str, Any]) -> str:
    """An edge in words for people: `TGF-β1 increases expression of ANKH` (the predicate's underscores as spaces,
    so the text wraps; the schema name stays in the predicate column)."""
    return f"{edge['subject_label']} {edge['predicate'].replace('_', ' ')} {edge['object_label']}"


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def note(message: str) -> None:
    """A line for people on stderr (never mixed into the data on stdout)."""
    click.echo(f"note: {message}", err=True)


def emit_rows(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str, *, title: str | None = None,
              json_data: Any = None, drop: Sequence[str] = (), empty: str | None = None) -> None:
    """Print rows as a table (stdout), JSON (`json_data` if given, else the rows) or TSV/CSV.

    `drop` names the columns a narrow table may leave out, least valuable first (TSV and JSON keep them all);
    `empty` is what stderr says when there are no rows (default: "no results").
    """
    if not rows:
        note(empty or "no results")
    if fmt == "json":
        emit_json(rows if json_data is None else json_data)
        return
    if fmt in ("tsv", "csv"):
        buf = io.StringIO()
        writer = CellWriter(buf, "\t" if fmt == "tsv" else ",")
        writer.writerow(str(c) for c in columns)
        for row in rows:
            writer.writerow(_cell(row.get(c)) for c in columns)
        sys.stdout.write(buf.getvalue())
        return
    if not rows:
        return
    emit_table(rows, columns, title=title, drop=drop)


def emit_table(rows: list[dict[str, Any]], columns: Sequence[str], *, title: str | None = None,
               drop: Sequence[str] = ()) -> None:
    """A table fitted to the terminal width; says on stderr which columns it left out."""
    from kg.cli.table import render

    width = terminal_width()
    cells = [[_cell(row.get(c), "; ") for c in columns] for row in rows]
    text, plan = render(columns, cells, width, title=title, droppable=drop)
    sys.stdout.write(text)
    if plan.dropped:
        note(f"left out at {width} columns: {', '.join(plan.dropped)} (a wider terminal, --format tsv or "
             f"--format json shows them)")
