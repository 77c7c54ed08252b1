"""`kg predict ... --plot FILE`: the readouts a perturbation changed, as a chart a paper can use.

One panel per layer. Kinetic readouts (the ODE layer, which gives amounts) are placed by log2 fold change, sorted,
coloured by direction: a bar to the median with its interval where the prediction carries an ensemble
(`fold_median`, `fold_interval`), else a point. Signed readouts (propagation over the whole graph, direction
only) are marks at +1 (increase), -1 (decrease) or 0 (ambiguous), labelled as having no magnitude. matplotlib
draws headless (Agg); text stays text in SVG and PDF; the bytes are the same for the same prediction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kg.errors import InputError

PLOT_FORMATS = ("png", "svg", "pdf")
MAX_ROWS = 40  # readouts per panel; the rest are counted in the panel's title
COLOURS = {"increase": "#c7522a", "decrease": "#2b6ca3", "ambiguous": "#c99a06", "unchanged": "#888888"}
MARKS = {"increase": 1.0, "decrease": -1.0, "ambiguous": 0.0}
ZERO_FOLD_LOG2 = -10.0  # a fold of 0 (complete loss) is drawn at the axis edge, marked "≤"
PNG_DPI = 200


def plot_format(path: Path) -> str:
    """The format named by a plot file's suffix; InputError (exit 2) for any other."""
    fmt = Path(path).suffix.lstrip(".").lower()
    if fmt not in PLOT_FORMATS:
        raise InputError(f"--plot {path}: the file must end in .png, .svg or .pdf")
    return fmt


def _log2(fold: float | None) -> float | None:
    if fold is None:
        return None
    return ZERO_FOLD_LOG2 if fold <= 0 else max(math.log2(fold), ZERO_FOLD_LOG2)


def rows(prediction: Mapping[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(kinetic, signed) readouts that changed, each sorted strongest increase first; inputs left out."""
    kinetic, signed = [], []
    for r in prediction.get("readouts", []):
        if r.get("direction") == "unchanged" or r.get("layer") == "input":
            continue
        fold = r.get("fold_median", r.get("fold_change"))
        if r.get("layer") == "kinetic" and fold is not None:
            interval = r.get("fold_interval")
            kinetic.append({"label": r["label"], "direction": r["direction"], "log2": _log2(fold),
                            "interval": None if not interval else (_log2(interval[0]), _log2(interval[1]))})
        else:
            signed.append({"label": r["label"], "direction": r["direction"], "log2": MARKS.get(r["direction"], 0)})
    kinetic.sort(key=lambda r: (-r["log2"], r["label"].casefold()))
    signed.sort(key=lambda r: (-r["log2"], r["label"].casefold()))
    return kinetic, signed


def _title(prediction: Mapping[str, Any]) -> str:
    names = " + ".join(p.get("input") or p.get("label") or "?" for p in prediction.get("perturbations", []))
    context = (prediction.get("context") or {}).get("name")
    return f"Predicted response to {names}" + (f" in {context}" if context else "")


def _panel(ax: Any, items: list[dict[str, Any]], *, kinetic: bool, hidden: int) -> None:
    labels = [r["label"] for r in items]
    ys = list(range(len(items)))[::-1]
    for y, r in zip(ys, items, strict=True):
        colour = COLOURS.get(r["direction"], COLOURS["unchanged"])
        if kinetic and r["interval"] is not None:
            lo, hi = sorted(r["interval"])
            ax.barh(y, r["log2"], height=0.6, color=colour, alpha=0.85)
            ax.errorbar(r["log2"], y, xerr=[[r["log2"] - lo], [hi - r["log2"]]], fmt="none", ecolor="#222222",
                        elinewidth=1.0, capsize=3)
        elif kinetic:
            ax.hlines(y, 0, r["log2"], color=colour, linewidth=1.2)
            ax.plot([r["log2"]], [y], "o", color=colour, markersize=6)
        else:
            marker = {"increase": "^", "decrease": "v"}.get(r["direction"], "D")
            ax.plot([r["log2"]], [y], marker, color=colour, markersize=7)
        if kinetic and r["log2"] <= ZERO_FOLD_LOG2:
            ax.annotate("≤", (r["log2"], y), xytext=(-10, -4), textcoords="offset points", fontsize=8)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_yticks(ys, labels)
    ax.set_ylim(-0.7, len(items) - 0.3)
    more = f" (and {hidden} more)" if hidden else ""
    if kinetic:
        ax.set_xlabel("log2 fold change (perturbed / baseline)")
        ax.set_title(f"kinetic layer: amounts{more}", fontsize=10, loc="left")
    else:
        ax.set_xlim(-1.6, 1.6)
        ax.set_xticks([-1, 0, 1], ["decrease", "ambiguous", "increase"])
        ax.set_title(f"signed layer: direction only, no magnitude{more}", fontsize=10, loc="left")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def render(prediction: Mapping[str, Any], fmt: str) -> bytes:
    """The chart's bytes (png, svg or pdf); deterministic for a given prediction."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinetic, signed = rows(prediction)
    panels = [(items[:MAX_ROWS], is_kinetic, max(len(items) - MAX_ROWS, 0))
              for items, is_kinetic in ((kinetic, True), (signed, False)) if items]
    rc = {"svg.hashsalt": "kg", "svg.fonttype": "none", "pdf.fonttype": 42, "font.family": "DejaVu Sans",
          "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(rc):
        heights = [max(len(p[0]), 1) for p in panels] or [1]
        fig, axes = plt.subplots(len(heights), 1, figsize=(6.5, 1.1 + 0.24 * sum(heights) + 0.5 * len(heights)),
                                 gridspec_kw={"height_ratios": heights}, squeeze=False)
        try:
            if not panels:
                axes[0][0].axis("off")
                axes[0][0].text(0.5, 0.5, "no readout changed", ha="center", va="center")
            for ax, (items, is_kinetic, hidden) in zip((a[0] for a in axes), panels, strict=False):
                _panel(ax, items, kinetic=is_kinetic, hidden=hidden)
            fig.suptitle(_title(prediction), fontsize=11, x=0.01, ha="left")
            fig.tight_layout()
            buf = io.BytesIO()
            metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                        "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None}}[fmt]
            fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=metadata)
        finally:
            plt.close(fig)
    return buf.getvalue()


def write_plot(prediction: Mapping[str, Any], path: Path) -> Path:
    """Write the chart to `path` (format from its suffix) atomically."""
    import os
    import tempfile

    from kg.export.base import check_writable

    path = Path(path)
    fmt = plot_format(path)
    folder = check_writable(path)
    data = render(prediction, fmt)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
