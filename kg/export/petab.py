"""`kg export petab DIR`: the fitting problem of `kg fit` in PEtab v1 (pyPESTO, AMICI, COPASI, Data2Dynamics),
checked by the `petab` package's linter before it is written.

DIR receives `model.xml` (the context's SBML at baseline, `kg.export.sbml`), `conditions.tsv` (one condition
per perturbation set of the table: the model parameters it sets), `observables.tsv` (one observable per readout
and kind: the readout's species or rule, or its fold), `measurements.tsv` (each row of the table, pre-equilibrated
to the baseline condition and measured at steady state, time `inf`, its sd as the noise), `parameters.tsv` (the
free quantities, estimated on a log10 scale within their plausible ranges; a group of parameters that are one
quantity, a compartment's size or a fixed species' level gets a parameter of its own that its members take by
initial assignment) and `problem.yaml`.

What PEtab cannot say, and how it is written instead: a fold is the readout over its value at the nominal
baseline (a number), and the calibration constants (reference levels, baseline productions) stay at their
nominal values, whereas `kg fit` recalibrates both at every parameter set; the two problems agree at the nominal
parameters and near them. A perturbation that holds a species at a level (a clamp) has no PEtab condition: it
is refused (exit 2).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import libsbml

from kg.errors import InputError, KgError
from kg.export.base import check_writable
from kg.export.sbml import document, problems, state_of, to_text
from kg.export.sbml_terms import check
from kg.simulate.fit.observations import Observation
from kg.simulate.fit.problem import choose

BASELINE = "baseline"
FILES = ("model.xml", "conditions.tsv", "observables.tsv", "measurements.tsv", "parameters.tsv", "problem.yaml")


def write(sim: Any, observations: list[Observation], folder: Path, select: list[str] | None = None) -> list[Path]:
    """Write the PEtab problem into `folder` (created if missing; its PEtab files replaced); lint it first."""
    import tempfile

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"cannot write '{folder}': it is a file; give a folder")
    folder.mkdir(parents=True, exist_ok=True)
    check_writable(folder / FILES[0])
    tables = build(sim, observations, select)
    with tempfile.TemporaryDirectory(prefix=".petab-", dir=folder) as tmp:
        staged = Path(tmp)
        for name, text in tables.items():
            (staged / name).write_text(text, encoding="utf-8")
        lint(staged / "problem.yaml")
        for name in FILES:
            (staged / name).replace(folder / name)
    return [folder / name for name in FILES]


def lint(problem_yaml: Path) -> None:
    """The petab linter on a problem; KgError with its messages if it finds an error."""
    import logging
    import warnings

    import petab  # 0.3 (see pyproject.toml); 0.4 and later call the same API petab.v1
    from petab.lint import lint_problem

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                messages.append(record.getMessage())

    handler = Collect()
    logger = logging.getLogger("petab")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():  # the petab package's own deprecation warnings (pandas 3) are not ours
            warnings.simplefilter("ignore")
            problem = petab.Problem.from_yaml(problem_yaml)
            failed = lint_problem(problem)
    finally:
        logger.removeHandler(handler)
    if failed:
        raise KgError("the PEtab problem fails the petab linter: " + "; ".join(messages[:5] or ["(no message)"]))


def build(sim: Any, observations: list[Observation], select: list[str] | None) -> dict[str, str]:
    """The problem's files as text."""
    base_pred = sim.run([], readouts=[])
    kin = base_pred.kinetic
    model = kin.model
    free = choose(_quantities(model), select)
    state = state_of(sim, [])
    doc = document(state, sim.graph)
    grouped = _group_parameters(doc, free)
    errors, _w = problems(doc)
    if errors:
        raise KgError("the SBML model fails libsbml's checks: " + "; ".join(errors[:3]))
    pi = kin.cm.param_index
    estimated = {n for q in free for n in q.params}
    conditions: dict[tuple[str, ...], str] = {(): BASELINE}
    settings: dict[str, dict[str, float]] = {BASELINE: {}}
    for obs in observations:
        if obs.perturbations in conditions:
            continue
        pred = sim.run(list(obs.perturbations), readouts=[])
        if pred.kinetic is not kin:
            raise InputError(f"line {obs.line}: '{'; '.join(obs.perturbations)}' removes an interaction (a variant), "
                             f"so it runs another model than the baseline; PEtab needs one model")
        if pred.changes.clamps:
            raise InputError(f"line {obs.line}: '{'; '.join(obs.perturbations)}' holds a species at a level, which a "
                             f"PEtab condition cannot express")
        p = kin.parameters(pred.changes)
        cid = f"c{len(conditions)}_{_sid('_'.join(obs.perturbations))}"[:60]
        conditions[obs.perturbations] = cid
        settings[cid] = {name: float(p[i]) for name, i in pi.items() if p[i] != kin.p0[i]}
        clash = sorted(set(settings[cid]) & estimated)
        if clash:
            raise InputError(f"line {obs.line}: the perturbation sets {', '.join(clash)}, which is to be estimated")
    columns = sorted({name for s in settings.values() for name in s})
    cond_rows = [["conditionId", "conditionName", *columns]]
    for perts, cid in conditions.items():
        cond_rows.append([cid, "; ".join(perts) or BASELINE,
                          *[_fmt(settings[cid].get(c, kin.p0[pi[c]])) for c in columns]])
    obs_rows = [["observableId", "observableName", "observableFormula", "observableTransformation", "noiseFormula",
                 "noiseDistribution"]]
    meas_rows = [["observableId", "preequilibrationConditionId", "simulationConditionId", "measurement", "time",
                  "noiseParameters"]]
    seen: set[str] = set()
    for obs in observations:
        entity, comp = sim.readout_key(obs.readout)
        sym = model.symbol(entity, comp)
        oid = f"obs_{sym}{'_fold' if obs.fold else ''}"
        if oid not in seen:
            seen.add(oid)
            base = kin.value_of(sym, kin.base.x, kin.base.p, kin.base.obs)
            formula = f"{sym} / {base!r}" if obs.fold else sym
            name = f"{sim.graph.entity(entity).label} in {comp}{' (fold of baseline)' if obs.fold else ''}"
            obs_rows.append([oid, name, formula, "lin", f"noiseParameter1_{oid}", "normal"])
        meas_rows.append([oid, BASELINE, conditions[obs.perturbations], _fmt(obs.value), "inf", _fmt(obs.sd)])
    par_rows = [["parameterId", "parameterName", "parameterScale", "lowerBound", "upperBound", "nominalValue",
                 "estimate"]]
    for q in free:
        pid = grouped.get(q.name, q.params[0])
        low, high = sorted((abs(q.low), abs(q.high)))
        par_rows.append([pid, q.name, "log10", _fmt(low), _fmt(high), _fmt(abs(q.value)), "1"])
    problem = ("format_version: 1\nparameter_file: parameters.tsv\nproblems:\n- sbml_files: [model.xml]\n"
               "  condition_files: [conditions.tsv]\n  measurement_files: [measurements.tsv]\n"
               "  observable_files: [observables.tsv]\n")
    return {"model.xml": to_text(doc), "conditions.tsv": _tsv(cond_rows), "observables.tsv": _tsv(obs_rows),
            "measurements.tsv": _tsv(meas_rows), "parameters.tsv": _tsv(par_rows), "problem.yaml": problem}


