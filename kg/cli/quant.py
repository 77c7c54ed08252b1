"""Quantitative commands over the kinetic model: timecourse, dose, sensitivity, fit (kg.simulate.dynamics,
.sensitivity and .fit). Data goes to stdout (`--format table|json|tsv`), figures to `-o FILE.png|svg`, notes to
stderr. numpy, scipy and matplotlib are imported only inside the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.cli.core import build_dir_option
from kg.cli.output import emit_json, emit_rows, format_option
from kg.cli.predict import _graph, context_option, hypothesis_option

figure_option = click.option("-o", "--output", "figure", type=click.Path(path_type=Path), default=None,
                             help="Also draw the result: a .png or .svg file (deterministic bytes).")
readouts_option = click.option("--readout", "-r", "readouts", multiple=True, metavar="NAME",
                               help="Follow these kinetic readouts (repeatable; NAME@COMPARTMENT too). Default: "
                                    "the ones that move most.")


def _simulator(build_dir: Path | None, context: str | None, hypotheses: tuple[str, ...]) -> Any:
    from kg.simulate.predict import Simulator

    return Simulator(_graph(build_dir), context, list(hypotheses))


def _notes(notes: list[str]) -> None:
    for note in notes:
        click.echo(f"note: {note}", err=True)


def _series_table(x_name: str, xs: list[float], series: list[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    cols = [x_name]
    rows = [{x_name: x} for x in xs]
    for s in series:
        key = f"{s.label}@{s.compartment} ({s.unit})"
        cols.append(key)
        for k, row in enumerate(rows):
            row[key] = s.values[k]
        if s.low is not None and s.high is not None:
            cols += [f"{key} p5", f"{key} p95"]
            for k, row in enumerate(rows):
                row[f"{key} p5"], row[f"{key} p95"] = s.low[k], s.high[k]
    return rows, cols


@click.command()
@click.argument("perturbations", nargs=-1, required=True)
@click.option("--hours", type=float, required=True, help="How long to follow the response (h).")
@click.option("--points", type=click.IntRange(2, 10_000), default=101, show_default=True,
              help="Evenly spaced times, 0 to HOURS.")
@readouts_option
@context_option
@hypothesis_option
@figure_option
@build_dir_option
@format_option()
def timecourse(perturbations: tuple[str, ...], hours: float, points: int, readouts: tuple[str, ...],
               context: str | None, hypotheses: tuple[str, ...], figure: Path | None, build_dir: Path | None,
               fmt: str) -> None:
    """The trajectory from baseline after PERTURBATIONS start at time 0 (the model's ODEs, scipy's BDF).

    \b
    Examples:
      kg timecourse ENPP1=ko --hours 240
      kg timecourse ENPP1=ko ENPP1-Fc --hours 72 -r PPi -r "arterial calcification" -o ko-fc.svg
    """
    from kg.simulate.dynamics.timecourse import timecourse as run

    if figure is not None:
        from kg.export.plots import figure_format

        figure_format(figure)
    course = run(_simulator(build_dir, context, hypotheses), list(perturbations), hours, points, list(readouts))
    _notes(course.notes)
    if figure is not None:
        from kg.export.plots import lines

        lines(figure, course.times, course.series, xlabel="time after the perturbation starts (h)",
              ylabel="fold of the baseline", title=f"{' '.join(perturbations)} in {course.context}", log_y=True,
              reference=[s.values[0] for s in course.series])
        click.echo(f"wrote {figure}", err=True)
    if fmt == "json":
        emit_json(course.to_json())
        return
    rows, cols = _series_table("time_h", course.times, course.series)
    emit_rows(rows, cols, fmt, title=f"{' '.join(perturbations)} in {course.context}: time course")
