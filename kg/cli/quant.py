"""Quantitative commands over the kinetic model: timecourse, dose, sensitivity, fit (kg.simulate.dynamics,
.sensitivity and .fit). Data goes to stdout (`--format table|json|tsv`), figures to `-o FILE.png|svg`, notes to
stderr. numpy, scipy and matplotlib are imported only inside the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kg.cli.core import build_dir_option
from kg.cli.output import emit_json, emit_rows, format_option
from kg.cli.predict import _graph, context_option, hypothesis_option, seed_option

figure_option = click.option("-o", "--output", "figure", type=click.Path(path_type=Path), default=None,
                             help="Also draw the result: a .png or .svg file (deterministic bytes).")
param_option = click.option("--param", "params", multiple=True, metavar="NAME",
                             help="A quantity to estimate (a name as kg sensitivity lists it, or a pattern such as "
                                  "'k__ENPP1*'; repeatable). Default: every quantity that is not measured.")
readouts_option = click.option("--readout", "-r", "readouts", multiple=True, metavar="NAME",
                               help="Follow these kinetic readouts (repeatable; NAME@COMPARTMENT too). Default: "
                                    "the ones that move most.")


def _simulator(build_dir: Path | None, context: str | None, hypotheses: tuple[str, ...]) -> Any:
    from kg.simulate.predict import Simulator

    return Simulator(_graph(build_dir), context, list(hypotheses))


def _notes(notes: list[str]) -> None:
    for note in notes:
        click.echo(f"note: {note}", err=True)


def _emit_series(fmt: str, data: Any, x_name: str, xs: list[float], series: list[Any], title: str) -> None:
    """A time course or dose-response: its JSON, or one row per x with a column per readout (and band)."""
    if fmt == "json":
        emit_json(data.to_json())
        return
    rows, cols = _series_table(x_name, xs, series)
    emit_rows(rows, cols, fmt, title=title)


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
    _emit_series(fmt, course, "time_h", course.times, course.series,
                 f"{' '.join(perturbations)} in {course.context}: time course")


@click.command()
@click.argument("name")
@click.option("--from", "low", type=float, required=True, help="The lowest level (or dose).")
@click.option("--to", "high", type=float, required=True, help="The highest level (or dose).")
@click.option("--points", type=click.IntRange(2, 200), default=25, show_default=True, help="Levels from FROM to TO.")
@click.option("--log", "log_spaced", is_flag=True, help="Log-spaced levels (and a log axis on the figure).")
@click.option("--with", "background", multiple=True, metavar="PERTURBATION",
              help="A background perturbation applied at every level (repeatable), e.g. --with ENPP1=ko.")
@readouts_option
@context_option
@hypothesis_option
@click.option("--ensemble", "-n", type=click.IntRange(0, 10_000), default=0, show_default=True, metavar="N",
              help="Also a band: the 5th-95th percentile over N seeded parameter draws at every level.")
@seed_option
@figure_option
@build_dir_option
@format_option()
def dose(name: str, low: float, high: float, points: int, log_spaced: bool, background: tuple[str, ...],
         readouts: tuple[str, ...], context: str | None, hypotheses: tuple[str, ...], ensemble: int, seed: int,
         figure: Path | None, build_dir: Path | None, fmt: str) -> None:
    """Dose-response: steady states as NAME's level goes from FROM to TO (a gene's activity relative to wild type,
    a species' level relative to baseline, a drug's dose in its own unit: see the note).

    \b
    Examples:
      kg dose ENPP1-Fc --from 0 --to 4 --with ENPP1=ko -r PPi -r "arterial calcification"
      kg dose ALPL --from 0.01 --to 10 --log --ensemble 100 -o alpl.svg
    """
    from kg.simulate.dynamics.dose import dose_response

    if figure is not None:
        from kg.export.plots import figure_format

        figure_format(figure)
    spec = None
    if ensemble:
        from kg.simulate.sample.ensemble import Spec

        spec = Spec(ensemble, seed)
    sweep = dose_response(_simulator(build_dir, context, hypotheses), name, low, high, points, log_spaced,
                          list(background), list(readouts), spec)
    _notes(sweep.notes)
    what = f"{name}{' with ' + ' '.join(background) if background else ''} in {sweep.context}"
    if figure is not None:
        from kg.export.plots import lines

        lines(figure, sweep.levels, sweep.series, xlabel=f"{name} (level or dose)", ylabel="steady state",
              title=f"dose-response: {what}", log_x=log_spaced, log_y=True)
        click.echo(f"wrote {figure}", err=True)
    _emit_series(fmt, sweep, "level", sweep.levels, sweep.series, f"dose-response: {what}")


@click.command()
@click.argument("readout")
@click.argument("perturbations", nargs=-1)
@context_option
@hypothesis_option
@click.option("--method", type=click.Choice(["morris", "sobol"]), default="morris", show_default=True,
              help="Morris elementary effects (many factors, few solves) or Sobol' indices (variance-based).")
@click.option("--trajectories", type=click.IntRange(2, 1000), default=10, show_default=True,
              help="Morris: trajectories (solves = trajectories x (factors + 1)).")
@click.option("--samples", type=click.IntRange(8, 100_000), default=64, show_default=True,
              help="Sobol': base samples, a power of 2 (solves = samples x (factors + 2)).")
@seed_option
@click.option("--top", type=click.IntRange(1, 10_000), default=None, help="Only the first N factors.")
@figure_option
@build_dir_option
@format_option()
def sensitivity(readout: str, perturbations: tuple[str, ...], context: str | None, hypotheses: tuple[str, ...],
                method: str, trajectories: int, samples: int, seed: int, top: int | None, figure: Path | None,
                build_dir: Path | None, fmt: str) -> None:
    """Global sensitivity of READOUT (its baseline level, or its fold change under PERTURBATIONS) to every uncertain
    parameter and effect size, with SALib; ranked, with each factor's basis and source.

    \b
    Examples:
      kg sensitivity PPi ENPP1=ko
      kg sensitivity "arterial calcification" ANKH:p.P5L --top 15 -o p5l.svg
      kg sensitivity PPi --context hek293 --method sobol --samples 128
    """
    from kg.simulate.sensitivity import sensitivity as run

    if figure is not None:
        from kg.export.plots import figure_format

        figure_format(figure)
    result = run(_simulator(build_dir, context, hypotheses), readout, list(perturbations), method=method,
                 trajectories=trajectories, samples=samples, seed=seed)
    _notes([f"{result.solves} solves ({result.method}) of the {result.output}", *result.notes])
    rows = result.rows[:top] if top else result.rows
    key = "mu_star" if method == "morris" else "ST"
    if figure is not None:
        from kg.export.plots import bars

        shown = rows[:20]
        bars(figure, [f"{r['factor']} ({r['basis']})" for r in shown], [r[key] or 0.0 for r in shown],
             [r[f"{key}_conf"] or 0.0 for r in shown], xlabel=f"{key} ({result.output})",
             title=f"sensitivity of {result.readout['label']}@{result.readout['compartment']}")
        click.echo(f"wrote {figure}", err=True)
    if fmt == "json":
        emit_json({**result.to_json(), "factors": rows})
        return
    metrics = ("mu_star", "mu_star_conf", "sigma") if method == "morris" else ("ST", "ST_conf", "S1", "S1_conf")
    emit_rows(rows, ("rank", "factor", *metrics, "value", "low", "high", "unit", "basis", "source", "note"), fmt,
              title=f"sensitivity of the {result.output}")


@click.command()
@click.argument("observations", type=click.Path(path_type=Path))
@context_option
@hypothesis_option
@param_option
@click.option("-o", "--output", "output", type=click.Path(path_type=Path), default=None,
              help="Write the calibrated context (YAML) that kg predict --context FILE uses.")
@click.option("--max-evaluations", type=click.IntRange(1, 10_000), default=200, show_default=True,
              help="Residual evaluations the optimiser may use.")
@build_dir_option
@format_option()
def fit(observations: Path, context: str | None, hypotheses: tuple[str, ...], params: tuple[str, ...],
        output: Path | None, max_evaluations: int, build_dir: Path | None, fmt: str) -> None:
    """Calibrate a context's parameters to a lab's OBSERVATIONS (a TSV/CSV with columns perturbation, readout,
    value, unit, sd) by weighted least squares with bounds: goodness of fit, 95% intervals, identifiability.

    \b
    Examples:
      kg fit my_lab.tsv --context hek293 --param 'k__ENPP1*' --param 'clearance__PPi*' -o my_hek293.yaml
      kg predict --context my_hek293.yaml ANKH=up
    """
    from kg.export.base import check_writable
    from kg.simulate.fit import contextfile
    from kg.simulate.fit.estimate import fit as run_fit
    from kg.simulate.fit.observations import load
    from kg.simulate.fit.problem import Problem

    if output is not None:
        check_writable(output)
    sim = _simulator(build_dir, context, hypotheses)
    rows = load(observations, sim)
    result = run_fit(Problem(sim, rows, list(params)), max_evaluations)
    if output is not None:
        contextfile.write(output, sim.ctx.name, observations.name, result)
        click.echo(f"wrote {output} (kg predict --context {output} ...)", err=True)
    g = result.to_json()["goodness_of_fit"]
    _notes([f"{len(rows)} observations, {len(result.estimates)} parameters; chi2 {g['chi2']:.4g} on {g['dof']} "
            f"degrees of freedom" + (f" (p = {g['p_value']:.3g})" if g["p_value"] is not None else "")
            + ("" if result.converged else f"; the optimiser stopped: {result.message}"), *result.notes])
    if fmt == "json":
        emit_json(result.to_json())
        return
    table = [{**e, "range": f"{e['range_low']:.3g}-{e['range_high']:.3g}"} for e in result.to_json()["parameters"]]
    emit_rows(table, ("name", "value", "low", "high", "start", "range", "unit", "identifiable", "why"), fmt,
              title=f"fit of {sim.ctx.name} to {observations.name}", drop=("range", "start", "unit"))
