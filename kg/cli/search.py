"""`kg search TEXT`: entities whose names match part of a text, best first (kg.search); `--contexts` lists what
`kg predict --context` takes. Reads the build's JSON directly (no pydantic), like `kg show`."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.core import _setup_logging, build_dir_option
from kg.cli.output import emit_rows, format_option


@click.command()
@click.argument("text", required=False)
@click.option("--limit", "-n", type=click.IntRange(1, 200), default=20, show_default=True, help="At most N rows.")
@click.option("--category", default=None, help="Only this category, e.g. sequence_variant.")
@click.option("--contexts", "list_contexts", is_flag=True, help="List the contexts predictions can run in instead.")
@build_dir_option
@format_option()
def search(text: str | None, limit: int, category: str | None, list_contexts: bool, build_dir: Path | None,
           fmt: str) -> None:
    """Entities whose name, symbol, synonym, identifier or HGVS name matches TEXT (exact, then prefix, then a
    word's prefix, then anywhere), best first.

    \b
    Examples:
      kg search ankh
      kg search p.P5 --category sequence_variant
      kg search --contexts
    """
    from kg.errors import InputError
    from kg.search import SEARCH_COLUMNS, contexts
    from kg.search import search as run_search
    from kg.snapshot import load_snapshot

    _setup_logging()
    snapshot = load_snapshot(build_dir)
    if list_contexts:
        rows = contexts(snapshot.entities)
        emit_rows(rows, ("name", "id", "label"), fmt, title="contexts")
        return
    if text is None:
        raise InputError("give a TEXT to search for (or --contexts)")
    rows = run_search(snapshot.entities, text, limit=limit, category=category)
    emit_rows(rows, SEARCH_COLUMNS, fmt, title=f"{len(rows)} matches for '{text}'")
