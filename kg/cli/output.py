"""Rendering rows for the CLI: `--format table|json|tsv` (and csv where offered), data on stdout only.

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


def format_option(choices: Sequence[str] = FORMATS, default: str = "table"):  # noqa: ANN201 - click decorator
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                        help="Output format.")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def emit_rows(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str, *, title: str | None = None,
              json_data: Any = None) -> None:
    """Print rows as a rich table (stdout), JSON (`json_data` if given, else the rows) or TSV/CSV."""
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
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=None if title is None else Text(title), show_lines=False, header_style="bold")
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        # Text, not str: a value is data, never rich markup (a label such as "[ca]" would be eaten as a tag)
        table.add_row(*[Text(_cell(row.get(c))) for c in columns])
    # a pipe or file has no width: use a wide one rather than folding every cell into 80 columns
    Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200).print(table)
