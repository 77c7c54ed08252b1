"""Figures of the quantitative commands (dose-response, time course, sensitivity) with matplotlib, headless and
byte-for-byte reproducible: the Agg backend, a fixed SVG hash salt, no dates or software versions in the file's
metadata, so the same data gives the same PNG or SVG bytes. Written atomically (a temporary file renamed into
place): a failure leaves no partial figure."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.export.base import check_writable, write_atomically

FORMATS = ("png", "svg")
DPI = 120


def figure_format(path: Path) -> str:
    """png or svg, from the file's suffix (InputError otherwise), after checking the folder is writable."""
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise InputError(f"cannot tell the figure format of '{path}': use a .png or .svg file name")
    check_writable(Path(path))
    return fmt


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({"svg.hashsalt": "kg", "svg.fonttype": "path", "path.simplify": False,
                                "font.family": "DejaVu Sans", "axes.grid": True, "grid.alpha": 0.3})
    return plt


def _save(fig: Any, path: Path) -> None:
    fmt = figure_format(path)
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    write_atomically(path, lambda staged: fig.savefig(staged, format=fmt, dpi=DPI, metadata=metadata,
                                                      bbox_inches="tight"))


def lines(path: Path, x: Sequence[float], series: Sequence[Any], *, xlabel: str, ylabel: str, title: str,
          log_x: bool = False, log_y: bool = False, reference: Sequence[float] | None = None) -> None:
    """One line per series (values, optional band low/high) against x; with `reference` (one value per series)
    each is drawn relative to it (a fold), so readouts of different units share the axis."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    try:
        for k, s in enumerate(series):
            colour = f"C{k % 10}"
            ref = reference[k] if reference is not None and reference[k] else 1.0
            ax.plot(x, [v / ref for v in s.values], color=colour,
                    label=f"{s.label} ({s.compartment}{'' if reference is not None else ', ' + s.unit})")
            if s.low is not None and s.high is not None:
                ax.fill_between(x, [v / ref for v in s.low], [v / ref for v in s.high], color=colour, alpha=0.18,
                                linewidth=0)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        if log_x:
            ax.set_xscale("log")
        if log_y:
            ax.set_yscale("log")
        ax.legend(fontsize=8, loc="best")
        _save(fig, path)
    finally:
        plt.close(fig)


def bars(path: Path, labels: Sequence[str], values: Sequence[float], errors: Sequence[float] | None, *,
         xlabel: str, title: str) -> None:
    """Horizontal bars, the first label on top."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(labels) + 1.5))
    try:
        ypos = list(range(len(labels)))[::-1]
        ax.barh(ypos, values, xerr=errors, color="C0", alpha=0.8, error_kw={"elinewidth": 0.8})
        ax.set_yticks(ypos)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_title(title, fontsize=10)
        _save(fig, path)
    finally:
        plt.close(fig)
