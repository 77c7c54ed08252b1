"""Simulator commands: predict (perturbations -> readouts with explanations), check (score against observed
cases), screen (rank every perturbation by its effect on a readout).

They read the build's JSON through kg.simulate.lite (no pydantic) so that `kg predict` answers fast.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from kg.cli.core import build_dir_option
from kg.cli.output import emit_json, emit_rows, format_option

context_option = click.option("--context", "-c", default=None,
                              help="Context: the body model seen from plasma (default), bone, artery, joint or skin; "
                                   "or a culture: hek293, chondrocyte, osteoblast, vsmc (names and synonyms).")
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


ensemble_option = click.option("--ensemble", "-n", "ensemble", type=click.IntRange(0, 100_000), default=0,
                               show_default=True, metavar="N",
                               help="Also solve over N seeded parameter draws (each parameter's range from its "
                                    "basis): fold intervals, probabilities, directions by threshold (e.g. 200).")
seed_option = click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=1, show_default=True,
                           help="Seed of the parameter draws.")


@click.command()
@click.argument("perturbations", nargs=-1, required=True)
@context_option
@click.option("--readout", "-r", "readouts", multiple=True, metavar="NAME",
              help="Only these readouts (name, synonym or CURIE; repeatable). Default: every entity.")
@hypothesis_option
@ensemble_option
@seed_option
@click.option("--threshold", type=click.FloatRange(0.5, 1.0, min_open=True), default=0.8, show_default=True,
              help="With --ensemble: the share of draws a direction needs; below it a readout is 'ambiguous'.")
@click.option("--all", "show_all", is_flag=True, help="Table/TSV: list unchanged readouts too (JSON always does).")
@build_dir_option
@format_option()
def predict(perturbations: tuple[str, ...], context: str | None, readouts: tuple[str, ...],
            hypotheses: tuple[str, ...], ensemble: int, seed: int, threshold: float, show_all: bool,
            build_dir: Path | None, fmt: str) -> None:
    """Predict what PERTURBATIONS do: NAME=EFFECT (ko, lof, gof, up, down or a number), NAME (= up),
    GENE:VARIANT, or GENE:VARIANT=up (variant protein overexpressed).

    \b
    Examples:
      kg predict ANKH:p.P5L
      kg predict ANKH:p.P5L --ensemble 200
      kg predict ENPP1=ko --readout PPi --readout "HA deposition"
      kg predict --context hek293 ANKH=up
      kg predict ENPP1=ko ENPP1-Fc=2 --format json
    """
    from kg.simulate.predict import predict as run_predict

    spec = None
    if ensemble:
        from kg.simulate.sample.ensemble import Spec

        spec = Spec(ensemble, seed, threshold)
    graph = _graph(build_dir)
    pred = run_predict(graph, list(perturbations), context, list(hypotheses), list(readouts) or None, spec)
    if fmt == "json":
        emit_json(pred.to_json())
        return
    rows = []
    shown = [r for r in pred.readouts if show_all or readouts or r["direction"] != "unchanged"]
    for r in sorted(shown, key=_order):
        paths = r["explanation"]["supporting"] or r["explanation"]["opposing"]
        rows.append({**r, **_spread_cells(r, fmt), "why": paths[0]["text"] if paths else "", "citations": ";".join(
            sorted({s for p in paths[:1] for st in p["steps"] for s in st["sources"]}))})
    spread = ("probability",) if spec else ()
    if fmt == "table":
        cols = ("label", "compartment", "direction", "fold_change", *spread, "baseline", "perturbed", "unit",
                "confidence", "layer", "why", "citations")
    else:
        extra = ("fold_median", "fold_low", "fold_high", "p_increase", "p_decrease", "p_unchanged") if spec else ()
        cols = ("id", "label", "compartment", "direction", "fold_change", *extra, "baseline", "perturbed", "unit",
                "confidence", "layer", "why", "citations")
    title = f"{' '.join(perturbations)} in {pred.context.name}"
    for note in pred.notes:
        click.echo(f"note: {note}", err=True)
    if len(shown) < len(pred.readouts):
        click.echo(f"note: {len(pred.readouts) - len(shown)} readouts unchanged (listed with --all or --format json)",
                   err=True)
    if spec:
        e = pred.ensemble
        click.echo(f"note: {e['converged']} of {e['n']} parameter draws (seed {e['seed']}, {e['quantities']} uncertain "
                   f"quantities); fold: nominal [5th-95th percentile]; a direction needs {e['threshold']:.0%} of "
                   f"the draws", err=True)
    else:
        click.echo("note: one solve at the nominal parameters; --ensemble 200 adds intervals and probabilities",
                   err=True)
    emit_rows(rows, cols, fmt, title=title)


def _spread_cells(row: dict[str, Any], fmt: str) -> dict[str, Any]:
    """Table: values to two significant figures, the fold with its interval, the probabilities; TSV: numbers."""
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
    return {"fold_change": fold, "baseline": two_sig(row["baseline"]), "perturbed": two_sig(row["perturbed"]),
            "probability": probability}


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


@click.command()
@click.argument("cases", type=click.Path(path_type=Path))
@hypothesis_option
@build_dir_option
@format_option()
def check(cases: Path, hypotheses: tuple[str, ...], build_dir: Path | None, fmt: str) -> None:
    """Score predictions against a CASES.yaml of perturbation -> observed outcome (the format of
    shared/validation/public-cases.yaml). Prints each check, accuracy and coverage; exit 1 if any covered check
    misses."""
    from kg.simulate.check import check as run_check
    from kg.simulate.check import load_cases

    data = load_cases(cases)
    graph = _graph(build_dir)
    report = run_check(graph, data, list(hypotheses))
    summary = report.summary()
    if fmt == "json":
        gaps = [{"id": str(c.get("id")), "reason": c["reason"]} for c in data.get("known_gaps") or []]
        emit_json({**report.to_json(), **({"known_gaps": gaps} if gaps else {})})
    else:
        rows = [{**r, "result": "ok" if r["ok"] else ("MISS" if r["covered"] else "not covered")}
                for r in report.rows]
        emit_rows(rows, ("case", "context", "readout", "check", "expected", "predicted", "fold_change", "result"),
                  fmt, title=f"checks from {cases}")
        for r in report.rows:
            if not r["ok"]:
                tag = "miss" if r["covered"] else "not covered"
                click.echo(f"{tag}: {r['case']} {r['readout']} ({r['check']} {r['expected']}): {r['explanation']}")
        acc = "n/a" if summary["accuracy"] is None else f"{summary['accuracy']:.1%}"
        cov = "n/a" if summary["coverage"] is None else f"{summary['coverage']:.1%}"
        gaps = data.get("known_gaps") or []
        click.echo(f"accuracy {acc} ({summary['passed']}/{summary['covered']} covered checks); coverage {cov} "
                   f"({summary['covered']}/{summary['expectations']}); cases passed {summary['cases_passed']}/"
                   f"{summary['cases']}" + (f"; known gaps (not scored): {len(gaps)}" if gaps else ""))
    if report.misses:
        raise SystemExit(1)


@click.command()
@context_option
@click.option("--effect", "-e", type=click.Choice(["ko", "lof", "gof", "up", "down"]), default="ko",
              show_default=True, help="The effect applied to every candidate.")
@click.option("--pairs", is_flag=True, help="Also every pair of candidates (with their interaction).")
@click.option("--readout", "-r", default="PPi", show_default=True, help="The readout to rank by.")
@click.option("--top", type=int, default=None, help="Only the first N rows.")
@hypothesis_option
@build_dir_option
@format_option()
def screen(context: str | None, effect: str, pairs: bool, readout: str, top: int | None,
           hypotheses: tuple[str, ...], build_dir: Path | None, fmt: str) -> None:
    """Rank every single (and with --pairs every pairwise) perturbation by its effect on a readout."""
    from kg.simulate.screen import screen as run_screen

    graph = _graph(build_dir)
    rows = run_screen(graph, context, effect=effect, pairs=pairs, readout=readout, hypotheses=list(hypotheses),
                      top=top)
    cols = ("rank", "perturbation", "direction", "fold_change", "perturbed", "unit", "layer", "confidence",
            *(("interaction",) if pairs else ()), "path")
    emit_rows(rows, cols, fmt, title=f"{effect} screen on {readout} ({context or 'plasma'})", json_data=rows)
