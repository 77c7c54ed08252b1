"""Simulator commands: predict (perturbations -> readouts with explanations), check (score against observed
cases), screen (rank every perturbation by its effect on a readout).

They read the build's JSON through kg.simulate.lite (no pydantic) so that `kg predict` answers fast.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from kg.cli.core import build_dir_option
from kg.cli.output import emit_json, emit_rows, format_option, lines

context_option = click.option("--context", "-c", default=None,
                              help="Context: hek293, chondrocyte or plasma (default: plasma).")
hypothesis_option = click.option("--hypothesis", "hypotheses", multiple=True, metavar="CLAIM",
                                 help="Switch a contested claim on: an edge id, its claim text, "
                                      "'SUBJECT PREDICATE OBJECT' (e.g. 'ANKH transports PPi'), or 'all'.")


def _graph(build_dir: Path | None) -> Any:
    from kg.cli.core import _setup_logging
    from kg.simulate.lite import load_lite

    _setup_logging()
    return load_lite(build_dir)


def _order(row: dict[str, Any]) -> tuple[Any, ...]:
    layer_rank = {"input": 0, "kinetic": 1, "signed": 2}[row["layer"]]
    changed = row["direction"] != "unchanged"
    fold = row["fold_change"]
    strength = abs(math.log(fold)) if fold and fold > 0 else (math.inf if fold == 0 else 0.0)
    return (not changed, layer_rank, -strength, row["label"])


def run_prediction(graph: Any, perturbations: Sequence[str], context: str | None, hypotheses: Sequence[str] = (),
                   readouts: Sequence[str] = ()) -> tuple[Any, dict[str, Any]]:
    """The prediction and its JSON (`kg predict --format json`; the web app serves the same), numbers checked
    finite."""
    from kg.numbers import numeric_guard, require_finite
    from kg.simulate.predict import predict as run_predict

    with numeric_guard("the prediction"):
        pred = run_predict(graph, list(perturbations), context, list(hypotheses), list(readouts) or None)
    return pred, require_finite(pred.to_json(), "the prediction")


def run_check(graph: Any, data: dict[str, Any], hypotheses: Sequence[str] = ()) -> tuple[Any, dict[str, Any]]:
    """Score read cases (kg.simulate.check.load_cases): the report and its JSON (`kg check --format json`, with
    the file's known gaps), numbers checked finite."""
    from kg.numbers import numeric_guard, require_finite
    from kg.simulate.check import check

    with numeric_guard("the check"):
        report = check(graph, data, list(hypotheses))
    result = require_finite(report.to_json(), "the check")
    gaps = [{"id": str(c.get("id")), "reason": c["reason"]} for c in data.get("known_gaps") or []]
    return report, {**result, **({"known_gaps": gaps} if gaps else {})}


def run_screen(graph: Any, context: str | None, *, effect: str = "ko", pairs: bool = False, readout: str = "PPi",
               hypotheses: Sequence[str] = (), top: int | None = None) -> list[dict[str, Any]]:
    """The ranked rows of `kg screen` (its JSON), numbers checked finite."""
    from kg.numbers import numeric_guard, require_finite
    from kg.simulate.screen import screen

    with numeric_guard("the screen"):
        rows = screen(graph, context, effect=effect, pairs=pairs, readout=readout, hypotheses=list(hypotheses),
                      top=top)
    return require_finite(rows, "the screen")


@click.command()
@click.argument("perturbations", nargs=-1, required=True)
@context_option
@click.option("--readout", "-r", "readouts", multiple=True, metavar="NAME",
              help="Only these readouts (name, synonym or CURIE; repeatable). Default: every entity.")
@hypothesis_option
@click.option("--all", "show_all", is_flag=True, help="Table/TSV: list unchanged readouts too (JSON always does).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also draw the changed readouts (log2 fold change by layer, coloured by direction) to FILE "
                   "(.png, .svg or .pdf).")
@build_dir_option
@format_option()
def predict(perturbations: tuple[str, ...], context: str | None, readouts: tuple[str, ...],
            hypotheses: tuple[str, ...], show_all: bool, plot: Path | None, build_dir: Path | None,
            fmt: str) -> None:
    """Predict what PERTURBATIONS do: NAME=EFFECT (ko, lof, gof, up, down or a number), NAME (= up),
    GENE:VARIANT, or GENE:VARIANT=up (variant protein overexpressed).

    \b
    Examples:
      kg predict ANKH:p.P5L
      kg predict ENPP1=ko --readout PPi --readout "HA deposition"
      kg predict --context hek293 ANKH=up
      kg predict ENPP1=ko ENPP1-Fc --format json
      kg predict ENPP1=ko --plot enpp1.pdf
    """
    if plot is not None:
        from kg.export.base import check_writable
        from kg.export.plot import plot_format

        plot_format(plot)
        check_writable(plot)  # fail before any work
    pred, data = run_prediction(_graph(build_dir), perturbations, context, hypotheses, readouts)
    if plot is not None:
        from kg.export.plot import write_plot

        click.echo(f"wrote {write_plot(data, plot)}", err=True)
    if fmt == "json":
        emit_json(data)
        return
    rows = []
    shown = [r for r in pred.readouts if show_all or readouts or r["direction"] != "unchanged"]
    for r in sorted(shown, key=_order):
        paths = r["explanation"]["supporting"] or r["explanation"]["opposing"]
        # the summary without its first clause (direction and fold have their own columns)
        why = r["explanation"]["summary"].partition(": ")[2]
        rows.append({**r, "why": why, "citations": sorted(
            {s for p in paths[:1] for st in p["steps"] for s in st["sources"]})})
    cols = ("label", "direction", "fold_change", "baseline", "perturbed", "unit", "confidence", "layer", "why",
            "citations")
    title = f"{' '.join(perturbations)} in {pred.context.name}"
    for note in pred.notes:
        click.echo(f"note: {note}", err=True)
    if len(shown) < len(pred.readouts):
        click.echo(f"note: {len(pred.readouts) - len(shown)} readouts unchanged (listed with --all or --format json)",
                   err=True)
    emit_rows(rows, cols if fmt == "table" else ("id", *cols), fmt, title=title,
              drop=("citations", "baseline", "perturbed", "layer", "unit", "confidence"),
              empty="no readout changed" if not show_all else None)


@click.command()
@click.argument("cases", type=click.Path(path_type=Path))
@hypothesis_option
@click.option("--skip-unknown", is_flag=True,
              help="Score cases whose perturbations name entities or variants the graph lacks as 'not covered' "
                   "(default: refuse the file, exit 2).")
@build_dir_option
@format_option()
def check(cases: Path, hypotheses: tuple[str, ...], skip_unknown: bool, build_dir: Path | None, fmt: str) -> None:
    """Score predictions against a CASES.yaml of perturbation -> observed outcome (the format of
    shared/validation/public-cases.yaml). Prints each check, accuracy and coverage (overall, per area, per
    context); exit 1 if any covered check misses, 2 if the file has errors (all listed, with case id and line)."""
    from kg.simulate.check import load_cases

    graph = _graph(build_dir)
    data = load_cases(cases, graph, skip_unknown=skip_unknown)
    report, document = run_check(graph, data, hypotheses)
    summary = document["summary"]
    if fmt == "json":
        emit_json(document)
    else:
        rows = [{**r, "result": "ok" if r["ok"] else ("MISS" if r["covered"] else "not covered")}
                for r in report.rows]
        emit_rows(rows, ("case", "area", "context", "readout", "check", "expected", "predicted", "fold_change",
                         "result"), fmt, title=f"checks from {cases}", drop=("fold_change", "area", "context", "check"),
                  empty=f"{cases} holds no expectations")
        if fmt == "table":
            for by, name in (("by_area", "area"), ("by_context", "context")):
                emit_rows([{name: k, **v} for k, v in summary[by].items()],
                          (name, "expectations", "covered", "passed", "accuracy", "coverage", "cases",
                           "cases_passed"), fmt, title=f"accuracy by {name}", drop=("cases", "cases_passed", "covered"))
        for r in report.rows:
            if not r["ok"]:
                tag = "miss" if r["covered"] else "not covered"
                lines(f"{tag}: {r['case']} {r['readout']} ({r['check']} {r['expected']}): {r['explanation']}", fmt)
        acc = "n/a" if summary["accuracy"] is None else f"{summary['accuracy']:.1%}"
        cov = "n/a" if summary["coverage"] is None else f"{summary['coverage']:.1%}"
        gaps = data.get("known_gaps") or []
        lines(f"accuracy {acc} ({summary['passed']}/{summary['covered']} covered checks); coverage {cov} "
                   f"({summary['covered']}/{summary['expectations']}); cases passed {summary['cases_passed']}/"
                   f"{summary['cases']}" + (f"; known gaps (not scored): {len(gaps)}" if gaps else ""), fmt)
    if report.misses:
        raise SystemExit(1)


@click.command()
@context_option
@click.option("--effect", "-e", type=click.Choice(["ko", "lof", "gof", "up", "down"]), default="ko",
              show_default=True, help="The effect applied to every candidate.")
@click.option("--pairs", is_flag=True, help="Also every pair of candidates (with their interaction).")
@click.option("--readout", "-r", default="PPi", show_default=True, help="The readout to rank by.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the first N rows.")
@hypothesis_option
@build_dir_option
@format_option()
def screen(context: str | None, effect: str, pairs: bool, readout: str, top: int | None,
           hypotheses: tuple[str, ...], build_dir: Path | None, fmt: str) -> None:
    """Rank every single (and with --pairs every pairwise) perturbation by its effect on a readout."""
    rows = run_screen(_graph(build_dir), context, effect=effect, pairs=pairs, readout=readout,
                      hypotheses=hypotheses, top=top)
    cols = ("rank", "perturbation", "direction", "fold_change", "perturbed", "unit", "layer", "confidence",
            *(("interaction",) if pairs else ()), "path")
    emit_rows(rows, cols, fmt, title=f"{effect} screen on {readout} ({context or 'plasma'})", json_data=rows,
              drop=("unit", "perturbed", "layer", "confidence", "path"), empty=f"no perturbation changes {readout}")
