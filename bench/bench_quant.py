"""Quantitative benchmarks on the curated graph as built now: a 1,000-member ensemble of one prediction (batched,
in process) against a loop of single solves of the same draws; kg's steady state against libRoadRunner's on the
same SBML; the 1,000-draw ensemble against a libRoadRunner loop; `kg predict` as a CLI call with and without an
ensemble; Morris sensitivity. The ensemble is timed as the best of three runs. Ratios are against baselines
measured in the same run; loops too slow to run in full are sampled and extrapolated, and said so.

Run: `python -m bench quant`. Environment: BENCH_QUANT_LOOP (draws of the single-solve loop, default 200),
BENCH_QUANT_RR (draws of the libRoadRunner loop, default 100 for the body model, twice that for hek293),
BENCH_QUANT_RR_RTOL and _ATOL (CVODE's tolerances in that loop, default 1e-6 and 1e-9; the single steady state
compared with kg's uses 1e-10 and 1e-14).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

GOAL_ENSEMBLE_S = 2.0
GOAL_RATIO = 20.0
CASES = [("plasma", ["ANKH:p.P5L"]), ("plasma", ["ENPP1=ko", "ENPP1-Fc"]), ("hek293", ["ANKH=up"])]


def _scalar_draw(kin, p_draw, touched: dict[int, float]):
    """One draw the way a loop of single solves does it: calibrate its baseline (regulation off, settle the
    calibrated parameters), then the perturbed steady state (the perturbation's parameters `touched`); plain
    Python, the compiled model reused."""
    from kg.simulate.solve.baseline import SWITCH, floors, solve

    cm = kin.cm
    pi = cm.param_index
    p = list(p_draw)
    if SWITCH in pi:
        p[pi[SWITCH]] = 0.0
    x0 = solve(cm, p, list(kin.base.x), kin.floors, kin.lu)
    names = cm.calibrated
    for _ in range(len(names) + 1):
        values = cm.calib(x0, p)
        changed = any(v != p[pi[n]] for n, v in zip(names, values, strict=True))
        for n, v in zip(names, values, strict=True):
            p[pi[n]] = v
        if not changed:
            break
    if SWITCH in pi:
        p[pi[SWITCH]] = 1.0
    for i, v in touched.items():
        p[i] = v
    return solve(cm, p, x0, floors(x0), kin.lu)


def _cse_scalar(kin):
    """The scalar solver's rhs and jac with their common subexpressions computed once (kg.simulate.model.cse),
    as the batched `both` has them: a second, stronger baseline (the production scalar solver does not use it)."""
    import ast
    import copy

    from kg.simulate.model.cse import eliminate

    funcs = {}
    tree = ast.parse(kin.cm.source)
    for fn in tree.body:
        if fn.name not in ("rhs", "jac"):
            continue
        lines = [ast.unparse(st) for st in fn.body]
        ret = lines[-1].replace("return ", "__r = ", 1)
        body = eliminate([f"    {line}" for line in [*lines[:-1], ret]])
        src = f"def {fn.name}(x, p):\n" + "\n".join(body) + "\n    return __r\n"
        ns: dict = {}
        exec(compile(src, f"<cse {fn.name}>", "exec"), ns)  # our own generated source
        funcs[fn.name] = ns[fn.name]
    fast = copy.copy(kin)
    fast.cm = copy.copy(kin.cm)
    fast.cm.rhs, fast.cm.jac = funcs["rhs"], funcs["jac"]
    return fast


def _column(vector, j: int) -> list[float]:
    return [float(v[j]) if isinstance(v, np.ndarray) else float(v) for v in vector]


def bench_ensemble(graph, context: str, perts: list[str], n_loop: int) -> None:
    from kg.errors import KgError
    from kg.simulate.predict import Simulator
    from kg.simulate.sample.ensemble import Spec, draws

    sim = Simulator(graph, context)
    sim.run(perts)  # warm: model built, compiled, calibrated
    nominal = ensemble = float("inf")
    for _ in range(3):  # the best of three: the machine is shared
        t = time.perf_counter()
        pred = sim.run(perts)
        nominal = min(nominal, time.perf_counter() - t)
        t = time.perf_counter()
        pred = sim.run(perts, None, Spec(1000, 1))
        ensemble = min(ensemble, time.perf_counter() - t)
    e = pred.ensemble
    d = draws(pred.plan, Spec(1000, 1))  # the same draws, solved one at a time
    kin = pred.kinetic
    p_all = d.sampler.params(d.values[:len(d.sampler.quantities)])
    pert_all = kin.parameters(d.changes(pred.plan), p_all)
    touched = [i for i, (a, b) in enumerate(zip(p_all, pert_all, strict=True)) if a is not b]
    loops = {}
    for name, solver in (("production scalar solver", kin), ("scalar solver with the same CSE", _cse_scalar(kin))):
        failed = 0
        t = time.perf_counter()
        for j in range(n_loop):
            column = _column(pert_all, j)
            try:
                _scalar_draw(solver, _column(p_all, j), {i: column[i] for i in touched})
            except KgError:  # a draw the scalar solver does not converge on still costs its time
                failed += 1
        loops[name] = ((time.perf_counter() - t) / n_loop * 1000, failed)
    part = ensemble - nominal
    label = f"{context} {' '.join(perts)}"
    print(f"{label}: nominal prediction {nominal * 1000:.0f} ms; with a 1,000-member ensemble {ensemble:.3f} s "
          f"({e['quantities']} quantities, {e['converged']} converged) -> ensemble part {part:.3f} s "
          f"(goal < {GOAL_ENSEMBLE_S} s: {'met' if part < GOAL_ENSEMBLE_S else 'NOT met'})", flush=True)
    for name, (loop, failed) in loops.items():
        ratio = loop / part
        print(f"    loop of single solves, {name}: {loop:.1f} s for 1,000 (extrapolated from {n_loop}; {failed} "
              f"did not converge) -> {ratio:.1f}x (goal >= {GOAL_RATIO:.0f}x: "
              f"{'met' if ratio >= GOAL_RATIO else 'NOT met'})", flush=True)


SETTLE_HOURS = 1e6


def _rr_steady(rr) -> float:
    """libRoadRunner's steady state as a long CVODE time course (2.7's steadyState() leaves rate-rule variables at
    their initial values; 2.8+ need numpy 2, which kgx rules out); its largest rate of change."""
    rr.simulate(0, SETTLE_HOURS, 2)
    return float(np.abs(rr.getRatesOfChange()).max())


def bench_roadrunner(graph, context: str, perts: list[str], n_rr: int) -> None:
    import roadrunner

    from kg.export.sbml import document, state_of, to_text
    from kg.simulate.predict import Simulator
    from kg.simulate.sample.ensemble import Spec, draws

    sim = Simulator(graph, context)
    pred = sim.run(perts, readouts=[])
    kin = pred.kinetic
    text = to_text(document(state_of(sim, perts), graph))
    t = time.perf_counter()
    rr = roadrunner.RoadRunner(text)
    load = time.perf_counter() - t
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    t = time.perf_counter()
    residual = _rr_steady(rr)
    rr_ss = time.perf_counter() - t
    from kg.simulate.solve.baseline import solve

    p, x0, _held = kin.start(pred.changes)
    times = []
    for _ in range(7):
        t = time.perf_counter()
        solve(kin.cm, p, x0, kin.floors, kin.lu)
        times.append(time.perf_counter() - t)
    ours = statistics.median(times)
    label = f"{context} {' '.join(perts)}"
    print(f"{label}: steady state from the same SBML: libRoadRunner {roadrunner.__version__} {rr_ss:.3f} s (CVODE to "
          f"{SETTLE_HOURS:.0e} h, residual {residual:.1e}/h; plus {load:.2f} s to load and JIT-compile), kg "
          f"{ours * 1000:.1f} ms -> {rr_ss / ours:.0f}x", flush=True)
    # the ensemble's draws, each a calibrated parameter vector, solved by libRoadRunner one by one
    d = draws(pred.plan, Spec(1000, 1))
    base = d.baselines()
    pert_p = kin.parameters(d.changes(pred.plan), base.p)
    names = list(kin.model.params)
    state_keys = [f"[{st.name}]" if st.kind == "species" else st.name for st in kin.model.states]
    failed = 0
    rr.integrator.relative_tolerance = float(os.environ.get("BENCH_QUANT_RR_RTOL", "1e-6"))
    rr.integrator.absolute_tolerance = float(os.environ.get("BENCH_QUANT_RR_ATOL", "1e-9"))
    t = time.perf_counter()
    for j in range(n_rr):
        rr.resetAll()
        for name, v in zip(names, pert_p, strict=True):
            if isinstance(v, np.ndarray):
                rr[name] = float(v[j])
        for key, v in zip(state_keys, base.x[:, j], strict=True):  # from the draw's own baseline, as kg starts
            rr[key] = float(v)
        try:
            if _rr_steady(rr) > 1e-9:
                failed += 1
        except RuntimeError:  # CVODE gives up on a draw; the time is spent
            failed += 1
    per = (time.perf_counter() - t) / n_rr
    t = time.perf_counter()
    sim.run(perts, None, Spec(1000, 1))
    ours = time.perf_counter() - t
    print(f"{label}: 1,000 draws: kg ensemble {ours:.2f} s; libRoadRunner loop {per * 1000:.0f} s (extrapolated "
          f"from {n_rr} draws, {per * 1000:.1f} ms each, CVODE rtol {rr.integrator.relative_tolerance:g} atol "
          f"{rr.integrator.absolute_tolerance:g}; {failed} not settled) -> {per * 1000 / ours:.0f}x", flush=True)


def bench_cli(build_dir: Path) -> None:
    kg = Path(sys.executable).parent / "kg"
    env = {**os.environ, "KG_HOME": str(build_dir)}
    for args in (["predict", "ANKH:p.P5L", "--format", "json"],
                 ["predict", "ANKH:p.P5L", "--format", "json", "--ensemble", "200"],
                 ["predict", "ENPP1=ko", "ENPP1-Fc", "--format", "json", "--ensemble", "200"]):
        subprocess.run([str(kg), *args], env=env, check=True, capture_output=True)
        walls = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run([str(kg), *args], env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
        print(f"CLI `kg {' '.join(args)}`: median of 5 {statistics.median(walls):.3f} s (min {min(walls):.3f})",
              flush=True)


def bench_sensitivity(graph) -> None:
    from kg.simulate.predict import Simulator
    from kg.simulate.sensitivity import sensitivity

    for context, perts in (("plasma", ["ENPP1=ko"]), ("hek293", ["ANKH=up"])):
        sim = Simulator(graph, context)
        sim.run(perts)
        t = time.perf_counter()
        res = sensitivity(sim, "PPi", perts, trajectories=10, seed=1)
        print(f"sensitivity PPi {context} {' '.join(perts)} (Morris, 10 trajectories): {res.solves} solves in "
              f"{time.perf_counter() - t:.2f} s; top: {res.rows[0]['factor']} ({res.rows[0]['basis']})", flush=True)


def main() -> None:
    from kg.build import build
    from kg.simulate.lite import load_lite

    n_loop = int(os.environ.get("BENCH_QUANT_LOOP", "200"))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        build(None, out)
        graph = load_lite(out)
        model = __import__("kg.simulate.predict", fromlist=["Simulator"]).Simulator(graph, "plasma").model()
        print(f"curated graph: {len(graph)} entities, {len(graph.edges)} edges; body model {len(model.model.states)} "
              f"states, {len(model.model.params)} parameters, {len(model.model.rules)} rules, "
              f"{len(model.pattern)} Jacobian non-zeros", flush=True)
        for context, perts in CASES:
            bench_ensemble(graph, context, perts, n_loop)
        n_rr = int(os.environ.get("BENCH_QUANT_RR", "100"))
        for context, perts, n in (("plasma", ["ENPP1=ko"], n_rr), ("hek293", ["ANKH=up"], 2 * n_rr)):
            bench_roadrunner(graph, context, perts, n)
        bench_cli(out)
        bench_sensitivity(graph)