def _quantities(model: Any) -> list[Any]:
    from kg.simulate.model.ranges import factors

    return factors(model)


def _group_parameters(doc: libsbml.SBMLDocument, free: list[Any]) -> dict[str, str]:
    """A parameter of its own for each estimated quantity PEtab cannot estimate directly: a group of several model
    parameters, a compartment's size or a fixed species' concentration; the members take it by initial assignment.
    Quantity name -> its SBML id."""
    m = doc.getModel()
    out = {}
    for q in free:
        if len(q.params) < 2 and m.getParameter(q.params[0]) is not None:
            continue
        pid = f"est__{_sid(q.name)}"
        p = m.createParameter()
        p.setId(pid)
        p.setValue(q.value)
        p.setConstant(True)
        first = m.getParameter(q.params[0])
        p.setUnits(first.getUnits() if first is not None and first.isSetUnits() else "dimensionless")
        for member in q.params:
            ia = m.createInitialAssignment()
            ia.setSymbol(member)
            check(ia.setMath(libsbml.parseL3Formula(pid)), f"initial assignment of {member}")
        out[q.name] = pid
    return out


def _sid(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text) or "x"


def _fmt(x: float) -> str:
    return repr(float(x)) if math.isfinite(x) else "nan"


def _tsv(rows: list[list[str]]) -> str:
    return "".join("\t".join(r) + "\n" for r in rows)
