"""The readout table of `kg predict` (table and TSV; JSON is the prediction's own): which rows, in what order,
which columns, and the cells the table composes (fold [interval], baseline -> perturbed, probabilities)."""

from __future__ import annotations

import math
from typing import Any

import click

from kg.cli.output import emit_rows

READOUT_COLUMNS = ("label", "compartment", "direction", "fold_change", "baseline", "perturbed", "unit", "confidence",
                   "layer", "why", "citations")
# what a narrow table drops first; the compartment goes last: PPi in bone and PPi in plasma are different readouts
READOUT_DROP = ("citations", "baseline", "perturbed", "layer", "unit", "confidence", "compartment")
ENSEMBLE_COLUMNS = ("fold_median", "fold_low", "fold_high", "p_increase", "p_decrease", "p_unchanged")
# the table composes its numbers: the fold to two significant figures [5th-95th percentile], baseline -> perturbed
TABLE_COLUMNS = ("label", "compartment", "direction", "fold", "level", "confidence", "layer", "why", "citations")
TABLE_DROP = ("citations", "layer", "level", "probability", "confidence", "compartment")


def order(row: dict[str, Any]) -> tuple[Any, ...]:
    """Changed first, inputs before kinetic before signed, strongest fold first, then by name."""
    layer_rank = {"input": 0, "kinetic": 1, "signed": 2}[row["layer"]]
    changed = row["direction"] != "unchanged"
    fold = row["fold_change"]
    strength = abs(math.log(fold)) if fold and fold > 0 else (math.inf if fold == 0 else 0.0)
    return (not changed, layer_rank, -strength, row["label"], row.get("compartment") or "")


def readout_rows(pred: Any, show_all: bool, readouts: tuple[str, ...],
                 extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows to show (changed ones, unless `show_all` or readouts were named), each with its reason and the
    sources of its deciding path; a note on stderr counts the rest."""
    rows = []
    shown = [r for r in pred.readouts if show_all or readouts or r["direction"] != "unchanged"]
    for r in sorted(shown, key=order):
        paths = r["explanation"]["supporting"] or r["explanation"]["opposing"]
        # the summary without its first clause (direction and fold have their own columns)
        why = r["explanation"]["summary"].partition(": ")[2]
        rows.append({**(extra or {}), **r, "why": why, "citations": sorted(
            {s for p in paths[:1] for st in p["steps"] for s in st["sources"]})})
    if len(shown) < len(pred.readouts):
        click.echo(f"note: {len(pred.readouts) - len(shown)} readouts unchanged (listed with --all or --format json)",
                   err=True)
    return rows


def emit_readouts(pred: Any, show_all: bool, readouts: tuple[str, ...], fmt: str, title: str) -> None:
    """Table/TSV rows of a prediction whose JSON run_prediction or run_genotype_file already checked finite."""
    rows = [{**r, **_spread_cells(r, fmt)} for r in readout_rows(pred, show_all, readouts)]
    spread = pred.ensemble is not None
    if fmt == "table":
        emit_rows(rows, (*TABLE_COLUMNS[:4], *(("probability",) if spread else ()), *TABLE_COLUMNS[4:]), fmt,
                  title=title, drop=TABLE_DROP, empty="no readout changed" if not show_all else None)
        return
    at = READOUT_COLUMNS.index("fold_change") + 1
    cols = ("id", *READOUT_COLUMNS[:at], *(ENSEMBLE_COLUMNS if spread else ()), *READOUT_COLUMNS[at:])
    emit_rows(rows, cols, fmt, title=title, drop=READOUT_DROP, empty="no readout changed" if not show_all else None)


def _spread_cells(row: dict[str, Any], fmt: str) -> dict[str, Any]:
    """Table: the fold to two significant figures with its interval, the levels before and after, the
    probabilities (composed columns); TSV: the numbers."""
    p = row.get("probability")
    interval = row.get("fold_interval")
    if fmt != "table":
        out = {"fold_median": row.get("fold_median"),
               "fold_low": interval[0] if interval else None, "fold_high": interval[1] if interval else None}
        out.update({f"p_{k}": v for k, v in (p or {}).items()})
        return out
    fold = two_sig(row["fold_change"])
    if interval:
        fold += f" [{two_sig(interval[0])}-{two_sig(interval[1])}]"
    probability = " ".join(f"{sym}{p[k]:.2f}" for sym, k in (("+", "increase"), ("-", "decrease"),
                                                               ("=", "unchanged"))) if p else ""
    level = "" if row["baseline"] is None else \
        f"{two_sig(row['baseline'])} -> {two_sig(row['perturbed'])} {row['unit'] or ''}".rstrip()
    return {"fold": fold, "level": level, "probability": probability}


def two_sig(x: float | None) -> str:
    """A number to two significant figures, in plain notation between 1e-4 and 1e6."""
    if x is None:
        return ""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    if not 1e-4 <= abs(x) < 1e6:
        return f"{x:.1e}"
    digits = 1 - math.floor(math.log10(abs(x)))
    return f"{round(x, digits):.{max(digits, 0)}f}"
