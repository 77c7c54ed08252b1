"""The baseline of a model: its steady state without perturbation, and the calibration that fixes it.

The baseline is solved with regulation switched off (every signal at its baseline value); that state fixes the
reference levels every multiplier is normalised by (`ref__` parameters) and the baseline productions a supply
scales with (`base_prod__`). Their values are written into the model (the IR), so that afterwards the model alone,
regulation on, has the same state as a steady state: an exported model needs nothing from this module.
"""

from __future__ import annotations

from kg.errors import KgError
from kg.simulate.model.compile import CompiledModel, compile_model
from kg.simulate.model.ir import Model
from kg.simulate.solve.linear import SparseLU
from kg.simulate.solve.steady import steady_state

REF = "ref__"  # a reference level's parameter prefix (the rest are baseline productions)
SWITCH = "regulation"  # the parameter that turns every regulation's signal on (1) or holds it at baseline (0)


def floors(x: list[float]) -> list[float]:
    """Per-state sizes below which a state counts as zero when judging convergence: a billionth of its baseline
    (at least of 1e-3)."""
    return [max(abs(v), 1e-3) * 1e-9 for v in x]


def solve(cm: CompiledModel, p: list[float], x0: list[float], fl: list[float], lu: SparseLU) -> list[float]:
    """The steady state from x0 under parameters p, with the model's analytic Jacobian."""
    return steady_state(lambda u: cm.rhs(u, p), x0, cm.deps, fl, jac=lambda u: cm.jac(u, p), lu=lu)


def calibrate(model: Model) -> tuple[CompiledModel, list[float], SparseLU]:
    """Compile the model, solve its baseline, write the calibrated parameters (`model.calibration`: reference
    levels and baseline productions) into it; returns the compiled model, its baseline state and the linear
    solver planned for its Jacobian."""
    cm = compile_model(model)
    lu = SparseLU(len(model.states), cm.pattern)
    pi = cm.param_index
    p = cm.params()
    if SWITCH in pi:
        p[pi[SWITCH]] = 0.0
    n = len(model.states)
    x0 = solve(cm, p, [1.0] * n, [1e-9] * n, lu)
    names = cm.calibrated
    for _ in range(len(names) + 1):  # a reference may read another (an index over calcium): settle them
        values = cm.calib(x0, p)
        changed = False
        for name, value in zip(names, values, strict=True):
            if name.startswith(REF) and value <= 0:
                sym = model.calibration[name]
                raise KgError(f"{sym} is 0 at the baseline of context '{model.context}', so a regulation it "
                              f"drives cannot be normalised to it")
            changed = changed or value != p[pi[name]]
            p[pi[name]] = value
        if not changed:
            break
    if SWITCH in pi:
        p[pi[SWITCH]] = 1.0
    for name in names:
        model.params[name].value = p[pi[name]]
    return cm, solve(cm, p, x0, floors(x0), lu), lu
