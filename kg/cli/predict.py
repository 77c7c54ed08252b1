"""Simulator commands: predict (perturbations -> readouts with explanations), check (score against observed
cases), screen (rank every perturbation by its effect on a readout).

They read the build's JSON through kg.simulate.lite (no pydantic) so that `kg predict` answers fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from kg.cli.core import build_dir_option
from kg.cli.output import emit_json, emit_rows, format_option, lines
from kg.cli.readout_table import READOUT_COLUMNS, READOUT_DROP, emit_readouts, readout_rows

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


ensemble_option = click.option("--ensemble", "-n", "ensemble", type=click.IntRange(0, 100_000), default=0,
                               show_default=True, metavar="N",
                               help="Also solve over N seeded parameter draws (each parameter's range from its "
                                    "basis): fold intervals, probabilities, directions by threshold (e.g. 200).")
seed_option = click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=1, show_default=True,
                           help="Seed of the parameter draws.")
def ensemble_spec(n: int, seed: int = 1, threshold: float = 0.8) -> Any:
    """The ensemble of `kg predict --ensemble N` (None for N = 0: one solve at the nominal parameters)."""
    if not n:
        return None
    from kg.simulate.sample.ensemble import Spec

    return Spec(n, seed, threshold)


def run_prediction(graph: Any, perturbations: Sequence[str], context: str | None, hypotheses: Sequence[str] = (),
                   readouts: Sequence[str] = (), *, resemblance: bool = False,
                   ensemble: Any = None) -> tuple[Any, dict[str, Any]]:
    """The prediction and its JSON (`kg predict --format json`; the web app serves the same), numbers checked
    finite; with `resemblance`, the JSON also ranks the graph's diseases by how well they match it; with
    `ensemble` (a kg.simulate.sample.ensemble.Spec, see ensemble_spec), every kinetic readout also gets its
    fold_interval, fold_median and probability over the parameter draws."""
    from kg.numbers import numeric_guard, require_finite
    from kg.simulate.predict import Simulator

    with numeric_guard("the prediction"):
        sim = Simulator(graph, context, list(hypotheses))
        pred = sim.run(list(perturbations), list(readouts) or None, ensemble)
        ranked = _resemblance(sim, pred) if resemblance else None
    data = pred.to_json()
    if ranked is not None:
        data["resemblance"] = ranked
    return pred, require_finite(data, "the prediction")


def run_genotype_file(graph: Any, path: Path, *, sample: str | None = None, context: str | None = None,
                      hypotheses: Sequence[str] = (), readouts: Sequence[str] = (),
                      extra: Sequence[str] = ()) -> tuple[list[Any], dict[str, Any]]:
    """Every sample of a genotype file through one simulator (`kg predict --genotype FILE`): the results and
    their JSON, numbers checked finite."""
    from kg.numbers import numeric_guard, require_finite
    from kg.variants.resemblance import DISCLAIMER
    from kg.variants.samples import predict_file

    with numeric_guard("the prediction"):
        kind, results = predict_file(graph, path, sample=sample, context=context, hypotheses=list(hypotheses),
                                     readouts=list(readouts) or None, extra=list(extra))
    document = {"input": str(path), "format": kind, "note": DISCLAIMER, "samples": [r.to_json() for r in results]}
    return results, require_finite(document, "the prediction")


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
@click.argument("perturbations", nargs=-1)
@click.option("--genotype", "genotype_file", type=click.Path(path_type=Path), default=None, metavar="FILE",
              help="A whole genotype: a VCF annotated by VEP (CSQ) or SnpEff (ANN), or a TSV with columns gene, "
                   "hgvs, zygosity (and optionally sample). One result per sample; PERTURBATIONS act on top.")
@click.option("--sample", default=None, help="With --genotype: only this sample.")
@click.option("--resemblance", "show_resemblance", is_flag=True,
              help="Also rank the graph's diseases by how well the prediction matches their signatures (always "
                   "given with --genotype). A model's resemblance, not a diagnosis.")
@context_option
@click.option("--readout", "-r", "readouts", multiple=True, metavar="NAME",
              help="Only these readouts (name, synonym or CURIE; repeatable). Default: every entity.")
@hypothesis_option
@ensemble_option
@seed_option
@click.option("--threshold", type=click.FloatRange(0.5, 1.0, min_open=True), default=0.8, show_default=True,
              help="With --ensemble: the share of draws a direction needs; below it a readout is 'ambiguous'.")
@click.option("--all", "show_all", is_flag=True, help="Table/TSV: list unchanged readouts too (JSON always does).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also draw the changed readouts (log2 fold change by layer, coloured by direction) to FILE "
                   "(.png, .svg or .pdf).")
@build_dir_option
@format_option()
def predict(perturbations: tuple[str, ...], genotype_file: Path | None, sample: str | None, show_resemblance: bool,
            context: str | None, readouts: tuple[str, ...], hypotheses: tuple[str, ...], ensemble: int, seed: int,
            threshold: float, show_all: bool, plot: Path | None, build_dir: Path | None, fmt: str) -> None:
    """Predict what PERTURBATIONS do: NAME=EFFECT (ko, lof, gof, up, down or a number), NAME (= up),
    GENE:VARIANT (a catalogued variant or any HGVS change), GENE:VARIANT=up (variant protein overexpressed), or a
    genotype GENE:A/+, GENE:A/A, GENE:A/B. Or a whole genotype file with --genotype.

    \b
    Examples:
      kg predict ANKH:p.P5L
      kg predict ANKH:p.P5L --ensemble 200
      kg predict ENPP1=ko ENPP1-Fc=2 --readout PPi
      kg predict "ENPP1:p.Tyr471Cys/p.Tyr471Cys" --resemblance
      kg predict ALPL:c.1A>G/+ --readout PPi
      kg predict --genotype patient.vcf --sample S1 --format json
      kg predict ENPP1=ko --readout PPi --readout "HA deposition"
      kg predict --context hek293 ANKH=up
      kg predict ENPP1=ko ENPP1-Fc --format json
      kg predict ENPP1=ko --plot enpp1.pdf
    """
    from kg.errors import InputError

    if sample and genotype_file is None:
        raise InputError("--sample needs --genotype FILE")
    if genotype_file is not None:
        if plot is not None:
            raise InputError("--plot draws one prediction; with --genotype, give each sample's perturbations "
                             "(GENE:A/B) on the command line instead")
        if ensemble:
            raise InputError("--ensemble runs one prediction; with --genotype, give each sample's perturbations "
                             "(GENE:A/B) on the command line instead")
        _predict_genotype_file(genotype_file, sample, perturbations, context, readouts, hypotheses, show_all,
                               build_dir, fmt)
        return
    if not perturbations:
        raise InputError("give PERTURBATIONS (e.g. ENPP1=ko, ANKH:p.P5L, ENPP1:p.Tyr471Cys/+) or --genotype FILE")
    if plot is not None:
        from kg.export.base import check_writable
        from kg.export.plot import plot_format

        plot_format(plot)
        check_writable(plot)  # fail before any work
    pred, data = run_prediction(_graph(build_dir), perturbations, context, hypotheses, readouts,
                                resemblance=show_resemblance, ensemble=ensemble_spec(ensemble, seed, threshold))
    if plot is not None:
        from kg.export.plot import write_plot

        click.echo(f"wrote {write_plot(data, plot)}", err=True)
    if fmt == "json":
        emit_json(data)
        return
    _echo_alleles(pred.perturbations)
    for note in pred.notes:
        click.echo(f"note: {note}", err=True)
    if pred.ensemble is not None:
        e = pred.ensemble
        click.echo(f"note: {e['converged']} of {e['n']} parameter draws (seed {e['seed']}, {e['quantities']} uncertain "
                   f"quantities); fold: nominal [5th-95th percentile]; a direction needs {e['threshold']:.0%} of "
                   f"the draws", err=True)
    else:
        click.echo("note: one solve at the nominal parameters; --ensemble 200 adds intervals and probabilities",
                   err=True)
    emit_readouts(pred, show_all, readouts, fmt, f"{' '.join(perturbations)} in {pred.context.name}")
    if "resemblance" in data and fmt == "table":
        _emit_resemblance(data["resemblance"], "table")


def _echo_alleles(perturbations: list[Any]) -> None:
    """Table/TSV: which rule decided each variant allele, with its sources (JSON carries them in `genotype`)."""
    for p in perturbations:
        for allele in p.genotype.alleles if p.genotype is not None else ():
            if allele.decided_by == "wild_type":
                continue
            sources = ", ".join(c.source for c in allele.citations)
            click.echo(f"variant: {p.genotype.gene_label} {allele.label}: decided by {allele.decided_by}: "
                       f"{allele.rule}" + (f" [{sources}]" if sources else ""), err=True)


def _resemblance(sim: Any, pred: Any) -> dict[str, Any]:
    from kg.variants.resemblance import report

    return report(sim, pred, list(pred.perturbations))


def _emit_resemblance(ranked: dict[str, Any], fmt: str, sample: str | None = None) -> None:
    groups = [("", ranked["diseases"])] + [(g["scenario"], g["diseases"]) for g in ranked.get("by_scenario", [])]
    rows = [{"if": scenario or "-", "rank": i, "disease": d["disease"]["label"], "score": d["score"],
             "cause": d["cause"], "shared_readouts": ", ".join(f"{r['label']} {r['change']}"
                                                               for r in d["shared_readouts"])}
            for scenario, diseases in groups for i, d in enumerate(diseases, start=1)]
    title = f"what {'sample ' + sample if sample else 'this'} resembles in the model (not a diagnosis)"
    cols = ("rank", "disease", "score", "cause", "shared_readouts")
    emit_rows(rows, ("if", *cols) if ranked.get("by_scenario") else cols, fmt, title=title)
    click.echo(f"note: {ranked['note']}", err=True)


def _predict_genotype_file(path: Path, sample: str | None, perturbations: tuple[str, ...], context: str | None,
                           readouts: tuple[str, ...], hypotheses: tuple[str, ...], show_all: bool,
                           build_dir: Path | None, fmt: str) -> None:
    results, document = run_genotype_file(_graph(build_dir), path, sample=sample, context=context,
                                          hypotheses=hypotheses, readouts=readouts, extra=perturbations)
    if fmt == "json":
        emit_json(document)
        return
    tsv_rows: list[dict[str, Any]] = []
    for r in results:
        for item in r.genotypes.not_modelled:
            what = " ".join(str(item[k]) for k in ("where", "gene", "hgvs", "consequence") if item.get(k))
            click.echo(f"note: sample {r.sample}: not modelled: line {item['line']} {what}: {item['reason']}",
                       err=True)
        for note in [*r.genotypes.notes, *(r.prediction.notes if r.prediction is not None else [])]:
            click.echo(f"note: sample {r.sample}: {note}", err=True)
        if r.prediction is None:
            click.echo(f"note: sample {r.sample}: no variant in a gene of the graph; nothing to simulate", err=True)
            continue
        _echo_alleles(r.prediction.perturbations)
        label = "; ".join(g.label for g in r.genotypes.genotypes) or "no modelled variant"
        if fmt == "tsv":
            tsv_rows.extend(readout_rows(r.prediction, show_all, readouts, extra={"sample": r.sample}))
        else:
            emit_readouts(r.prediction, show_all, readouts, fmt, f"sample {r.sample}: {label} in "
                                                                  f"{r.prediction.context.name}")
            _emit_resemblance(r.resemblance, fmt, r.sample)
    if fmt == "tsv":
        emit_rows(tsv_rows, ("sample", "id", *READOUT_COLUMNS), fmt, drop=READOUT_DROP)


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
